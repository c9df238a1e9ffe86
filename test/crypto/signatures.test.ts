/**
 * Signatures cross-checked with OpenSSL through `node:crypto`, on key pairs
 * node generated and we parsed from their PKCS#8 / SPKI: node signs and we
 * verify, we sign and node verifies, for ECDSA (P-256/P-384/P-521 with each
 * SHA-2), Ed25519, RSA-PSS (salt = hash length, RFC 8446 §4.2.3) and RSA
 * PKCS#1 v1.5. Anything tampered, malformed, out of range or paired with the
 * wrong key verifies false, never throws.
 * @module
 */
import { constants, createPublicKey, sign as nodeSignRaw, verify as nodeVerifyRaw, type SigningOptions } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EcCurve } from '../../src/crypto/keys.ts';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import type { HashName, SignatureAlgorithm } from '../../src/crypto/provider.ts';
import { concatBytes, toHex, utf8 } from '../../src/wire/bytes.ts';
import { flipBit, modPowReference, nodeEcKey, nodeEd25519Key, nodeRsaKey, type NodeKeyPair } from './helpers.ts';

const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
const MESSAGE = concatBytes(new Uint8Array(64).fill(0x20), utf8('TLS 1.3, server CertificateVerify'), Uint8Array.of(0), new Uint8Array(32).fill(7));

/** node's arguments for `algorithm`: the digest name and the padding / encoding options. */
function nodeParams(algorithm: SignatureAlgorithm): [string | null, SigningOptions] {
  switch (algorithm.type) {
    case 'ecdsa':
      return [algorithm.hash, { dsaEncoding: 'der' }];
    case 'ed25519':
      return [null, {}];
    case 'rsa-pss':
      return [algorithm.hash, { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength }];
    case 'rsa-pkcs1':
      return [algorithm.hash, { padding: constants.RSA_PKCS1_PADDING }];
  }
}

function nodeSign(algorithm: SignatureAlgorithm, key: NodeKeyPair, message: Uint8Array): Uint8Array {
  const [hash, options] = nodeParams(algorithm);
  return new Uint8Array(nodeSignRaw(hash, message, { key: key.nodePrivate, ...options }));
}

function nodeVerify(algorithm: SignatureAlgorithm, key: NodeKeyPair, message: Uint8Array, signature: Uint8Array): boolean {
  const [hash, options] = nodeParams(algorithm);
  return nodeVerifyRaw(hash, message, { key: key.nodePublic, ...options }, signature);
}

const ours = {
  sign: (algorithm: SignatureAlgorithm, key: NodeKeyPair, message = MESSAGE) => provider.sign(algorithm, key.privateKey, message),
  verify: (algorithm: SignatureAlgorithm, key: NodeKeyPair, signature: Uint8Array, message = MESSAGE) =>
    provider.verify(algorithm, key.publicKey, message, signature),
};

/** Both directions with OpenSSL, then the tampering every scheme must reject. */
function crossCheck(label: string, algorithm: SignatureAlgorithm, key: NodeKeyPair, other: NodeKeyPair): void {
  describe(label, () => {
    it('node signs, we verify', () => {
      for (const message of [MESSAGE, new Uint8Array(0)]) {
        expect(ours.verify(algorithm, key, nodeSign(algorithm, key, message), message)).toBe(true);
      }
    });

    it('we sign, node verifies', () => {
      for (const message of [MESSAGE, new Uint8Array(0)]) {
        const signature = ours.sign(algorithm, key, message);
        expect(nodeVerify(algorithm, key, message, signature)).toBe(true);
        expect(ours.verify(algorithm, key, signature, message)).toBe(true);
      }
    });

    it('a tampered message or signature, or another key, verifies false', () => {
      const signature = nodeSign(algorithm, key, MESSAGE);
      expect(ours.verify(algorithm, key, signature, flipBit(MESSAGE, 0))).toBe(false);
      expect(ours.verify(algorithm, key, signature, flipBit(MESSAGE, MESSAGE.length - 1, 7))).toBe(false);
      expect(ours.verify(algorithm, key, signature, MESSAGE.subarray(1))).toBe(false);
      for (const i of [0, 1, 7, signature.length >> 1, signature.length - 1]) {
        expect(ours.verify(algorithm, key, flipBit(signature, i, i % 8)), `bit in byte ${i}`).toBe(false);
      }
      expect(ours.verify(algorithm, other, signature)).toBe(false);
    });

    it('a signature cut short, extended, or empty verifies false', () => {
      const signature = nodeSign(algorithm, key, MESSAGE);
      expect(ours.verify(algorithm, key, signature.subarray(0, signature.length - 1))).toBe(false);
      expect(ours.verify(algorithm, key, Uint8Array.of(...signature, 0))).toBe(false);
      expect(ours.verify(algorithm, key, new Uint8Array(0))).toBe(false);
      expect(ours.verify(algorithm, key, new Uint8Array(signature.length))).toBe(false);
    });
  });
}

