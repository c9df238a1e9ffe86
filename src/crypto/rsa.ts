/**
 * RSA over BigInt (RFC 8017): RSASSA-PSS sign/verify and RSASSA-PKCS1-v1_5
 * sign/verify, key generation. Private-key operations use the CRT and are
 * blinded with a fresh random factor; BigInt arithmetic is not constant time,
 * which SECURITY.md states. Hashes and randomness come from the caller, so this
 * file needs no crypto library.
 * @module
 */
import { fromHex, toHex } from '../wire/bytes.ts';
import { type RsaPrivateKey, rsaModulusBits } from './keys.ts';
import type { Hash } from './provider.ts';
import { constantTimeEqual } from './constant-time.ts';

type Random = (length: number) => Uint8Array;

/** OS2IP (RFC 8017 §4.2). Through hex: BigInt parses it natively, far faster than shifting per byte. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${toHex(bytes)}`);
}

/** I2OSP (RFC 8017 §4.1); throws if `value` does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative integer');
  if (value === 0n) return new Uint8Array(length);
  const hex = value.toString(16);
  if (hex.length > length * 2) throw new RangeError('integer too large');
  return fromHex(hex.padStart(length * 2, '0'));
}

function byteLength(n: bigint): number {
  return Math.ceil(rsaModulusBits(n) / 8);
}

/** Left-to-right modular exponentiation with a 4-bit fixed window. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  base %= modulus;
  const table: bigint[] = [1n];
  for (let i = 1; i < 16; i++) table.push((table[i - 1]! * base) % modulus);
  const hex = exponent.toString(16);
  let result = 1n;
  for (const digit of hex) {
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    result = (result * result) % modulus;
    const d = parseInt(digit, 16);
    if (d !== 0) result = (result * table[d]!) % modulus;
  }
  return result;
}

export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}

/** MGF1 (RFC 8017 §B.2.1). */
function mgf1(hash: Hash, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let c = 0, offset = 0; offset < length; c++) {
    new DataView(counter.buffer).setUint32(0, c);
    const block = hash.create().update(seed).update(counter).digest();
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  return out;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1). */
function pssEncode(hash: Hash, message: Uint8Array, emBits: number, salt: Uint8Array): Uint8Array {
  const emLen = Math.ceil(emBits / 8);
  const hLen = hash.outputLength;
  if (emLen < hLen + salt.length + 2) throw new RangeError('RSA-PSS: modulus too small for hash and salt');
  const mHash = hash.digest(message);
  const h = hash.create().update(new Uint8Array(8)).update(mHash).update(salt).digest();
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - salt.length - 1] = 0x01;
  db.set(salt, db.length - salt.length);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = new Uint8Array(emLen);
  em.set(db, 0);
  em.set(h, db.length);
  em[emLen - 1] = 0xbc;
  return em;
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with a fixed salt length. */
function pssVerify(hash: Hash, message: Uint8Array, em: Uint8Array, emBits: number, saltLength: number): boolean {
  const emLen = Math.ceil(emBits / 8);
  const hLen = hash.outputLength;
  if (em.length !== emLen || emLen < hLen + saltLength + 2) return false;
  if (em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topBits = 8 * emLen - emBits;
  if ((maskedDb[0]! & ~(0xff >> topBits) & 0xff) !== 0) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0]! &= 0xff >> topBits;
  const psLength = emLen - hLen - saltLength - 2;
  for (let i = 0; i < psLength; i++) if (db[i] !== 0) return false;
  if (db[psLength] !== 0x01) return false;
  const salt = db.subarray(db.length - saltLength);
  const mHash = hash.digest(message);
  const expected = hash.create().update(new Uint8Array(8)).update(mHash).update(salt).digest();
  return constantTimeEqual(expected, h);
}

/** DER DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1). */
const DIGEST_INFO_PREFIX: Record<string, string> = {
  sha1: '3021300906052b0e03021a05000414',
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2). */
function pkcs1Encode(hash: Hash, message: Uint8Array, emLen: number): Uint8Array {
  const prefixHex = DIGEST_INFO_PREFIX[hash.name]!;
  const prefix = Uint8Array.from(prefixHex.match(/../g)!.map((x) => parseInt(x, 16)));
  const t = new Uint8Array(prefix.length + hash.outputLength);
  t.set(prefix, 0);
  t.set(hash.digest(message), prefix.length);
  if (emLen < t.length + 11) throw new RangeError('RSA PKCS#1: modulus too small');
  const em = new Uint8Array(emLen).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[emLen - t.length - 1] = 0x00;
  em.set(t, emLen - t.length);
  return em;
}

