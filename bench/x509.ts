/**
 * X.509 benchmark (`npm run bench:x509`): chain validations per second for a
 * 3-certificate chain (root → intermediate → leaf) with ECDSA P-256 and with
 * RSA-2048, through the public `verify_chain`, beside the raw rate of the
 * signature checks such a validation needs (two: the leaf's and the
 * intermediate's), measured in the same run. Target: validation overhead
 * ≤ 25% over the signature checks.
 *
 * Two cases: a repeat peer, whose certificates the process-wide certificate
 * cache already holds parsed (a client reconnecting to a server it knows, or
 * an engine handshake, where the leaf is parsed once for its key and once for
 * the path), and a new peer, with the cache emptied before each validation so
 * that all three certificates are parsed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify_chain } from '../src/api/x509.ts';
import { nobleProvider as P } from '../src/crypto/noble.ts';
import type { SignatureAlgorithm } from '../src/crypto/provider.ts';
import { parseCertificate } from '../src/x509/certificate.ts';
import { certificateCache } from '../src/x509/certificate-cache.ts';

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

const der = (pem: string) => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
const pct = (ms: number, base: number) => `${(((ms - base) / base) * 100).toFixed(0)}%`;
/** Milliseconds each variant runs per round: long enough that timer and scheduler noise average out. */
const ROUND_MS = process.argv.includes('--quick') ? 20 : 150;
console.log('| chain | 2 signature checks, ms | repeat peer: validations/s | overhead | new peer (every certificate parsed): validations/s | overhead |');
console.log('|---|---|---|---|---|---|');
for (const kind of Object.keys(KEY)) {
  const c = chain(kind);
  // DER, as certificates arrive in a TLS Certificate message and sit in a loaded trust store.
  const [leaf, intermediate, root] = [der(c.leaf), der(c.intermediate), der(c.root)];
  const validate = () => verify_chain(leaf, { trusted: root, intermediates: intermediate, hostname: 'bench.example' });
  const signed = [c.leaf, c.intermediate].map((pem, i) => {
    const cert = parseCertificate(der(pem));
    const issuer = parseCertificate(der(i === 0 ? c.intermediate : c.root));
    return { cert, key: issuer.publicKey, algorithm: cert.signatureAlgorithm.algorithm as SignatureAlgorithm };
  });
  validate(); // parses and caches the three certificates
  const once = performance.now();
  validate();
  const n = Math.max(5, Math.ceil(ROUND_MS / (performance.now() - once)));
  const ms = medianMs(n, {
    signatures: () => {
      for (const s of signed) if (!P.verify(s.algorithm, s.key, s.cert.tbsDer, s.cert.signatureValue)) throw new Error('signature');
    },
    // The certificate cache holds the three certificates from the previous call.
    repeat: validate,
    fresh: () => {
      certificateCache.clear();
      validate();
    },
  });
  const { signatures, repeat, fresh } = ms as { signatures: number; repeat: number; fresh: number };
  console.log(
    `| ${kind}, 3 certificates | ${signatures.toFixed(2)} | ${(1000 / repeat).toFixed(0)} | ${pct(repeat, signatures)} | ${(1000 / fresh).toFixed(0)} | ${pct(fresh, signatures)} |`,
  );
}
