/**
 * The CA side of `SSLContext` over a `TrustStore`, behaving as CPython 3.11
 * on OpenSSL 3.0: `load_verify_locations(cafile, capath, cadata)`,
 * `get_ca_certs(binary_form)` and `cert_store_stats()`. The context owns the
 * store; these functions do the argument checks, file reading (through
 * `runtime/host.ts`), OpenSSL's loading rules (`trust-readers.ts`) and the
 * order in which OpenSSL's `X509_STORE` lists what it holds.
 * @module
 */
import { fromUtf8 } from '../wire/bytes.ts';
import type { Certificate } from '../x509/certificate.ts';
import { type PeerCertDict, peerCertDict } from '../x509/decode-cert.ts';
import { isCaCertificate, type TrustStore } from '../x509/trust-store.ts';
import { canonicalNameEncoding } from '../x509/subject-hash.ts';
import { FileNotFoundError, OSError, ValueError } from './exceptions.ts';
import { type HostError, isFile, isHostError, readFileBytes } from './runtime/host.ts';
import {
  OpensslFailure,
  OpensslReasons,
  cadataWithoutCertificate,
  derCertificatesInOrder,
  fileText,
  opensslError,
  pemCertificatesInOrder,
  readBundle,
} from './trust-readers.ts';

/** A file system path: text, or bytes as Python's `os.fsencode` gives (UTF-8 here). */
export type PathInput = string | Uint8Array;

/** `cadata`: ASCII PEM text, or DER bytes (several certificates may follow each other). */
export type CaData = string | ArrayBuffer | ArrayBufferView;

/**
 * `SSLContext.load_verify_locations(cafile=None, capath=None, cadata=None)`.
 * Checks the arguments as CPython does (TypeError, ValueError), loads `cadata`
 * first (certificates before a failure stay loaded), then `cafile` (all or
 * nothing; a missing file raises `FileNotFoundError(2, ...)` without a
 * filename, as CPython's `PyErr_SetFromErrno`), then registers `capath`
 * (`:`-separated directories, searched on demand; a directory that does not
 * exist is no error, an empty string is `[X509: INVALID_DIRECTORY]`).
 */
export function loadVerifyLocations(store: TrustStore, cafile?: PathInput | null, capath?: PathInput | null, cadata?: CaData | null): void {
  if (cafile == null && capath == null && cadata == null) throw new TypeError('cafile, capath and cadata cannot be all omitted');
  const cafilePath = cafile == null ? null : fsPath(cafile, 'cafile');
  const capathPath = capath == null ? null : fsPath(capath, 'capath');
  if (cadata != null) loadCadata(store, cadata);
  if (cafilePath !== null) loadCafile(store, cafilePath);
  if (capathPath !== null) addCapath(store, capathPath);
}

/**
 * `SSLContext.get_ca_certs(binary_form=False)`: the certificates OpenSSL's
 * `X509_check_ca` calls CAs (a leaf loaded as a trust anchor is not listed),
 * as `getpeercert()` dicts or DER, in the store's order (`storeOrder`). A
 * `capath` certificate appears once a lookup has loaded it.
 */
export function getCaCerts(store: TrustStore, binaryForm?: false): PeerCertDict[];
export function getCaCerts(store: TrustStore, binaryForm: true): Uint8Array[];
export function getCaCerts(store: TrustStore, binaryForm?: boolean): PeerCertDict[] | Uint8Array[];
export function getCaCerts(store: TrustStore, binaryForm = false): PeerCertDict[] | Uint8Array[] {
  const cas = storeOrder(store).filter(isCaCertificate);
  return binaryForm ? cas.map((c) => c.der.slice()) : cas.map(peerCertDict);
}

/** `SSLContext.cert_store_stats()`, keys in CPython's order. */
export function certStoreStats(store: TrustStore): { x509: number; crl: number; x509_ca: number } {
  const counts = store.counts();
  return { x509: counts.certificates, crl: counts.crls, x509_ca: counts.caCertificates };
}

/**
 * Loads a bundle file as OpenSSL's `X509_load_cert_crl_file`: the count of
 * certificates and CRLs read (duplicates included) must not be zero. Host
 * errors raise `OSError` with the errno.
 */
export function loadCafile(store: TrustStore, path: string): void {
  const bytes = readFileBytes(path);
  if (isHostError(bytes)) throw hostOSError(bytes);
  const items = readOrRaise(() => readBundle(fileText(bytes)));
  if (items.length === 0) throw opensslError(OpensslReasons.noCertificateOrCrlFound);
  for (const item of items) {
    if (item.kind === 'certificate') noteAdded(store, item.certificate, store.addCertificate(item.certificate));
    else noteAdded(store, null, store.addCrl(item.der));
  }
}

/**
 * Registers `capath` (OpenSSL's `add_cert_dir`): directories separated by
 * `:`, empty parts skipped, each directory once per store. A lookup scans the
 * directories in the order registered and stops after the first that had a
 * certificate under the subject's hash (OpenSSL stops at the first directory
 * after which the store holds the subject).
 */
