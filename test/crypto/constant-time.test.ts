/**
 * `constantTimeEqual`: the answer (its timing is not something a test can
 * assert, and the brief forbids timed assertions).
 * @module
 */
import { describe, expect, it } from 'vitest';
import { constantTimeEqual } from '../../src/crypto/constant-time.ts';
import { flipBit } from './helpers.ts';

describe('constantTimeEqual', () => {
  const a = Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff);

  it('is true for equal contents, including two empty arrays and distinct buffers', () => {
    expect(constantTimeEqual(a, a.slice())).toBe(true);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
    expect(constantTimeEqual(Uint8Array.of(0), Uint8Array.of(0))).toBe(true);
  });

  it('is false when any single bit differs, first byte to last', () => {
    for (let i = 0; i < a.length; i++) {
      for (const bit of [0, 7]) expect(constantTimeEqual(a, flipBit(a, i, bit)), `byte ${i} bit ${bit}`).toBe(false);
    }
  });

  it('is false for different lengths, even when one is a prefix of the other', () => {
    expect(constantTimeEqual(a, a.subarray(0, 47))).toBe(false);
    expect(constantTimeEqual(a.subarray(0, 47), a)).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), Uint8Array.of(0))).toBe(false);
    expect(constantTimeEqual(new Uint8Array(3), new Uint8Array(4))).toBe(false);
  });

  it('compares contents, not views: equal bytes at different offsets are equal', () => {
    const big = new Uint8Array(100);
    big.set(a, 10);
    expect(constantTimeEqual(big.subarray(10, 58), a)).toBe(true);
    expect(constantTimeEqual(big.subarray(9, 57), a)).toBe(false);
  });
});
