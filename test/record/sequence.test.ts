import { describe, expect, it } from 'vitest';
import { perRecordNonce, SEQUENCE_LIMIT, SequenceNumber } from '../../src/record/sequence.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { expectFailure, pattern, referenceNonce } from './helpers.ts';

describe('sequence numbers', () => {
  it('count from 0', () => {
    const s = new SequenceNumber();
    expect([s.take(), s.take(), s.take()]).toEqual([0, 1, 2]);
  });

  it('stop, fatally, at the limit, which is well inside exact integers', () => {
    expect(SEQUENCE_LIMIT * 16).toBeLessThan(Number.MAX_SAFE_INTEGER);
    const s = new SequenceNumber(SEQUENCE_LIMIT - 2);
    expect(s.take()).toBe(SEQUENCE_LIMIT - 2);
    expect(s.take()).toBe(SEQUENCE_LIMIT - 1);
    expectFailure(() => s.take(), 'SequenceNumberExhausted', AlertDescription.internal_error);
    expectFailure(() => s.take(), 'SequenceNumberExhausted', AlertDescription.internal_error);
  });
});

describe('per-record nonce (RFC 8446 §5.3)', () => {
  const iv = pattern(12, 3);
  const values = [0, 1, 255, 256, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 0x1234_5678_9a, 2 ** 40 + 2 ** 33 + 77, SEQUENCE_LIMIT - 1];

  it('is the IV XOR the left-padded 64-bit sequence number, beyond 2^32 too', () => {
    for (const seq of values) expect(perRecordNonce(iv, seq)).toEqual(referenceNonce(iv, BigInt(seq)));
  });

  it('is the IV itself for sequence 0, and leaves the IV unchanged', () => {
    const copy = iv.slice();
    expect(perRecordNonce(iv, 0)).toEqual(iv);
    perRecordNonce(iv, 2 ** 40);
    expect(iv).toEqual(copy);
  });

  it('touches only the last 8 bytes', () => {
    const zero = new Uint8Array(12);
    expect(perRecordNonce(zero, 2 ** 32 + 5)).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 5]));
  });
});
