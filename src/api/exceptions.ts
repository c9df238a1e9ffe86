/**
 * The Python exceptions of the `ssl` module family that certificate
 * verification raises, with CPython's names, hierarchy, attributes and
 * `str()` formats: `OSError` (errno, strerror), `SSLError` (library, reason;
 * its text is `strerror`), `SSLCertVerificationError` (verify_code,
 * verify_message) and its alias `CertificateError`. Python's
 * `SSLCertVerificationError` derives from both `SSLError` and `ValueError`;
 * JavaScript has single inheritance, so it extends `SSLError` here, and
 * `ValueError`'s `instanceof` answers true for it as Python's `isinstance`
 * does. `sslError()` builds the `[LIBRARY: REASON] text (_ssl.c:NNN)` errors
 * CPython raises for OpenSSL failures.
 * @module
 */
import { pythonStrRepr } from './python-text.ts';

/** Python's `OSError`: `OSError(errno, strerror[, filename[, winerror[, filename2]]])` or `OSError(message)`. */
export class OSError extends Error {
  readonly args: readonly unknown[];
  readonly errno: number | null;
  readonly strerror: string | null;
  readonly filename: unknown;
  readonly filename2: unknown;

  constructor(...args: unknown[]) {
    // CPython: two to five arguments are (errno, strerror, ...); any other count leaves them None.
    const paired = args.length >= 2 && args.length <= 5;
    const errno = paired ? (args[0] as number | null) : null;
    const strerror = paired ? (args[1] as string | null) : null;
    const filename = paired ? (args[2] ?? null) : null;
    const filename2 = paired ? (args[4] ?? null) : null;
    const where = filename === null ? '' : `: ${pythonRepr(filename)}${filename2 === null ? '' : ` -> ${pythonRepr(filename2)}`}`;
    super(paired ? `[Errno ${String(errno)}] ${String(strerror)}${where}` : args.length === 1 ? String(args[0]) : '');
    this.name = 'OSError';
    this.args = paired ? args.slice(0, 2) : args;
    this.errno = errno;
    this.strerror = strerror;
    this.filename = filename;
    this.filename2 = filename2;
  }
}

/** Python's `ValueError`; see the module note on `SSLCertVerificationError`. */
export class ValueError extends Error {
  readonly args: readonly unknown[];

  constructor(...args: unknown[]) {
    super(args.length === 1 ? String(args[0]) : args.length === 0 ? '' : pythonTupleText(args));
    this.name = 'ValueError';
    this.args = args;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (this === ValueError && value instanceof SSLCertVerificationError);
  }
}

/**
 * Python's `ssl.SSLError`. Its text is `strerror` when that is a string (as
 * CPython's `SSLError.__str__`); `library` and `reason` name OpenSSL's library
 * and reason code (`'SSL'`, `'CERTIFICATE_VERIFY_FAILED'`) when known.
 */
export class SSLError extends OSError {
  library: string | null = null;
  reason: string | null = null;

  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLError';
    this.message = typeof this.strerror === 'string' ? this.strerror : pythonTupleText(this.args);
  }
}

/** Python's `FileNotFoundError` (errno 2), raised for a missing `cafile`, `certfile`, ... */
export class FileNotFoundError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'FileNotFoundError';
  }
}

/** Python's `PermissionError` (EACCES, EPERM). */
export class PermissionError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'PermissionError';
  }
}

/** Python's `IsADirectoryError` (EISDIR): a directory where a file was expected. */
export class IsADirectoryError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'IsADirectoryError';
  }
}

/** Python's `NotADirectoryError` (ENOTDIR). */
export class NotADirectoryError extends OSError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'NotADirectoryError';
  }
}

/**
 * `OSError(errno, strerror)` as Python builds it: PEP 3151 makes the
 * constructor return the subclass for the errno (ENOENT → FileNotFoundError,
 * ...), which is what CPython's `PyErr_SetFromErrno` raises for a file that
 * cannot be read.
 */
export function osError(errno: number, strerror: string, ...filename: [] | [string]): OSError {
  switch (errno) {
    case 2:
      return new FileNotFoundError(errno, strerror, ...filename);
    case 1:
    case 13:
      return new PermissionError(errno, strerror, ...filename);
    case 20:
      return new NotADirectoryError(errno, strerror, ...filename);
    case 21:
      return new IsADirectoryError(errno, strerror, ...filename);
    default:
      return new OSError(errno, strerror, ...filename);
  }
}

