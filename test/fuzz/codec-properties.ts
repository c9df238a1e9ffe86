/**
 * The two properties every codec must have (issue 14), as one `describe` per
 * codec:
 * - round trip: a value the encoder accepts decodes to itself, and re-encodes
 *   to the same bytes;
 * - arbitrary bytes (random, or a valid encoding mutated byte-wise) decode to a
 *   typed `ProtocolError` (a `DecodeError`, or the cause the RFC names) or to a
 *   value that re-encodes to exactly those bytes. Decoders that drop what the
 *   RFC tells them to skip are marked `lossy` with the reason; for them the
 *   decoded value must survive another round trip instead.
 * A decoder's typed view (the extensions a message carries, decoded) runs on
 * every decoded value and must also fail only with a typed error.
 * @module
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/wire/bytes.ts';
import { ProtocolError } from '../../src/wire/errors.ts';
import { applyByteMutations, byteMutation } from './byte-mutations.ts';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './settings.ts';

export interface Codec<T> {
  readonly name: string;
  /** Values the encoder accepts, within the RFC's bounds. */
  readonly value: fc.Arbitrary<T>;
  readonly encode: (value: T) => Uint8Array;
  readonly decode: (bytes: Uint8Array) => T;
  /** What the decoder returns for an encoded `value`, when it is not `value` itself (e.g. with the raw bytes kept). */
  readonly decoded?: (value: T, bytes: Uint8Array) => T;
  /** Typed views of a decoded value (extensions decoded, RFC checks), each run on its own; they may throw only typed errors. */
  readonly views?: readonly ((value: T) => unknown)[];
  /** Why decoding is lossy (RFC text on what is skipped); unset for exact codecs. */
  readonly lossy?: string;
  /** Decoded values the encoder cannot express (e.g. an unknown status_type); they must still decode typed. */
  readonly encodable?: (value: T) => boolean;
}

/** Throws unless `error` is a typed error of the engine that is not the catch-all internal_error. */
export function expectTyped(error: unknown, input: Uint8Array): void {
  if (error instanceof ProtocolError && error.cause !== 'InternalError') return;
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new Error(`untyped failure ${what} on input ${toHex(input)}`, { cause: error });
}

/** Runs `fn`; a typed error is an accepted outcome (undefined), anything else fails. */
export function decodeTyped<T>(fn: () => T, input: Uint8Array): T | undefined {
  try {
    return fn();
  } catch (error) {
    expectTyped(error, input);
    return undefined;
  }
}

/** Inputs for the arbitrary-bytes property: random bytes, and valid encodings mutated a little. */
export function hostileInputs<T>(codec: Codec<T>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.tuple(codec.value, fc.array(byteMutation, { minLength: 1, maxLength: 3 })).map(([v, ms]) => applyByteMutations(codec.encode(v), ms)),
  );
}

/** Round trip: a value the encoder accepts decodes to itself and encodes to the same bytes again. */
export function roundTripProperty<T>(codec: Codec<T>): fc.IProperty<[T]> {
  return fc.property(codec.value, (value) => {
    const bytes = codec.encode(value);
    const decoded = codec.decode(bytes);
    expect(decoded).toEqual(codec.decoded ? codec.decoded(value, bytes) : value);
    expect(toHex(codec.encode(decoded))).toBe(toHex(bytes));
    for (const view of codec.views ?? []) decodeTyped(() => view(decoded), bytes);
  });
}

/** Arbitrary bytes decode to a typed error or a value that re-encodes to them (survives a round trip, if lossy). */
export function hostileBytesProperty<T>(codec: Codec<T>): fc.IProperty<[Uint8Array]> {
  return fc.property(hostileInputs(codec), (input) => {
    const decoded = decodeTyped(() => codec.decode(input), input);
    if (decoded === undefined) return;
    for (const view of codec.views ?? []) decodeTyped(() => view(decoded), input);
    if (codec.encodable && !codec.encodable(decoded)) return;
    const again = codec.encode(decoded);
    if (codec.lossy) expect(codec.decode(again)).toEqual(decoded);
    else expect(toHex(again), `input ${toHex(input)}`).toBe(toHex(input));
  });
}

export function describeCodec<T>(codec: Codec<T>, counts: { short: number; long: number } = { short: 200, long: 10_000 }): void {
  describe(codec.name, () => {
    it('round trip: decode(encode(v)) is v, and encodes to the same bytes', { timeout: FUZZ_TIMEOUT_MS }, () => {
      fc.assert(roundTripProperty(codec), fuzzParameters(counts.short, counts.long));
    });
    const outcome = codec.lossy ? `a value that survives another round trip (lossy: ${codec.lossy})` : 'a value that re-encodes identically';
    it(`arbitrary bytes: a typed error or ${outcome}`, { timeout: FUZZ_TIMEOUT_MS }, () => {
      fc.assert(hostileBytesProperty(codec), fuzzParameters(counts.short * 2, counts.long * 2));
    });
  });
}