// --- ECDSA -------------------------------------------------------------------------------------

/** The group orders, as `openssl ecparam -param_enc explicit -text` prints them (SEC 2 §2.4.2, §2.5.1, §2.6.1). */
const ORDER: Record<EcCurve, bigint> = {
  'P-256': 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  'P-384': 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  'P-521':
    0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

const ecKeys = { 'P-256': nodeEcKey('P-256'), 'P-384': nodeEcKey('P-384'), 'P-521': nodeEcKey('P-521') } as const;

/** DER length octets (X.690 §8.1.3). */
const derLength = (n: number) => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);

/** A minimal DER INTEGER for a non-negative value (X.690 §8.3). */
function derInteger(value: bigint): number[] {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const body = hex.match(/../g)!.map((b) => parseInt(b, 16));
  return [0x02, ...derLength(body.length), ...body];
}

/** Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 §2.2.3). */
function ecdsaDer(r: bigint, s: bigint): Uint8Array {
  const body = [...derInteger(r), ...derInteger(s)];
  return Uint8Array.from([0x30, ...derLength(body.length), ...body]);
}

/** r and s out of node's fixed-width (IEEE P1363) encoding of a fresh signature. */
function nodeRs(key: NodeKeyPair, hash: HashName): [bigint, bigint] {
  const raw = nodeSignRaw(hash, MESSAGE, { key: key.nodePrivate, dsaEncoding: 'ieee-p1363' });
  const half = raw.length / 2;
  return [BigInt(`0x${raw.subarray(0, half).toString('hex')}`), BigInt(`0x${raw.subarray(half).toString('hex')}`)];
}

describe('ECDSA', () => {
  for (const curve of Object.keys(ecKeys) as EcCurve[]) {
    const other = curve === 'P-256' ? nodeEcKey('P-256') : ecKeys['P-256'];
    // TLS 1.3 pairs each curve with one hash; TLS 1.2 lets a peer pair any of them.
    for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
      crossCheck(`${curve} with ${hash}`, { type: 'ecdsa', hash }, ecKeys[curve], other);
    }

    describe(`${curve}: (r, s) edge cases`, () => {
      const key = ecKeys[curve];
      const algorithm = { type: 'ecdsa', hash: 'sha256' } as const;
      const n = ORDER[curve];
      const [r, s] = nodeRs(key, 'sha256');

      it('our DER re-encoding of node signature verifies on both sides', () => {
        expect(nodeVerify(algorithm, key, MESSAGE, ecdsaDer(r, s))).toBe(true);
        expect(ours.verify(algorithm, key, ecdsaDer(r, s))).toBe(true);
      });

      it('high-S: s replaced by n - s still verifies (peers need not produce low-S)', () => {
        // One of s and n - s is above n/2; both must verify, as OpenSSL agrees.
        expect(nodeVerify(algorithm, key, MESSAGE, ecdsaDer(r, n - s))).toBe(true);
        expect(ours.verify(algorithm, key, ecdsaDer(r, n - s))).toBe(true);
        expect(ours.verify(algorithm, key, ecdsaDer(r, s))).toBe(true);
      });

      it('r or s of zero, n, or n + r is false (CVE-2022-21449 "psychic signatures")', () => {
        for (const [rr, ss] of [[0n, 0n], [0n, s], [r, 0n], [n, s], [r, n], [r + n, s], [r, s + n]] as const) {
          expect(ours.verify(algorithm, key, ecdsaDer(rr, ss)), `r=${rr === r ? 'r' : rr}, s=${ss === s ? 's' : ss}`).toBe(false);
        }
      });

      it('non-DER encodings are false: trailing bytes, a padded integer, a long-form length', () => {
        const good = ecdsaDer(r, s);
        expect(ours.verify(algorithm, key, Uint8Array.of(...good, 0))).toBe(false);
        const rBody = derInteger(r);
        const paddedR = [0x02, rBody[1]! + 1, 0x00, ...rBody.slice(2)];
        const body = [...paddedR, ...derInteger(s)];
        expect(ours.verify(algorithm, key, Uint8Array.from([0x30, ...derLength(body.length), ...body]))).toBe(false);
        // P-521 signatures need the long form; for the others it is not DER.
        if (good[1]! < 0x80) expect(ours.verify(algorithm, key, Uint8Array.of(0x30, 0x81, ...good.subarray(1)))).toBe(false);
      });
    });
  }

  it('a P-256 signature does not verify under a P-384 key', () => {
    const signature = nodeSign({ type: 'ecdsa', hash: 'sha256' }, ecKeys['P-256'], MESSAGE);
    expect(ours.verify({ type: 'ecdsa', hash: 'sha256' }, ecKeys['P-384'], signature)).toBe(false);
  });
});

