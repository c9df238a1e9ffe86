/**
 * PKCS#8 `EncryptedPrivateKeyInfo` (RFC 5958 §3) protected by PBES2
 * (RFC 8018 §6.2) — what `openssl pkcs8 -topk8 -v2 ...`, `openssl genpkey
 * -aes256` and OpenSSL 3's `openssl rsa -aes128` write: a key derived from the
 * password by PBKDF2 (RFC 8018 §5.2, HMAC-SHA1 … SHA-512) or scrypt (RFC 7914
 * §7), then AES-CBC. PBES1 and other ciphers are refused by name.
 * @module
 */
import { OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import type { CryptoProvider, PbkdfHashName, ScryptCost } from '../crypto/provider.ts';
import { type DerNode, contentsOf, decodeDer, elementsOf, isTag, nonNegativeInteger, parseDer, parseNode } from './der.ts';
import { X509ParseError } from './errors.ts';
import { type PasswordSource, UnsupportedKeyEncryption, cipherByOid, decryptCbc } from './key-ciphers.ts';

/** RFC 8018 Appendix C and RFC 7914 §7. */
const Pkcs5Oid = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
} as const;

/** RFC 8018 §B.1.2: the PBKDF2 PRFs OpenSSL's `-v2prf` offers. */
const PRF_HASHES: ReadonlyMap<string, PbkdfHashName> = new Map([
  ['1.2.840.113549.2.7', 'sha1'],
  ['1.2.840.113549.2.8', 'sha224'],
  ['1.2.840.113549.2.9', 'sha256'],
  ['1.2.840.113549.2.10', 'sha384'],
  ['1.2.840.113549.2.11', 'sha512'],
]);

/**
 * OpenSSL's default bound on scrypt's memory (`SCRYPT_MAX_MEM`, 32 MiB),
 * counted as `EVP_PBE_scrypt` counts it: 128·r·(N + 2) + 128·r·p bytes.
 */
const SCRYPT_MAX_MEMORY = 32 * 1024 * 1024;

const F = 'EncryptedPrivateKeyInfo';
const P = 'PBES2-params';

/**
 * The DER PrivateKeyInfo inside `der`, an EncryptedPrivateKeyInfo. `password`
 * is asked only once the scheme is known to be one we decrypt.
 */
export function decryptPkcs8(der: Uint8Array, password: PasswordSource, provider: CryptoProvider): Uint8Array {
  const info = parseDer(der, EncryptedPrivateKeyInfo, F);
  const scheme = info.encryptionAlgorithm;
  if (scheme.algorithm !== Pkcs5Oid.pbes2) cipherByOid(scheme.algorithm, `${F}.encryptionAlgorithm`);
  const params = decodeDer(parametersOf(scheme, P), P);
  const [kdfNode, encNode] = elementsOf(params, P, 2, 2) as [DerNode, DerNode];
  const encryption = parseNode(encNode, AlgorithmIdentifier, `${P}.encryptionScheme`);
  const cipher = cipherByOid(encryption.algorithm, `${P}.encryptionScheme`);
  const iv = new Uint8Array(parseDer(parametersOf(encryption, `${P}.encryptionScheme`), OctetString, `${P}.encryptionScheme.iv`).buffer);
  const kdf = parseNode(kdfNode, AlgorithmIdentifier, `${P}.keyDerivationFunc`);
  const key = deriveKey(kdf, password, cipher.keyLength, provider);
  return decryptCbc(provider, key, iv, new Uint8Array(info.encryptedData.buffer), `${F}.encryptedData`);
}

function parametersOf(algorithm: AlgorithmIdentifier, field: string): Uint8Array {
  if (!(algorithm.parameters instanceof ArrayBuffer)) throw new X509ParseError(field, 'parameters missing');
  return new Uint8Array(algorithm.parameters);
}

function deriveKey(kdf: AlgorithmIdentifier, password: PasswordSource, keyLength: number, provider: CryptoProvider): Uint8Array {
  const field = `${P}.keyDerivationFunc`;
  const params = decodeDer(parametersOf(kdf, field), field);
  switch (kdf.algorithm) {
    case Pkcs5Oid.pbkdf2:
      return pbkdf2(params, password, keyLength, provider);
    case Pkcs5Oid.scrypt:
      return scrypt(params, password, keyLength, provider);
    default:
      throw new UnsupportedKeyEncryption(field, `key derivation function ${kdf.algorithm}`);
  }
}

