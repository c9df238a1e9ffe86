/**
 * X.509 benchmark (`npm run bench:x509`): chain validations per second for a
 * 3-certificate chain (root → intermediate → leaf) with ECDSA P-256 and with
 * RSA-2048, as the TLS engine validates a server's chain (`x509Verifier` over
 * a loaded `TrustStore`, the peer's leaf and intermediate as DER, host name
 * checked), beside the raw rate of the signature checks such a validation
 * needs (two: the leaf's and the intermediate's), measured in the same run.
 * Target: validation overhead ≤ 25% over the signature checks. The public
 * `verify_chain` runs the same validation after decoding its arguments.
 *
 * Two cases: a repeat peer, whose certificates the process-wide certificate
 * cache already holds parsed (a client reconnecting to a server it knows; in
 * one handshake, the leaf is parsed once for its key and once for the path),
 * and a new peer, with the cache emptied before each validation so that the
 * leaf and the intermediate are parsed (the trust store parsed its root when
 * it was loaded).
 *
 * A second table times the hostile chain of issue 14 (`test/x509/look-alike-chain.ts`:
 * a leaf with 7,000 DNS names, 64 CAs named like the trusted root with 149
 * excluded subtrees each and bogus signatures, 228 KiB) through the same
 * verifier, as a ratio to the ECDSA chain above, new peer both: target under
 * 1 s. (Through the engine, `acceptPeerChain` refuses it before verifying: it
 * exceeds the chain caps; the verifier's budget is what bounds a chain within
 * them, and `verify_chain` callers.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509Verifier } from '../src/handshake/x509-verifier.ts';
import { nobleProvider as P } from '../src/crypto/noble.ts';
import type { SignatureAlgorithm } from '../src/crypto/provider.ts';
import { parseCertificate } from '../src/x509/certificate.ts';
import { certificateCache } from '../src/x509/certificate-cache.ts';
import { PemLabel, pemDecodeOne } from '../src/x509/pem.ts';
import { TrustStore } from '../src/x509/trust-store.ts';
import { NOW } from '../test/fixtures/x509-validate/builder.ts';
import { type LookAlikeShape, lookAlikeChain } from '../test/x509/look-alike-chain.ts';

const KEY: Record<string, string[]> = {
  'ECDSA P-256': ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'RSA-2048': ['-newkey', 'rsa:2048'],
};

function chain(kind: string): { root: string; intermediate: string; leaf: string } {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-bench-x509-'));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  writeFileSync(join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:bench.example\nauthorityKeyIdentifier=keyid\n');
  run(['req', '-x509', ...KEY[kind]!, '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', '/CN=bench root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...KEY[kind]!, '-nodes', '-keyout', 'int.key', '-out', 'int.csr', '-subj', '/CN=bench intermediate']);
  run(['x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'int.pem', '-days', '30', '-extfile', 'ca.ext']);
  run(['req', ...KEY[kind]!, '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=bench.example']);
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext']);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { root: read('root.pem'), intermediate: read('int.pem'), leaf: read('leaf.pem') };
}

/** Median ms per call of each variant, measured in alternating rounds so that all see the same machine. */
function medianMs(n: number, variants: Record<string, () => void>): Record<string, number> {
  const rounds: Record<string, number[]> = {};
  for (let r = 0; r < 7; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const start = performance.now();
      for (let i = 0; i < n; i++) fn();
      (rounds[name] ??= []).push((performance.now() - start) / n);
    }
  }
  return Object.fromEntries(Object.entries(rounds).map(([name, ms]) => [name, ms.sort((a, b) => a - b)[3]!]));
}

const der = (pem: string) => pemDecodeOne(pem, PemLabel.CERTIFICATE);
const pct = (ms: number, base: number) => `${(((ms - base) / base) * 100).toFixed(0)}%`;
/** Milliseconds each variant runs per round: long enough that timer and scheduler noise average out. */
const ROUND_MS = process.argv.includes('--quick') ? 20 : 150;
let normalFreshMs = 0;
console.log('| chain | 2 signature checks, ms | repeat peer: validations/s | overhead | new peer (leaf and intermediate parsed): validations/s | overhead |');
console.log('|---|---|---|---|---|---|');
for (const kind of Object.keys(KEY)) {
  const c = chain(kind);
  // As the TLS engine verifies: the trust store is loaded (and parsed) once, and each handshake's
  // Certificate message brings the leaf and the intermediate as DER.
  const trust = new TrustStore(P);
  trust.addPem(c.root);
  const peerChain = [der(c.leaf), der(c.intermediate)];
  const verifier = x509Verifier({ provider: P, trust, now: () => Date.now() / 1000, checkHostname: true });
  const validate = () => verifier.verify(peerChain, { role: 'server', serverName: 'bench.example' });
  const signed = [c.leaf, c.intermediate].map((pem, i) => {
    const cert = parseCertificate(der(pem));
    const issuer = parseCertificate(der(i === 0 ? c.intermediate : c.root));
    return { cert, key: issuer.publicKey, algorithm: cert.signatureAlgorithm.algorithm as SignatureAlgorithm };
  });
  validate(); // parses and caches the peer's certificates
  const once = performance.now();
  validate();
  const n = Math.max(5, Math.ceil(ROUND_MS / (performance.now() - once)));
  const ms = medianMs(n, {
    signatures: () => {
      for (const s of signed) if (!P.verify(s.algorithm, s.key, s.cert.tbsDer, s.cert.signatureValue)) throw new Error('signature');
    },
    // The certificate cache holds the peer's two certificates from the previous call.
    repeat: validate,
    fresh: () => {
      certificateCache.clear();
      validate();
    },
  });
  const { signatures, repeat, fresh } = ms as { signatures: number; repeat: number; fresh: number };
  if (kind === 'ECDSA P-256') normalFreshMs = fresh;
  console.log(
    `| ${kind}, 3 certificates | ${signatures.toFixed(2)} | ${(1000 / repeat).toFixed(0)} | ${pct(repeat, signatures)} | ${(1000 / fresh).toFixed(0)} | ${pct(fresh, signatures)} |`,
  );
}

/** One verification of a look-alike chain, certificates parsed afresh (a new peer); it must fail. */
function hostile(shape: LookAlikeShape): () => void {
  const attack = lookAlikeChain(shape);
  const verifier = x509Verifier({ provider: P, trust: [attack.root.cert], now: () => NOW, checkHostname: true, flags: 0x8000 });
  return () => {
    certificateCache.clear();
    try {
      verifier.verify(attack.chain, { role: 'server', serverName: attack.hostname });
    } catch {
      return;
    }
    throw new Error('the look-alike chain verified');
  };
}

console.log();
console.log('| hostile chain (new peer) | ms per verification | × the ECDSA P-256 chain |');
console.log('|---|---|---|');
const attacks = medianMs(1, {
  '7,000 names, 64 look-alike CAs × 149 excluded subtrees': hostile({}),
  '7,000 names, 1 look-alike CA × 149 excluded subtrees': hostile({ cas: 1 }),
});
for (const [name, ms] of Object.entries(attacks)) console.log(`| ${name} | ${ms.toFixed(0)} | ${(ms / normalFreshMs).toFixed(0)} |`);
