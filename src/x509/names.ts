/**
 * Distinguished names (RFC 5280 §4.1.2.4): the exact DER, kept for byte
 * comparison (§7.1 lets a verifier compare encodings), and the attributes of
 * each RDN with their value decoded for display and matching. The structure
 * is checked against the `@peculiar/asn1-x509` Name schema; the values are
 * taken from the decoded tree, since the schema object keeps neither the
 * string type nor the bytes OpenSSL prints.
 * @module
 */
import { Name, type RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { toHex } from '../wire/bytes.ts';
import { type DerNode, childrenOf, contentsOf, elementsOf, encodingOf, parseNode } from './der.ts';
import { X509ParseError } from './errors.ts';

export interface NameAttribute {
  /** AttributeType, dotted (`'2.5.4.3'` for commonName). */
  readonly oid: string;
  /** First identifier octet of the value: 0x0c UTF8String, 0x13 PrintableString, 0x1e BMPString... */
  readonly tag: number;
  /** The value as text (see `decodeDirectoryString`), or `#` + hex of its DER when it is not a string. */
  readonly value: string;
  /** The contents octets of the value, as encoded. */
  readonly bytes: Uint8Array;
}

export interface DistinguishedName {
  /** The exact DER of the Name. */
  readonly der: Uint8Array;
  /** RDNs in order; each holds one or more attributes (multi-valued RDNs, `CN=a+O=b`). */
  readonly rdns: readonly (readonly NameAttribute[])[];
}

/** Universal string tags (X.680 §8.6 Table 1) as first identifier octets of a primitive encoding. */
export const StringTag = {
  UTF8String: 0x0c,
  NumericString: 0x12,
  PrintableString: 0x13,
  TeletexString: 0x14,
  VideotexString: 0x15,
  IA5String: 0x16,
  GraphicString: 0x19,
  VisibleString: 0x1a,
  GeneralString: 0x1b,
  UniversalString: 0x1c,
  BMPString: 0x1e,
} as const;

/**
 * Parses a Name node of an already-decoded certificate. `checked` is the
 * library's object for this very node when an enclosing schema parse (the
 * whole Certificate's) has produced it already; otherwise the node is checked here.
 */
export function parseName(node: DerNode, field: string, checked?: Name): DistinguishedName {
  const schema = checked ?? parseNode(node, Name, field);
  const rdns = childrenOf(node, field).map((rdnNode, i) => attributesOf(rdnNode, schema[i], `${field}[${i}]`));
  return { der: encodingOf(node), rdns };
}

/**
 * The attributes of one RelativeDistinguishedName node (a SET, or an
 * IMPLICIT-tagged one such as nameRelativeToCRLIssuer), given the schema
 * object the library produced for it (which supplies the types).
 */
export function attributesOf(rdnNode: DerNode, schema: RelativeDistinguishedName | undefined, field: string): NameAttribute[] {
  const atvs = childrenOf(rdnNode, field);
  if (atvs.length === 0) throw new X509ParseError(field, 'empty RDN'); // SET SIZE (1..MAX)
  return atvs.map((atv, j) => {
    const oid = schema?.[j]?.type;
    if (oid === undefined) throw new X509ParseError(field, `attribute ${j} has no type`);
    // AttributeTypeAndValue ::= SEQUENCE { type, value } (RFC 5280 §4.1.2.4)
    return attribute(oid, elementsOf(atv, field, 2, 2)[1]!);
  });
}

function attribute(oid: string, valueNode: DerNode): NameAttribute {
  const encoding = encodingOf(valueNode);
  const tag = encoding[0]!;
  const bytes = valueNode.idBlock.isConstructed ? encoding : contentsOf(valueNode).slice();
  const text = valueNode.idBlock.isConstructed ? undefined : decodeDirectoryString(tag, bytes);
  return { oid, tag, value: text ?? `#${toHex(encoding)}`, bytes };
}

/**
 * The text of a string value, or undefined for a non-string tag. T61 and the
 * 7-bit types are taken byte for byte (as ISO 8859-1, which is what OpenSSL
 * does with T61String); BMPString is UTF-16BE and UniversalString UTF-32BE;
 * malformed UTF-8/16/32 becomes U+FFFD rather than an error, so that a bad
 * display string never makes a certificate unreadable.
 */
export function decodeDirectoryString(tag: number, bytes: Uint8Array): string | undefined {
  switch (tag) {
    case StringTag.UTF8String:
      return new TextDecoder('utf-8').decode(bytes);
    case StringTag.BMPString:
      return decodeWide(bytes, 2);
    case StringTag.UniversalString:
      return decodeWide(bytes, 4);
    case StringTag.NumericString:
    case StringTag.PrintableString:
    case StringTag.TeletexString:
    case StringTag.VideotexString:
    case StringTag.IA5String:
    case StringTag.GraphicString:
    case StringTag.VisibleString:
    case StringTag.GeneralString:
      return latin1(bytes);
    default:
      return undefined;
  }
}

/** Each byte as the code point of the same value. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function decodeWide(bytes: Uint8Array, width: 2 | 4): string {
  let s = '';
  for (let i = 0; i + width <= bytes.length; i += width) {
    let cp = 0;
    for (let k = 0; k < width; k++) cp = cp * 256 + bytes[i + k]!;
    // UTF-16 surrogates pass through in pairs; UTF-32 must be a scalar value.
    s += width === 2 ? String.fromCharCode(cp) : cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  }
  return bytes.length % width === 0 ? s : s + '\ufffd';
}
