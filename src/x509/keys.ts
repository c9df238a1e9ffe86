/**
 * Keys in and out of their ASN.1 containers: SubjectPublicKeyInfo (RFC 5280
 * §4.1.2.7) for RSA (RFC 3279 §2.3.1), EC on P-256/P-384/P-521 with
 * uncompressed points (RFC 5480 §2) and Ed25519 (RFC 8410 §4); private keys as
 * PKCS#8 (RFC 5958), SEC1 (RFC 5915) or PKCS#1 (RFC 8017 Appendix A.1.2), in
 * DER or PEM. Results are the plain data of `crypto/keys.ts`. Anything
 * malformed or inconsistent (a public key that does not match its private key,
 * wrong CRT parameters) is an `X509ParseError`; key types we cannot use are
 * the same class with the `UnsupportedCertificate` cause.
 * @module
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { RSAPrivateKey, RSAPublicKey } from '@peculiar/asn1-rsa';
import { ECParameters, ECPrivateKey } from '@peculiar/asn1-ecc';
import { PrivateKey as Pkcs8PrivateKey, PrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import type { EcCurve, PrivateKey, PublicKey, RsaPrivateKey } from '../crypto/keys.ts';
import { derivePublicPoint } from '../crypto/noble.ts';
import { bigIntToBytes, bytesToBigInt } from '../crypto/rsa.ts';
import { bytesEqual } from '../wire/bytes.ts';
import { type DerNode, childOf, contentsOf, decodeDer, elementsOf, isTag, parseDer, parseNode } from './der.ts';
import { X509ParseError, unsupported } from './errors.ts';
import { CurveOid, KeyOid } from './oids.ts';
import { PemLabel, pemDecode } from './pem.ts';

/** Bytes of a field element / scalar for each curve (SEC 1 §2.3.5). */
const FIELD_BYTES: Record<EcCurve, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const ED25519_BYTES = 32;

const SPKI = 'SubjectPublicKeyInfo';

/** Parses a DER SubjectPublicKeyInfo (a certificate's, or a `PUBLIC KEY` PEM block's). */
export function parsePublicKeyInfo(spki: Uint8Array): PublicKey {
  const node = decodeDer(spki, SPKI);
  const info = parseNode(node, SubjectPublicKeyInfo, SPKI);
  return publicKeyOfInfo(info.algorithm, spkiKeyBits(node, SPKI));
}

/**
 * The subjectPublicKey BIT STRING's contents octets of a SubjectPublicKeyInfo
 * node, which must be `SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey }`
 * and nothing more (RFC 5280 §4.1).
 */
export function spkiKeyBits(node: DerNode, field: string): Uint8Array {
  const [algorithm, key] = elementsOf(node, field, 2, 2) as [DerNode, DerNode];
  elementsOf(algorithm, `${field}.algorithm`, 1, 2);
  return contentsOf(key);
}

/**
 * The key of a SubjectPublicKeyInfo already checked against its schema (a
 * certificate's): the library's AlgorithmIdentifier and the contents octets
 * of the subjectPublicKey BIT STRING.
 */
export function publicKeyOfInfo(algorithm: AlgorithmIdentifier, bitString: Uint8Array): PublicKey {
  // The key is a BIT STRING with no unused bits (RFC 5280 §4.1.2.7 wraps whole octets).
  if (bitString[0] !== 0) throw new X509ParseError(`${SPKI}.subjectPublicKey`, 'has unused bits');
  return publicKeyFrom(algorithm, bitString.subarray(1));
}

