/**
 * The BigInt RSA internals (`rsa.ts`): modPow and modInverse against plain
 * BigInt references, integer/octet conversion (RFC 8017 §4), key generation
 * checked by OpenSSL (`openssl pkey -check`, node importing, signing and
 * verifying with the key), blinding (RFC 8017 §5.2.1 note) that changes nothing
 * visible, and the self-check that refuses to emit a signature from faulty CRT
 * parameters (the Bellcore / Lenstra fault attack).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { checkPrimeSync, constants, createPrivateKey, createPublicKey, generatePrimeSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rsaModulusBits, type RsaPrivateKey } from '../../src/crypto/keys.ts';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import {
  bigIntToBytes,
  bytesToBigInt,
  modInverse,
  modPow,
  rsaGenerate,
  rsaPkcs1Sign,
  rsaPkcs1Verify,
  rsaPssSign,
  rsaPssVerify,
} from '../../src/crypto/rsa.ts';
import { fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import { encodePrivateKeyPkcs8 } from '../../src/x509/keys.ts';
import { modPowReference } from './helpers.ts';

const randomBig = (bits: number) => BigInt(`0x${toHex(provider.randomBytes(Math.ceil(bits / 8)))}`) >> BigInt((8 - (bits % 8)) % 8);
const sha256 = provider.hash('sha256');
const MESSAGE = utf8('a message to sign');

describe('bytesToBigInt / bigIntToBytes (OS2IP / I2OSP, RFC 8017 §4)', () => {
  it('are big-endian and inverse to each other', () => {
    expect(bytesToBigInt(new Uint8Array(0))).toBe(0n);
    expect(bytesToBigInt(fromHex('0102'))).toBe(0x0102n);
    expect(bytesToBigInt(fromHex('00ff'))).toBe(0xffn);
    expect(toHex(bigIntToBytes(0x0102n, 4))).toBe('00000102');
    const v = randomBig(2048);
    expect(bytesToBigInt(bigIntToBytes(v, 256))).toBe(v);
    expect(toHex(bigIntToBytes(v, 256))).toBe(v.toString(16).padStart(512, '0'));
  });

  it('read hex digits of either case, and count bits from the leading digit', () => {
    expect(bytesToBigInt(fromHex('ABcdEF'))).toBe(0xabcdefn);
    expect(toHex(bigIntToBytes(0n, 3))).toBe('000000');
    for (const [n, bits] of [[1n, 1], [0xfn, 4], [0x10n, 5], [0x7fffn, 15], [0x8000n, 16], [1n << 2047n, 2048]] as const) {
      expect(rsaModulusBits(n), n.toString(16)).toBe(bits);
    }
  });

  it('I2OSP refuses a value that does not fit the length', () => {
    expect(() => bigIntToBytes(0x10000n, 2)).toThrow(RangeError);
    expect(() => bigIntToBytes(1n, 0)).toThrow(RangeError);
    expect(toHex(bigIntToBytes(0xffffn, 2))).toBe('ffff');
  });
});

describe('modPow', () => {
  it('agrees with square-and-multiply on random operands of RSA sizes', () => {
    for (const bits of [8, 63, 64, 65, 512, 1024, 2048]) {
      for (let i = 0; i < 3; i++) {
        const modulus = randomBig(bits) | 1n | (1n << BigInt(bits - 1));
        const base = randomBig(bits + 8); // sometimes above the modulus
        const exponent = randomBig(i === 0 ? 17 : bits);
        expect(modPow(base, exponent, modulus), `${bits} bits`).toBe(modPowReference(base, exponent, modulus));
      }
    }
  });

  it('handles exponents 0, 1 and each window boundary, even moduli, base 0 and base = modulus', () => {
    const m = 0xfffffffb_fffffffd_00000001n * 2n; // even
    const b = 0x1234567890abcdef1234n;
    for (const e of [0n, 1n, 2n, 15n, 16n, 17n, 255n, 256n, 257n, 0x10000n, 65537n]) {
      expect(modPow(b, e, m), `e = ${e}`).toBe(modPowReference(b, e, m));
    }
    expect(modPow(0n, 5n, 97n)).toBe(0n);
    expect(modPow(0n, 0n, 97n)).toBe(1n);
    expect(modPow(97n, 3n, 97n)).toBe(0n);
    expect(modPow(5n, 3n, 1n)).toBe(0n);
    expect(modPow(3n, 4n, 1000n)).toBe(81n);
  });
});

describe('modInverse', () => {
  it('inverts modulo a prime (equal to Fermat: a^(p-2))', () => {
    const p = generatePrimeSync(512, { bigint: true });
    for (let i = 0; i < 5; i++) {
      const a = randomBig(600); // larger than p
      const inverse = modInverse(a, p);
      expect(inverse >= 0n && inverse < p).toBe(true);
      expect((a * inverse) % p).toBe(1n);
      expect(inverse).toBe(modPowReference(a, p - 2n, p));
    }
  });

  it('inverts modulo a composite, and takes a negative a', () => {
    const m = 2n ** 64n * 3n * 5n; // (p-1)(q-1)-like: even, many factors
    const a = 65537n;
    expect((a * modInverse(a, m)) % m).toBe(1n);
    const inverse = modInverse(-7n, 101n);
    expect(((-7n * inverse) % 101n + 101n) % 101n).toBe(1n);
    expect(modInverse(1n, 2n)).toBe(1n);
  });

  it('refuses a value that shares a factor with the modulus', () => {
    expect(() => modInverse(6n, 9n)).toThrow(RangeError);
    expect(() => modInverse(0n, 7n)).toThrow(RangeError);
    expect(() => modInverse(65537n * 3n, 65537n * 5n)).toThrow(RangeError);
  });
});

/** OpenSSL's own consistency check of a private key (n = pq, d, dp, dq, qInv, primality). */
function opensslCheck(key: RsaPrivateKey): string {
  return execFileSync('openssl', ['pkey', '-inform', 'DER', '-check', '-noout'], { input: encodePrivateKeyPkcs8(key) }).toString();
}

