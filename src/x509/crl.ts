/**
 * Certificate revocation lists (RFC 5280 §5): one DER-strict parse of a
 * CertificateList into the fields revocation checking needs, the exact
 * TBSCertList bytes for its signature, and the CRL and entry extensions with
 * their criticality. The structure is checked against `@peculiar/asn1-x509`'s
 * `CertificateList`; values are read from the decoded tree, as for
 * certificates. Judging a CRL (scope, dates, signature, critical extensions)
 * is `revocation.ts`'s work.
 * @module
 */
import { CertificateList, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import { bytesEqual, toHex } from '../wire/bytes.ts';
import { type DerNode, childrenOf, contentsOf, decodeDer, encodingOf, isTag, parseDer, parseNode } from './der.ts';
import { X509ParseError } from './errors.ts';
import { CertificateExtensions, parseExtensions } from './extensions.ts';
import { type DistinguishedName, parseName } from './names.ts';
import { type SignatureAlgorithmId, parseSignatureAlgorithm } from './signature-algorithm.ts';
import { parseTime } from './time.ts';

export interface RevokedEntry {
  /** Serial number in lowercase hex of its contents octets, as `Certificate.serialHex`. */
  readonly serialHex: string;
  readonly revocationDate: number;
  /** OIDs of the entry's critical extensions (RFC 5280 §5.3). */
  readonly criticalExtensions: readonly string[];
}

/** The IssuingDistributionPoint fields that narrow a CRL's scope (RFC 5280 §5.2.5). */
export interface CrlScope {
  readonly onlyUserCerts: boolean;
  readonly onlyCaCerts: boolean;
  readonly onlySomeReasons: boolean;
  readonly indirect: boolean;
  readonly onlyAttributeCerts: boolean;
}

export interface Crl {
  readonly der: Uint8Array;
  readonly tbsDer: Uint8Array;
  readonly version: 1 | 2;
  readonly signatureAlgorithm: SignatureAlgorithmId;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly thisUpdate: number;
  readonly nextUpdate: number | undefined;
  readonly revoked: ReadonlyMap<string, RevokedEntry>;
  readonly extensions: CertificateExtensions;
  /** Undefined without an issuingDistributionPoint extension. */
  readonly scope: CrlScope | undefined;
}

/** CRL extensions (RFC 5280 §5.2). */
export const CrlExtensionOid = {
  cRLNumber: '2.5.29.20',
  deltaCRLIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  freshestCRL: '2.5.29.46',
} as const;

const F = 'CertificateList';
const T = 'TBSCertList';

/** Parses one DER CRL. */
export function parseCrl(der: Uint8Array): Crl {
  const root = decodeDer(der, F);
  const schema = parseNode(root, CertificateList, F);
  const top = childrenOf(root, F);
  if (top.length !== 3) throw new X509ParseError(F, `has ${top.length} elements, not 3`);
  const [tbsNode, outerAlgNode, sigNode] = top as [DerNode, DerNode, DerNode];
  const fields = [...childrenOf(tbsNode, T)];
  const version = isTag(fields[0]!, 'universal', 2) ? readVersion(fields.shift()!) : 1;
  const [algNode, issuerNode, thisUpdateNode] = fields.splice(0, 3) as [DerNode, DerNode, DerNode];
  if (thisUpdateNode === undefined) throw new X509ParseError(T, 'too few fields');
  const nextUpdateNode = fields[0] && isTime(fields[0]) ? fields.shift() : undefined;
  const revokedNode = fields[0] && isTag(fields[0], 'universal', 16) ? fields.shift() : undefined;
  const extensionsNode = fields[0] && isTag(fields[0], 'context', 0) ? fields.shift() : undefined;
  if (fields.length > 0) throw new X509ParseError(T, 'unexpected trailing field');
  // §5.1.2.1: extensions (of the CRL or of an entry) require v2.
  const entries = schema.tbsCertList.revokedCertificates ?? [];
  if (version === 1 && (extensionsNode !== undefined || entries.some((e) => e.crlEntryExtensions !== undefined))) {
    throw new X509ParseError(`${T}.version`, 'extensions require v2 (RFC 5280 §5.1.2.1)');
  }
  const signatureAlgorithm = parseSignatureAlgorithm(outerAlgNode, `${F}.signatureAlgorithm`);
  if (!bytesEqual(signatureAlgorithm.der, encodingOf(algNode))) {
    throw new X509ParseError(`${T}.signature`, 'differs from CertificateList.signatureAlgorithm (RFC 5280 §5.1.1.2)');
  }
  const extensions = extensionsNode ? parseExtensions(extensionsNode, `${T}.crlExtensions`) : new CertificateExtensions([]);
  return {
    der: encodingOf(root),
    tbsDer: encodingOf(tbsNode),
    version,
    signatureAlgorithm,
    signatureValue: signatureBits(sigNode),
    issuer: parseName(issuerNode, `${T}.issuer`),
    thisUpdate: parseTime(thisUpdateNode, `${T}.thisUpdate`),
    nextUpdate: nextUpdateNode && parseTime(nextUpdateNode, `${T}.nextUpdate`),
    revoked: readEntries(revokedNode, entries),
    extensions,
    scope: readScope(extensions),
  };
}

function readVersion(node: DerNode): 2 {
  const value = contentsOf(node);
  if (value.length !== 1 || value[0] !== 1) throw new X509ParseError(`${T}.version`, 'must be v2 when present');
  return 2;
}

function isTime(node: DerNode): boolean {
  return isTag(node, 'universal', 23) || isTag(node, 'universal', 24);
}

function readEntries(node: DerNode | undefined, schema: CertificateList['tbsCertList']['revokedCertificates'] & object): Map<string, RevokedEntry> {
  const out = new Map<string, RevokedEntry>();
  if (node === undefined) return out;
  childrenOf(node, `${T}.revokedCertificates`).forEach((entry, i) => {
    const field = `${T}.revokedCertificates[${i}]`;
    const [serialNode, dateNode] = childrenOf(entry, field);
    if (serialNode === undefined || dateNode === undefined) throw new X509ParseError(field, 'too few fields');
    const serialHex = toHex(contentsOf(serialNode));
    const criticalExtensions = (schema[i]?.crlEntryExtensions ?? []).filter((e) => e.critical).map((e) => e.extnID);
    out.set(serialHex, { serialHex, revocationDate: parseTime(dateNode, `${field}.revocationDate`), criticalExtensions });
  });
  return out;
}

function readScope(extensions: CertificateExtensions): CrlScope | undefined {
  const ext = extensions.get(CrlExtensionOid.issuingDistributionPoint);
  if (ext === undefined) return undefined;
  const idp = parseDer(ext.value, IssuingDistributionPoint, `extension ${ext.oid}`);
  return {
    onlyUserCerts: idp.onlyContainsUserCerts,
    onlyCaCerts: idp.onlyContainsCACerts,
    onlySomeReasons: idp.onlySomeReasons !== undefined,
    indirect: idp.indirectCRL,
    onlyAttributeCerts: idp.onlyContainsAttributeCerts,
  };
}

function signatureBits(node: DerNode): Uint8Array {
  const bits = contentsOf(node);
  if (!isTag(node, 'universal', 3) || bits[0] !== 0) throw new X509ParseError(`${F}.signatureValue`, 'not a BIT STRING of whole octets');
  return bits.slice(1);
}
