/**
 * Certificate extensions (RFC 5280 §4.2): the ordered list as found, and
 * decoded views of the ones path validation and the `ssl` module use.
 *
 * Error policy. `parseCertificate` fails only if the Extensions structure
 * itself is malformed or an OID repeats (§4.2: "MUST NOT include more than
 * one instance of a particular extension"). Each view is decoded on first
 * access and cached: a malformed extension throws its `X509ParseError` from
 * the getter, every time, and nowhere else. So a certificate with a broken
 * non-critical extension the caller never looks at stays usable (as with
 * OpenSSL, whose d2i_X509 also defers extension decoding), while a strict
 * verifier calls `errors()` and rejects on anything it returns, and
 * `unknownCritical()` lists critical extensions nobody here understands
 * (§4.2: such a certificate MUST be rejected).
 * @module
 */
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier as AkiSchema,
  BasicConstraints as BcSchema,
  CertificatePolicies as CpSchema,
  CRLDistributionPoints as CdpSchema,
  ExtendedKeyUsage,
  type Extension as ExtensionSchema,
  Extensions,
  NameConstraints as NcSchema,
  PolicyConstraints as PcSchema,
  PolicyMappings as PmSchema,
} from '@peculiar/asn1-x509';
import { type DerNode, bitMask, childOf, childrenOf, contentsOf, decodeDer, elementsOf, isTag, nonNegativeInteger, parseNode, smallInteger } from './der.ts';
import { X509ParseError } from './errors.ts';
import { type GeneralName, type GeneralNameOptions, parseGeneralName, parseGeneralNames } from './general-names.ts';
import { type NameAttribute, attributesOf } from './names.ts';
import { ExtensionOid } from './oids.ts';

export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** The contents of extnValue: the DER of the extension's own structure. */
  readonly value: Uint8Array;
}

export interface BasicConstraints {
  readonly ca: boolean;
  readonly pathLen: number | undefined;
}

/** RFC 5280 §4.2.1.3 bit names, in bit order. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface KeyUsage {
  /** Bit i of the BIT STRING (RFC numbering) is `1 << i`. */
  readonly mask: number;
  readonly names: readonly KeyUsageName[];
}

export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum: number | undefined;
}

export interface NameConstraints {
  readonly permitted: readonly GeneralSubtree[] | undefined;
  readonly excluded: readonly GeneralSubtree[] | undefined;
}

export interface AuthorityKeyIdentifier {
  readonly keyIdentifier: Uint8Array | undefined;
  readonly issuer: readonly GeneralName[] | undefined;
  /** INTEGER contents octets, as encoded. */
  readonly serialNumber: Uint8Array | undefined;
}

export interface PolicyInformation {
  readonly oid: string;
  /** PolicyQualifierInfo: the qualifier's id and the DER of its value. */
  readonly qualifiers: readonly { readonly oid: string; readonly der: Uint8Array }[];
}

export interface PolicyMapping {
  readonly issuerDomainPolicy: string;
  readonly subjectDomainPolicy: string;
}

export interface PolicyConstraints {
  readonly requireExplicitPolicy: number | undefined;
  readonly inhibitPolicyMapping: number | undefined;
}

export interface DistributionPoint {
  readonly fullName: readonly GeneralName[] | undefined;
  readonly nameRelativeToCrlIssuer: readonly NameAttribute[] | undefined;
  /** ReasonFlags as a mask (bit 1 keyCompromise ... bit 8 aACompromise), undefined when absent (= all reasons). */
  readonly reasons: number | undefined;
  readonly crlIssuer: readonly GeneralName[] | undefined;
}

export interface AccessDescription {
  readonly method: string;
  readonly location: GeneralName;
}

type Cached = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: X509ParseError };

/** The extensions of one certificate, with lazily decoded, cached views. */
export class CertificateExtensions {
  readonly list: readonly Extension[];
  readonly #cache = new Map<string, Cached>();

  constructor(list: readonly Extension[]) {
    this.list = list;
  }

