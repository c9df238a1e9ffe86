/**
 * `get_default_verify_paths`, `set_default_verify_paths` and
 * `load_default_certs` against Python 3.11 on OpenSSL 3.0, under the same
 * `SSL_CERT_FILE` / `SSL_CERT_DIR` settings (both processes read the same
 * environment). Without them, OpenSSL's compiled-in paths (Debian's
 * `/usr/lib/ssl/...`) and our candidates name different links to the same
 * system bundle, so those cases compare what gets loaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CA_FILE_CANDIDATES, getDefaultVerifyPaths, loadDefaultCerts, setDefaultVerifyPaths } from '../../src/api/default-verify-paths.ts';
import { runtimeRootCertificates } from '../../src/api/runtime/host.ts';
import { certStoreStats, getCaCerts, loadVerifyLocations } from '../../src/api/trust.ts';
import { Purpose } from '../../src/api/x509.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { TrustStore } from '../../src/x509/trust-store.ts';
import { describeError, runPython } from './python-oracle.ts';

const SAVED = { file: process.env.SSL_CERT_FILE, dir: process.env.SSL_CERT_DIR };
let dir = '';

function setEnv(file: string | undefined, directory: string | undefined): void {
  if (file === undefined) delete process.env.SSL_CERT_FILE;
  else process.env.SSL_CERT_FILE = file;
  if (directory === undefined) delete process.env.SSL_CERT_DIR;
  else process.env.SSL_CERT_DIR = directory;
}

interface PythonView {
  readonly paths: readonly (string | null)[];
  readonly stats: unknown;
  readonly cas: unknown;
}

/** Python under the current process environment. */
function python(): PythonView {
  return runPython<PythonView>(`
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
c.set_default_verify_paths()
print(json.dumps({'paths': list(ssl.get_default_verify_paths()), 'stats': c.cert_store_stats(), 'cas': c.get_ca_certs()}))`);
}

function ours(): { stats: unknown; cas: unknown } {
  const store = new TrustStore(nobleProvider);
  setDefaultVerifyPaths(store);
  return { stats: certStoreStats(store), cas: JSON.parse(JSON.stringify(getCaCerts(store))) };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'puretls-default-paths-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=Env CA', '-days', '30'], {
    cwd: dir,
    stdio: 'ignore',
  });
  writeFileSync(join(dir, 'garbage.pem'), 'not a certificate\n');
  mkdirSync(join(dir, 'certs'));
});

afterEach(() => setEnv(SAVED.file, SAVED.dir));

describe('get_default_verify_paths / set_default_verify_paths', () => {
  const settings: Record<string, () => [string | undefined, string | undefined]> = {
    'both variables naming what exists': () => [join(dir, 'ca.pem'), join(dir, 'certs')],
    'a missing file and directory': () => [join(dir, 'nope.pem'), join(dir, 'nope')],
    'a file that is not PEM (ignored, as OpenSSL clears the error)': () => [join(dir, 'garbage.pem'), join(dir, 'certs')],
    'empty variables': () => ['', ''],
    'a list of directories': () => [join(dir, 'ca.pem'), `${join(dir, 'certs')}:/etc/ssl/certs`],
  };
  for (const [name, values] of Object.entries(settings)) {
    it(`with ${name}, as CPython`, () => {
      setEnv(...values());
      const expected = python();
      const paths = getDefaultVerifyPaths();
      expect([...paths.slice(0, 3), paths[4]]).toEqual([...expected.paths.slice(0, 3), expected.paths[4]]);
      expect([paths.cafile, paths.capath, paths.openssl_cafile_env, paths.openssl_capath_env]).toEqual([...paths.slice(0, 3), paths[4]]);
      expect(ours()).toEqual({ stats: expected.stats, cas: expected.cas });
    });
  }

  it('without the variables, finds the system bundle (another name for the file CPython loads) and loads the same CAs in the same order', () => {
    setEnv(undefined, undefined);
    const expected = python();
    const paths = getDefaultVerifyPaths();
    expect(paths.openssl_cafile).toBe(CA_FILE_CANDIDATES.find((f) => paths.cafile === f));
    expect(realpathSync(paths.cafile!)).toBe(realpathSync(expected.paths[0]!));
    expect(realpathSync(paths.capath!)).toBe(realpathSync(expected.paths[1]!));
    expect(ours()).toEqual({ stats: expected.stats, cas: expected.cas });
  }, 60_000);
});

describe('load_default_certs', () => {
  it('refuses a purpose that is not a Purpose with TypeError(purpose), as CPython', () => {
    const expected = runPython<unknown>(`
c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
try:
    c.load_default_certs(5)
except Exception as e:
    print(json.dumps(describe(e)))`);
    let error: unknown;
    try {
      loadDefaultCerts(new TrustStore(nobleProvider), 5);
    } catch (e) {
      error = e;
    }
    expect(describeError(error)).toEqual(expected);
  });

  it('is set_default_verify_paths for Purpose.SERVER_AUTH', () => {
    setEnv(join(dir, 'ca.pem'), join(dir, 'certs'));
    const store = new TrustStore(nobleProvider);
    loadDefaultCerts(store, Purpose.SERVER_AUTH);
    expect(certStoreStats(store)).toEqual(ours().stats);
    expect(certStoreStats(store)).toEqual({ x509: 1, crl: 0, x509_ca: 1 });
  });
});

describe('the runtime root list (the fallback without a system bundle)', () => {
  it('is non-empty on Node and loads whole as cadata', () => {
    const roots = runtimeRootCertificates();
    expect(roots.length).toBeGreaterThan(100);
    const store = new TrustStore(nobleProvider);
    loadVerifyLocations(store, null, null, roots.join('\n'));
    expect(certStoreStats(store).x509).toBe(roots.length);
  });
});