describe.each([1024, 2048])('rsaGenerate(%i)', (bits) => {
  const key = rsaGenerate(bits, provider.randomBytes);

  it('has the modulus size asked for and e = 65537', () => {
    expect(rsaModulusBits(key.n)).toBe(bits);
    expect(key.e).toBe(65537n);
  });

  it('has two distinct primes (by OpenSSL) of half the size, p > q, n = pq', () => {
    expect(checkPrimeSync(key.p)).toBe(true);
    expect(checkPrimeSync(key.q)).toBe(true);
    expect(rsaModulusBits(key.p)).toBe(bits / 2);
    expect(rsaModulusBits(key.q)).toBe(bits / 2);
    expect(key.p > key.q).toBe(true);
    expect(key.p * key.q).toBe(key.n);
  });

  it('has consistent private and CRT values (RFC 8017 §3.2)', () => {
    const { p, q, d, e } = key;
    expect((e * d - 1n) % (p - 1n)).toBe(0n);
    expect((e * d - 1n) % (q - 1n)).toBe(0n);
    expect(d < key.n).toBe(true);
    expect(key.dp).toBe(d % (p - 1n));
    expect(key.dq).toBe(d % (q - 1n));
    expect((key.qInv * q) % p).toBe(1n);
    expect(key.qInv < p).toBe(true);
  });

  it('passes openssl pkey -check', () => {
    expect(opensslCheck(key)).toMatch(/Key is valid/);
  });

  it('node imports it, and node and we verify each other with it', () => {
    const nodePrivate = createPrivateKey({ key: Buffer.from(encodePrivateKeyPkcs8(key)), format: 'der', type: 'pkcs8' });
    const nodePublic = createPublicKey(nodePrivate);
    expect(nodePrivate.asymmetricKeyDetails).toMatchObject({ modulusLength: bits, publicExponent: 65537n });
    expect(BigInt(`0x${Buffer.from(nodePublic.export({ format: 'jwk' }).n!, 'base64url').toString('hex')}`)).toBe(key.n);

    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    const ourPss = rsaPssSign(key, sha256, MESSAGE, 32, provider.randomBytes);
    expect(nodeVerify('sha256', MESSAGE, { key: nodePublic, ...pss }, ourPss)).toBe(true);
    expect(rsaPssVerify(key.n, key.e, sha256, MESSAGE, nodeSign('sha256', MESSAGE, { key: nodePrivate, ...pss }), 32)).toBe(true);

    const ourPkcs1 = rsaPkcs1Sign(key, sha256, MESSAGE, provider.randomBytes);
    expect(nodeVerify('sha256', MESSAGE, nodePublic, ourPkcs1)).toBe(true);
    expect(toHex(new Uint8Array(nodeSign('sha256', MESSAGE, nodePrivate)))).toBe(toHex(ourPkcs1));
  });
});

