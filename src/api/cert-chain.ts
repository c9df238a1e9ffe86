/**
 * What `SSLContext.load_cert_chain(certfile, keyfile, password)` does before
 * the context keeps the result: read the PEM files, decrypt the key, check it
 * belongs to the leaf — raising, for each failure, what CPython 3.11 on
 * OpenSSL 3 raises for the same files (the tests ask `python3`). CPython's
 * order is kept: argument types, then the certificate file
 * (`SSL_CTX_use_certificate_chain_file`), then the key
 * (`SSL_CTX_use_PrivateKey_file`, calling the password callback only for an
 * encrypted key), then `SSL_CTX_check_private_key`.
 *
 * Two places differ from CPython, on purpose:
 * - with no password for an encrypted key, OpenSSL prompts on the terminal;
 *   puretls never prompts, and raises what CPython raises where no terminal
 *   answers, `OSError(22, 'Invalid argument')`;
 * - keys CPython loads but puretls cannot sign with (DES-EDE3 or PBES1
 *   encryption; Ed448, DSA, X25519 keys) raise an `SSLError` naming what is
 *   unsupported (for encryption, with the `openssl pkcs8` command that
 *   converts the file).
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import { publicKeyOf, type PrivateKey, type PublicKey } from '../crypto/keys.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { CertifiedKey } from '../handshake/config.ts';
import { bytesEqual, utf8 } from '../wire/bytes.ts';
import { certificateCache } from '../x509/certificate-cache.ts';
import { CONVERT_COMMAND, type PasswordSource, UnsupportedKeyEncryption, readCertificatesPem, readPrivateKeyPem } from '../x509/encrypted-key.ts';
import { X509ParseError } from '../x509/errors.ts';
import { encodePublicKeyInfo } from '../x509/keys.ts';
import { OSError, SSLError, ValueError, osError, sslError, withSslLine } from './exceptions.ts';
import { isHostError, readFileBytes } from './runtime/host.ts';

/** `password` as `load_cert_chain` takes it: str, bytes, or a callable returning one. */
export type PasswordArgument = string | Uint8Array | (() => string | Uint8Array) | null | undefined;

/** OpenSSL's PEM_BUFSIZE: the longest password its callback takes (`_ssl.c`, `_password_callback`). */
const MAX_PASSWORD_BYTES = 1024;

/** OpenSSL reason codes CPython reports as `errno` (ERR_GET_REASON of the error). */
const Reason = {
  /** ERR_R_PEM_LIB, a common reason: `[SSL] PEM lib`, no reason name. */
  PEM_LIB: 524297,
  /** ERR_R_ASN1_LIB: `[PEM] ASN1 lib`. */
  ASN1_LIB: 524301,
  KEY_VALUES_MISMATCH: 116,
  NO_CERTIFICATE_ASSIGNED: 177,
  UNKNOWN_CERTIFICATE_TYPE: 247,
  UNSUPPORTED_ENCRYPTION: 114,
} as const;

/**
 * The certificate chain (leaf first, every certificate of `certfile`) and the
 * private key (from `keyfile`, or from `certfile` when it is null), checked to
 * belong together.
 */
export function loadCertChain(
  certfile: string,
  keyfile: string | null = null,
  password: PasswordArgument = null,
  provider: CryptoProvider = nobleProvider,
): CertifiedKey {
  if (typeof certfile !== 'string') throw new TypeError('certfile should be a valid filesystem path');
  if (keyfile !== null && keyfile !== undefined && typeof keyfile !== 'string') throw new TypeError('keyfile should be a valid filesystem path');
  const source = passwordSource(password);
  const certText = readText(certfile);
  return chainWithKey(certText, () => (keyfile == null ? certText : readText(keyfile)), source, provider, keyfile ?? certfile);
}

/**
 * `loadCertChain` from PEM text instead of files (a puretls addition for
 * hosts without a file system, such as an edge worker whose certificate and
 * key are secrets): the same checks, in the same order, with the same errors.
 */
export function certChainFromPem(
  certdata: string,
  keydata: string | null = null,
  password: PasswordArgument = null,
  provider: CryptoProvider = nobleProvider,
): CertifiedKey {
  if (typeof certdata !== 'string') throw new TypeError('certdata should be PEM text');
  if (keydata !== null && keydata !== undefined && typeof keydata !== 'string') throw new TypeError('keydata should be PEM text');
  const source = passwordSource(password);
  return chainWithKey(certdata, () => keydata ?? certdata, source, provider, 'key.pem');
}

/** The chain from `certText`, then the key (read only after the chain parsed, as OpenSSL orders it), checked to match. */
function chainWithKey(certText: string, keyText: () => string, source: PasswordSource, provider: CryptoProvider, keyPath: string): CertifiedKey {
  const chain = certificatesOf(certText);
  const key = privateKeyOf(keyText(), source, provider, keyPath);
  checkKeyMatches(chain[0]!, key);
  return { chain, key };
}

