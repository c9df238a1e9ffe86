/**
 * What a certificate's (or CRL's) AlgorithmIdentifier means for verification:
 * RSA PKCS#1 v1.5 and RSASSA-PSS (RFC 4055 §3.1, §5), ECDSA (RFC 5758 §3.2),
 * Ed25519 (RFC 8410 §3). A well-formed identifier we cannot verify (SHA-224,
 * PSS with a different MGF1 hash, DSA...) maps to a typed `unsupported` value
 * carrying the OID and the reason, not to an error: only a verifier that needs
 * the signature should fail on it.
 * @module
 */
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import type { HashName, SignatureAlgorithm } from '../crypto/provider.ts';
import { type DerNode, elementsOf, encodingOf, parseDer, parseNode, smallInteger } from './der.ts';
import { X509ParseError } from './errors.ts';
import { HashOid, SignatureOid } from './oids.ts';

export interface UnsupportedSignatureAlgorithm {
  readonly type: 'unsupported';
  readonly oid: string;
  readonly reason: string;
}

/** RSASSA-PSS-params (RFC 4055 §3.1) with defaults applied; hashes by name, or OID if unknown. */
export interface PssParameters {
  readonly hash: string;
  readonly mgf1Hash: string;
  readonly saltLength: number;
  readonly trailerField: number;
}

export interface SignatureAlgorithmId {
  /** The exact DER of the AlgorithmIdentifier. */
  readonly der: Uint8Array;
  readonly oid: string;
  /** The parameters' DER; null for an ASN.1 NULL, undefined when absent. */
  readonly parameters: Uint8Array | null | undefined;
  readonly pss: PssParameters | undefined;
  /** What to hand `CryptoProvider.verify`, or why we cannot. */
  readonly algorithm: SignatureAlgorithm | UnsupportedSignatureAlgorithm;
}

const S = SignatureOid;
const PKCS1: Partial<Record<string, HashName | 'sha224'>> = {
  [S.sha1WithRSAEncryption]: 'sha1',
  [S.sha224WithRSAEncryption]: 'sha224',
  [S.sha256WithRSAEncryption]: 'sha256',
  [S.sha384WithRSAEncryption]: 'sha384',
  [S.sha512WithRSAEncryption]: 'sha512',
};
const ECDSA: Partial<Record<string, HashName | 'sha224'>> = {
  [S.ecdsaWithSHA1]: 'sha1',
  [S.ecdsaWithSHA224]: 'sha224',
  [S.ecdsaWithSHA256]: 'sha256',
  [S.ecdsaWithSHA384]: 'sha384',
  [S.ecdsaWithSHA512]: 'sha512',
};
const HASH_NAMES = Object.fromEntries(Object.entries(HashOid).map(([name, oid]) => [oid, name])) as Partial<Record<string, string>>;
const PROVIDER_HASHES: readonly string[] = ['sha1', 'sha256', 'sha384', 'sha512'] satisfies HashName[];

/** Reads an AlgorithmIdentifier node used as a signature algorithm. */
export function parseSignatureAlgorithm(node: DerNode, field: string): SignatureAlgorithmId {
  elementsOf(node, field, 1, 2); // AlgorithmIdentifier ::= SEQUENCE { algorithm, parameters OPTIONAL }
  const id = parseNode(node, AlgorithmIdentifier, field);
  const oid = id.algorithm;
  const parameters = id.parameters instanceof ArrayBuffer ? new Uint8Array(id.parameters) : id.parameters;
  const pss = oid === S.rsassaPss ? pssParameters(parameters, `${field}.parameters`) : undefined;
  return { der: encodingOf(node), oid, parameters, pss, algorithm: classify(oid, parameters, pss) };
}

function classify(
  oid: string,
  parameters: Uint8Array | null | undefined,
  pss: PssParameters | undefined,
): SignatureAlgorithm | UnsupportedSignatureAlgorithm {
  const no = (reason: string): UnsupportedSignatureAlgorithm => ({ type: 'unsupported', oid, reason });
  const pkcs1 = PKCS1[oid];
  if (pkcs1 !== undefined) {
    // RFC 4055 §5 says NULL; absent parameters are a common, harmless encoder slip (OpenSSL accepts them).
    if (parameters !== null && parameters !== undefined) return no('RSA PKCS#1 parameters must be NULL');
    return pkcs1 === 'sha224' ? no('SHA-224 is not supported') : { type: 'rsa-pkcs1', hash: pkcs1 };
  }
  const ecdsa = ECDSA[oid];
  if (ecdsa !== undefined) {
    if (parameters !== undefined) return no('ECDSA parameters must be absent'); // RFC 5758 §3.2
    return ecdsa === 'sha224' ? no('SHA-224 is not supported') : { type: 'ecdsa', hash: ecdsa };
  }
  if (oid === S.ed25519) return parameters === undefined ? { type: 'ed25519' } : no('Ed25519 parameters must be absent');
  if (pss !== undefined) {
    if (!PROVIDER_HASHES.includes(pss.hash)) return no(`RSASSA-PSS hash ${pss.hash} is not supported`);
    if (pss.mgf1Hash !== pss.hash) return no('RSASSA-PSS with an MGF1 hash other than the message hash');
    if (pss.trailerField !== 1) return no('RSASSA-PSS trailerField must be 1');
    return { type: 'rsa-pss', hash: pss.hash as HashName, saltLength: pss.saltLength };
  }
  return no(`signature algorithm ${oid} is not supported`);
}

/** RFC 4055 §3.1, defaults: SHA-1, MGF1 with SHA-1, 20 bytes of salt, trailer 1. */
function pssParameters(parameters: Uint8Array | null | undefined, field: string): PssParameters {
  if (!(parameters instanceof Uint8Array)) throw new X509ParseError(field, 'RSASSA-PSS needs parameters');
  const p = parseDer(parameters, RsaSaPssParams, field);
  const hash = hashName(p.hashAlgorithm, `${field}.hashAlgorithm`);
  if (p.maskGenAlgorithm.algorithm !== HashOid.mgf1) {
    throw new X509ParseError(`${field}.maskGenAlgorithm`, `unknown mask generation ${p.maskGenAlgorithm.algorithm}`);
  }
  const mgfParams = p.maskGenAlgorithm.parameters;
  if (!(mgfParams instanceof ArrayBuffer)) throw new X509ParseError(`${field}.maskGenAlgorithm`, 'MGF1 without a hash');
  const mgfHash = parseDer(new Uint8Array(mgfParams), AlgorithmIdentifier, `${field}.maskGenAlgorithm.parameters`);
  return {
    hash,
    mgf1Hash: hashName(mgfHash, `${field}.maskGenAlgorithm.parameters`),
    saltLength: smallInteger(p.saltLength, `${field}.saltLength`),
    trailerField: smallInteger(p.trailerField, `${field}.trailerField`),
  };
}

/** A hash AlgorithmIdentifier: parameters NULL or absent (RFC 4055 §2.1 requires accepting both). */
function hashName(id: AlgorithmIdentifier, field: string): string {
  if (id.parameters !== null && id.parameters !== undefined) throw new X509ParseError(field, 'hash parameters must be NULL or absent');
  return HASH_NAMES[id.algorithm] ?? id.algorithm;
}
