/**
 * RSA over BigInt (RFC 8017): RSASSA-PSS sign/verify and RSASSA-PKCS1-v1_5
 * sign/verify, key generation. Hashes and randomness come from the caller, so
 * this file needs no crypto library.
 *
 * The private-key operation (RSASP1, `rsasp1`) uses the CRT and defends its
 * secrets as far as BigInt allows:
 * - the message is blinded (m·r^e mod n with a fresh r per call, RFC 8017
 *   §5.2.1 note 1), so the exponentiations never work on a value the caller
 *   chose;
 * - the exponent is blinded: each half raises to d_p + k·(p−1) (d_q + j·(q−1))
 *   with fresh 64-bit k and j per call, which gives the same result (Fermat)
 *   but a different bit pattern every time, so that traces of many calls do not
 *   average towards the bits of d_p and d_q;
 * - the exponentiation is a fixed window: every call on a key does the same
 *   sequence of squarings and multiplications, one table lookup per 4-bit
 *   window whatever its value (zero included), and every operand is kept in
 *   [−p, 0), so that a zero window is not a cheap multiplication by 1;
 * - the exponents, primes and blinding factors never pass through text: what
 *   the key needs is computed once (`keyTables`), window digits are read by
 *   32-bit limbs, and integer/octet conversions split and shift.
 * What this does not buy: V8's BigInt multiplication, division and allocation
 * are not constant time (their duration follows operand lengths, which we fix
 * up to leading zero limbs, and, in division, the values), the table lookup is
 * an ordinary array index (a cache-line channel), and the inverse of r comes
 * from the variable-time Euclidean algorithm. Blinding makes what one call
 * leaks a fact about random values used once; it does not stop an attacker who
 * can read a whole exponent from a single trace. SECURITY.md says so. A fault
 * in a CRT half is caught by re-checking the result with the public key.
 * @module
 */
import { fromHex } from '../wire/bytes.ts';
import type { RsaPrivateKey } from './keys.ts';
import type { Hash } from './provider.ts';
import { constantTimeEqual } from './constant-time.ts';

type Random = (length: number) => Uint8Array;

/** Where the modular multiplications of an exponentiation are counted (a test hook). */
export interface MultiplicationCounter {
  multiplications: number;
}

/** What one `rsasp1` call did, for tests: the multiplications of its two CRT exponentiations and the blinded exponents. */
export interface RsaProbe extends MultiplicationCounter {
  readonly exponents: bigint[];
}

/** Numbers of up to 6 bytes are exact in a double. */
const SMALL_BYTES = 6;

/** OS2IP (RFC 8017 §4.2), by halves: no text, and n·log n work however long the input. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length <= SMALL_BYTES) {
    let value = 0;
    for (const byte of bytes) value = value * 256 + byte;
    return BigInt(value);
  }
  const lowLength = bytes.length >> 1;
  const split = bytes.length - lowLength;
  return (bytesToBigInt(bytes.subarray(0, split)) << BigInt(8 * lowLength)) | bytesToBigInt(bytes.subarray(split));
}

/** I2OSP (RFC 8017 §4.1); throws if `value` does not fit. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  if (value < 0n) throw new RangeError('negative integer');
  if (value >> BigInt(8 * length) !== 0n) throw new RangeError('integer too large');
  const out = new Uint8Array(length);
  writeBigEndian(value, out);
  return out;
}

function writeBigEndian(value: bigint, out: Uint8Array): void {
  if (out.length <= SMALL_BYTES) {
    let rest = Number(value);
    for (let i = out.length - 1; i >= 0; i--, rest = Math.floor(rest / 256)) out[i] = rest % 256;
    return;
  }
  const lowLength = out.length >> 1;
  const split = out.length - lowLength;
  writeBigEndian(value >> BigInt(8 * lowLength), out.subarray(0, split));
  writeBigEndian(BigInt.asUintN(8 * lowLength, value), out.subarray(split));
}

/** Bits of a non-negative integer, counted by 32-bit limbs rather than through `toString`. */
export function bitLength(value: bigint): number {
  let bits = 0;
  let rest = value;
  for (; rest > 0xffff_ffffn; rest >>= 32n) bits += 32;
  return bits + 32 - Math.clz32(Number(rest));
}

function byteLength(n: bigint): number {
  return Math.ceil(bitLength(n) / 8);
}

const WINDOW_BITS = 4;
const WINDOWS_PER_LIMB = 32 / WINDOW_BITS;

/** The exponent's `windows` 4-bit digits, least significant first, read by 32-bit limbs. */
function windowDigits(exponent: bigint, windows: number): Uint8Array {
  if (exponent < 0n || exponent >> BigInt(WINDOW_BITS * windows) !== 0n) throw new RangeError('exponent longer than its windows');
  const digits = new Uint8Array(windows);
  let rest = exponent;
  for (let i = 0; i < windows; i += WINDOWS_PER_LIMB, rest >>= 32n) {
    let limb = Number(BigInt.asUintN(32, rest));
    for (let j = i; j < Math.min(windows, i + WINDOWS_PER_LIMB); j++, limb >>>= WINDOW_BITS) digits[j] = limb & 0xf;
  }
  return digits;
}

/**
 * base^exponent mod modulus, left to right over exactly `windows` 4-bit
 * windows: 14 multiplications for the table, then four squarings and one
 * multiplication by a table entry per window, whatever the digits. Every value
 * is kept as x − modulus (in [−modulus, 0)), the same residue, so that the
 * entry for a zero digit, 1 − modulus, is as long as the others; x + modulus
 * would be as long but, for the usual prime sizes that fill their top 64-bit
 * limb, one limb longer than the modulus.
 */