  get(oid: string): Extension | undefined {
    return this.list.find((e) => e.oid === oid);
  }

  get basicConstraints(): BasicConstraints | undefined {
    return this.#view(ExtensionOid.basicConstraints, parseBasicConstraints);
  }
  get keyUsage(): KeyUsage | undefined {
    return this.#view(ExtensionOid.keyUsage, parseKeyUsage);
  }
  get extKeyUsage(): readonly string[] | undefined {
    return this.#view(ExtensionOid.extKeyUsage, parseExtKeyUsage);
  }
  get subjectAltName(): readonly GeneralName[] | undefined {
    return this.#view(ExtensionOid.subjectAltName, (node, field) => parseGeneralNames(node, field));
  }
  get nameConstraints(): NameConstraints | undefined {
    return this.#view(ExtensionOid.nameConstraints, parseNameConstraints);
  }
  get authorityKeyIdentifier(): AuthorityKeyIdentifier | undefined {
    return this.#view(ExtensionOid.authorityKeyIdentifier, parseAuthorityKeyIdentifier);
  }
  get subjectKeyIdentifier(): Uint8Array | undefined {
    return this.#view(ExtensionOid.subjectKeyIdentifier, octetString);
  }
  get certificatePolicies(): readonly PolicyInformation[] | undefined {
    return this.#view(ExtensionOid.certificatePolicies, parseCertificatePolicies);
  }
  get policyMappings(): readonly PolicyMapping[] | undefined {
    return this.#view(ExtensionOid.policyMappings, parsePolicyMappings);
  }
  get policyConstraints(): PolicyConstraints | undefined {
    return this.#view(ExtensionOid.policyConstraints, parsePolicyConstraints);
  }
  /** SkipCerts (RFC 5280 §4.2.1.14). */
  get inhibitAnyPolicy(): number | undefined {
    return this.#view(ExtensionOid.inhibitAnyPolicy, nonNegativeInteger);
  }
  get crlDistributionPoints(): readonly DistributionPoint[] | undefined {
    return this.#view(ExtensionOid.cRLDistributionPoints, (node, field) => parseCrlDistributionPoints(node, field));
  }
  get authorityInfoAccess(): readonly AccessDescription[] | undefined {
    return this.#view(ExtensionOid.authorityInfoAccess, (node, field) => parseAuthorityInfoAccess(node, field));
  }

  /** The decoding error of every present extension that has a view here. */
  errors(): X509ParseError[] {
    const out: X509ParseError[] = [];
    for (const name of Object.keys(VIEWS) as (keyof typeof VIEWS)[]) {
      try {
        void this[name];
      } catch (error) {
        out.push(error as X509ParseError);
      }
    }
    return out;
  }

  /** Critical extensions with no view here: RFC 5280 §4.2 says reject the certificate. */
  unknownCritical(): Extension[] {
    const known: readonly string[] = Object.values(VIEWS);
    return this.list.filter((e) => e.critical && !known.includes(e.oid));
  }

  #view<T>(oid: string, parse: (node: DerNode, field: string) => T): T | undefined {
    const ext = this.get(oid);
    if (ext === undefined) return undefined;
    let cached = this.#cache.get(oid);
    if (cached === undefined) {
      const field = `extension ${oid}`;
      try {
        cached = { ok: true, value: parse(decodeDer(ext.value, field), field) };
      } catch (error) {
        const wrapped = error instanceof X509ParseError ? error : new X509ParseError(field, String(error));
        cached = { ok: false, error: wrapped };
      }
      this.#cache.set(oid, cached);
    }
    if (!cached.ok) throw cached.error;
    return cached.value as T;
  }
}

