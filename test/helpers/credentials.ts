/**
 * Throwaway PKI for tests, made with the `openssl` CLI in a temporary folder:
 * a CA and a leaf (SAN localhost and 127.0.0.1) for each key type we claim.
 * Files stay on disk for tests that hand them to `openssl s_server`/`s_client`.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertifiedKey } from '../../src/handshake/config.ts';
import { pemDecode } from '../../src/x509/pem.ts';
import { parsePrivateKey } from '../../src/x509/keys.ts';

export type KeyType = 'p256' | 'p384' | 'rsa2048' | 'ed25519';

export interface Credential extends CertifiedKey {
  readonly type: KeyType;
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
  readonly caDer: Uint8Array;
}

const KEY_ARGS: Record<KeyType, string[]> = {
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  rsa2048: ['-newkey', 'rsa:2048'],
  ed25519: ['-newkey', 'ed25519'],
};

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const cache = new Map<string, Credential>();

/** A CA-signed leaf for `type`; `name` distinguishes several identities of one type (e.g. a client). */
export function credential(type: KeyType, name = 'localhost'): Credential {
  const id = `${type}/${name}`;
  const cached = cache.get(id);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), `puretls-${type}-`));
  openssl(['req', '-x509', ...KEY_ARGS[type], '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', `/CN=puretls test CA ${type}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...KEY_ARGS[type], '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${name}`], dir);
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=DNS:${name},IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n`);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30', '-extfile', 'leaf.ext'], dir);
  const der = (file: string) => pemDecode(readFileSync(join(dir, file), 'utf8'))[0]!.der;
  const result: Credential = {
    type,
    dir,
    certFile: join(dir, 'leaf.pem'),
    keyFile: join(dir, 'leaf.key'),
    caFile: join(dir, 'ca.pem'),
    caDer: der('ca.pem'),
    chain: [der('leaf.pem')],
    key: parsePrivateKey(readFileSync(join(dir, 'leaf.key'), 'utf8')),
  };
  cache.set(id, result);
  return result;
}
