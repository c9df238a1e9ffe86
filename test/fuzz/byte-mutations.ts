/**
 * Byte-wise mutations as data, so fast-check can generate, print and shrink
 * them: flip a bit, overwrite a byte with an interesting value, insert or
 * append bytes (random, or tokens such as an empty vector), delete, duplicate
 * a range, truncate. Positions are taken modulo the input's length,
 * so one mutation applies to any input.
 * @module
 */
import fc from 'fast-check';
import { concatBytes } from '../../src/wire/bytes.ts';

export type ByteMutation =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'append'; readonly bytes: Uint8Array }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly op: 'truncate'; readonly at: number };

/** Values that sit on the edges of lengths and enums: zero, one, the top of a byte, sign bits. */
const INTERESTING = [0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xfe, 0xff];

/** Tokens of the presentation language: empty vectors of each length width, and full ones. */
const TOKENS = [[0], [0, 0], [0, 0, 0], [0xff], [0xff, 0xff], [0, 1], [0, 2, 0, 0]].map((t) => Uint8Array.from(t));

const inserted = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom(...TOKENS));

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: inserted }),
  fc.record({ op: fc.constant('append' as const), bytes: inserted }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

/** `bytes` with `m` applied (a new array; the input is not touched). */
export function applyByteMutation(bytes: Uint8Array, m: ByteMutation): Uint8Array {
  const at = bytes.length === 0 || m.op === 'append' ? 0 : m.at % bytes.length;
  switch (m.op) {
    case 'flip':
    case 'set': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[at] = m.op === 'flip' ? out[at]! ^ (1 << m.bit) : m.value;
      return out;
    }
    case 'insert':
      return concatBytes(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
    case 'append':
      return concatBytes(bytes, m.bytes);
    case 'delete':
      return concatBytes(bytes.subarray(0, at), bytes.subarray(at + m.length));
    case 'duplicate':
      return concatBytes(bytes.subarray(0, at + m.length), bytes.subarray(at));
    case 'truncate':
      return bytes.slice(0, at);
  }
}

/** Applies each mutation in turn. */
export function applyByteMutations(bytes: Uint8Array, mutations: readonly ByteMutation[]): Uint8Array {
  return mutations.reduce(applyByteMutation, bytes);
}
