/**
 * The dict `SSLSocket.getpeercert()` returns, exactly as CPython 3.11 builds it
 * in `_ssl.c` (`_decode_certificate`) from what OpenSSL 3.0 reports: names as
 * tuples of RDNs of (long name, value) pairs, the serial as
 * `i2a_ASN1_INTEGER` prints it, dates as `ASN1_TIME_print` does, and
 * subjectAltName, OCSP, caIssuers and crlDistributionPoints only when present.
 * Where OpenSSL cannot decode an extension (`X509_get_ext_d2i` returns NULL)
 * CPython leaves the key out, and so do we; where CPython raises (a value that
 * is not valid UTF-8 after OpenSSL's conversion) we throw `X509ParseError`.
 * Known differences, all for certificates OpenSSL reads more leniently than
 * our DER-strict parser: BER encodings, empty or odd-shaped extension
 * structures, and registeredIDs whose OIDs OpenSSL knows by a name that
 * `oids.ts` lacks.
 * @module
 */
import { fromUtf8 } from '../wire/bytes.ts';
import type { Certificate } from './certificate.ts';
import { certificateCache } from './certificate-cache.ts';
import { type DerNode, decodeDer } from './der.ts';
import { X509ParseError } from './errors.ts';
import { parseAuthorityInfoAccess, parseCrlDistributionPoints } from './extensions.ts';
import { type GeneralName, type GeneralNameOptions, parseGeneralNames } from './general-names.ts';
import type { DistinguishedName, NameAttribute } from './names.ts';
import { AccessMethodOid, ExtensionOid, opensslLongName } from './oids.ts';

/** A Name as CPython shows it: RDNs, each a tuple of (attribute long name, value). */
export type PeerCertName = readonly (readonly (readonly [string, string])[])[];

export type SubjectAltNameEntry = readonly [string, string] | readonly ['DirName', PeerCertName];

export interface PeerCertDict {
  readonly subject: PeerCertName;
  readonly issuer: PeerCertName;
  readonly version: number;
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subjectAltName?: readonly SubjectAltNameEntry[];
  readonly OCSP?: readonly string[];
  readonly caIssuers?: readonly string[];
  readonly crlDistributionPoints?: readonly string[];
}

/** `ssl._ssl._test_decode_cert` / `getpeercert()` for one DER certificate. */
export function decodeCertificate(der: Uint8Array): PeerCertDict {
  return peerCertDict(certificateCache.parse(der));
}

/** The same, from an already parsed certificate; keys in CPython's order. */
export function peerCertDict(cert: Certificate): PeerCertDict {
  const dict: { -readonly [K in keyof PeerCertDict]: PeerCertDict[K] } = {
    subject: nameTuple(cert.subject, 'subject'),
    issuer: nameTuple(cert.issuer, 'issuer'),
    version: cert.version,
    serialNumber: serialText(cert.serialNumber),
    notBefore: timeText(cert.notBefore),
    notAfter: timeText(cert.notAfter),
  };
  const san = opensslExtension(cert, ExtensionOid.subjectAltName, parseGeneralNames);
  if (san !== undefined) dict.subjectAltName = san.map(altNameEntry);
  const aia = opensslExtension(cert, ExtensionOid.authorityInfoAccess, parseAuthorityInfoAccess) ?? [];
  const uris = (method: string) =>
    aia.flatMap((d) => (d.method === method && d.location.type === 'uniformResourceIdentifier' ? [pyString(d.location.value, 'URI')] : []));
  const ocsp = uris(AccessMethodOid.ocsp);
  if (ocsp.length > 0) dict.OCSP = ocsp;
  const caIssuers = uris(AccessMethodOid.caIssuers);
  if (caIssuers.length > 0) dict.caIssuers = caIssuers;
  // CPython takes the URIs of each point's fullName and skips points without a name (CVE-2019-5010).
  const cdp = (opensslExtension(cert, ExtensionOid.cRLDistributionPoints, parseCrlDistributionPoints) ?? []).flatMap((dp) =>
    (dp.fullName ?? []).flatMap((gn) => (gn.type === 'uniformResourceIdentifier' ? [pyString(gn.value, 'URI')] : [])),
  );
  if (cdp.length > 0) dict.crlDistributionPoints = cdp;
  return dict;
}

/** An extension read as OpenSSL reads it, or undefined where `X509_get_ext_d2i` would give NULL. */
function opensslExtension<T>(
  cert: Certificate,
  oid: string,
  parse: (node: DerNode, field: string, options: GeneralNameOptions) => T,
): T | undefined {
  const ext = cert.extensions.get(oid);
  if (ext === undefined) return undefined;
  try {
    return parse(decodeDer(ext.value, `extension ${oid}`), `extension ${oid}`, { lenient: true });
  } catch (error) {
    if (error instanceof X509ParseError) return undefined;
    throw error;
  }
}

function nameTuple(name: DistinguishedName, field: string): PeerCertName {
  return name.rdns.map((rdn) => rdn.map((a): readonly [string, string] => [opensslLongName(a.oid), attributeText(a, field)]));
}

/**
 * `ASN1_STRING_to_UTF8` (OpenSSL `a_strex.c`, `a_mbstr.c`), then CPython's
 * strict UTF-8 decode: one-byte types map bytes to code points, BMPString and
 * UniversalString must be whole and free of surrogates, UTF8String must be
 * valid; any other tag fails (OpenSSL's name decoder refuses most of them).
 */