/** Python's `UnicodeError` (a `ValueError`), raised by the `idna` codec for a host name it refuses. */
export class UnicodeError extends ValueError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'UnicodeError';
  }
}

/** Python's `NotImplementedError`. */
export class NotImplementedError extends Error {
  readonly args: readonly unknown[];

  constructor(...args: unknown[]) {
    super(args.length === 1 ? String(args[0]) : args.length === 0 ? '' : pythonTupleText(args));
    this.name = 'NotImplementedError';
    this.args = args;
  }
}

/** `ssl.SSLZeroReturnError`: the peer closed the TLS connection with close_notify. */
export class SSLZeroReturnError extends SSLError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLZeroReturnError';
  }
}

/** `ssl.SSLWantReadError`: a non-blocking operation needs more bytes from the peer first. */
export class SSLWantReadError extends SSLError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLWantReadError';
  }
}

/** `ssl.SSLWantWriteError`: a non-blocking operation needs the outgoing buffer drained first. */
export class SSLWantWriteError extends SSLError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLWantWriteError';
  }
}

/** `ssl.SSLSyscallError`: the transport failed underneath TLS. */
export class SSLSyscallError extends SSLError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLSyscallError';
  }
}

/** `ssl.SSLEOFError`: the transport ended without close_notify (a ragged EOF). */
export class SSLEOFError extends SSLError {
  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLEOFError';
  }
}

/** `repr()` of the strings and numbers an exception carries. */
function pythonRepr(value: unknown): string {
  return typeof value === 'string' ? pythonStrRepr(value) : String(value);
}

/** `str(args)` of an exception's arguments. */
function pythonTupleText(args: readonly unknown[]): string {
  const items = args.map(pythonRepr);
  return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
}

/** Python's `ssl.SSLCertVerificationError`: a certificate did not verify. */
export class SSLCertVerificationError extends SSLError {
  verify_code: number | null = null;
  verify_message: string | null = null;

  constructor(...args: unknown[]) {
    super(...args);
    this.name = 'SSLCertVerificationError';
  }
}

/** Python 3.7+: `ssl.CertificateError` is `SSLCertVerificationError`. */
export const CertificateError = SSLCertVerificationError;
export type CertificateError = SSLCertVerificationError;

/**
 * CPython's `_ssl.c` source line in the messages it formats. It differs
 * between CPython builds and between call sites (3.11 here: 1006 in
 * do_handshake, 2580 in read, 2427 in write, 2706 in unwrap); puretls prints
 * 1006 everywhere, so code that parses the text finds the shape it expects, and
 * tests compare messages without the number.
 */
const SSL_C_LINE = 1006;

/** `text` with the `(_ssl.c:NNN)` tail CPython appends to the errors `_ssl.c` formats. */
export function withSslLine(text: string): string {
  return `${text} (_ssl.c:${SSL_C_LINE})`;
}

type SSLErrorClass = new (...args: unknown[]) => SSLError;

/**
 * An OpenSSL-reported failure as CPython raises it: `errno` is the
 * `SSL_ERROR_*` number, the text `[LIBRARY: REASON] description (_ssl.c:NNN)`,
 * `library` and `reason` set. `errorClass` picks the subclass.
 */
export function sslError(library: string, reason: string, description: string, errno = 1, errorClass: SSLErrorClass = SSLError): SSLError {
  const error = new errorClass(errno, withSslLine(`[${library}: ${reason}] ${description}`));
  error.library = library;
  error.reason = reason;
  return error;
}

/**
 * The exception CPython raises when verification fails with `code`: errno 1
 * (SSL_ERROR_SSL), library 'SSL', reason 'CERTIFICATE_VERIFY_FAILED', and for
 * a name mismatch CPython's own sentence naming `serverHostname` instead of
 * OpenSSL's text (`_ssl.c`, `fill_and_set_sslerror`).
 */
export function certificateVerifyFailed(code: number, opensslMessage: string, serverHostname?: string | null): SSLCertVerificationError {
  let verifyMessage = opensslMessage;
  if (code === 62) verifyMessage = `Hostname mismatch, certificate is not valid for '${serverHostname ?? ''}'.`;
  else if (code === 64) verifyMessage = `IP address mismatch, certificate is not valid for '${serverHostname ?? ''}'.`;
  const text = withSslLine(`[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: ${verifyMessage}`);
  const error = new SSLCertVerificationError(1, text);
  error.library = 'SSL';
  error.reason = 'CERTIFICATE_VERIFY_FAILED';
  error.verify_code = code;
  error.verify_message = verifyMessage;
  return error;
}