/** Getter name → OID of every view above (what `errors()` and `unknownCritical()` cover). */
const VIEWS = {
  basicConstraints: ExtensionOid.basicConstraints,
  keyUsage: ExtensionOid.keyUsage,
  extKeyUsage: ExtensionOid.extKeyUsage,
  subjectAltName: ExtensionOid.subjectAltName,
  nameConstraints: ExtensionOid.nameConstraints,
  authorityKeyIdentifier: ExtensionOid.authorityKeyIdentifier,
  subjectKeyIdentifier: ExtensionOid.subjectKeyIdentifier,
  certificatePolicies: ExtensionOid.certificatePolicies,
  policyMappings: ExtensionOid.policyMappings,
  policyConstraints: ExtensionOid.policyConstraints,
  inhibitAnyPolicy: ExtensionOid.inhibitAnyPolicy,
  crlDistributionPoints: ExtensionOid.cRLDistributionPoints,
  authorityInfoAccess: ExtensionOid.authorityInfoAccess,
} as const satisfies Partial<Record<keyof CertificateExtensions, string>>;

/**
 * `[3] EXPLICIT Extensions` of a TBSCertificate (or a CRL's `[0]`); `checked`
 * as for `parseName`: the library's object when an enclosing parse made it.
 */
export function parseExtensions(tagged: DerNode, field: string, checked?: readonly ExtensionSchema[]): CertificateExtensions {
  const wrapper = childrenOf(tagged, field);
  if (wrapper.length !== 1) throw new X509ParseError(field, 'must hold one SEQUENCE');
  const node = wrapper[0]!;
  const schema = checked ?? parseNode(node, Extensions, field);
  const items = childrenOf(node, field);
  if (items.length === 0) throw new X509ParseError(field, 'empty Extensions'); // SIZE (1..MAX)
  const list = items.map((item, i): Extension => {
    // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } (RFC 5280 §4.1)
    const parts = elementsOf(item, `${field}[${i}]`, 2, 3);
    if (!isTag(parts[parts.length - 1]!, 'universal', 4) || (parts.length === 3 && !isTag(parts[1]!, 'universal', 1))) {
      throw new X509ParseError(`${field}[${i}]`, 'is not extnID, [critical,] extnValue');
    }
    const oid = schema[i]?.extnID;
    if (oid === undefined) throw new X509ParseError(`${field}[${i}]`, 'no extnID');
    // critical BOOLEAN DEFAULT FALSE: an explicit FALSE is not DER, but OpenSSL
    // and Go read it, so we do too rather than refuse a whole certificate.
    return { oid, critical: schema[i]!.critical, value: contentsOf(parts[parts.length - 1]!).slice() };
  });
  const seen = new Set<string>();
  for (const e of list) {
    if (seen.has(e.oid)) throw new X509ParseError(field, `extension ${e.oid} appears twice (RFC 5280 §4.2)`);
    seen.add(e.oid);
  }
  return new CertificateExtensions(list);
}

function parseBasicConstraints(node: DerNode, field: string): BasicConstraints {
  const bc = parseNode(node, BcSchema, field);
  const pathLen = bc.pathLenConstraint === undefined ? undefined : smallInteger(bc.pathLenConstraint, `${field}.pathLenConstraint`);
  return { ca: bc.cA, pathLen };
}

function parseKeyUsage(node: DerNode, field: string): KeyUsage {
  if (!isTag(node, 'universal', 3)) throw new X509ParseError(field, 'not a BIT STRING');
  const mask = bitMask(node, field);
  return { mask, names: KEY_USAGE_BITS.filter((_, bit) => mask & (1 << bit)) };
}

function parseExtKeyUsage(node: DerNode, field: string): string[] {
  const eku = [...parseNode(node, ExtendedKeyUsage, field)];
  if (eku.length === 0) throw new X509ParseError(field, 'empty ExtKeyUsageSyntax');
  return eku;
}

function octetString(node: DerNode, field: string): Uint8Array {
  if (!isTag(node, 'universal', 4)) throw new X509ParseError(field, 'not an OCTET STRING');
  return contentsOf(node).slice();
}

