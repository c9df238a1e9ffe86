/**
 * The RSA private-key operation's defences (`rsa.ts` module comment): RSASP1
 * equal to the unblinded m^d mod n and to OpenSSL's raw private operation;
 * exponent blinding drawn fresh from the injected random source on every call
 * and invisible in the result, whatever the factor; the fixed-window
 * exponentiation doing the same multiplications for every exponent of a given
 * window count, counted through its test hook; no text made of a secret on the
 * way (BigInt never meets a string); and signatures OpenSSL's `dgst -verify`
 * accepts.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RsaPrivateKey } from '../../src/crypto/keys.ts';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import {
  bigIntToBytes,
  bitLength,
  bytesToBigInt,
  type MultiplicationCounter,
  modPowFixedWindow,
  rsaGenerate,
  rsaPkcs1Sign,
  rsaPssSign,
  rsasp1,
  type RsaProbe,
} from '../../src/crypto/rsa.ts';
import { toHex, utf8 } from '../../src/wire/bytes.ts';
import { encodePrivateKeyPkcs8 } from '../../src/x509/keys.ts';
import { modPowReference, nodeRsaKey } from './helpers.ts';

const MESSAGE = utf8('a message to sign');
const sha256 = provider.hash('sha256');

/** The table (entries 2 to 15: 14), then four squarings and one multiplication per window. */
const multiplicationsFor = (windows: number) => 14 + 5 * windows;

const probe = (): RsaProbe => ({ multiplications: 0, exponents: [] });

function rsaKey(bits: number): RsaPrivateKey {
  const key = nodeRsaKey(bits).privateKey;
  if (key.type !== 'rsa') throw new Error('not an RSA key');
  return key;
}

/** A random source that records each draw; `fill` decides a draw's bytes from its length and index. */
function recording(fill: (length: number, index: number) => Uint8Array = (length) => provider.randomBytes(length)) {
  const draws: Uint8Array[] = [];
  const source = (length: number) => {
    const bytes = fill(length, draws.length);
    draws.push(bytes.slice());
    return bytes;
  };
  return { source, draws };
}

describe('modPowFixedWindow', () => {
  const modulus = rsaKey(2048).p;
  const base = bytesToBigInt(provider.randomBytes(128)) % modulus;
  const WINDOWS = 256;
  const top = 1n << 1023n;
  // Each 1024 bits long: the same windows, very different digits (all zero, all 0xf, alternating, sparse).
  const PATTERNS: ReadonlyArray<readonly [string, bigint]> = [
    ['a one and zeros', top],
    ['all ones', (1n << 1024n) - 1n],
    ['0xa…', BigInt.asUintN(1024, -1n) / 3n * 2n],
    ['0x8…01 (zero windows between)', top | 1n],
    ['random', top | bytesToBigInt(provider.randomBytes(128))],
  ];

  it('does 14 + 5 multiplications per window for every bit pattern of one length, and gets them right', () => {
    const counts = PATTERNS.map(([name, exponent]) => {
      expect(bitLength(exponent), name).toBe(1024);
      const counter: MultiplicationCounter = { multiplications: 0 };
      expect(modPowFixedWindow(base, exponent, modulus, WINDOWS, counter), name).toBe(modPowReference(base, exponent, modulus));
      return counter.multiplications;
    });
    expect(counts).toEqual(PATTERNS.map(() => multiplicationsFor(WINDOWS)));
  });

  it('does not skip leading zero windows: a short exponent in many windows costs as much', () => {
    for (const exponent of [0n, 1n, 0x10001n, top]) {
      const counter: MultiplicationCounter = { multiplications: 0 };
      expect(modPowFixedWindow(base, exponent, modulus, WINDOWS + 16, counter)).toBe(modPowReference(base, exponent, modulus));
      expect(counter.multiplications).toBe(multiplicationsFor(WINDOWS + 16));
    }
  });

  it('refuses an exponent longer than its windows, or negative', () => {
    expect(() => modPowFixedWindow(base, 1n << 1024n, modulus, WINDOWS)).toThrow(RangeError);
    expect(() => modPowFixedWindow(base, -1n, modulus, WINDOWS)).toThrow(RangeError);
    expect(modPowFixedWindow(base, (1n << 1024n) - 1n, modulus, WINDOWS)).toBe(modPowReference(base, (1n << 1024n) - 1n, modulus));
  });
});

