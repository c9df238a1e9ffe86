/**
 * Engine benchmark (`npm run bench`): in-memory full TLS 1.3 and TLS 1.2
 * handshakes per second, client against server, beside the public-key
 * operations each handshake performs, timed in the same run; and record-layer
 * bulk throughput on 16 KiB records for each suite of both versions beside the
 * raw noble AEAD. Medians of several rounds; ratios, not absolute numbers, are
 * what to compare across machines.
 */
import { publicKeyOf } from '../src/crypto/keys.ts';
import { nobleProvider as P } from '../src/crypto/noble.ts';
import type { AeadName, CryptoProvider, SignatureAlgorithm } from '../src/crypto/provider.ts';
import { clientDefaults, serverDefaults } from '../src/handshake/config.ts';
import type { TlsVersion } from '../src/handshake/config.ts';
import { TlsConnection } from '../src/handshake/connection.ts';
import { handshakeSignatureAlgorithm, suiteById } from '../src/handshake/suites.ts';
import { CipherSuite, NamedGroup, ProtocolVersion } from '../src/wire/registry.ts';
import { credential } from '../test/helpers/credentials.ts';
import type { KeyType } from '../test/helpers/credentials.ts';
import { pinnedVerifier, pump } from '../test/helpers/pump.ts';
import { compare, ROUNDS } from './alternating.ts';




const TLS13 = ProtocolVersion.TLSv1_3;
const TLS12 = ProtocolVersion.TLSv1_2;

/** The noble provider, with the time spent in its public-key calls (key pairs, agreements, signatures, checks) added up. */
function publicKeyTimed(): { provider: CryptoProvider; spent: () => number } {
  let spent = 0;
  const timed = <T>(call: () => T): T => {
    const start = performance.now();
    try {
      return call();
    } finally {
      spent += performance.now() - start;
    }
  };
  const provider: CryptoProvider = {
    ...P,
    sign: (...args) => timed(() => P.sign(...args)),
    verify: (...args) => timed(() => P.verify(...args)),
    keyExchange(group, secret) {
      const exchange = timed(() => P.keyExchange(group, secret));
      return { ...exchange, agree: (peer) => timed(() => exchange.agree(peer)) };
    },
  };
  return { provider, spent: () => spent };
}

/**
 * One handshake row: the client enables `versions` (TLS 1.3 rows as our
 * default client, both; TLS 1.2 rows a TLS 1.2-only client, whose hello has no
 * key share), the server all, so the client's highest is negotiated.
 */
function handshakeRow(versions: readonly TlsVersion[], type: KeyType, n: number): string {
  const cred = credential(type);
  const handshakeWith = (provider: CryptoProvider) => {
    const serverConfig = serverDefaults(provider, { certificates: [cred], ticketsToSend: 0 });
    // X25519 is the key exchange; TLS 1.2 also needs the certificate's curve in supported_groups (RFC 8422 §5.1).
    const groups = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1];
    const clientConfig = clientDefaults(provider, { versions, verifier: pinnedVerifier(cred.chain[0]!), groups, keyShareGroups: [NamedGroup.x25519] });
    return () => {
      const server = TlsConnection.server(serverConfig);
      const client = TlsConnection.client(clientConfig, 'localhost');
      pump(client, server);
      if (!client.handshakeComplete) throw new Error('handshake did not complete');
      return client;
    };
  };
  const handshake = handshakeWith(P);
  const { version, peerSignatureScheme } = handshake().negotiated;
  if (version !== versions[0]) throw new Error(`negotiated ${version}, not ${versions[0]}`);

  // The public-key work of one handshake, in either version: two X25519 key pairs and agreements,
  // one signature (CertificateVerify, or TLS 1.2's ServerKeyExchange) under the scheme the handshake used, and its check.
  const algorithm = handshakeSignatureAlgorithm(peerSignatureScheme!, cred.key, version) as SignatureAlgorithm;
  const content = P.randomBytes(130);
  const signature = P.sign(algorithm, cred.key, content);
  const pub = publicKeyOf(cred.key);
  const peer = P.keyExchange('x25519').publicKey;
  const publicKeyWork = () => {
    P.keyExchange('x25519').agree(peer);
    P.keyExchange('x25519').agree(peer);
    P.sign(algorithm, cred.key, content);
    if (!P.verify(algorithm, pub, content, signature)) throw new Error('signature');
  };
  const { measured, reference, ratio } = compare(n, handshake, publicKeyWork);

  // The same operations as they ran inside handshakes (where they share caches with everything else).
  const inside = publicKeyTimed();
  const timedHandshake = handshakeWith(inside.provider);
  const start = performance.now();
  for (let i = 0; i < n * ROUNDS; i++) timedHandshake();
  const insideRatio = (performance.now() - start) / inside.spent();
  return `| ${version === TLS13 ? 'TLS 1.3' : 'TLS 1.2'} | ${type} + X25519 | ${(1000 / measured).toFixed(1)} | ${measured.toFixed(2)} | ${reference.toFixed(2)} | ${ratio.toFixed(2)}× | ${insideRatio.toFixed(2)}× |`;
}

