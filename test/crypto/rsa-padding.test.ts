/**
 * RSA signature padding checks, one malformed field at a time: encoded
 * messages built here by hand (EMSA-PSS, RFC 8017 §9.1.1; EMSA-PKCS1-v1_5,
 * §9.2) with node's hashes, turned into signatures with OpenSSL's raw RSA
 * private operation (`privateEncrypt` with RSA_NO_PADDING). The well-formed
 * control verifies on node and on us; every deviation verifies false.
 * @module
 */
import { constants, createHash, privateEncrypt, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import { concatBytes, fromHex, utf8 } from '../../src/wire/bytes.ts';
import { nodeRsaKey, type NodeKeyPair } from './helpers.ts';

const MESSAGE = utf8('padding under the microscope');
const sha256 = (...parts: Uint8Array[]) => new Uint8Array(parts.reduce((h, p) => h.update(p), createHash('sha256')).digest());
const H_LEN = 32;

function modulusOf(key: NodeKeyPair): bigint {
  if (key.publicKey.type !== 'rsa') throw new Error('not an RSA key');
  return key.publicKey.n;
}

const modulusBits = (key: NodeKeyPair) => modulusOf(key).toString(2).length;
const modulusBytes = (key: NodeKeyPair) => Math.ceil(modulusBits(key) / 8);
const toBig = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);

/** The raw RSA private operation on `em`, left-padded with zeros to the modulus length; null if em >= n. */
function rawSign(key: NodeKeyPair, em: Uint8Array): Uint8Array | null {
  const k = modulusBytes(key);
  const block = concatBytes(new Uint8Array(k - em.length), em);
  if (toBig(block) >= modulusOf(key)) return null;
  return new Uint8Array(privateEncrypt({ key: key.nodePrivate, padding: constants.RSA_NO_PADDING }, block));
}

const mgf1 = (seed: Uint8Array, length: number) => {
  const out: Uint8Array[] = [];
  for (let counter = 0; out.length * H_LEN < length; counter++) out.push(sha256(seed, Uint8Array.of(counter >>> 24, counter >>> 16, counter >>> 8, counter)));
  return concatBytes(...out).subarray(0, length);
};

interface PssTweaks {
  /** Applied to DB = PS || 0x01 || salt before masking. */
  readonly db?: (db: Uint8Array, saltLength: number) => void;
  /** Applied to the whole encoded message at the end. */
  readonly em?: (em: Uint8Array) => void;
  /** Leave the bits above emBits as the mask made them (the encoder must clear them). */
  readonly keepTopBits?: boolean;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with SHA-256 and MGF1-SHA-256, with optional defects. */
function pssEncode(emBits: number, salt: Uint8Array, tweaks: PssTweaks = {}): Uint8Array {
  const emLen = Math.ceil(emBits / 8);
  const h = sha256(new Uint8Array(8), sha256(MESSAGE), salt);
  const db = new Uint8Array(emLen - H_LEN - 1);
  db[db.length - salt.length - 1] = 0x01;
  db.set(salt, db.length - salt.length);
  tweaks.db?.(db, salt.length);
  const mask = mgf1(h, db.length);
  const maskedDb = db.map((b, i) => b ^ mask[i]!);
  if (!tweaks.keepTopBits) maskedDb[0]! &= 0xff >> (8 * emLen - emBits);
  const em = concatBytes(maskedDb, h, Uint8Array.of(0xbc));
  tweaks.em?.(em);
  return em;
}

/**
 * A signature over a PSS encoding, trying fresh salts until the encoding is
 * below n (only matters for the defects that set high bits) and `accept` holds.
 */
function pssSignature(key: NodeKeyPair, tweaks: PssTweaks, accept: (em: Uint8Array) => boolean = () => true, prefix?: Uint8Array): Uint8Array {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const em = pssEncode(modulusBits(key) - 1, provider.randomBytes(H_LEN), tweaks);
    if (!accept(em)) continue;
    const signature = rawSign(key, prefix ? concatBytes(prefix, em) : em);
    if (signature) return signature;
  }
  throw new Error('no suitable salt found');
}

const PSS = { type: 'rsa-pss', hash: 'sha256', saltLength: H_LEN } as const;
const verifiesPss = (key: NodeKeyPair, signature: Uint8Array) => provider.verify(PSS, key.publicKey, MESSAGE, signature);
const nodeVerifiesPss = (key: NodeKeyPair, signature: Uint8Array) =>
  nodeVerify('sha256', MESSAGE, { key: key.nodePublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: H_LEN }, signature);