describe('bitLength', () => {
  it('counts bits across limb boundaries', () => {
    for (const [value, bits] of [[0n, 0], [1n, 1], [0xffff_ffffn, 32], [1n << 32n, 33], [(1n << 64n) - 1n, 64], [1n << 1087n, 1088]] as const) {
      expect(bitLength(value), value.toString(16)).toBe(bits);
    }
  });
});

describe('rsasp1 (RFC 8017 §5.2.1)', () => {
  const key = rsaKey(2048);
  const k = 256;
  const representative = () => bytesToBigInt(provider.randomBytes(k)) % key.n;

  it('equals the unblinded m^d mod n', () => {
    for (const m of [0n, 1n, 2n, key.n - 1n, representative(), representative()]) {
      expect(rsasp1(key, m, provider.randomBytes)).toBe(modPowReference(m, key.d, key.n));
    }
  });

  it("equals OpenSSL's raw private-key operation (pkeyutl, no padding)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-rsasp1-'));
    writeFileSync(join(dir, 'key.der'), encodePrivateKeyPkcs8(key));
    for (let i = 0; i < 3; i++) {
      const m = representative();
      const openssl = execFileSync('openssl', ['pkeyutl', '-decrypt', '-keyform', 'DER', '-inkey', join(dir, 'key.der'), '-pkeyopt', 'rsa_padding_mode:none'], {
        input: bigIntToBytes(m, k),
      });
      expect(toHex(bigIntToBytes(rsasp1(key, m, provider.randomBytes), k))).toBe(openssl.toString('hex'));
    }
  });

  it('refuses a representative out of range', () => {
    expect(() => rsasp1(key, key.n, provider.randomBytes)).toThrow(RangeError);
    expect(() => rsasp1(key, -1n, provider.randomBytes)).toThrow(RangeError);
  });

  it('blinds each exponent with fresh random bytes on every call: d_p + k(p−1), d_q + j(q−1)', () => {
    const m = representative();
    const seen = new Set<bigint>();
    for (let call = 0; call < 4; call++) {
      const { source, draws } = recording();
      const trace = probe();
      expect(rsasp1(key, m, source, trace)).toBe(modPowReference(m, key.d, key.n));
      // The message blinding factor (k bytes), then one 8-byte factor per CRT half.
      expect(draws.map((d) => d.length)).toEqual([k, 8, 8]);
      expect(trace.exponents).toEqual([key.dp + bytesToBigInt(draws[1]!) * (key.p - 1n), key.dq + bytesToBigInt(draws[2]!) * (key.q - 1n)]);
      for (const exponent of trace.exponents) seen.add(exponent);
    }
    expect(seen.size).toBe(8);
  });

  it('gives the same result and does the same multiplications with the smallest and the largest blinding factors', () => {
    const m = representative();
    const traces = [0x00, 0xff, 0x5a].map((exponentByte) => {
      // 0xff for the message factor (r = (2^2048 − 1) mod n), `exponentByte` for k and j.
      const { source } = recording((length) => new Uint8Array(length).fill(length === k ? 0xff : exponentByte));
      const trace = probe();
      expect(rsasp1(key, m, source, trace)).toBe(modPowReference(m, key.d, key.n));
      return trace;
    });
    expect(traces[0]!.exponents).toEqual([key.dp, key.dq]);
    expect(bitLength(traces[1]!.exponents[0]!)).toBeGreaterThan(bitLength(key.dp) + 60);
    const counts = traces.map((t) => t.multiplications);
    expect(new Set(counts).size).toBe(1);
    // Both halves over the windows of the largest blinded exponent of a 1024-bit prime (1088 bits).
    expect(counts[0]).toBe(2 * multiplicationsFor(272));
  });
});