// --- Ed25519 -----------------------------------------------------------------------------------

describe('Ed25519', () => {
  const key = nodeEd25519Key();
  const algorithm = { type: 'ed25519' } as const;
  crossCheck('RFC 8032 Ed25519', algorithm, key, nodeEd25519Key());

  it('signatures are deterministic (RFC 8032 §5.1.6): ours equals node byte for byte', () => {
    expect(toHex(ours.sign(algorithm, key))).toBe(toHex(nodeSign(algorithm, key, MESSAGE)));
  });

  it('S + L (non-canonical S) is false, as RFC 8032 §5.1.7 and OpenSSL require', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const signature = nodeSign(algorithm, key, MESSAGE);
    let S = 0n;
    for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(signature[i]!);
    const bumped = signature.slice();
    let v = S + L;
    for (let i = 32; i < 64; i++, v >>= 8n) bumped[i] = Number(v & 0xffn);
    expect(v).toBe(0n); // S + L still fits in 32 bytes
    expect(nodeVerify(algorithm, key, MESSAGE, bumped)).toBe(false);
    expect(ours.verify(algorithm, key, bumped)).toBe(false);
  });

  it('the small-order key forgery (A = R = identity, S = 0 verifies any message under ZIP-215) is false, as in OpenSSL', () => {
    const identity = Uint8Array.of(1, ...new Uint8Array(31));
    const forged = Uint8Array.of(...identity, ...new Uint8Array(32));
    const nodeIdentity = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(identity).toString('base64url') }, format: 'jwk' });
    expect(nodeVerifyRaw(null, MESSAGE, nodeIdentity, forged)).toBe(false);
    expect(provider.verify(algorithm, { type: 'ed25519', key: identity }, MESSAGE, forged)).toBe(false);
  });
});

// --- RSA ---------------------------------------------------------------------------------------

const rsa2048 = nodeRsaKey(2048);
const rsaOther = nodeRsaKey(2048);
// Moduli whose size is not a whole number of bytes (emBits = modBits - 1, RFC 8017 §9.1.1).
const rsa2047 = nodeRsaKey(2047);
const rsa1025 = nodeRsaKey(1025);

