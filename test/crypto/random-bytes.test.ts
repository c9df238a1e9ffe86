/**
 * `randomBytes`: every length, including ones past `getRandomValues`' limit of
 * 65536 bytes per call, is filled throughout. A chunk left unfilled would be
 * all zero; the chance that 64 random bytes are all zero is 2^-512.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import { toHex } from '../../src/wire/bytes.ts';

const CHUNK = 65536;
const allZero = (bytes: Uint8Array) => bytes.every((b) => b === 0);

describe('randomBytes', () => {
  it('gives exactly the length asked for', () => {
    for (const length of [0, 1, 2, 31, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 100]) {
      const out = provider.randomBytes(length);
      expect(out).toBeInstanceOf(Uint8Array);
      expect(out, `${length}`).toHaveLength(length);
    }
  });

  it('fills every 64 KiB chunk, up to the last byte', () => {
    const length = 3 * CHUNK + 100;
    const out = provider.randomBytes(length);
    for (let start = 0; start < length; start += CHUNK) {
      // The first and last 64 bytes of every chunk, and the tail after the last full chunk.
      expect(allZero(out.subarray(start, start + 64)), `chunk at ${start}`).toBe(false);
      expect(allZero(out.subarray(Math.min(length, start + CHUNK) - 64, Math.min(length, start + CHUNK))), `end of chunk at ${start}`).toBe(false);
    }
  });

  it('fills the bytes just past one chunk (65537 and 65600 bytes)', () => {
    expect(allZero(provider.randomBytes(CHUNK + 64).subarray(CHUNK))).toBe(false);
    // A single extra byte is zero 1 time in 256, so look at several draws.
    const tails = Array.from({ length: 8 }, () => provider.randomBytes(CHUNK + 1)[CHUNK]!);
    expect(tails.some((b) => b !== 0)).toBe(true);
  });

  it('is not all zero and does not repeat', () => {
    const a = provider.randomBytes(32);
    const b = provider.randomBytes(32);
    expect(allZero(a)).toBe(false);
    expect(toHex(a)).not.toBe(toHex(b));
  });
});
