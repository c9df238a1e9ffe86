/**
 * How OpenSSL 3.0 reads the certificates CPython's `load_verify_locations`
 * and a `capath` lookup hand it, reproduced down to where it stops and what
 * it reports, because CPython's behaviour differs by source:
 *
 * - a `cafile` is read whole first (`PEM_X509_INFO_read_bio`): every PEM block
 *   must be well formed and every CERTIFICATE (also `X509 CERTIFICATE`,
 *   `TRUSTED CERTIFICATE`) and `X509 CRL` block must decode, or nothing is
 *   added and the error is `[X509] PEM lib`;
 * - `cadata` and `capath` files are read one certificate at a time
 *   (`PEM_read_bio_X509` / `d2i_X509_bio` loops, and `X509_load_cert_file`):
 *   what came before a failure stays loaded.
 *
 * The readers are generators: each yields parsed certificates in order and
 * throws an `OpensslFailure` (the error OpenSSL would leave on its queue) at
 * the position where OpenSSL fails, or simply ends where OpenSSL treats the
 * failure as the end of the data.
 * @module
 */
import { bytesKey } from '../wire/bytes.ts';
import { type Certificate, parseCertificate } from '../x509/certificate.ts';
import { parseCrl } from '../x509/crl.ts';
import { X509ParseError } from '../x509/errors.ts';
import { type PemBlock, PemLabel, pemDecode } from '../x509/pem.ts';
import { canonicalNameEncoding } from '../x509/subject-hash.ts';
import { SSLError, sslError, withSslLine } from './exceptions.ts';

/**
 * An OpenSSL error as CPython reports it: `errno` is `ERR_GET_REASON` of the
 * packed code, `reason` null for OpenSSL's library-common reasons (`PEM lib`,
 * `nested asn1 error`), which CPython has no name for.
 */
export interface OpensslReason {
  readonly errno: number;
  readonly library: string;
  readonly reason: string | null;
  readonly text: string;
}

/** The OpenSSL 3.0 errors CA loading produces, with the numbers CPython 3.11 shows for them. */
export const OpensslReasons = {
  noCertificateOrCrlFound: { errno: 136, library: 'X509', reason: 'NO_CERTIFICATE_OR_CRL_FOUND', text: 'no certificate or crl found' },
  invalidDirectory: { errno: 113, library: 'X509', reason: 'INVALID_DIRECTORY', text: 'invalid directory' },
  x509PemLib: { errno: 524297, library: 'X509', reason: null, text: 'PEM lib' },
  pemAsn1Lib: { errno: 524301, library: 'PEM', reason: null, text: 'ASN1 lib' },
  badBase64Decode: { errno: 100, library: 'PEM', reason: 'BAD_BASE64_DECODE', text: 'bad base64 decode' },
  badEndLine: { errno: 102, library: 'PEM', reason: 'BAD_END_LINE', text: 'bad end line' },
  notEnoughData: { errno: 142, library: 'ASN1', reason: 'NOT_ENOUGH_DATA', text: 'not enough data' },
  fieldMissing: { errno: 121, library: 'ASN1', reason: 'FIELD_MISSING', text: 'field missing' },
  nestedAsn1Error: { errno: 524554, library: 'ASN1', reason: null, text: 'nested asn1 error' },
} as const satisfies Record<string, OpensslReason>;

/** Where a reader stopped the way OpenSSL fails (as opposed to reaching the end of its data). */
export class OpensslFailure extends Error {
  readonly reason: OpensslReason;

  constructor(reason: OpensslReason) {
    super(reason.text);
    this.name = 'OpensslFailure';
    this.reason = reason;
  }
}

/**
 * The `SSLError` CPython raises for an OpenSSL error (`_setSSLError`), or, with
 * `reason` null, for a message of its own: `[LIB] text`, or the bare text when
 * there is no library either (errno 0).
 */
export function opensslError(reason: OpensslReason): SSLError {
  if (reason.reason !== null) return sslError(reason.library, reason.reason, reason.text, reason.errno);
  const error = new SSLError(reason.errno, withSslLine(`[${reason.library}] ${reason.text}`));
  error.library = reason.library;
  return error;
}