describe('no text is made of the key on the way', () => {
  const realBigInt = globalThis.BigInt;
  const realToString = realBigInt.prototype.toString;
  afterEach(() => {
    globalThis.BigInt = realBigInt;
    realBigInt.prototype.toString = realToString;
  });

  /** What `run` turned into text or parsed from text through BigInt. */
  function conversionsDuring(run: () => void): string[] {
    const seen: string[] = [];
    const watched = Object.assign((value: unknown) => {
      if (typeof value === 'string') seen.push(`BigInt("${value.slice(0, 12)}…")`);
      return realBigInt(value as bigint);
    }, { asUintN: realBigInt.asUintN, asIntN: realBigInt.asIntN, prototype: realBigInt.prototype });
    globalThis.BigInt = watched as unknown as BigIntConstructor;
    realBigInt.prototype.toString = function (this: bigint, radix?: number) {
      seen.push(`toString(${radix})`);
      return realToString.call(this, radix);
    };
    try {
      run();
    } finally {
      globalThis.BigInt = realBigInt;
      realBigInt.prototype.toString = realToString;
    }
    return seen;
  }

  it('(the watch sees a conversion when there is one)', () => {
    expect(conversionsDuring(() => BigInt('0x10') + BigInt(1n.toString(16)))).toEqual(['BigInt("0x10…")', 'toString(16)', 'BigInt("1…")']);
  });

  it('PSS and PKCS#1 v1.5 signing, including the first use of a key (its tables), convert nothing', () => {
    const key = rsaKey(2048);
    expect(conversionsDuring(() => rsaPssSign(key, sha256, MESSAGE, 32, provider.randomBytes))).toEqual([]);
    expect(conversionsDuring(() => rsaPkcs1Sign(key, sha256, MESSAGE, provider.randomBytes))).toEqual([]);
  });
});

describe('our signatures verify with openssl dgst', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-rsa-dgst-'));
  writeFileSync(join(dir, 'message'), MESSAGE);

  function opensslVerifies(key: RsaPrivateKey, signature: Uint8Array, options: string[]): string {
    writeFileSync(join(dir, 'key.der'), encodePrivateKeyPkcs8(key));
    execFileSync('openssl', ['pkey', '-inform', 'DER', '-in', join(dir, 'key.der'), '-pubout', '-out', join(dir, 'public.pem')]);
    writeFileSync(join(dir, 'signature'), signature);
    const args = ['dgst', '-sha256', '-verify', join(dir, 'public.pem'), '-signature', join(dir, 'signature'), ...options, join(dir, 'message')];
    try {
      return execFileSync('openssl', args, { stdio: 'pipe' }).toString();
    } catch (error) {
      return String((error as { stdout?: Buffer }).stdout ?? error);
    }
  }

  const KEYS: ReadonlyArray<readonly [string, () => RsaPrivateKey]> = [
    ['OpenSSL RSA-2048', () => rsaKey(2048)],
    ['OpenSSL RSA-3072', () => rsaKey(3072)],
    ['our RSA-1032 (modulus not a multiple of 64 bits)', () => rsaGenerate(1032, provider.randomBytes)],
  ];
  for (const [name, make] of KEYS) {
    it(name, () => {
      const key = make();
      const pss = rsaPssSign(key, sha256, MESSAGE, 32, provider.randomBytes);
      expect(opensslVerifies(key, pss, ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'])).toBe('Verified OK\n');
      const pkcs1 = rsaPkcs1Sign(key, sha256, MESSAGE, provider.randomBytes);
      expect(opensslVerifies(key, pkcs1, [])).toBe('Verified OK\n');
      // (and a damaged one does not)
      pkcs1[10]! ^= 1;
      expect(opensslVerifies(key, pkcs1, [])).toMatch(/Verification failure/);
    });
  }
});