/** CPython checks the password's type at once, its length only when OpenSSL asks for it. */
function passwordSource(password: PasswordArgument): PasswordSource {
  if (password === null || password === undefined) {
    return () => {
      throw new OSError(22, 'Invalid argument');
    };
  }
  if (typeof password === 'function') return () => checkLength(passwordBytes(password(), 'password callback must return a string'));
  const bytes = passwordBytes(password, 'password should be a string or callable');
  return () => checkLength(bytes);
}

/** str is UTF-8 encoded, bytes taken as they are (`_pwinfo_set`). */
function passwordBytes(value: unknown, typeMessage: string): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  if (value instanceof Uint8Array) return value;
  throw new TypeError(typeMessage);
}

function checkLength(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_PASSWORD_BYTES) throw new ValueError(`password cannot be longer than ${MAX_PASSWORD_BYTES} bytes`);
  return bytes;
}

/** The file as text, or the `OSError` subclass CPython raises for its errno (without the file name, as `_ssl.c` does). */
function readText(path: string): string {
  const bytes = readFileBytes(path);
  if (isHostError(bytes)) throw osError(bytes.errno, bytes.strerror);
  return new TextDecoder().decode(bytes);
}

/** `[LIBRARY] text`: an OpenSSL error whose reason is one of the common ERR_R_* codes, which have no name. */
function commonReasonError(library: string, text: string, errno: number): SSLError {
  const error = new SSLError(errno, withSslLine(`[${library}] ${text}`));
  error.library = library;
  return error;
}

const pemLib = () => commonReasonError('SSL', 'PEM lib', Reason.PEM_LIB);

function certificatesOf(text: string): Uint8Array[] {
  let chain: Uint8Array[];
  try {
    chain = readCertificatesPem(text);
  } catch (error) {
    throw rethrowParse(error, pemLib);
  }
  const [leaf, ...rest] = chain;
  if (leaf === undefined) throw pemLib();
  parseOr(leaf, pemLib);
  // OpenSSL parses the rest of the chain after the leaf; a broken one fails in the PEM library.
  for (const der of rest) parseOr(der, () => commonReasonError('PEM', 'ASN1 lib', Reason.ASN1_LIB));
  return chain;
}

function parseOr(der: Uint8Array, failure: () => SSLError): void {
  try {
    certificateCache.parse(der);
  } catch (error) {
    throw rethrowParse(error, failure);
  }
}

/** A parser's `X509ParseError` becomes `failure()`; anything else is a bug and goes on as it is. */
function rethrowParse(error: unknown, failure: () => SSLError): unknown {
  return error instanceof X509ParseError ? failure() : error;
}

function privateKeyOf(text: string, password: PasswordSource, provider: CryptoProvider, path: string): PrivateKey {
  try {
    return readPrivateKeyPem(text, password, provider);
  } catch (error) {
    if (error instanceof UnsupportedKeyEncryption) throw unsupportedEncryption(error.cipher, path);
    if (error instanceof X509ParseError && error.cause === 'UnsupportedCertificate') throw unknownCertificateType();
    throw rethrowParse(error, pemLib);
  }
}

/** OpenSSL's reason for a cipher it cannot use (PEM_R_UNSUPPORTED_ENCRYPTION), with the way out. */
function unsupportedEncryption(cipher: string, path: string): SSLError {
  const how = `${CONVERT_COMMAND} -in ${path} -out new.pem`;
  return sslError('PEM', 'UNSUPPORTED_ENCRYPTION', `unsupported encryption: puretls cannot decrypt ${cipher} keys; convert the key with \`${how}\``, Reason.UNSUPPORTED_ENCRYPTION);
}

const unknownCertificateType = () => sslError('SSL', 'UNKNOWN_CERTIFICATE_TYPE', 'unknown certificate type', Reason.UNKNOWN_CERTIFICATE_TYPE);

/**
 * OpenSSL keeps one certificate per key type: a key of the leaf's type that is
 * not its key fails in `SSL_CTX_use_PrivateKey` (X509 KEY_VALUES_MISMATCH); a
 * key of another type finds no certificate in its slot at
 * `SSL_CTX_check_private_key` (SSL NO_CERTIFICATE_ASSIGNED).
 */
function checkKeyMatches(leafDer: Uint8Array, key: PrivateKey): void {
  let leafKey: PublicKey;
  try {
    leafKey = certificateCache.parse(leafDer).publicKey;
  } catch (error) {
    throw rethrowParse(error, unknownCertificateType);
  }
  const own = publicKeyOf(key);
  if (own.type !== leafKey.type) {
    throw sslError('SSL', 'NO_CERTIFICATE_ASSIGNED', 'no certificate assigned', Reason.NO_CERTIFICATE_ASSIGNED);
  }
  if (!bytesEqual(encodePublicKeyInfo(own), encodePublicKeyInfo(leafKey))) {
    throw sslError('X509', 'KEY_VALUES_MISMATCH', 'key values mismatch', Reason.KEY_VALUES_MISMATCH);
  }
}
