/**
 * The system's CA certificates, as CPython finds them through OpenSSL:
 * `ssl.get_default_verify_paths()`, `SSLContext.set_default_verify_paths()`
 * and `load_default_certs()`. OpenSSL compiles one bundle file and one hashed
 * directory into itself (Debian's OpenSSL: `/usr/lib/ssl/cert.pem` and
 * `/usr/lib/ssl/certs`) and lets `SSL_CERT_FILE` / `SSL_CERT_DIR` override
 * them. puretls has no build-time location, so its "compiled-in" ones are the
 * first that exist of the places Linux distributions and macOS keep their
 * bundle (`CA_FILE_CANDIDATES`, `CA_DIRECTORY_CANDIDATES`); where none exists,
 * they name Debian's, which then do not exist, as a missing OpenSSL default
 * does not. When neither variable is set and no candidate exists (Windows, a
 * container without ca-certificates), `set_default_verify_paths` falls back to
 * the roots the runtime ships (`tls.rootCertificates` on Node, Deno and Bun),
 * so `create_default_context()` still verifies against a current public list.
 * @module
 */
import { OSError } from './exceptions.ts';
import { environment, isDirectory, isFile, runtimeRootCertificates } from './runtime/host.ts';
import type { TrustStore } from '../x509/trust-store.ts';
import { addCapath, loadCafile, loadVerifyLocations } from './trust.ts';

/** Bundle files, most common layout first. */
export const CA_FILE_CANDIDATES: readonly string[] = Object.freeze([
  '/etc/ssl/certs/ca-certificates.crt', // Debian, Ubuntu, Arch, Gentoo, Alpine (ca-certificates)
  '/etc/pki/tls/certs/ca-bundle.crt', // Fedora, RHEL, CentOS
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem', // RHEL 7+ (what ca-bundle.crt links to)
  '/etc/ssl/ca-bundle.pem', // openSUSE, SLES
  '/etc/ssl/cert.pem', // Alpine, macOS, FreeBSD, OpenBSD
  '/opt/homebrew/etc/openssl@3/cert.pem', // Homebrew on Apple silicon
  '/usr/local/etc/openssl@3/cert.pem', // Homebrew on Intel macs
]);

/** Directories of `<hash>.N` files (`c_rehash` / `update-ca-certificates` layout). */
export const CA_DIRECTORY_CANDIDATES: readonly string[] = Object.freeze([
  '/etc/ssl/certs', // Debian, Ubuntu, Arch, Alpine, openSUSE
  '/etc/pki/tls/certs', // Fedora, RHEL
]);

export const OPENSSL_CAFILE_ENV = 'SSL_CERT_FILE';
export const OPENSSL_CAPATH_ENV = 'SSL_CERT_DIR';

/**
 * `ssl.DefaultVerifyPaths`, a named tuple: readable by index and by name.
 * `cafile`/`capath` are null when the chosen path is not an existing file /
 * directory.
 */
export type DefaultVerifyPaths = readonly [
  cafile: string | null,
  capath: string | null,
  openssl_cafile_env: string,
  openssl_cafile: string,
  openssl_capath_env: string,
  openssl_capath: string,
] & {
  readonly cafile: string | null;
  readonly capath: string | null;
  readonly openssl_cafile_env: string;
  readonly openssl_cafile: string;
  readonly openssl_capath_env: string;
  readonly openssl_capath: string;
};

/** Our stand-ins for OpenSSL's `X509_get_default_cert_file()` / `_dir()`. */
function builtinLocations(): { readonly file: string | null; readonly directory: string | null } {
  return { file: CA_FILE_CANDIDATES.find(isFile) ?? null, directory: CA_DIRECTORY_CANDIDATES.find(isDirectory) ?? null };
}

/** `ssl.get_default_verify_paths()`: the environment variables shadow the built-in paths. */
export function getDefaultVerifyPaths(): DefaultVerifyPaths {
  const builtin = builtinLocations();
  const opensslCafile = builtin.file ?? CA_FILE_CANDIDATES[0]!;
  const opensslCapath = builtin.directory ?? CA_DIRECTORY_CANDIDATES[0]!;
  const cafile = environment(OPENSSL_CAFILE_ENV) ?? opensslCafile;
  const capath = environment(OPENSSL_CAPATH_ENV) ?? opensslCapath;
  const fields = {
    cafile: isFile(cafile) ? cafile : null,
    capath: isDirectory(capath) ? capath : null,
    openssl_cafile_env: OPENSSL_CAFILE_ENV,
    openssl_cafile: opensslCafile,
    openssl_capath_env: OPENSSL_CAPATH_ENV,
    openssl_capath: opensslCapath,
  };
  const tuple = [fields.cafile, fields.capath, fields.openssl_cafile_env, fields.openssl_cafile, fields.openssl_capath_env, fields.openssl_capath];
  return Object.freeze(Object.assign(tuple, fields)) as unknown as DefaultVerifyPaths;
}

/**
 * `SSLContext.set_default_verify_paths()` (OpenSSL's
 * `X509_STORE_set_default_paths`): loads `$SSL_CERT_FILE` or the built-in
 * bundle and registers `$SSL_CERT_DIR` (`:`-separated) or the built-in
 * directory; what fails to load is ignored, as OpenSSL clears those errors.
 * With neither variable set and neither location present, the runtime's
 * roots are loaded instead.
 */
export function setDefaultVerifyPaths(store: TrustStore): void {
  const builtin = builtinLocations();
  const envFile = environment(OPENSSL_CAFILE_ENV);
  const envDirectory = environment(OPENSSL_CAPATH_ENV);
  const file = envFile ?? builtin.file;
  const directory = envDirectory ?? builtin.directory;
  if (file !== null) ignoringLoadErrors(() => loadCafile(store, file));
  if (directory !== null) ignoringLoadErrors(() => addCapath(store, directory));
  if (file === null && directory === null) {
    const roots = runtimeRootCertificates();
    if (roots.length > 0) ignoringLoadErrors(() => loadVerifyLocations(store, null, null, roots.join('\n')));
  }
}

/**
 * `SSLContext.load_default_certs(purpose=Purpose.SERVER_AUTH)`: on every
 * platform but Windows CPython only checks `purpose` is an `_ASN1Object`
 * (here: an object with an `oid`, as `Purpose.SERVER_AUTH`) and calls
 * `set_default_verify_paths()`.
 */
export function loadDefaultCerts(store: TrustStore, purpose: unknown): void {
  if (typeof purpose !== 'object' || purpose === null || typeof (purpose as { oid?: unknown }).oid !== 'string') {
    throw new TypeError(String(purpose));
  }
  setDefaultVerifyPaths(store);
}

function ignoringLoadErrors(load: () => void): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof OSError)) throw error;
  }
}
