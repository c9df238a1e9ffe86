/**
 * The certificate view (RFC 5280 §4.1): one DER-strict parse of a Certificate
 * into read-only fields that path validation, hostname matching and the TLS
 * engine consume. Everything a signature check needs is exact bytes (`der`,
 * `tbsDer`, the Names' DER); everything a policy check needs is already
 * decoded. Parsing fails (with `X509ParseError`) only on a malformed
 * certificate skeleton; the public key and known extensions are decoded on
 * first use and fail then, so that a certificate with, say, an unusual key can
 * still be shown by `getpeercert()` (see `extensions.ts` for the extension
 * policy).
 * @module
 */
import { Certificate as CertificateSchema, type Extension as ExtensionSchema } from '@peculiar/asn1-x509';
import type { PublicKey } from '../crypto/keys.ts';
import { bytesEqual, toHex } from '../wire/bytes.ts';
import { type DerNode, childrenOf, contentsOf, decodeDer, encodingOf, isTag, parseNode } from './der.ts';
import { X509ParseError } from './errors.ts';
import { CertificateExtensions, parseExtensions } from './extensions.ts';
import { publicKeyOfInfo, spkiKeyBits } from './keys.ts';
import { type DistinguishedName, parseName } from './names.ts';
import { type SignatureAlgorithmId, parseSignatureAlgorithm } from './signature-algorithm.ts';
import { parseTime } from './time.ts';

export interface Certificate {
  /** The whole certificate, as received. */
  readonly der: Uint8Array;
  /** The exact TBSCertificate bytes the issuer signed (RFC 5280 §4.1.1.1). */
  readonly tbsDer: Uint8Array;
  readonly version: 1 | 2 | 3;
  /** The INTEGER's contents octets as encoded (two's complement, so possibly a leading 00). */
  readonly serialNumber: Uint8Array;
  /** `serialNumber` in lowercase hex, all bytes (e.g. `'00c3f1'`). */
  readonly serialHex: string;
  /** The outer signatureAlgorithm, which must equal the TBS one byte for byte (§4.1.1.2). */
  readonly signatureAlgorithm: SignatureAlgorithmId;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** The exact SubjectPublicKeyInfo DER. */
  readonly spkiDer: Uint8Array;
  /** Decoded on first access; throws `X509ParseError` (cause `UnsupportedCertificate` for unknown key types). */
  readonly publicKey: PublicKey;
  /** BIT STRING contents (after the unused-bits octet) when present (§4.1.2.8). */
  readonly issuerUniqueId: Uint8Array | undefined;
  readonly subjectUniqueId: Uint8Array | undefined;
  readonly extensions: CertificateExtensions;
}

const F = 'Certificate';
const T = 'TBSCertificate';

/** Parses one DER certificate. */
export function parseCertificate(der: Uint8Array): Certificate {
  const root = decodeDer(der, F);
  // The shape check against RFC 5280's ASN.1 module; its Names, Extensions and
  // key algorithm are handed on so that no part is checked twice.
  const { tbsCertificate: schema } = parseNode(root, CertificateSchema, F);
  const top = childrenOf(root, F);
  if (top.length !== 3) throw new X509ParseError(F, `has ${top.length} elements, not 3`);
  const [tbsNode, outerAlgNode, sigNode] = top as [DerNode, DerNode, DerNode];

  const fields = childrenOf(tbsNode, T);
  const hasVersion = isTag(fields[0]!, 'context', 0);
  const version = hasVersion ? readVersion(fields[0]!) : 1;
  const rest = fields.slice(hasVersion ? 1 : 0);
  if (rest.length < 6) throw new X509ParseError(T, 'too few fields');
  const [serialNode, algNode, issuerNode, validityNode, subjectNode, spkiNode] = rest as [DerNode, DerNode, DerNode, DerNode, DerNode, DerNode];
  const optional = readOptionalFields(rest.slice(6), version, schema.extensions);

  const signatureAlgorithm = parseSignatureAlgorithm(outerAlgNode, `${F}.signatureAlgorithm`);
  if (!bytesEqual(signatureAlgorithm.der, encodingOf(algNode))) {
    throw new X509ParseError(`${T}.signature`, 'differs from Certificate.signatureAlgorithm (RFC 5280 §4.1.1.2)');
  }
  const validity = childrenOf(validityNode, `${T}.validity`);
  if (validity.length !== 2) throw new X509ParseError(`${T}.validity`, 'must hold notBefore and notAfter');
  const serialNumber = contentsOf(serialNode).slice();
  const spkiDer = encodingOf(spkiNode);
  const keyAlgorithm = schema.subjectPublicKeyInfo.algorithm;
  const keyBits = spkiKeyBits(spkiNode, `${T}.subjectPublicKeyInfo`).slice();
  let publicKey: PublicKey | undefined;

  return {
    der: encodingOf(root),
    tbsDer: encodingOf(tbsNode),
    version,
    serialNumber,
    serialHex: toHex(serialNumber),
    signatureAlgorithm,
    signatureValue: bitStringBytes(sigNode, `${F}.signatureValue`),
    issuer: parseName(issuerNode, `${T}.issuer`, schema.issuer),
    subject: parseName(subjectNode, `${T}.subject`, schema.subject),
    notBefore: parseTime(validity[0]!, `${T}.validity.notBefore`),
    notAfter: parseTime(validity[1]!, `${T}.validity.notAfter`),
    spkiDer,
    get publicKey(): PublicKey {
      publicKey ??= publicKeyOfInfo(keyAlgorithm, keyBits);
      return publicKey;
    },
    ...optional,
  };
}