export function addCapath(store: TrustStore, capath: string): void {
  if (capath === '') throw opensslError(OpensslReasons.invalidDirectory);
  let directories = capathDirectories.get(store);
  if (directories === undefined) {
    const registered: string[] = [];
    directories = registered;
    capathDirectories.set(store, registered);
    store.addCapath((hash) => {
      for (const directory of registered) {
        const found = hashedCertificates(directory, hash);
        if (found.length > 0) return found;
      }
      return [];
    });
  }
  for (const directory of capath.split(':')) {
    if (directory !== '' && !directories.includes(directory)) directories.push(directory);
  }
}

/** The directories registered per store; one capath source serves them all, as OpenSSL's one `by_dir` lookup. */
const capathDirectories = new WeakMap<TrustStore, string[]>();

/**
 * The DER of the certificates in `<hash>.0`, `<hash>.1`, … up to the first
 * missing file, each file read as `X509_load_cert_file` does: a file that
 * fails keeps the certificates read before the failure and ends the scan.
 */
function hashedCertificates(directory: string, hash: string): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (let suffix = 0; ; suffix++) {
    const path = `${directory}/${hash}.${suffix}`;
    if (!isFile(path)) return found;
    const bytes = readFileBytes(path);
    if (isHostError(bytes)) return found;
    const before = found.length;
    try {
      for (const certificate of pemCertificatesInOrder(fileText(bytes), true)) found.push(certificate.der);
    } catch (error) {
      if (error instanceof OpensslFailure) return found;
      throw error;
    }
    if (found.length === before) return found;
  }
}

/**
 * `cadata` as CPython's `_add_ca_certs`: text must be ASCII (PEM, CRLs
 * ignored), anything else a bytes-like object (DER); empty data is a
 * `ValueError`; no certificate at all is CPython's own "cadata does not
 * contain a certificate" error, a failure after at least one is OpenSSL's.
 */
function loadCadata(store: TrustStore, cadata: CaData): void {
  let certificates: Generator<Certificate>;
  const pem = typeof cadata === 'string';
  if (pem) {
    if (/[^\x00-\x7f]/.test(cadata)) throw new TypeError('cadata should be an ASCII string or a bytes-like object');
    if (cadata.length === 0) throw new ValueError('Empty certificate data');
    certificates = pemCertificatesInOrder(cadata, false);
  } else {
    const bytes = bytesOf(cadata);
    if (bytes === null) throw new TypeError('cadata should be an ASCII string or a bytes-like object');
    if (bytes.length === 0) throw new ValueError('Empty certificate data');
    certificates = derCertificatesInOrder(bytes);
  }
  let loaded = 0;
  try {
    for (const certificate of certificates) {
      noteAdded(store, certificate, store.addCertificate(certificate));
      loaded++;
    }
  } catch (error) {
    if (!(error instanceof OpensslFailure)) throw error;
    throw loaded === 0 ? cadataWithoutCertificate(pem) : opensslError(error.reason);
  }
  if (loaded === 0) throw cadataWithoutCertificate(pem);
}

function bytesOf(value: unknown): Uint8Array | null {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

/** Python's `PyUnicode_FSConverter` on a path argument, with `_ssl.c`'s TypeError text. */
function fsPath(value: unknown, name: 'cafile' | 'capath'): string {
  let path: string;
  if (typeof value === 'string') path = value;
  else if (value instanceof Uint8Array) path = fromUtf8(value);
  else throw new TypeError(`${name} should be a valid filesystem path`);
  if (path.includes('\0')) throw new ValueError('embedded null byte');
  return path;
}

function readOrRaise<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof OpensslFailure) throw opensslError(error.reason);
    throw error;
  }
}

/** `PyErr_SetFromErrno(PyExc_OSError)`: the errno's subclass where exceptions.ts has it, no filename. */
function hostOSError(error: HostError): OSError {
  return error.errno === 2 ? new FileNotFoundError(error.errno, error.strerror) : new OSError(error.errno, error.strerror);
}

/**
 * OpenSSL keeps the store's objects in a lazily sorted stack: each add first
 * sorts it (by `X509_NAME_cmp` of the subjects: canonical encoding length,
 * then bytes) to look for a duplicate, then appends the new object unsorted.
 * So the certificates are sorted except the last one added, when the last
 * add was a new certificate; a capath lookup ends with a sort. The tail is
 * remembered per store here. Not seen: a lookup made by verification also
 * sorts, so after a handshake CPython lists a fully sorted store while this
 * may still list the last certificate loaded at the end.
 */
const unsortedTail = new WeakMap<TrustStore, Certificate>();

function noteAdded(store: TrustStore, certificate: Certificate | null, added: boolean): void {
  if (certificate !== null && added) unsortedTail.set(store, certificate);
  else unsortedTail.delete(store);
}

/** The store's certificates in the order OpenSSL's `X509_STORE_get0_objects` has them. */
function storeOrder(store: TrustStore): Certificate[] {
  const certificates = store.certificates();
  const tail = unsortedTail.get(store);
  const keys = new Map(certificates.map((c) => [c, canonicalNameEncoding(c.subject)]));
  const sorted = certificates.filter((c) => c !== tail || certificates.at(-1) !== tail).sort((a, b) => compareCanonical(keys.get(a)!, keys.get(b)!));
  return sorted.length < certificates.length ? [...sorted, tail!] : sorted;
}

/** `X509_NAME_cmp`: shorter canonical encodings first, then bytewise. */
function compareCanonical(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