/** CPython's own message when `cadata` yielded no certificate (`_add_ca_certs`): errno 0, no library. */
export function cadataWithoutCertificate(pem: boolean): SSLError {
  const text = pem ? 'no start line: cadata does not contain a certificate' : 'not enough data: cadata does not contain a certificate';
  return new SSLError(0, withSslLine(text));
}

/** A certificate OpenSSL can put in an `X509_STORE`: it decodes, and its names have a canonical form. */
function storableCertificate(der: Uint8Array): Certificate {
  const certificate = parseCertificate(der);
  canonicalNameEncoding(certificate.subject);
  canonicalNameEncoding(certificate.issuer);
  return certificate;
}

/** Each byte one character, so a stray non-ASCII byte between PEM blocks is skipped as OpenSSL skips it. */
export function fileText(bytes: Uint8Array): string {
  return bytesKey(bytes);
}

export type BundleItem = { readonly kind: 'certificate'; readonly certificate: Certificate } | { readonly kind: 'crl'; readonly der: Uint8Array };

/**
 * A `cafile` as `X509_load_cert_crl_file` reads it: all or nothing. Private
 * keys and other blocks are skipped (OpenSSL also decodes key blocks and fails
 * on a corrupt one; we do not look inside them).
 */
export function readBundle(text: string): BundleItem[] {
  try {
    return pemDecode(text).flatMap((block): BundleItem[] => {
      if (block.label === PemLabel.CRL) {
        parseCrl(block.der);
        return [{ kind: 'crl', der: block.der }];
      }
      const der = certificateDer(block, true);
      return der === null ? [] : [{ kind: 'certificate', certificate: storableCertificate(der) }];
    });
  } catch (error) {
    if (error instanceof X509ParseError) throw new OpensslFailure(OpensslReasons.x509PemLib);
    throw error;
  }
}

/**
 * The certificate DER of a block `PEM_read_bio_X509` (or, with `trusted`,
 * `PEM_read_bio_X509_AUX`) accepts, null for other labels. A TRUSTED
 * CERTIFICATE is the certificate followed by OpenSSL's trust settings.
 */
function certificateDer(block: PemBlock, trusted: boolean): Uint8Array | null {
  if (block.label === PemLabel.CERTIFICATE || block.label === 'X509 CERTIFICATE') return block.der;
  if (!trusted || block.label !== 'TRUSTED CERTIFICATE') return null;
  const length = definiteTlvLength(block.der);
  return length === null ? block.der : block.der.subarray(0, length);
}

/**
 * Certificates of PEM text one block at a time, as a `PEM_read_bio_X509`
 * loop (`cadata` text; with `trusted`, `X509_load_cert_file` on a capath
 * file). Blocks of other labels are skipped, but must be well-formed PEM.
 * An empty block ends the data.
 */
export function* pemCertificatesInOrder(text: string, trusted: boolean): Generator<Certificate> {
  // One segment per BEGIN line, so a damaged block fails at its own position.
  for (const segment of text.split(/(?=^-----BEGIN )/m)) {
    let blocks: PemBlock[];
    try {
      blocks = pemDecode(segment);
    } catch (error) {
      if (!(error instanceof X509ParseError)) throw error;
      if (error.detail === 'empty block') return;
      const endLine = error.detail.startsWith('ends with END') || error.detail === 'no matching END line';
      throw new OpensslFailure(endLine ? OpensslReasons.badEndLine : OpensslReasons.badBase64Decode);
    }
    for (const block of blocks) {
      const der = certificateDer(block, trusted);
      if (der === null) continue;
      yield parseOr(der, OpensslReasons.pemAsn1Lib);
    }
  }
}

/**
 * Certificates of concatenated DER, as a `d2i_X509_bio` loop reads a memory
 * BIO (`cadata` bytes). Trailing bytes too short for an ASN.1 header end the
 * data (OpenSSL's `HEADER_TOO_LONG`, which CPython takes for the end);
 * a header promising more than there is fails with `NOT_ENOUGH_DATA`; a
 * complete element that is not a certificate fails as `d2i_X509` does.
 */
