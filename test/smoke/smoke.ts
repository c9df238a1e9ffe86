/**
 * Cross-runtime smoke test, run unbuilt by `node`, `deno run` and `bun`
 * (`npm run test:runtimes`): the RFC 8448 §3 replay through both sides, and one
 * in-memory client↔server handshake with application data both ways, and the
 * same through `puretls/ssl`'s SSLContext/SSLObject with files read. Prints
 * one line per check and `N passed, N failed`; exits non-zero on any failure.
 */
import { readFileSync } from 'node:fs';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { parsePrivateKey } from '../../src/x509/keys.ts';
import { pemDecodeOne } from '../../src/x509/pem.ts';
import { pinnedVerifier, pump } from '../helpers/pump.ts';
import { replayClient, replayServer } from '../helpers/rfc8448-replay.ts';
import type { Replay } from '../helpers/rfc8448-replay.ts';
import { published } from '../helpers/rfc8448-trace.ts';

const runtime = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node';
let passed = 0;
let failed = 0;

function check(name: string, body: () => string | null): void {
  let problem: string | null;
  try {
    problem = body();
  } catch (error) {
    problem = String((error as Error)?.stack ?? error);
  }
  if (problem === null) passed++;
  else failed++;
  console.log(`${problem === null ? 'ok  ' : 'FAIL'} [${runtime}] ${name}${problem === null ? '' : `: ${problem}`}`);
}

const same = (a: unknown, b: unknown, what: string) => (JSON.stringify(a) === JSON.stringify(b) ? null : `${what} differ`);
const replayed = (replay: Replay) =>
  same(replay.records.ours, replay.records.trace, 'records') ?? same(replay.data.ours, replay.data.trace, 'application data') ?? same(replay.secrets.ours, replay.secrets.trace, 'secrets');

check('RFC 8448 §3 client records byte for byte', () => replayed(replayClient(published)));
check('RFC 8448 §3 server records byte for byte', () => replayed(replayServer(published)));

check('in-memory handshake and application data (Ed25519, X25519, AES-128-GCM)', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/smoke/${name}`, import.meta.url), 'utf8');
  const leaf = pemDecodeOne(fixture('cert.pem'), 'CERTIFICATE');
  const server = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [{ chain: [leaf], key: parsePrivateKey(fixture('key.pem')) }] }));
  const client = TlsConnection.client(clientDefaults(nobleProvider, { verifier: pinnedVerifier(leaf) }), 'localhost');
  pump(client, server);
  client.write(utf8('ping'));
  pump(client, server);
  server.write(utf8('pong'));
  pump(client, server);
  return same([fromUtf8(server.read()!), fromUtf8(client.read()!)], ['ping', 'pong'], 'messages');
});

// The public entry point resolves through the package's own `exports`, unbuilt.
const x509 = await import('puretls/x509');
check('puretls/x509 decode_certificate gives the getpeercert() dict', () => {
  const dict = x509.decode_certificate(readFileSync(new URL('../fixtures/smoke/cert.pem', import.meta.url), 'utf8'));
  return same([dict.subject, dict.subjectAltName], [[[['commonName', 'localhost']]], [['DNS', 'localhost']]], 'subject and subjectAltName');
});


// puretls/ssl, as a Python user drives it: files read through the runtime's node:fs, an SSLObject pair over MemoryBIOs.
const ssl = await import('puretls/ssl');
check('puretls/ssl SSLObject handshake over MemoryBIOs, verifying the server against a cafile', () => {
  const fixturePath = (name: string) => new URL(`../fixtures/smoke/${name}`, import.meta.url).pathname;
  const serverContext = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  serverContext.load_cert_chain(fixturePath('cert.pem'), fixturePath('key.pem'));
  const clientContext = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  clientContext.load_verify_locations(fixturePath('cert.pem'));
  const [toClient, fromClient, toServer, fromServer] = [new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO()];
  const client = clientContext.wrap_bio(toClient, fromClient, { server_hostname: 'localhost' });
  const server = serverContext.wrap_bio(toServer, fromServer, { server_side: true });
  for (let round = 0; round < 4; round++) {
    for (const side of [client, server]) {
      try {
        side.do_handshake();
      } catch (error) {
        if (!(error instanceof ssl.SSLWantReadError)) throw error;
      }
    }
    toServer.write(fromClient.read());
    toClient.write(fromServer.read());
  }
  client.write(utf8('ping'));
  toServer.write(fromClient.read());
  return same([client.version(), (client.getpeercert() as { subject: unknown }).subject, fromUtf8(server.read() as Uint8Array)], ['TLSv1.3', [[['commonName', 'localhost']]], 'ping'], 'version, subject and data');
});

console.log(`${passed} passed, ${failed} failed`);
if (failed > 0) throw new Error(`smoke test failed on ${runtime}`);
