/**
 * The TLS 1.2 PRF and what is derived with it, against OpenSSL's TLS1-PRF
 * (`openssl kdf ... TLS1-PRF`, run here as a child process): OpenSSL takes no
 * separate label, so every expected value is computed with the label written
 * at the start of the seed, byte by byte as RFC 5246 §5 and RFC 5705 §4 lay
 * the seed out. The live cross-check against a real OpenSSL connection is
 * test/interop/tls12-keys.test.ts.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { HashName } from '../../src/crypto/provider.ts';
import {
  exporter12,
  extendedMasterSecret,
  finishedVerifyData12,
  keyBlock12,
  masterSecret12,
  prf12,
} from '../../src/handshake/prf12.ts';
import type { Suite12 } from '../../src/handshake/suites.ts';
import { SUITES12 } from '../../src/handshake/suites.ts';
import { concatBytes, fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import { CipherSuite } from '../../src/wire/registry.ts';

const DIGEST: Record<HashName, string> = { sha1: 'SHA1', sha256: 'SHA256', sha384: 'SHA384', sha512: 'SHA512' };

/** OpenSSL's TLS1-PRF over `secret` and `seed` (the label already in front of it). */
function opensslPrf(hash: HashName, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = execFileSync(
    'openssl',
    ['kdf', '-keylen', String(length), '-kdfopt', `digest:${DIGEST[hash]}`, '-kdfopt', `hexsecret:${toHex(secret)}`, '-kdfopt', `hexseed:${toHex(seed)}`, 'TLS1-PRF'],
    { encoding: 'utf8' },
  );
  return fromHex(out.trim().replaceAll(':', ''));
}

/** Distinct filler for secrets and randoms. */
function filler(length: number, start: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (start + 7 * i) & 0xff);
}