describe('RSA-PSS (rsa_pss_rsae, salt = hash length)', () => {
  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    crossCheck(`2048-bit, ${hash}`, { type: 'rsa-pss', hash, saltLength: HASH_LENGTH[hash] }, rsa2048, rsaOther);
  }
  crossCheck('2047-bit, sha256', { type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, rsa2047, rsa2048);
  crossCheck('1025-bit, sha256', { type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, rsa1025, rsa2048);

  it('a salt length other than the one signed with is false', () => {
    const signature = nodeSign({ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, rsa2048, MESSAGE);
    for (const saltLength of [0, 20, 31, 33, 64]) {
      expect(ours.verify({ type: 'rsa-pss', hash: 'sha256', saltLength }, rsa2048, signature), `${saltLength}`).toBe(false);
    }
    expect(ours.verify({ type: 'rsa-pss', hash: 'sha384', saltLength: 32 }, rsa2048, signature)).toBe(false);
  });

  it('a zero-length salt works both ways too (what RFC 8017 allows, if not TLS)', () => {
    const algorithm = { type: 'rsa-pss', hash: 'sha256', saltLength: 0 } as const;
    expect(ours.verify(algorithm, rsa2048, nodeSign(algorithm, rsa2048, MESSAGE))).toBe(true);
    expect(nodeVerify(algorithm, rsa2048, MESSAGE, ours.sign(algorithm, rsa2048))).toBe(true);
  });
});

describe('RSA PKCS#1 v1.5', () => {
  for (const hash of ['sha256', 'sha384', 'sha512', 'sha1'] as const) {
    crossCheck(`2048-bit, ${hash}`, { type: 'rsa-pkcs1', hash }, rsa2048, rsaOther);
  }
  crossCheck('2047-bit, sha256', { type: 'rsa-pkcs1', hash: 'sha256' }, rsa2047, rsa2048);
  crossCheck('1025-bit, sha384', { type: 'rsa-pkcs1', hash: 'sha384' }, rsa1025, rsa2048);

  it('the signature is deterministic: ours equals node byte for byte', () => {
    const algorithm = { type: 'rsa-pkcs1', hash: 'sha256' } as const;
    expect(toHex(ours.sign(algorithm, rsa2048))).toBe(toHex(nodeSign(algorithm, rsa2048, MESSAGE)));
  });

  it('a PSS signature is not a PKCS#1 one, nor the other way round', () => {
    const pss = { type: 'rsa-pss', hash: 'sha256', saltLength: 32 } as const;
    const pkcs1 = { type: 'rsa-pkcs1', hash: 'sha256' } as const;
    expect(ours.verify(pkcs1, rsa2048, nodeSign(pss, rsa2048, MESSAGE))).toBe(false);
    expect(ours.verify(pss, rsa2048, nodeSign(pkcs1, rsa2048, MESSAGE))).toBe(false);
  });
});

describe('RSA signature representatives out of range (RFC 8017 §5.2.2, §8.1.2 step 1)', () => {
  const schemes = [
    { type: 'rsa-pss', hash: 'sha256', saltLength: 32 },
    { type: 'rsa-pkcs1', hash: 'sha256' },
  ] as const;
  for (const algorithm of schemes) {
    it(`${algorithm.type}: the right integer at the wrong length is false`, () => {
      const signature = nodeSign(algorithm, rsa2048, MESSAGE);
      expect(ours.verify(algorithm, rsa2048, signature)).toBe(true);
      expect(ours.verify(algorithm, rsa2048, Uint8Array.of(0, ...signature))).toBe(false);
      expect(ours.verify(algorithm, rsa2048, Uint8Array.of(0, 0, ...signature))).toBe(false);
      expect(ours.verify(algorithm, rsa2048, signature.subarray(1))).toBe(false);
    });

    it(`${algorithm.type}: s >= n is false, even s + n, which equals s mod n`, () => {
      const key = rsa2047;
      if (key.publicKey.type !== 'rsa') throw new Error('not an RSA key');
      const { n, e } = key.publicKey;
      const k = 256;
      const signature = nodeSign(algorithm, key, MESSAGE);
      const s = BigInt(`0x${toHex(signature)}`);
      const asBytes = (v: bigint) => Uint8Array.from(v.toString(16).padStart(2 * k, '0').match(/../g)!.map((b) => parseInt(b, 16)));
      expect(ours.verify(algorithm, key, asBytes(s))).toBe(true);
      // A verifier that reduced the signature mod n would accept s + n: (s + n)^e = s^e (mod n).
      const sPlusN = asBytes(s + n);
      expect(sPlusN).toHaveLength(k);
      expect(modPowReference(s + n, e, n)).toBe(modPowReference(s, e, n));
      expect(ours.verify(algorithm, key, sPlusN)).toBe(false);
      expect(nodeVerify(algorithm, key, MESSAGE, sPlusN)).toBe(false);
      expect(ours.verify(algorithm, key, asBytes(n))).toBe(false);
      expect(ours.verify(algorithm, key, asBytes(n - 1n))).toBe(false);
      expect(ours.verify(algorithm, key, new Uint8Array(k).fill(0xff))).toBe(false);
    });
  }
});

describe('a key of the wrong type for the algorithm', () => {
  const ed = nodeEd25519Key();
  const ec = ecKeys['P-256'];
  const cases: ReadonlyArray<readonly [SignatureAlgorithm, NodeKeyPair, NodeKeyPair]> = [
    // [algorithm, the key that made the signature, a key of another type]
    [{ type: 'ecdsa', hash: 'sha256' }, ec, rsa2048],
    [{ type: 'ecdsa', hash: 'sha256' }, ec, ed],
    [{ type: 'ed25519' }, ed, ec],
    [{ type: 'ed25519' }, ed, rsa2048],
    [{ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, rsa2048, ec],
    [{ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, rsa2048, ed],
    [{ type: 'rsa-pkcs1', hash: 'sha256' }, rsa2048, ec],
    [{ type: 'rsa-pkcs1', hash: 'sha256' }, rsa2048, ed],
  ];
  for (const [algorithm, signer, wrong] of cases) {
    it(`${algorithm.type} with a ${wrong.publicKey.type} key: verify is false, sign is a TypeError`, () => {
      const signature = nodeSign(algorithm, signer, MESSAGE);
      expect(ours.verify(algorithm, wrong, signature)).toBe(false);
      expect(() => ours.sign(algorithm, wrong)).toThrow(TypeError);
    });
  }
});