export function modPowFixedWindow(base: bigint, exponent: bigint, modulus: bigint, windows: number, counter?: MultiplicationCounter): bigint {
  if (modulus === 1n) return 0n;
  const digits = windowDigits(exponent, windows);
  const multiply = (a: bigint, b: bigint) => {
    if (counter) counter.multiplications++;
    return ((a * b) % modulus) - modulus;
  };
  const table = [1n - modulus, (base % modulus) - modulus];
  for (let i = 2; i < 1 << WINDOW_BITS; i++) table.push(multiply(table[i - 1]!, table[1]!));
  let result = table[0]!;
  for (let w = windows - 1; w >= 0; w--) {
    for (let s = 0; s < WINDOW_BITS; s++) result = multiply(result, result);
    result = multiply(result, table[digits[w]!]!);
  }
  digits.fill(0);
  return result + modulus;
}

/** base^exponent mod modulus for an exponent whose length is no secret (public exponents, primality tests). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  return modPowFixedWindow(base, exponent, modulus, Math.ceil(bitLength(exponent) / WINDOW_BITS));
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
const DIGEST_INFO_PREFIX: Record<string, Uint8Array> = {
  sha1: fromHex('3021300906052b0e03021a05000414'),
  sha256: fromHex('3031300d060960864801650304020105000420'),
  sha384: fromHex('3041300d060960864801650304020205000430'),
  sha512: fromHex('3051300d060960864801650304020305000440'),
};

/** EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2). */
function pkcs1Encode(hash: Hash, message: Uint8Array, emLen: number): Uint8Array {
  const prefix = DIGEST_INFO_PREFIX[hash.name]!;
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

/** One CRT half of a private key: a prime, its exponent, the group order that blinds it, and the windows that cover it. */
interface CrtHalf {
  readonly prime: bigint;
  readonly exponent: bigint;
  readonly order: bigint;
  readonly windows: number;
}

interface KeyTables {
  readonly p: CrtHalf;
  readonly q: CrtHalf;
}

/** Bytes of each exponent-blinding factor: 64 bits, as the module comment says. */
const EXPONENT_BLINDING_BYTES = 8;
const LARGEST_BLINDING_FACTOR = (1n << BigInt(8 * EXPONENT_BLINDING_BYTES)) - 1n;

const KEY_TABLES = new WeakMap<RsaPrivateKey, KeyTables>();

function crtHalf(prime: bigint, exponent: bigint): CrtHalf {
  const order = prime - 1n;
  // Enough windows for the largest blinded exponent, so that every call on this key does the same work.
  const windows = Math.ceil(bitLength(exponent + LARGEST_BLINDING_FACTOR * order) / WINDOW_BITS);
  return { prime, exponent, order, windows };
}

/** What the private-key operation needs from a key, computed on its first use and kept while the key lives. */
function keyTables(key: RsaPrivateKey): KeyTables {
  let tables = KEY_TABLES.get(key);
  if (!tables) {
    tables = { p: crtHalf(key.p, key.dp), q: crtHalf(key.q, key.dq) };
    KEY_TABLES.set(key, tables);
  }
  return tables;
}

/** c^(d_p + k·(p−1)) mod p with a fresh k: equal to c^d_p mod p (Fermat), with another exponent every call. */
function blindedHalf(half: CrtHalf, c: bigint, random: Random, probe: RsaProbe | undefined): bigint {
  const exponent = half.exponent + bytesToBigInt(random(EXPONENT_BLINDING_BYTES)) * half.order;
  probe?.exponents.push(exponent);
  return modPowFixedWindow(c % half.prime, exponent, half.prime, half.windows, probe);
}

/**
 * RSASP1 (RFC 8017 §5.2.1) with the CRT, the message blinded by r^e and each
 * exponent by a multiple of p−1 or q−1 (see the module comment), checked
 * against the public key. `probe` is a test hook.
 */
export function rsasp1(key: RsaPrivateKey, m: bigint, random: Random, probe?: RsaProbe): bigint {
  const { n, e, p, q, qInv } = key;
  if (m < 0n || m >= n) throw new RangeError('message representative out of range');
  const tables = keyTables(key);
  let r: bigint;
  do r = bytesToBigInt(random(byteLength(n))) % n;
  while (r < 2n);
  const rInv = modInverse(r, n);
  const blinded = (m * modPow(r, e, n)) % n;
  const s1 = blindedHalf(tables.p, blinded, random, probe);
  const s2 = blindedHalf(tables.q, blinded, random, probe);
  const h = (qInv * ((s1 - s2 + p) % p)) % p;
  const s = ((s2 + h * q) * rInv) % n;
  // A fault in the CRT half would leak a factor of n; re-check with the public key.
  if (modPow(s, e, n) !== m) throw new Error('RSA private-key operation failed its own check');
  return s;
}

function emBitsOf(n: bigint): number {
  return bitLength(n) - 1;
}

export function rsaPssSign(key: RsaPrivateKey, hash: Hash, message: Uint8Array, saltLength: number, random: Random): Uint8Array {
  const em = pssEncode(hash, message, emBitsOf(key.n), random(saltLength));
  return bigIntToBytes(rsasp1(key, bytesToBigInt(em), random), byteLength(key.n));
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
  return bigIntToBytes(rsasp1(key, bytesToBigInt(em), random), k);
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