/** `[0] EXPLICIT Version DEFAULT v1`: DER omits v1 (X.690 §11.5), so an explicit 0 is refused. */
function readVersion(node: DerNode): 2 | 3 {
  const field = `${T}.version`;
  const inner = childrenOf(node, field);
  if (inner.length !== 1 || !isTag(inner[0]!, 'universal', 2)) throw new X509ParseError(field, 'not an INTEGER');
  const value = contentsOf(inner[0]!);
  if (value.length !== 1 || (value[0] !== 1 && value[0] !== 2)) {
    throw new X509ParseError(field, `must be v2 or v3 when present, got ${toHex(value)}`);
  }
  return value[0] === 1 ? 2 : 3;
}

/** issuerUniqueID [1], subjectUniqueID [2], extensions [3], in that order, each at most once (§4.1). */
function readOptionalFields(nodes: readonly DerNode[], version: 1 | 2 | 3, checkedExtensions: readonly ExtensionSchema[] | undefined) {
  let issuerUniqueId: Uint8Array | undefined;
  let subjectUniqueId: Uint8Array | undefined;
  let extensions = new CertificateExtensions([]);
  let last = 0;
  for (const node of nodes) {
    const tag = node.idBlock.tagClass === 3 ? node.idBlock.tagNumber : -1;
    if (tag <= last || tag > 3) throw new X509ParseError(T, 'unexpected field after subjectPublicKeyInfo');
    last = tag;
    if (tag === 3) {
      if (version !== 3) throw new X509ParseError(`${T}.extensions`, 'only allowed in v3 (RFC 5280 §4.1.2.9)');
      extensions = parseExtensions(node, `${T}.extensions`, checkedExtensions);
    } else {
      const field = tag === 1 ? `${T}.issuerUniqueID` : `${T}.subjectUniqueID`;
      if (version === 1) throw new X509ParseError(field, 'not allowed in v1 (RFC 5280 §4.1.2.8)');
      if (node.idBlock.isConstructed) throw new X509ParseError(field, 'must be a primitive BIT STRING');
      const bits = contentsOf(node);
      if (bits.length === 0 || bits[0]! > 7) throw new X509ParseError(field, 'bad BIT STRING');
      if (tag === 1) issuerUniqueId = bits.slice(1);
      else subjectUniqueId = bits.slice(1);
    }
  }
  return { issuerUniqueId, subjectUniqueId, extensions };
}

/** A BIT STRING holding whole octets (signatures, keys). */
function bitStringBytes(node: DerNode, field: string): Uint8Array {
  if (!isTag(node, 'universal', 3)) throw new X509ParseError(field, 'not a BIT STRING');
  const bits = contentsOf(node);
  if (bits[0] !== 0) throw new X509ParseError(field, 'has unused bits');
  return bits.slice(1);
}
