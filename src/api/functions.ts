/**
 * The `ssl` module's module-level functions and version data that need no
 * context or socket, in one place for `puretls/ssl` to re-export.
 *
 * Absent on purpose, as in CPython on Linux: `enum_certificates` and
 * `enum_crls` (Windows certificate stores; CPython defines them only when
 * `sys.platform == "win32"`) and `RAND_egd` (gone with OpenSSL 1.1). Code
 * that feature-tests them (`'enum_certificates' in ssl`) takes the same path
 * it takes on Linux.
 * @module
 */
export { cert_time_to_seconds } from './cert-time.ts';
export { DER_cert_to_PEM_cert, PEM_cert_to_DER_cert } from './pem-cert.ts';
export { RAND_add, RAND_bytes, RAND_pseudo_bytes, RAND_status } from './rand.ts';
export { type MatchHostnameCert, match_hostname } from './match-hostname.ts';
export { OPENSSL_VERSION, OPENSSL_VERSION_INFO, OPENSSL_VERSION_NUMBER, _OPENSSL_API_VERSION } from './version.ts';