function publicKeyFrom(algorithm: AlgorithmIdentifier, key: Uint8Array): PublicKey {
  const field = `${SPKI}.algorithm`;
  switch (algorithm.algorithm) {
    case KeyOid.rsaEncryption: {
      // RFC 3279 §2.3.1: the parameters field MUST be NULL.
      if (algorithm.parameters !== null) throw new X509ParseError(field, 'rsaEncryption parameters must be NULL');
      const rsa = parseDer(key, RSAPublicKey, 'RSAPublicKey');
      return {
        type: 'rsa',
        n: positiveInteger(rsa.modulus, 'RSAPublicKey.modulus'),
        e: positiveInteger(rsa.publicExponent, 'RSAPublicKey.publicExponent'),
      };
    }
    case KeyOid.ecPublicKey: {
      const curve = curveOf(algorithm.parameters, field);
      return { type: 'ec', curve, point: checkPoint(curve, key, `${SPKI}.subjectPublicKey`) };
    }
    case KeyOid.ed25519:
      // RFC 8410 §3: parameters MUST be absent.
      if (algorithm.parameters !== undefined) throw new X509ParseError(field, 'Ed25519 parameters must be absent');
      if (key.length !== ED25519_BYTES) throw new X509ParseError(`${SPKI}.subjectPublicKey`, 'Ed25519 key is not 32 bytes');
      return { type: 'ed25519', key: key.slice() };
    default:
      throw unsupported(field, `public key algorithm ${algorithm.algorithm} is not supported`);
  }
}

/** The curve named by ECParameters (RFC 5480 §2.1.1: only namedCurve is allowed). */
function curveOf(parameters: ArrayBuffer | null | undefined, field: string): EcCurve {
  if (!(parameters instanceof ArrayBuffer)) throw new X509ParseError(field, 'EC key without curve parameters');
  const named = parseDer(new Uint8Array(parameters), ECParameters, `${field}.parameters`).namedCurve;
  if (named === undefined) throw unsupported(field, 'EC parameters other than a named curve');
  const curve = (Object.keys(CurveOid) as EcCurve[]).find((c) => CurveOid[c] === named);
  if (curve === undefined) throw unsupported(field, `EC curve ${named} is not supported`);
  return curve;
}

/** Only the uncompressed form 04||x||y (RFC 5480 §2.2; RFC 8446 §4.2.8.2 uses nothing else). */
function checkPoint(curve: EcCurve, point: Uint8Array, field: string): Uint8Array {
  if (point[0] === 0x02 || point[0] === 0x03) throw unsupported(field, 'compressed EC points are not supported');
  if (point[0] !== 0x04 || point.length !== 1 + 2 * FIELD_BYTES[curve]) {
    throw new X509ParseError(field, `not an uncompressed ${curve} point`);
  }
  return point.slice();
}

function positiveInteger(value: ArrayBuffer, field: string): bigint {
  const bytes = new Uint8Array(value);
  if ((bytes[0] ?? 0) & 0x80) throw new X509ParseError(field, 'is negative');
  const n = bytesToBigInt(bytes);
  if (n === 0n) throw new X509ParseError(field, 'is zero');
  return n;
}

/** The PEM labels of private keys, as OpenSSL's `PEM_read_bio_PrivateKey` looks for them. */
export const PRIVATE_KEY_LABELS: readonly string[] = [
  PemLabel.PRIVATE_KEY,
  PemLabel.EC_PRIVATE_KEY,
  PemLabel.RSA_PRIVATE_KEY,
  PemLabel.ENCRYPTED_PRIVATE_KEY,
];

/**
 * A private key from DER or PEM. PEM text may hold other blocks (a
 * certificate, `EC PARAMETERS`); the first key block is used. DER is told
 * apart by its shape: PKCS#8 has an AlgorithmIdentifier second, PKCS#1 an
 * INTEGER, SEC1 an OCTET STRING. Encrypted keys need a password:
 * `readPrivateKeyPem` (encrypted-key.ts) takes one.
 */
export function parsePrivateKey(input: Uint8Array | string): PrivateKey {
  if (typeof input !== 'string') return parsePrivateKeyDer(input);
  const block = pemDecode(input).find((b) => PRIVATE_KEY_LABELS.includes(b.label));
  if (block === undefined) throw new X509ParseError('PEM', 'no private key block');
  return parsePrivateKeyBlock(block.label, block.der);
}

/** The key of one PEM block with a label of `PRIVATE_KEY_LABELS` whose DER is not (or no longer) encrypted. */
export function parsePrivateKeyBlock(label: string, der: Uint8Array): PrivateKey {
  switch (label) {
    case PemLabel.PRIVATE_KEY:
      return parsePkcs8(der);
    case PemLabel.EC_PRIVATE_KEY:
      return parseSec1(der, undefined);
    case PemLabel.RSA_PRIVATE_KEY:
      return parsePkcs1(der);
    default:
      throw encryptedKey();
  }
}