describe('EMSA-PSS decoding (RFC 8017 §9.1.2)', () => {
  const key = nodeRsaKey(2048);

  it('control: the hand-made encoding verifies on node and on us', () => {
    const signature = pssSignature(key, {});
    expect(nodeVerifiesPss(key, signature)).toBe(true);
    expect(verifiesPss(key, signature)).toBe(true);
  });

  const defects: ReadonlyArray<readonly [string, PssTweaks]> = [
    ['trailer field 0xbd, not 0xbc (step 4)', { em: (em) => (em[em.length - 1] = 0xbd) }],
    ['a non-zero byte in the padding string PS (step 10)', { db: (db) => (db[5] = 0x01) }],
    ['the last byte of PS non-zero (step 10)', { db: (db, s) => (db[db.length - s - 2] = 0x80) }],
    ['separator 0x02, not 0x01 (step 10)', { db: (db, s) => (db[db.length - s - 1] = 0x02) }],
    ['separator moved: a salt one byte longer (step 10)', { db: (db, s) => (db[db.length - s - 2] = 0x01) }],
    ['separator missing (step 10)', { db: (db, s) => (db[db.length - s - 1] = 0x00) }],
  ];
  for (const [name, tweaks] of defects) {
    it(name, () => {
      const signature = pssSignature(key, tweaks);
      expect(nodeVerifiesPss(key, signature)).toBe(false);
      expect(verifiesPss(key, signature)).toBe(false);
    });
  }

  it('the bit above emBits set (step 6: the leftmost 8emLen - emBits bits must be zero)', () => {
    const signature = pssSignature(key, { keepTopBits: true }, (em) => (em[0]! & 0x80) !== 0);
    expect(nodeVerifiesPss(key, signature)).toBe(false);
    expect(verifiesPss(key, signature)).toBe(false);
  });

  it('a 1025-bit modulus: the octet before the encoded message must be zero (emLen = k - 1)', () => {
    const key1025 = nodeRsaKey(1025);
    expect(modulusBytes(key1025)).toBe(129);
    const control = pssSignature(key1025, {});
    expect(nodeVerifiesPss(key1025, control)).toBe(true);
    expect(verifiesPss(key1025, control)).toBe(true);
    const signature = pssSignature(key1025, {}, () => true, Uint8Array.of(0x01));
    expect(nodeVerifiesPss(key1025, signature)).toBe(false);
    expect(verifiesPss(key1025, signature)).toBe(false);
  });
});

describe('EMSA-PKCS1-v1_5 (RFC 8017 §9.2): verification re-encodes and compares', () => {
  const key = nodeRsaKey(2048);
  const k = modulusBytes(key);
  const PKCS1 = { type: 'rsa-pkcs1', hash: 'sha256' } as const;
  // DigestInfo for SHA-256 (RFC 8017 §9.2 note 1), with and without the NULL parameters.
  const DIGEST_INFO = fromHex('3031300d060960864801650304020105000420');
  const DIGEST_INFO_NO_NULL = fromHex('302f300b0609608648016503040201' + '0420');

  /** 0x00 || 0x01 || PS (0xff...) || 0x00 || T, with T and the block type under test's control. */
  const encode = (t: Uint8Array, blockType = 0x01, fill = 0xff) =>
    concatBytes(Uint8Array.of(0x00, blockType), new Uint8Array(k - 3 - t.length).fill(fill), Uint8Array.of(0x00), t);
  const good = () => concatBytes(DIGEST_INFO, sha256(MESSAGE));
  const check = (em: Uint8Array) => {
    expect(em).toHaveLength(k);
    const signature = rawSign(key, em)!;
    return [nodeVerify('sha256', MESSAGE, key.nodePublic, signature), provider.verify(PKCS1, key.publicKey, MESSAGE, signature)];
  };

  it('control: the hand-made encoding verifies on node and on us', () => {
    expect(check(encode(good()))).toEqual([true, true]);
  });

  it('block type 02 is false', () => {
    expect(check(encode(good(), 0x02))).toEqual([false, false]);
  });

  it('a padding byte other than 0xff is false', () => {
    const em = encode(good());
    em[10] = 0xfe;
    expect(check(em)).toEqual([false, false]);
  });

  it('the zero separator missing is false', () => {
    const em = encode(good());
    em[k - good().length - 1] = 0xff;
    expect(check(em)).toEqual([false, false]);
  });

  it('short padding with garbage after the hash is false (Bleichenbacher 2006)', () => {
    const t = concatBytes(good(), new Uint8Array(k - 3 - 8 - good().length).fill(0x41));
    const em = concatBytes(Uint8Array.of(0x00, 0x01), new Uint8Array(8).fill(0xff), Uint8Array.of(0x00), t);
    expect(check(em)).toEqual([false, false]);
  });

  it('DigestInfo without the NULL parameters is false (only the RFC 8017 §9.2 note 1 encoding, as OpenSSL)', () => {
    expect(check(encode(concatBytes(DIGEST_INFO_NO_NULL, sha256(MESSAGE))))).toEqual([false, false]);
  });

  it("the hash of another message, or another hash's DigestInfo, is false", () => {
    expect(check(encode(concatBytes(DIGEST_INFO, sha256(utf8('another message')))))).toEqual([false, false]);
    const sha384Info = fromHex('3041300d060960864801650304020205000430');
    expect(check(encode(concatBytes(sha384Info, new Uint8Array(createHash('sha384').update(MESSAGE).digest())))))
      .toEqual([false, false]);
  });
});