const suiteOf = (id: number): Suite12 => SUITES12.find((s) => s.id === id)!;
const AES128 = suiteOf(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
const AES256 = suiteOf(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
const CHACHA = suiteOf(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);

const clientRandom = filler(32, 0x11);
const serverRandom = filler(32, 0x99);
const master = filler(48, 0x42);

describe('prf12 (RFC 5246 §5) equals OpenSSL TLS1-PRF', () => {
  const secret = filler(48, 3);
  const seed = filler(64, 200);
  // Lengths below, at and across the hash's block: 32 for SHA-256, 48 for SHA-384.
  describe.each(['sha256', 'sha384'] as const)('%s', (hash) => {
    it.each([1, 12, 32, 48, 79, 104, 200])('%i bytes', (length) => {
      const ours = prf12(nobleProvider, hash, secret, 'test label', seed, length);
      expect(ours.length).toBe(length);
      expect(toHex(ours)).toBe(toHex(opensslPrf(hash, secret, concatBytes(utf8('test label'), seed), length)));
    });
  });

  it('depends on the label, the secret and the seed', () => {
    const base = toHex(prf12(nobleProvider, 'sha256', secret, 'a', seed, 32));
    expect(toHex(prf12(nobleProvider, 'sha256', secret, 'b', seed, 32))).not.toBe(base);
    expect(toHex(prf12(nobleProvider, 'sha256', filler(48, 4), 'a', seed, 32))).not.toBe(base);
    expect(toHex(prf12(nobleProvider, 'sha256', secret, 'a', filler(64, 201), 32))).not.toBe(base);
  });
});

describe('derived values, as OpenSSL computes them', () => {
  const preMaster = filler(32, 0x5a);

  it('master secret: "master secret", client_random + server_random, 48 bytes (RFC 5246 §8.1)', () => {
    for (const suite of [AES128, AES256]) {
      const expected = opensslPrf(suite.hash, preMaster, concatBytes(utf8('master secret'), clientRandom, serverRandom), 48);
      expect(toHex(masterSecret12(nobleProvider, suite, preMaster, clientRandom, serverRandom))).toBe(toHex(expected));
    }
  });

  it('extended master secret: "extended master secret", session_hash, 48 bytes (RFC 7627 §4)', () => {
    for (const [suite, hashLength] of [[AES128, 32], [AES256, 48]] as const) {
      const sessionHash = filler(hashLength, 0x77);
      const expected = opensslPrf(suite.hash, preMaster, concatBytes(utf8('extended master secret'), sessionHash), 48);
      expect(toHex(extendedMasterSecret(nobleProvider, suite, preMaster, sessionHash))).toBe(toHex(expected));
    }
  });

  it('key block: "key expansion", server_random + client_random, keys then IVs (RFC 5246 §6.3)', () => {
    for (const suite of [AES128, AES256, CHACHA]) {
      const { keyLength: k, fixedIvLength: iv } = suite;
      const expected = opensslPrf(suite.hash, master, concatBytes(utf8('key expansion'), serverRandom, clientRandom), 2 * (k + iv));
      const block = keyBlock12(nobleProvider, suite, master, clientRandom, serverRandom);
      expect(block).toEqual({
        clientWriteKey: expected.slice(0, k),
        serverWriteKey: expected.slice(k, 2 * k),
        clientWriteIv: expected.slice(2 * k, 2 * k + iv),
        serverWriteIv: expected.slice(2 * k + iv, 2 * (k + iv)),
      });
    }
  });

  it('verify_data: "client finished" / "server finished" over the handshake hash, 12 bytes (RFC 5246 §7.4.9)', () => {
    const transcriptHash = filler(48, 0x31);
    for (const side of ['client', 'server'] as const) {
      const expected = opensslPrf('sha384', master, concatBytes(utf8(`${side} finished`), transcriptHash), 12);
      expect(toHex(finishedVerifyData12(nobleProvider, AES256, master, side, transcriptHash))).toBe(toHex(expected));
    }
  });
});

describe('exporter12 (RFC 5705 §4)', () => {
  const label = 'EXPERIMENTAL puretls';

  it('without a context: the seed is client_random + server_random', () => {
    const expected = opensslPrf('sha256', master, concatBytes(utf8(label), clientRandom, serverRandom), 40);
    expect(toHex(exporter12(nobleProvider, AES128, master, clientRandom, serverRandom, label, null, 40))).toBe(toHex(expected));
  });

  it('with a context: the seed adds a uint16 length and the context', () => {
    const context = utf8('some context');
    const seed = concatBytes(utf8(label), clientRandom, serverRandom, new Uint8Array([0, context.length]), context);
    expect(toHex(exporter12(nobleProvider, AES256, master, clientRandom, serverRandom, label, context, 64))).toBe(toHex(opensslPrf('sha384', master, seed, 64)));
  });

  it('tells an empty context from none (the length field is still there)', () => {
    const none = exporter12(nobleProvider, AES128, master, clientRandom, serverRandom, label, null, 32);
    const empty = exporter12(nobleProvider, AES128, master, clientRandom, serverRandom, label, new Uint8Array(0), 32);
    expect(toHex(empty)).not.toBe(toHex(none));
    expect(toHex(empty)).toBe(toHex(opensslPrf('sha256', master, concatBytes(utf8(label), clientRandom, serverRandom, new Uint8Array(2)), 32)));
  });

  it.each(['client finished', 'server finished', 'master secret', 'key expansion', 'extended master secret'])('refuses the reserved label "%s"', (reserved) => {
    expect(() => exporter12(nobleProvider, AES128, master, clientRandom, serverRandom, reserved, null, 32)).toThrow(
      new RangeError(`exporter label "${reserved}" is reserved for TLS itself (RFC 5705 §4)`),
    );
  });

  it('refuses a context too long for its uint16 length', () => {
    expect(() => exporter12(nobleProvider, AES128, master, clientRandom, serverRandom, label, new Uint8Array(2 ** 16), 32)).toThrow(RangeError);
  });
});