/** Children of `node` keyed by context tag, each tag at most once and in increasing order. */
function tagged(node: DerNode, field: string, allowed: number): Map<number, DerNode> {
  const out = new Map<number, DerNode>();
  let last = -1;
  for (const child of childrenOf(node, field)) {
    const tag = child.idBlock.tagClass === 3 ? child.idBlock.tagNumber : -1;
    if (tag <= last || tag >= allowed) throw new X509ParseError(field, 'unexpected or repeated field');
    out.set(tag, child);
    last = tag;
  }
  return out;
}

function parseNameConstraints(node: DerNode, field: string): NameConstraints {
  parseNode(node, NcSchema, field);
  const parts = tagged(node, field, 2);
  // §4.2.1.10: at least one of the two, and each GeneralSubtrees non-empty.
  if (parts.size === 0) throw new X509ParseError(field, 'empty NameConstraints');
  const subtrees = (tag: number, name: string): GeneralSubtree[] | undefined => {
    const list = parts.get(tag);
    if (list === undefined) return undefined;
    const items = childrenOf(list, `${field}.${name}`);
    if (items.length === 0) throw new X509ParseError(`${field}.${name}`, 'empty GeneralSubtrees');
    return items.map((subtree, i) => parseSubtree(subtree, `${field}.${name}[${i}]`));
  };
  return { permitted: subtrees(0, 'permittedSubtrees'), excluded: subtrees(1, 'excludedSubtrees') };
}

/** GeneralSubtree: base, minimum [0] DEFAULT 0, maximum [1] OPTIONAL. */
function parseSubtree(node: DerNode, field: string): GeneralSubtree {
  const [baseNode, ...bounds] = childrenOf(node, field);
  if (baseNode === undefined) throw new X509ParseError(field, 'no base');
  let minimum = 0;
  let maximum: number | undefined;
  let last = -1;
  for (const b of bounds) {
    const tag = b.idBlock.tagClass === 3 ? b.idBlock.tagNumber : -1;
    if (tag <= last || tag > 1) throw new X509ParseError(field, 'unexpected field');
    last = tag;
    if (tag === 0) minimum = nonNegativeInteger(b, `${field}.minimum`);
    else maximum = nonNegativeInteger(b, `${field}.maximum`);
  }
  return { base: parseGeneralName(baseNode, `${field}.base`), minimum, maximum };
}

function parseAuthorityKeyIdentifier(node: DerNode, field: string): AuthorityKeyIdentifier {
  parseNode(node, AkiSchema, field);
  const parts = tagged(node, field, 3);
  const keyId = parts.get(0);
  const issuer = parts.get(1);
  const serial = parts.get(2);
  // §4.2.1.1 via X.509: issuer and serial come together or not at all.
  if ((issuer === undefined) !== (serial === undefined)) {
    throw new X509ParseError(field, 'authorityCertIssuer and authorityCertSerialNumber must both be present or both absent');
  }
  return {
    keyIdentifier: keyId && contentsOf(keyId).slice(),
    issuer: issuer && parseGeneralNames(issuer, `${field}.authorityCertIssuer`),
    serialNumber: serial && contentsOf(serial).slice(),
  };
}

function parseCertificatePolicies(node: DerNode, field: string): PolicyInformation[] {
  const schema = parseNode(node, CpSchema, field);
  if (schema.length === 0) throw new X509ParseError(field, 'empty certificatePolicies');
  const policies = childrenOf(node, field).map((info, i): PolicyInformation => {
    const oid = schema[i]!.policyIdentifier;
    const qualifierList = childrenOf(info, field)[1];
    const qualifiers = qualifierList === undefined ? [] : childrenOf(qualifierList, field);
    if (qualifierList !== undefined && qualifiers.length === 0) throw new X509ParseError(field, `empty policyQualifiers for ${oid}`);
    return {
      oid,
      qualifiers: qualifiers.map((q, j) => ({
        oid: schema[i]!.policyQualifiers?.[j]?.policyQualifierId ?? '',
        der: childOf(q, 1, `${field}.policyQualifiers`).valueBeforeDecodeView.slice(),
      })),
    };
  });
  // §4.2.1.4: a policy OID MUST NOT appear more than once.
  if (new Set(policies.map((p) => p.oid)).size !== policies.length) throw new X509ParseError(field, 'a policy appears twice');
  return policies;
}

