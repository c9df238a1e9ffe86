import { describe, expect, it } from 'vitest';
import { ByteQueue } from '../../src/record/byte-queue.ts';
import { pattern } from './helpers.ts';

describe('ByteQueue', () => {
  it('returns the same bytes for any split of pushes and takes', () => {
    const data = pattern(1000);
    for (const pushSize of [1, 3, 7, 64, 1000]) {
      for (const takeSize of [1, 5, 33, 250]) {
        const q = new ByteQueue();
        for (let i = 0; i < data.length; i += pushSize) q.push(data.slice(i, i + pushSize));
        expect(q.length).toBe(1000);
        const out: number[] = [];
        while (q.length > 0) {
          const n = Math.min(takeSize, q.length);
          expect(q.peek(n)).toEqual(data.subarray(out.length, out.length + n));
          out.push(...q.take(n));
        }
        expect(new Uint8Array(out)).toEqual(data);
      }
    }
  });

  it('copies what it is given: later changes to the pushed array do not show', () => {
    const q = new ByteQueue();
    const chunk = pattern(10);
    q.push(chunk);
    chunk.fill(0);
    expect(q.take(10)).toEqual(pattern(10));
  });

  it('hands out a view for bytes inside one block, and never changes bytes handed out', () => {
    const q = new ByteQueue();
    q.push(pattern(10));
    const first = q.take(4);
    const second = q.take(4);
    expect(second.buffer).toBe(first.buffer);
    q.push(pattern(5000, 3));
    q.take(q.length);
    expect(first).toEqual(pattern(10).subarray(0, 4));
    expect(second).toEqual(pattern(10).subarray(4, 8));
  });

  it('keeps the right bytes when a large read is consumed but for a few (compacted) and more arrive', () => {
    const q = new ByteQueue();
    const data = pattern(100_000, 9);
    q.push(data.subarray(0, 90_000));
    const early = q.take(89_990);
    q.push(data.subarray(90_000));
    expect(q.take(5)).toEqual(data.subarray(89_990, 89_995));
    expect(q.take(q.length)).toEqual(data.subarray(89_995));
    expect(early).toEqual(data.subarray(0, 89_990));
  });

  it('refuses to hand out more than it holds, and ignores empty pushes', () => {
    const q = new ByteQueue();
    q.push(new Uint8Array(0));
    expect(q.length).toBe(0);
    expect(q.take(0).length).toBe(0);
    q.push(new Uint8Array([1, 2]));
    expect(() => q.take(3)).toThrow(RangeError);
    expect(q.take(2)).toEqual(new Uint8Array([1, 2]));
  });

  it('keeps working across many small chunks (compaction)', () => {
    const q = new ByteQueue();
    const data = pattern(5000, 7);
    let taken = 0;
    for (let i = 0; i < data.length; i++) {
      q.push(data.slice(i, i + 1));
      if (i % 3 === 2) {
        expect(q.take(2)).toEqual(data.subarray(taken, taken + 2));
        taken += 2;
      }
    }
    expect(q.take(q.length)).toEqual(data.subarray(taken));
  });
});