function encryptedKey(): X509ParseError {
  return unsupported('EncryptedPrivateKeyInfo', 'encrypted private keys need a password (readPrivateKeyPem, SSLContext.load_cert_chain)');
}

function parsePrivateKeyDer(der: Uint8Array): PrivateKey {
  const node = decodeDer(der, 'PrivateKey');
  const first = childOf(node, 0, 'PrivateKey');
  const second = childOf(node, 1, 'PrivateKey');
  // RFC 5958 §3 EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier.
  if (isTag(first, 'universal', 16)) throw encryptedKey();
  if (isTag(second, 'universal', 16)) return parsePkcs8(der);
  if (isTag(second, 'universal', 2)) return parsePkcs1(der);
  if (isTag(second, 'universal', 4)) return parseSec1(der, undefined);
  throw new X509ParseError('PrivateKey', 'not PKCS#8, SEC1 or PKCS#1');
}

/** RFC 5958 §2 OneAsymmetricKey (v1 or v2). */
function parsePkcs8(der: Uint8Array): PrivateKey {
  const info = parseDer(der, PrivateKeyInfo, 'PrivateKeyInfo');
  const alg = info.privateKeyAlgorithm;
  const inner = new Uint8Array(info.privateKey.buffer);
  switch (alg.algorithm) {
    case KeyOid.rsaEncryption:
      if (alg.parameters !== null) throw new X509ParseError('PrivateKeyInfo.privateKeyAlgorithm', 'rsaEncryption parameters must be NULL');
      return parsePkcs1(inner);
    case KeyOid.ecPublicKey:
      return parseSec1(inner, curveOf(alg.parameters, 'PrivateKeyInfo.privateKeyAlgorithm'));
    case KeyOid.ed25519: {
      // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING, inside the PKCS#8 OCTET STRING.
      const seed = new Uint8Array(parseDer(inner, OctetString, 'CurvePrivateKey').buffer);
      if (seed.length !== ED25519_BYTES) throw new X509ParseError('CurvePrivateKey', 'Ed25519 key is not 32 bytes');
      return { type: 'ed25519', seed, key: derivePublicPoint('ed25519', seed) };
    }
    default:
      throw unsupported('PrivateKeyInfo.privateKeyAlgorithm', `private key algorithm ${alg.algorithm} is not supported`);
  }
}

/** RFC 5915 §3 ECPrivateKey; `outer` is the curve named by an enclosing PKCS#8. */
function parseSec1(der: Uint8Array, outer: EcCurve | undefined): PrivateKey {
  const F = 'ECPrivateKey';
  const ec = parseDer(der, ECPrivateKey, F);
  if (ec.version !== 1) throw new X509ParseError(`${F}.version`, `must be 1, not ${ec.version}`);
  let curve = outer;
  if (ec.parameters !== undefined) {
    const named = curveOf(AsnConvert.serialize(ec.parameters), `${F}.parameters`);
    if (outer !== undefined && named !== outer) throw new X509ParseError(`${F}.parameters`, 'curve differs from the PKCS#8 algorithm');
    curve = named;
  }
  if (curve === undefined) throw new X509ParseError(`${F}.parameters`, 'no curve given');
  const raw = new Uint8Array(ec.privateKey.buffer);
  const size = FIELD_BYTES[curve];
  if (raw.length === 0 || raw.length > size) throw new X509ParseError(`${F}.privateKey`, `not a ${curve} scalar`);
  // SEC 1 §2.3.7 fixes the length, but some encoders drop leading zeros.
  const secret = new Uint8Array(size);
  secret.set(raw, size - raw.length);
  let point: Uint8Array;
  try {
    point = derivePublicPoint(curve, secret);
  } catch {
    throw new X509ParseError(`${F}.privateKey`, `out of range for ${curve}`);
  }
  if (ec.publicKey !== undefined && !bytesEqual(new Uint8Array(ec.publicKey), point)) {
    throw new X509ParseError(`${F}.publicKey`, 'does not match the private key');
  }
  return { type: 'ec', curve, secret, point };
}

