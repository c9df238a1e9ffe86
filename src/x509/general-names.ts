/**
 * GeneralName (RFC 5280 §4.2.1.6), shared by subjectAltName, nameConstraints,
 * authorityKeyIdentifier, cRLDistributionPoints and authorityInfoAccess.
 * The `@peculiar/asn1-x509` schema decodes the two forms with inner structure
 * of their own, otherName and registeredID (a directoryName is a Name, checked
 * by `parseName`); the others are one primitive string, checked here. The
 * values come from the decoded tree because the schema object is lossy where it matters
 * (it turns iPAddress octets into text, and an 8-byte address+mask into a
 * prefix length). IA5String names must be 7-bit (X.680 §41) and GeneralNames
 * non-empty; `lenient` relaxes both, as OpenSSL does, for display
 * (`getpeercert()`): 8-bit bytes become the code points of the same value.
 * @module
 */
import { GeneralName as GeneralNameSchema } from '@peculiar/asn1-x509';
import { type DerNode, childOf, childrenOf, contentsOf, encodingOf, parseNode } from './der.ts';
import { X509ParseError } from './errors.ts';
import { type DistinguishedName, latin1, parseName } from './names.ts';

export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; /** DER of the [0] EXPLICIT value's contents */ readonly value: Uint8Array }
  | { readonly type: 'rfc822Name'; readonly value: string }
  | { readonly type: 'dNSName'; readonly value: string }
  | { readonly type: 'x400Address'; readonly der: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: DistinguishedName }
  | { readonly type: 'ediPartyName'; readonly der: Uint8Array }
  | { readonly type: 'uniformResourceIdentifier'; readonly value: string }
  /** 4 or 16 octets in subjectAltName; address then mask (8 or 32) in nameConstraints. */
  | { readonly type: 'iPAddress'; readonly bytes: Uint8Array }
  | { readonly type: 'registeredID'; readonly oid: string };

export interface GeneralNameOptions {
  /** Read as OpenSSL does: keep IA5String names with 8-bit bytes, allow an empty GeneralNames. */
  readonly lenient?: boolean;
}

/** One GeneralName node (a context-tagged choice). */
export function parseGeneralName(node: DerNode, field: string, options: GeneralNameOptions = {}): GeneralName {
  if (node.idBlock.tagClass !== 3) throw new X509ParseError(field, 'not a GeneralName');
  const tag = node.idBlock.tagNumber;
  // x400Address [3] and ediPartyName [5] stay opaque DER: nothing here reads them, and the
  // library's schema for them is wrong (it tags the DirectoryString CHOICE implicitly).
  if (tag === 3 || tag === 5) {
    if (!node.idBlock.isConstructed) throw new X509ParseError(field, 'x400Address / ediPartyName must be constructed');
    return tag === 3 ? { type: 'x400Address', der: encodingOf(node) } : { type: 'ediPartyName', der: encodingOf(node) };
  }
  // Only otherName and registeredID need the schema (parsing it for every name doubles the cost of a long list).
  const schema = tag === 0 || tag === 8 ? parseNode(node, GeneralNameSchema, field) : undefined;
  switch (tag) {
    case 0: {
      // otherName: [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
      const typeId = schema?.otherName?.typeId;
      if (typeId === undefined) throw new X509ParseError(field, 'malformed otherName');
      const explicit = childOf(node, 1, field);
      const inner = childrenOf(explicit, field);
      if (explicit.idBlock.tagClass !== 3 || explicit.idBlock.tagNumber !== 0 || inner.length !== 1 || childrenOf(node, field).length !== 2) {
        throw new X509ParseError(field, 'malformed otherName value');
      }
      return { type: 'otherName', typeId, value: encodingOf(inner[0]!) };
    }
    case 1:
      return { type: 'rfc822Name', value: ia5(node, field, options) };
    case 2:
      return { type: 'dNSName', value: ia5(node, field, options) };
    case 4: {
      const inner = childrenOf(node, field);
      if (inner.length !== 1) throw new X509ParseError(field, 'directoryName must hold one Name');
      return { type: 'directoryName', name: parseName(inner[0]!, `${field}.directoryName`) };
    }
    case 6:
      return { type: 'uniformResourceIdentifier', value: ia5(node, field, options) };
    case 7:
      if (node.idBlock.isConstructed) throw new X509ParseError(field, 'iPAddress must be primitive');
      return { type: 'iPAddress', bytes: contentsOf(node).slice() };
    case 8:
      if (schema?.registeredID === undefined) throw new X509ParseError(field, 'malformed registeredID');
      return { type: 'registeredID', oid: schema.registeredID };
    default:
      throw new X509ParseError(field, `unknown GeneralName tag [${tag}]`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, given the SEQUENCE (or an IMPLICIT-tagged) node. */
export function parseGeneralNames(node: DerNode, field: string, options: GeneralNameOptions = {}): GeneralName[] {
  const items = childrenOf(node, field);
  if (items.length === 0 && !options.lenient) throw new X509ParseError(field, 'empty GeneralNames');
  return items.map((item, i) => parseGeneralName(item, `${field}[${i}]`, options));
}

function ia5(node: DerNode, field: string, options: GeneralNameOptions): string {
  if (node.idBlock.isConstructed) throw new X509ParseError(field, 'IA5String must be primitive');
  const bytes = contentsOf(node);
  if (!options.lenient && bytes.some((b) => b >= 0x80)) throw new X509ParseError(field, 'IA5String with 8-bit bytes');
  return latin1(bytes);
}