function attributeText(a: NameAttribute, field: string): string {
  const fail = (why: string) => new X509ParseError(`${field} ${a.oid}`, `OpenSSL cannot convert the value to UTF-8: ${why}`);
  const b = a.bytes;
  switch (a.tag) {
    case 0x0c: // UTF8String
      try {
        return fromUtf8(b);
      } catch {
        throw fail('invalid UTF8String');
      }
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // T61String, taken as ISO 8859-1
    case 0x16: // IA5String
      return String.fromCharCode(...b);
    case 0x1e: // BMPString
    case 0x1c: {
      // UniversalString
      const width = a.tag === 0x1e ? 2 : 4;
      if (b.length % width !== 0) throw fail('truncated character');
      let s = '';
      for (let i = 0; i < b.length; i += width) {
        let cp = 0;
        for (let k = 0; k < width; k++) cp = cp * 256 + b[i + k]!;
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw fail(`code point ${cp.toString(16)}`);
        s += String.fromCodePoint(cp);
      }
      return s;
    }
    default:
      throw fail(`string type 0x${a.tag.toString(16)}`);
  }
}

/** CPython turns IA5String bytes into str with a strict UTF-8 decode. */
function pyString(latin1: string, field: string): string {
  const bytes = Uint8Array.from(latin1, (c) => c.charCodeAt(0));
  try {
    return fromUtf8(bytes);
  } catch {
    throw new X509ParseError(`subjectAltName ${field}`, 'not UTF-8 (CPython raises UnicodeDecodeError)');
  }
}

/** OpenSSL 3.0 `GENERAL_NAME_print` names for the otherName types it can show. */
const OTHER_NAMES: Partial<Record<string, string>> = {
  '1.3.6.1.5.5.7.8.9': 'SmtpUTF8Mailbox',
  '1.3.6.1.5.5.7.8.5': 'XmppAddr',
  '1.3.6.1.5.5.7.8.7': 'SRVName',
  '1.3.6.1.4.1.311.20.2.3': 'UPN',
  '1.3.6.1.5.5.7.8.8': 'NAIRealm',
};
const SRV_NAME = '1.3.6.1.5.5.7.8.7';

/** One subjectAltName entry as `_get_peer_alt_names` renders it. */
function altNameEntry(gn: GeneralName): SubjectAltNameEntry {
  switch (gn.type) {
    case 'rfc822Name':
      return ['email', pyString(gn.value, 'email')];
    case 'dNSName':
      return ['DNS', pyString(gn.value, 'DNS')];
    case 'uniformResourceIdentifier':
      return ['URI', pyString(gn.value, 'URI')];
    case 'directoryName':
      return ['DirName', nameTuple(gn.name, 'DirName')];
    case 'registeredID':
      return ['Registered ID', opensslLongName(gn.oid)];
    case 'iPAddress':
      return ['IP Address', ipText(gn.bytes)];
    case 'x400Address':
      return ['X400Name', '<unsupported>'];
    case 'ediPartyName':
      return ['EdiPartyName', '<unsupported>'];
    case 'otherName':
      return ['othername', otherNameText(gn.typeId, gn.value)];
  }
}

/** 4 bytes dotted, 16 bytes as eight `%X` groups (CPython formats these itself), else `<invalid>`. */
function ipText(b: Uint8Array): string {
  if (b.length === 4) return b.join('.');
  if (b.length !== 16) return '<invalid>';
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16).toUpperCase());
  return groups.join(':');
}

/**
 * `GENERAL_NAME_print` for otherName: the five types OpenSSL 3.0 knows, when
 * the value has the expected string type (IA5String for SRVName, UTF8String
 * otherwise), print as `Type:value`; everything else is `<unsupported>`. The
 * value goes through `%.*s` (stops at NUL), `BIO_gets` (stops after a
 * newline) and a strict UTF-8 decode.
 */
function otherNameText(typeId: string, value: Uint8Array): string {
  const label = OTHER_NAMES[typeId];
  const wantTag = typeId === SRV_NAME ? 0x16 : 0x0c;
  if (label === undefined || value[0] !== wantTag) return '<unsupported>';
  let bytes: Uint8Array;
  try {
    bytes = contentsAfterHeader(value);
  } catch {
    return '<unsupported>';
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) bytes = bytes.subarray(0, nul);
  const newline = bytes.indexOf(0x0a);
  if (newline >= 0) bytes = bytes.subarray(0, newline + 1);
  try {
    return `${label}:${fromUtf8(bytes)}`;
  } catch {
    throw new X509ParseError('subjectAltName othername', 'not UTF-8 (CPython raises UnicodeDecodeError)');
  }
}

/** The contents of a primitive DER element given as its full encoding. */
function contentsAfterHeader(encoding: Uint8Array): Uint8Array {
  const node = decodeDer(encoding, 'otherName value');
  return encoding.subarray(node.idBlock.blockLength + node.lenBlock.blockLength);
}

/**
 * `i2a_ASN1_INTEGER`: the magnitude in uppercase hex, two digits a byte ("00"
 * for zero), `-` before a negative value, and a `\` line break every 35 bytes,
 * of which `BIO_gets` keeps the first line.
 */
function serialText(contents: Uint8Array): string {
  const negative = (contents[0] ?? 0) >= 0x80;
  let value = 0n;
  for (const byte of contents) value = (value << 8n) | BigInt(byte);
  if (negative) value = (1n << BigInt(8 * contents.length)) - value;
  let hex = value.toString(16).toUpperCase();
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const line = hex.length > 70 ? `${hex.slice(0, 70)}\\\n` : hex;
  return (negative ? '-' : '') + line;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `ASN1_TIME_print`: `%s %2d %02d:%02d:%02d %d GMT`, e.g. `Jun  1 12:00:00 2024 GMT`. */
function timeText(seconds: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}
