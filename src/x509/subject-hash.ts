/**
 * OpenSSL's canonical form of a distinguished name and its `X509_NAME_hash`,
 * the eight hex digits `openssl x509 -hash` prints and `c_rehash` uses to name
 * the `<hash>.0` files of a `capath` directory. The canonical encoding (OpenSSL
 * `x509_name_canon`, an RFC 4518-like string preparation) is also what OpenSSL
 * compares when it looks for a name, so two names are "the same" to OpenSSL
 * exactly when these bytes are equal. For each RDN, each string value of a
 * directory-string type becomes a UTF8String with leading and trailing ASCII
 * whitespace removed, inner runs folded to one space and A–Z lowered (other
 * characters untouched); other values are kept as encoded; the attributes of
 * the RDN are DER-sorted into a SET (X.690 §11.6); the SETs are concatenated
 * without the outer SEQUENCE. The hash is the first four bytes of the SHA-1 of
 * that, read little-endian.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { concatBytes, utf8 } from '../wire/bytes.ts';
import { type DerNode, childrenOf, contentsOf, decodeDer, encodingOf } from './der.ts';
import { X509ParseError } from './errors.ts';
import type { DistinguishedName } from './names.ts';
import { StringTag } from './names.ts';

const FIELD = 'Name';

/** The canonical encoding of `name` (empty for an empty name). */
export function canonicalNameEncoding(name: DistinguishedName): Uint8Array {
  const rdns = childrenOf(decodeDer(name.der, FIELD), FIELD).map((rdn) => {
    const entries = childrenOf(rdn, FIELD).map((attribute) => {
      const [type, value] = childrenOf(attribute, FIELD) as [DerNode, DerNode];
      return tlv(0x30, encodingOf(type), canonicalValue(value));
    });
    return tlv(0x31, ...entries.sort(compareDer));
  });
  return concatBytes(...rdns);
}

/** `X509_NAME_hash_ex`: 8 lowercase hex digits, as in `<hash>.0` capath file names. */
export function subjectNameHash(name: DistinguishedName, provider: CryptoProvider): string {
  const digest = provider.hash('sha1').digest(canonicalNameEncoding(name));
  const value = ((digest[0] ?? 0) | ((digest[1] ?? 0) << 8) | ((digest[2] ?? 0) << 16) | ((digest[3] ?? 0) << 24)) >>> 0;
  return value.toString(16).padStart(8, '0');
}

/**
 * OpenSSL's `asn1_string_canon` for the string types it prepares (its
 * `ASN1_MASK_CANON`); values of other types, NumericString included, are
 * compared as encoded.
 */
function canonicalValue(value: DerNode): Uint8Array {
  const tag = value.idBlock.tagClass === 1 && !value.idBlock.isConstructed ? value.idBlock.tagNumber : -1;
  const codePoints = decodeString(tag, contentsOf(value));
  if (codePoints === undefined) return encodingOf(value);
  const text = utf8(String.fromCodePoint(...codePoints));
  // ASCII whitespace as C's isspace(): space, \t, \n, \v, \f, \r.
  const space = (b: number | undefined): boolean => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);
  let start = 0;
  let end = text.length;
  while (start < end && space(text[start])) start++;
  while (end > start && space(text[end - 1])) end--;
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    const b = text[i] ?? 0;
    if (space(b)) {
      if (!space(text[i - 1])) out.push(0x20);
    } else {
      out.push(b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
    }
  }
  return tlv(StringTag.UTF8String, Uint8Array.from(out));
}

/**
 * The code points of a string value of a type OpenSSL canonicalises, or
 * undefined for other types. The 8-bit types are read byte for byte
 * (ISO 8859-1, as OpenSSL reads T61String too). A value OpenSSL cannot convert
 * to UTF-8 (bad UTF-8, an odd-length BMPString, a surrogate) makes it refuse the
 * whole certificate, so it is an error here too.
 */
function decodeString(tag: number, bytes: Uint8Array): number[] | undefined {
  const fail = (what: string): never => {
    throw new X509ParseError(FIELD, `${what}: no canonical form (OpenSSL refuses such a name)`);
  };
  switch (tag) {
    case StringTag.PrintableString:
    case StringTag.TeletexString:
    case StringTag.IA5String:
    case StringTag.VisibleString:
      return Array.from(bytes);
    case StringTag.UTF8String: {
      let text = '';
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        fail('invalid UTF8String');
      }
      return Array.from(text, (c) => c.codePointAt(0) ?? 0);
    }
    case StringTag.BMPString:
    case StringTag.UniversalString: {
      const width = tag === StringTag.BMPString ? 2 : 4;
      if (bytes.length % width !== 0) fail(`string length not a multiple of ${width}`);
      const out: number[] = [];
      for (let i = 0; i < bytes.length; i += width) {
        let cp = 0;
        for (let k = 0; k < width; k++) cp = cp * 256 + (bytes[i + k] ?? 0);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail(`invalid code point ${cp.toString(16)}`);
        out.push(cp);
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** X.690 §11.6: SET OF components in ascending order of their encodings. */
function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return a.length - b.length;
}

/** A DER element with a definite, minimal length (X.690 §10.1). */
function tlv(tag: number, ...contents: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...contents);
  const lengthBytes: number[] = [];
  for (let n = body.length; n > 0; n = Math.floor(n / 256)) lengthBytes.unshift(n & 0xff);
  const length = body.length < 0x80 ? [body.length] : [0x80 | lengthBytes.length, ...lengthBytes];
  return concatBytes(Uint8Array.of(tag, ...length), body);
}