/** RSAVP1 (RFC 8017 §5.2.2): s^e mod n, or null when s is out of range. */
function rsaPublic(n: bigint, e: bigint, signature: Uint8Array): Uint8Array | null {
  const k = byteLength(n);
  if (signature.length !== k) return null;
  const s = bytesToBigInt(signature);
  if (s >= n) return null;
  return bigIntToBytes(modPow(s, e, n), k);
}

/** RSASP1 with the CRT, blinded by r^e (RFC 8017 §5.2.1), checked against the public key. */
function rsaPrivate(key: RsaPrivateKey, m: bigint, random: Random): bigint {
  const { n, e, p, q, dp, dq, qInv } = key;
  let r: bigint;
  do r = bytesToBigInt(random(byteLength(n))) % n;
  while (r < 2n);
  const rInv = modInverse(r, n);
  const blinded = (m * modPow(r, e, n)) % n;
  const s1 = modPow(blinded % p, dp, p);
  const s2 = modPow(blinded % q, dq, q);
  const h = (qInv * ((s1 - s2 + p) % p)) % p;
  const s = ((s2 + h * q) * rInv) % n;
  // A fault in the CRT half would leak a factor of n; re-check with the public key.
  if (modPow(s, e, n) !== m) throw new Error('RSA private-key operation failed its own check');
  return s;
}

function emBitsOf(n: bigint): number {
  return n.toString(2).length - 1;
}

export function rsaPssSign(key: RsaPrivateKey, hash: Hash, message: Uint8Array, saltLength: number, random: Random): Uint8Array {
  const em = pssEncode(hash, message, emBitsOf(key.n), random(saltLength));
  return bigIntToBytes(rsaPrivate(key, bytesToBigInt(em), random), byteLength(key.n));
}

export function rsaPssVerify(n: bigint, e: bigint, hash: Hash, message: Uint8Array, signature: Uint8Array, saltLength: number): boolean {
  const m = rsaPublic(n, e, signature);
  if (m === null) return false;
  const emBits = emBitsOf(n);
  const emLen = Math.ceil(emBits / 8);
  // When emBits is a multiple of 8 the encoded message is one byte shorter than k and the top byte must be zero.
  if (m.length > emLen && m[0] !== 0) return false;
  return pssVerify(hash, message, m.subarray(m.length - emLen), emBits, saltLength);
}

export function rsaPkcs1Sign(key: RsaPrivateKey, hash: Hash, message: Uint8Array, random: Random): Uint8Array {
  const k = byteLength(key.n);
  const em = pkcs1Encode(hash, message, k);
  return bigIntToBytes(rsaPrivate(key, bytesToBigInt(em), random), k);
}

/** Verification by re-encoding and comparing, never by parsing (avoids Bleichenbacher'06 forgeries). */
export function rsaPkcs1Verify(n: bigint, e: bigint, hash: Hash, message: Uint8Array, signature: Uint8Array): boolean {
  const m = rsaPublic(n, e, signature);
  if (m === null) return false;
  return constantTimeEqual(m, pkcs1Encode(hash, message, m.length));
}

const SMALL_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n, 73n];

/** Miller-Rabin with `rounds` random bases (FIPS 186-5 §B.3). */
function isProbablePrime(candidate: bigint, random: Random, rounds: number): boolean {
  for (const p of SMALL_PRIMES) if (candidate % p === 0n) return candidate === p;
  let d = candidate - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  const size = byteLength(candidate);
  for (let i = 0; i < rounds; i++) {
    const a = 2n + (bytesToBigInt(random(size)) % (candidate - 3n));
    let x = modPow(a, d, candidate);
    if (x === 1n || x === candidate - 1n) continue;
    let composite = true;
    for (let j = 1; j < s; j++) {
      x = (x * x) % candidate;
      if (x === candidate - 1n) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

function randomPrime(bits: number, e: bigint, random: Random): bigint {
  for (;;) {
    const bytes = random(Math.ceil(bits / 8));
    let c = bytesToBigInt(bytes) >> BigInt(bytes.length * 8 - bits);
    c |= (3n << BigInt(bits - 2)) | 1n; // top two bits set so p*q has exactly 2*bits bits
    if ((c - 1n) % e === 0n) continue;
    if (isProbablePrime(c, random, 40)) return c;
  }
}

export function rsaGenerate(bits: number, random: Random, e = 65537n): RsaPrivateKey {
  for (;;) {
    const p = randomPrime(bits / 2, e, random);
    const q = randomPrime(bits / 2, e, random);
    if (p === q) continue;
    const n = p * q;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(e, lambda);
    const [P, Q] = p > q ? [p, q] : [q, p];
    return { type: 'rsa', n, e, d, p: P, q: Q, dp: d % (P - 1n), dq: d % (Q - 1n), qInv: modInverse(Q, P) };
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