describe('blinding', () => {
  const key = rsaGenerate(1024, provider.randomBytes);
  const nodePublic = createPublicKey(createPrivateKey({ key: Buffer.from(encodePrivateKeyPkcs8(key)), format: 'der', type: 'pkcs8' }));

  /** A random source that counts its calls and fills with a fixed pattern. */
  function patterned(seed: number) {
    const source = (length: number) => {
      source.calls++;
      return Uint8Array.from({ length }, (_, i) => (seed * 131 + i * 29 + source.calls) & 0xff);
    };
    source.calls = 0;
    return source;
  }

  it('PSS: two signatures of one message differ (random salt) and both verify', () => {
    const a = provider.sign({ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, key, MESSAGE);
    const b = provider.sign({ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, key, MESSAGE);
    expect(toHex(a)).not.toBe(toHex(b));
    for (const signature of [a, b]) {
      expect(rsaPssVerify(key.n, key.e, sha256, MESSAGE, signature, 32)).toBe(true);
      expect(nodeVerify('sha256', MESSAGE, { key: nodePublic, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)).toBe(true);
    }
  });

  it('PKCS#1 v1.5: signatures are equal whatever the blinding factor, and randomness is drawn for it', () => {
    const first = patterned(1);
    const second = patterned(2);
    const a = rsaPkcs1Sign(key, sha256, MESSAGE, first);
    const b = rsaPkcs1Sign(key, sha256, MESSAGE, second);
    const c = provider.sign({ type: 'rsa-pkcs1', hash: 'sha256' }, key, MESSAGE);
    expect(first.calls).toBeGreaterThan(0);
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).toBe(toHex(c));
    expect(rsaPkcs1Verify(key.n, key.e, sha256, MESSAGE, a)).toBe(true);
    expect(nodeVerify('sha256', MESSAGE, nodePublic, a)).toBe(true);
  });

  it('PSS with a fixed salt: the same signature whatever the blinding factor', () => {
    // The salt is drawn first (one call of saltLength bytes), the blinding factor after.
    const withSalt = (blindSeed: number) => {
      const blind = patterned(blindSeed);
      let first = true;
      return (length: number) => (first ? ((first = false), new Uint8Array(length).fill(0x5a)) : blind(length));
    };
    const a = rsaPssSign(key, sha256, MESSAGE, 32, withSalt(3));
    const b = rsaPssSign(key, sha256, MESSAGE, 32, withSalt(4));
    expect(toHex(a)).toBe(toHex(b));
    expect(rsaPssVerify(key.n, key.e, sha256, MESSAGE, a, 32)).toBe(true);
  });
});

describe('a faulty CRT parameter makes signing throw instead of leaking a factor of n', () => {
  const key = rsaGenerate(1024, provider.randomBytes);
  const faults: ReadonlyArray<readonly [string, RsaPrivateKey]> = [
    ['dp + 1', { ...key, dp: key.dp + 1n }],
    ['dq + 1', { ...key, dq: key.dq + 1n }],
    ['qInv + 1', { ...key, qInv: key.qInv + 1n }],
    ['p and q swapped', { ...key, p: key.q, q: key.p }],
  ];
  for (const [name, faulty] of faults) {
    it(name, () => {
      expect(() => provider.sign({ type: 'rsa-pkcs1', hash: 'sha256' }, faulty, MESSAGE)).toThrow(/own check/);
      expect(() => provider.sign({ type: 'rsa-pss', hash: 'sha256', saltLength: 32 }, faulty, MESSAGE)).toThrow(/own check/);
    });
  }

  it('(the same key, unharmed, signs)', () => {
    expect(rsaPkcs1Verify(key.n, key.e, sha256, MESSAGE, provider.sign({ type: 'rsa-pkcs1', hash: 'sha256' }, key, MESSAGE))).toBe(true);
  });
});
