/**
 * `puretls/ssl`: Python's `ssl` module in TypeScript (DESIGN §5). Names,
 * defaults, errors and message formats are CPython's (3.13 where it differs
 * from older versions); `docs/ssl-api.md` lists every item of the module with
 * its status.
 *
 *   import * as ssl from 'puretls/ssl';
 *   const context = ssl.create_default_context();
 *   const tls = context.wrap_bio(incoming, outgoing, { server_hostname: 'example.com' });
 * @module
 */
export * from './constants.ts';
export {
  CertificateError,
  NotImplementedError,
  OSError,
  SSLCertVerificationError,
  SSLEOFError,
  SSLError,
  SSLSyscallError,
  SSLWantReadError,
  SSLWantWriteError,
  SSLZeroReturnError,
  ValueError,
} from './exceptions.ts';
export { Purpose } from './x509.ts';
export { MemoryBIO } from './memory-bio.ts';
export { SSLObject, type CipherTuple } from './ssl-object.ts';
export { SSLSocket, type WrapSocketOptions } from './ssl-socket.ts';
export { get_server_certificate } from './server-certificate.ts';
export { SSLSession } from './session.ts';
export { SSLContext, type SessionStats, type SniCallback, type WrapBioOptions } from './context.ts';
export { create_default_context, _create_unverified_context } from './default-context.ts';
export * from './functions.ts';
export { type DefaultVerifyPaths, getDefaultVerifyPaths as get_default_verify_paths } from './default-verify-paths.ts';