export function* derCertificatesInOrder(bytes: Uint8Array): Generator<Certificate> {
  let offset = 0;
  while (offset < bytes.length) {
    const length = elementLength(bytes, offset);
    if (length === null) return;
    const element = bytes.subarray(offset, offset + length);
    yield parseOr(element, isEmptySequence(element) ? OpensslReasons.fieldMissing : OpensslReasons.nestedAsn1Error);
    offset += length;
  }
}

function parseOr(der: Uint8Array, failure: OpensslReason): Certificate {
  try {
    return storableCertificate(der);
  } catch (error) {
    if (error instanceof X509ParseError) throw new OpensslFailure(failure);
    throw error;
  }
}

/** `30 00` or `30 80 00 00`: X509's first field is missing rather than malformed. */
function isEmptySequence(element: Uint8Array): boolean {
  const header = readHeader(element, 0, element.length);
  return element[0] === 0x30 && header !== null && element.length - header.headerLength === (header.length === null ? 2 : 0);
}

interface Header {
  readonly headerLength: number;
  /** null for the indefinite form. */
  readonly length: number | null;
}

/** `asn1_d2i_read_bio` reads a header from an 8-byte window (`HEADER_SIZE`). */
const HEADER_WINDOW = 8;

/**
 * The whole length of the element at `offset` (header and contents, through
 * the end-of-contents of an indefinite length), null when its header cannot
 * be read; throws `NOT_ENOUGH_DATA` when the contents run past the end.
 */
function elementLength(bytes: Uint8Array, offset: number): number | null {
  let position = offset;
  let open = 0;
  do {
    const header = readHeader(bytes, position, Math.min(HEADER_WINDOW, bytes.length - position));
    if (header === null) return null;
    position += header.headerLength;
    if (header.length === null) {
      open++;
    } else if (open > 0 && header.length === 0 && bytes[position - 2] === 0 && bytes[position - 1] === 0) {
      open--; // end-of-contents
    } else {
      if (header.length > bytes.length - position) throw new OpensslFailure(OpensslReasons.notEnoughData);
      position += header.length;
    }
  } while (open > 0);
  return position - offset;
}

/** The length of a DER element with a definite length, null if there is none. */
function definiteTlvLength(der: Uint8Array): number | null {
  const header = readHeader(der, 0, der.length);
  if (header === null || header.length === null || header.length > der.length - header.headerLength) return null;
  return header.headerLength + header.length;
}

/**
 * OpenSSL's `ASN1_get_object` header parse over `max` bytes, quirks included:
 * it wants a byte after the tag, and in the long length form one byte more
 * than the length octets. Null where it fails (`HEADER_TOO_LONG`).
 */
function readHeader(bytes: Uint8Array, start: number, max: number): Header | null {
  let p = start;
  if (max < 1) return null;
  const first = bytes[p++]!;
  if (--max === 0) return null;
  if ((first & 0x1f) === 0x1f) {
    let tag = 0;
    while (bytes[p]! & 0x80) {
      tag = tag * 128 + (bytes[p++]! & 0x7f);
      if (--max === 0 || tag > 0x7fffffff >> 7) return null;
    }
    p++;
    if (--max === 0) return null;
  }
  if (max-- < 1) return null;
  const lengthByte = bytes[p++]!;
  let length: number | null = lengthByte;
  if (lengthByte === 0x80) {
    if ((first & 0x20) === 0) return null; // a primitive element cannot have an indefinite length
    length = null;
  } else if (lengthByte & 0x80) {
    let count = lengthByte & 0x7f;
    if (max < count + 1) return null;
    while (count > 0 && bytes[p] === 0) {
      p++;
      count--;
    }
    // More than a C long holds (eight octets, top bit clear).
    if (count > 8 || (count === 8 && bytes[p]! >= 0x80)) return null;
    length = 0;
    for (; count > 0; count--) length = length * 256 + bytes[p++]!;
  }
  return { headerLength: p - start, length };
}
