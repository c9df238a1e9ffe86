/**
 * `ssl.OPENSSL_VERSION`, `OPENSSL_VERSION_INFO`, `OPENSSL_VERSION_NUMBER` and
 * `_OPENSSL_API_VERSION`, describing puretls (there is no OpenSSL) in the
 * shapes CPython documents: a text, a 5-tuple `(major, minor, fix, patch,
 * status)` and an integer in OpenSSL 3's layout `0xMNN00PP0`, so that
 * comparisons such as `OPENSSL_VERSION_INFO >= [1, 1, 1]` see an honest, small
 * version rather than a borrowed OpenSSL one, and code testing
 * `OPENSSL_VERSION.startsWith('OpenSSL')` knows it is not talking to OpenSSL.
 * The text does not start with "OpenSSL" or "LibreSSL" for that reason.
 *
 * The version cannot be read from package.json at run time (browsers and edge
 * runtimes have no file to read), so it is a constant here that a test keeps
 * equal to package.json's.
 * @module
 */

/** puretls's own version, kept equal to package.json's by test/api/functions.test.ts. */
export const PURETLS_VERSION = '0.1.0';

export const OPENSSL_VERSION = `puretls ${PURETLS_VERSION}`;

const [major = 0, minor = 0, patch = 0] = PURETLS_VERSION.split('.').map(Number);

/**
 * OpenSSL 3's `OPENSSL_VERSION_NUMBER` layout (`0xMNN00PP0L`, L the status
 * nibble, 0 for a release): major in bits 28–31, minor in 20–27, patch in 4–11.
 */
export const OPENSSL_VERSION_NUMBER = ((major << 28) | (minor << 20) | (patch << 4)) >>> 0;

/**
 * CPython's `parse_openssl_version` of OPENSSL_VERSION_NUMBER: status, patch,
 * fix, minor and major from the low bits up (for OpenSSL 3.0.19, `(3, 0, 0, 19, 0)`).
 */
export function opensslVersionInfo(number: number): readonly [number, number, number, number, number] {
  return Object.freeze([(number >>> 28) & 0xf, (number >>> 20) & 0xff, (number >>> 12) & 0xff, (number >>> 4) & 0xff, number & 0xf] as const);
}

export const OPENSSL_VERSION_INFO = opensslVersionInfo(OPENSSL_VERSION_NUMBER);

/** The API level the module was written against; for puretls, itself. */
export const _OPENSSL_API_VERSION = OPENSSL_VERSION_INFO;