function bulkRow(suiteId: number, megabytes: number): string {
  const suite = suiteById(suiteId)!;
  const cred = credential('p256');
  const server = TlsConnection.server(serverDefaults(P, { certificates: [cred], versions: [suite.version], cipherSuites: [suiteId], ticketsToSend: 0 }));
  const client = TlsConnection.client(clientDefaults(P, { verifier: pinnedVerifier(cred.chain[0]!) }), 'localhost');
  pump(client, server);
  if (server.negotiated.cipherSuite !== suite) throw new Error(`${suite.name} was not negotiated`);
  const record = P.randomBytes(16384);
  const records = (megabytes * 1024 * 1024) / record.length;
  const aead = P.aead(suite.aead as AeadName, P.randomBytes(suite.keyLength));
  const nonce = P.randomBytes(12);
  const aad = P.randomBytes(5);
  const { measured, reference, ratio } = compare(
    records,
    () => {
      client.write(record);
      server.receive(client.takeOutgoing());
      if (server.read()!.length !== record.length) throw new Error('lost data');
    },
    () => {
      const sealed = aead.seal(nonce, aad, record);
      if (aead.open(nonce, aad, sealed)?.length !== record.length) throw new Error('raw AEAD failed');
    },
  );
  const mbps = (ms: number) => (record.length / 1024 / 1024 / (ms / 1000)).toFixed(1);
  return `| ${suite.name} | ${mbps(measured)} | ${mbps(reference)} | ${(100 / ratio).toFixed(0)}% |`;
}

const quick = process.argv.includes('--quick');
console.log(`# puretls engine benchmark (${quick ? 'quick' : 'full'}), ${navigator.userAgent ?? 'runtime'}\n`);
console.log('Full handshakes, in memory, our client against our server (target: handshake CPU ≤ 1.2× its public-key operations)\n');
console.log('| version | server key | handshakes/s | ms/handshake | its public-key ops alone, ms | ratio | ratio to the same ops timed inside the handshakes |');
console.log('|---|---|---|---|---|---|---|');
for (const versions of [[TLS13, TLS12], [TLS12]] as const) {
  for (const type of ['p256', 'p384', 'ed25519', 'rsa2048'] as const) console.log(handshakeRow(versions, type, quick ? 5 : 20));
}
console.log('\nBulk: 16 KiB records sealed by one side and opened by the other, vs the raw AEAD seal+open (target ≥ 85%)\n');
console.log('| suite | record layer MiB/s | raw AEAD MiB/s | record layer / raw |');
console.log('|---|---|---|---|');
for (const id of [
  CipherSuite.TLS_AES_128_GCM_SHA256,
  CipherSuite.TLS_AES_256_GCM_SHA384,
  CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
  CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
]) {
  console.log(bulkRow(id, quick ? 2 : 16));
}
