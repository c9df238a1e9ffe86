/**
 * X.509 benchmark (`npm run bench:x509`): chain validations per second for a
 * 3-certificate chain (root → intermediate → leaf) with ECDSA P-256 and with
 * RSA-2048, through the public `verify_chain`, beside the raw rate of the
 * signature checks such a validation needs (two: the leaf's and the
 * intermediate's), measured in the same run. Target: validation overhead
 * ≤ 25% over the signature checks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verify_chain } from '../src/api/x509.ts';
import { nobleProvider as P } from '../src/crypto/noble.ts';
import type { SignatureAlgorithm } from '../src/crypto/provider.ts';
import { parseCertificate } from '../src/x509/certificate.ts';

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

function medianMs(n: number, fn: () => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) fn();
    rounds.push((performance.now() - start) / n);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const n = process.argv.includes('--quick') ? 10 : 50;
console.log('| chain | validations/s | ms/validation | 2 signature checks, ms | overhead |');
console.log('|---|---|---|---|---|');
for (const kind of Object.keys(KEY)) {
  const c = chain(kind);
  const validate = () => verify_chain(c.leaf, { trusted: c.root, intermediates: c.intermediate, hostname: 'bench.example' });
  validate();
  const total = medianMs(n, validate);
  const signed = [c.leaf, c.intermediate].map((pem, i) => {
    const cert = parseCertificate(Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    const issuer = parseCertificate(Uint8Array.from(Buffer.from((i === 0 ? c.intermediate : c.root).replace(/-----[^-]+-----|\s/g, ''), 'base64')));
    return { cert, key: issuer.publicKey, algorithm: cert.signatureAlgorithm.algorithm as SignatureAlgorithm };
  });
  const signatures = medianMs(n, () => {
    for (const s of signed) if (!P.verify(s.algorithm, s.key, s.cert.tbsDer, s.cert.signatureValue)) throw new Error('signature');
  });
  console.log(`| ${kind}, 3 certificates | ${(1000 / total).toFixed(0)} | ${total.toFixed(2)} | ${signatures.toFixed(2)} | ${(((total - signatures) / signatures) * 100).toFixed(0)}% |`);
}