/**
 * RFC 8018 §A.2 PBKDF2-params: salt (only the `specified` OCTET STRING form
 * is defined), iterationCount, keyLength OPTIONAL, prf DEFAULT hmacWithSHA1.
 */
function pbkdf2(params: DerNode, password: PasswordSource, keyLength: number, provider: CryptoProvider): Uint8Array {
  const field = 'PBKDF2-params';
  const [saltNode, countNode, ...rest] = elementsOf(params, field, 2, 4) as [DerNode, DerNode, ...DerNode[]];
  const salt = octets(saltNode, `${field}.salt`);
  const iterations = positive(countNode, `${field}.iterationCount`);
  let hash: PbkdfHashName = 'sha1';
  let next = rest.shift();
  if (next !== undefined && isTag(next, 'universal', 2)) {
    checkKeyLength(next, keyLength, `${field}.keyLength`);
    next = rest.shift();
  }
  if (next !== undefined) {
    const prf = parseNode(next, AlgorithmIdentifier, `${field}.prf`);
    const named = PRF_HASHES.get(prf.algorithm);
    if (named === undefined) throw new UnsupportedKeyEncryption(`${field}.prf`, `PBKDF2 PRF ${prf.algorithm}`);
    hash = named;
  }
  if (rest.length > 0) throw new X509ParseError(field, 'unexpected trailing elements');
  return provider.keyFiles.pbkdf2(hash, password(), salt, iterations, keyLength);
}

/** RFC 7914 §7.1 scrypt-params: salt, costParameter (N), blockSize (r), parallelizationParameter (p), keyLength OPTIONAL. */
function scrypt(params: DerNode, password: PasswordSource, keyLength: number, provider: CryptoProvider): Uint8Array {
  const field = 'scrypt-params';
  const [saltNode, nNode, rNode, pNode, lengthNode] = elementsOf(params, field, 4, 5) as [DerNode, DerNode, DerNode, DerNode, DerNode?];
  const cost: ScryptCost = {
    N: positive(nNode, `${field}.costParameter`),
    r: positive(rNode, `${field}.blockSize`),
    p: positive(pNode, `${field}.parallelizationParameter`),
  };
  if (lengthNode !== undefined) checkKeyLength(lengthNode, keyLength, `${field}.keyLength`);
  // RFC 7914 §2: N is a power of two greater than 1.
  if (cost.N < 2 || (cost.N & (cost.N - 1)) !== 0) throw new X509ParseError(`${field}.costParameter`, 'not a power of two above 1');
  // OpenSSL refuses these files too (and cannot write them).
  if (128 * cost.r * (cost.N + 2 + cost.p) > SCRYPT_MAX_MEMORY) {
    throw new X509ParseError(field, `needs more than OpenSSL's ${SCRYPT_MAX_MEMORY / 1024 / 1024} MiB scrypt memory limit`);
  }
  return provider.keyFiles.scrypt(password(), octets(saltNode, `${field}.salt`), cost, keyLength);
}

function octets(node: DerNode, field: string): Uint8Array {
  if (!isTag(node, 'universal', 4) || node.idBlock.isConstructed) throw new X509ParseError(field, 'not an OCTET STRING');
  return contentsOf(node).slice();
}

function positive(node: DerNode, field: string): number {
  if (!isTag(node, 'universal', 2)) throw new X509ParseError(field, 'not an INTEGER');
  const n = nonNegativeInteger(node, field);
  if (n === 0) throw new X509ParseError(field, 'must be at least 1');
  return n;
}

/** An explicit keyLength must be the cipher's (OpenSSL refuses anything else too). */
function checkKeyLength(node: DerNode, keyLength: number, field: string): void {
  const length = positive(node, field);
  if (length !== keyLength) throw new X509ParseError(field, `is ${length}, the cipher needs ${keyLength}`);
}