/** RFC 8017 Appendix A.1.2 RSAPrivateKey, two-prime only, with its CRT parameters checked. */
function parsePkcs1(der: Uint8Array): RsaPrivateKey {
  const F = 'RSAPrivateKey';
  const k = parseDer(der, RSAPrivateKey, F);
  if (k.version !== 0 || k.otherPrimeInfos !== undefined) throw unsupported(`${F}.version`, 'multi-prime RSA keys are not supported');
  const key: RsaPrivateKey = {
    type: 'rsa',
    n: positiveInteger(k.modulus, `${F}.modulus`),
    e: positiveInteger(k.publicExponent, `${F}.publicExponent`),
    d: positiveInteger(k.privateExponent, `${F}.privateExponent`),
    p: positiveInteger(k.prime1, `${F}.prime1`),
    q: positiveInteger(k.prime2, `${F}.prime2`),
    dp: positiveInteger(k.exponent1, `${F}.exponent1`),
    dq: positiveInteger(k.exponent2, `${F}.exponent2`),
    qInv: positiveInteger(k.coefficient, `${F}.coefficient`),
  };
  // Wrong CRT values would make every signature silently wrong (and leak the key via fault attacks).
  const consistent =
    key.p * key.q === key.n &&
    key.dp === key.d % (key.p - 1n) &&
    key.dq === key.d % (key.q - 1n) &&
    (key.qInv * key.q) % key.p === 1n;
  if (!consistent) throw new X509ParseError(F, 'CRT parameters are inconsistent');
  return key;
}

/** A DER SubjectPublicKeyInfo for `key`. */
export function encodePublicKeyInfo(key: PublicKey): Uint8Array {
  let algorithm: AlgorithmIdentifier;
  let bits: Uint8Array;
  switch (key.type) {
    case 'rsa':
      algorithm = new AlgorithmIdentifier({ algorithm: KeyOid.rsaEncryption, parameters: null });
      bits = serialize(new RSAPublicKey({ modulus: integer(key.n), publicExponent: integer(key.e) }));
      break;
    case 'ec':
      algorithm = ecAlgorithm(key.curve);
      bits = key.point;
      break;
    case 'ed25519':
      algorithm = new AlgorithmIdentifier({ algorithm: KeyOid.ed25519 });
      bits = key.key;
      break;
  }
  return serialize(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: buffer(bits) }));
}

/** A DER PKCS#8 PrivateKeyInfo (RFC 5958 v1) for `key`. */
export function encodePrivateKeyPkcs8(key: PrivateKey): Uint8Array {
  let algorithm: AlgorithmIdentifier;
  let inner: Uint8Array;
  switch (key.type) {
    case 'rsa':
      algorithm = new AlgorithmIdentifier({ algorithm: KeyOid.rsaEncryption, parameters: null });
      inner = serialize(
        new RSAPrivateKey({
          version: 0,
          modulus: integer(key.n),
          publicExponent: integer(key.e),
          privateExponent: integer(key.d),
          prime1: integer(key.p),
          prime2: integer(key.q),
          exponent1: integer(key.dp),
          exponent2: integer(key.dq),
          coefficient: integer(key.qInv),
        }),
      );
      break;
    case 'ec':
      // The curve is in the PKCS#8 algorithm, so RFC 5915 §3 lets the inner parameters go.
      algorithm = ecAlgorithm(key.curve);
      inner = serialize(new ECPrivateKey({ version: 1, privateKey: new OctetString(key.secret), publicKey: buffer(key.point) }));
      break;
    case 'ed25519':
      algorithm = new AlgorithmIdentifier({ algorithm: KeyOid.ed25519 });
      inner = serialize(new OctetString(key.seed));
      break;
  }
  return serialize(new PrivateKeyInfo({ version: 0, privateKeyAlgorithm: algorithm, privateKey: new Pkcs8PrivateKey(inner) }));
}

function ecAlgorithm(curve: EcCurve): AlgorithmIdentifier {
  const parameters = AsnConvert.serialize(new ECParameters({ namedCurve: CurveOid[curve] }));
  return new AlgorithmIdentifier({ algorithm: KeyOid.ecPublicKey, parameters });
}

function serialize(value: unknown): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(value));
}

function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** A non-negative INTEGER's contents: big-endian, with a 00 in front if the top bit is set (X.690 §8.3). */
function integer(value: bigint): ArrayBuffer {
  const length = Math.floor(value.toString(2).length / 8) + 1;
  return buffer(bigIntToBytes(value, length));
}
