/**
 * The crypto provider interface: the only way the layers above reach
 * cryptography. `noble.ts` implements it over the audited noble libraries; tests
 * plug in a deterministic provider (RFC 8448 replay), and users may plug in a
 * platform-accelerated one. Key material is plain data (`keys.ts`).
 * @module
 */
import type { PrivateKey, PublicKey, KeySpec } from './keys.ts';

export type HashName = 'sha1' | 'sha256' | 'sha384' | 'sha512';
export type AeadName = 'AES-128-GCM' | 'AES-256-GCM' | 'CHACHA20-POLY1305';
export type GroupName = 'x25519' | 'x448' | 'secp256r1' | 'secp384r1' | 'secp521r1';

/** An incremental hash; `clone()` lets a transcript take a digest and go on. */
export interface HashContext {
  update(data: Uint8Array): HashContext;
  digest(): Uint8Array;
  clone(): HashContext;
}

export interface Hash {
  readonly name: HashName;
  readonly outputLength: number;
  digest(data: Uint8Array): Uint8Array;
  create(): HashContext;
}

/** An AEAD keyed once (RFC 5116). `open` returns null when the tag does not verify. */
export interface Aead {
  readonly name: AeadName;
  readonly keyLength: number;
  readonly nonceLength: number;
  readonly tagLength: number;
  seal(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array | null;
}

/** One ephemeral key pair for a key-exchange group (RFC 8446 §4.2.8.2, §7.4). */
export interface KeyExchange {
  readonly group: GroupName;
  /** The key_exchange bytes: a 32-byte X25519 or 56-byte X448 key, or an uncompressed SEC1 point. */
  readonly publicKey: Uint8Array;
  /** The shared secret (the x-coordinate for NIST curves); throws on an invalid peer key. */
  agree(peerPublicKey: Uint8Array): Uint8Array;
}

/** How a signature is made; the curve or modulus comes from the key. */
export type SignatureAlgorithm =
  | { readonly type: 'ecdsa'; readonly hash: HashName }
  | { readonly type: 'ed25519' }
  | { readonly type: 'rsa-pss'; readonly hash: HashName; readonly saltLength: number }
  | { readonly type: 'rsa-pkcs1'; readonly hash: HashName };

/** The PRF hashes of PBKDF2 as PKCS#5 names them (RFC 8018 §B.1.2 hmacWithSHA1 … hmacWithSHA512). */
export type PbkdfHashName = HashName | 'sha224';

/** scrypt's cost parameters (RFC 7914 §2): N a power of two, r and p at least 1. */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * What opening a password-protected private-key file takes, and nothing on the
 * wire uses: PKCS#5 v2.1 (RFC 8018) PBKDF2 and AES-CBC, scrypt (RFC 7914), and
 * MD5 for the key derivation of OpenSSL's traditional PEM encryption
 * (`EVP_BytesToKey`). Decryption only: puretls reads key files, never writes
 * encrypted ones.
 */
export interface KeyFileCrypto {
  /** RFC 8018 §5.2 PBKDF2 with HMAC over `hash`. */
  pbkdf2(hash: PbkdfHashName, password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array;
  /** RFC 7914 §6; `cost` must already be checked against the memory the caller allows. */
  scrypt(password: Uint8Array, salt: Uint8Array, cost: ScryptCost, length: number): Uint8Array;
  /**
   * AES-CBC decryption with a 16-, 24- or 32-byte key and a 16-byte IV,
   * removing PKCS#7 padding (RFC 8018 §6.1.1 step 4, RFC 5652 §6.3). Null when
   * the length or the padding is wrong, which is what a wrong password nearly
   * always gives.
   */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array | null;
  md5(data: Uint8Array): Uint8Array;
}

export interface CryptoProvider {
  readonly name: string;
  randomBytes(length: number): Uint8Array;
  hash(name: HashName): Hash;
  hmac(name: HashName, key: Uint8Array, data: Uint8Array): Uint8Array;
  aead(name: AeadName, key: Uint8Array): Aead;
  /** A fresh ephemeral key pair, or one imported from `secret` (tests, vectors). */
  keyExchange(group: GroupName, secret?: Uint8Array): KeyExchange;
  sign(algorithm: SignatureAlgorithm, key: PrivateKey, message: Uint8Array): Uint8Array;
  /** False for a signature that does not verify or cannot be parsed; never throws for those. */
  verify(algorithm: SignatureAlgorithm, key: PublicKey, message: Uint8Array, signature: Uint8Array): boolean;
  /** A new signing key (throwaway CAs for the demo and tests). */
  generateKey(spec: KeySpec): PrivateKey;
  readonly keyFiles: KeyFileCrypto;
}