function parsePolicyMappings(node: DerNode, field: string): PolicyMapping[] {
  const mappings = [...parseNode(node, PmSchema, field)];
  if (mappings.length === 0) throw new X509ParseError(field, 'empty PolicyMappings');
  return mappings.map((m) => ({ issuerDomainPolicy: m.issuerDomainPolicy, subjectDomainPolicy: m.subjectDomainPolicy }));
}

function parsePolicyConstraints(node: DerNode, field: string): PolicyConstraints {
  parseNode(node, PcSchema, field);
  const parts = tagged(node, field, 2);
  // §4.2.1.11: "Conforming CAs MUST NOT issue certificates where policyConstraints is an empty sequence."
  if (parts.size === 0) throw new X509ParseError(field, 'empty PolicyConstraints');
  const skip = (tag: number, name: string): number | undefined => {
    const n = parts.get(tag);
    return n && nonNegativeInteger(n, `${field}.${name}`);
  };
  return { requireExplicitPolicy: skip(0, 'requireExplicitPolicy'), inhibitPolicyMapping: skip(1, 'inhibitPolicyMapping') };
}

/** cRLDistributionPoints (RFC 5280 §4.2.1.13); `options` as for GeneralName. */
export function parseCrlDistributionPoints(node: DerNode, field: string, options: GeneralNameOptions = {}): DistributionPoint[] {
  const schema = parseNode(node, CdpSchema, field);
  const points = childrenOf(node, field);
  if (points.length === 0) throw new X509ParseError(field, 'empty CRLDistributionPoints');
  return points.map((point, i): DistributionPoint => {
    const f = `${field}[${i}]`;
    const parts = tagged(point, f, 3);
    // §4.2.1.13: a DistributionPoint MUST NOT consist of only the reasons field.
    if (!parts.has(0) && !parts.has(2)) throw new X509ParseError(f, 'needs distributionPoint or cRLIssuer');
    const dpName = parts.get(0) && childOf(parts.get(0)!, 0, `${f}.distributionPoint`);
    const isFull = dpName !== undefined && dpName.idBlock.tagClass === 3 && dpName.idBlock.tagNumber === 0;
    const isRelative = dpName !== undefined && dpName.idBlock.tagClass === 3 && dpName.idBlock.tagNumber === 1;
    if (dpName !== undefined && !isFull && !isRelative) throw new X509ParseError(`${f}.distributionPoint`, 'unknown choice');
    const reasons = parts.get(1);
    const crlIssuer = parts.get(2);
    return {
      fullName: isFull ? parseGeneralNames(dpName, `${f}.fullName`, options) : undefined,
      nameRelativeToCrlIssuer: isRelative
        ? attributesOf(dpName, schema[i]?.distributionPoint?.nameRelativeToCRLIssuer, `${f}.nameRelativeToCRLIssuer`)
        : undefined,
      reasons: reasons && bitMask(reasons, `${f}.reasons`),
      crlIssuer: crlIssuer && parseGeneralNames(crlIssuer, `${f}.cRLIssuer`, options),
    };
  });
}

/** authorityInfoAccess (RFC 5280 §4.2.2.1); `options` as for GeneralName. */
export function parseAuthorityInfoAccess(node: DerNode, field: string, options: GeneralNameOptions = {}): AccessDescription[] {
  const schema = parseNode(node, AuthorityInfoAccessSyntax, field);
  const items = childrenOf(node, field);
  if (items.length === 0) throw new X509ParseError(field, 'empty AuthorityInfoAccessSyntax');
  return items.map((item, i) => ({
    method: schema[i]!.accessMethod,
    location: parseGeneralName(childOf(item, 1, `${field}[${i}]`), `${field}[${i}].accessLocation`, options),
  }));
}
