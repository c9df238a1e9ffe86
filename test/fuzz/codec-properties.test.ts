/**
 * The codec properties can fail: codecs broken on purpose (an untyped
 * exception, a decoder that ignores trailing bytes, a lossy decoder not
 * declared lossy) are caught, with the input printed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Reader } from '../../src/wire/codec.ts';
import type { Codec } from './codec-properties.ts';
import { hostileBytesProperty, roundTripProperty } from './codec-properties.ts';
import { bytes } from './codec-arbitraries.ts';
import { fuzzParameters } from './settings.ts';

/** `opaque data<0..255>`, decoded correctly. */
const opaque8: Codec<Uint8Array> = {
  name: 'opaque<0..255>',
  value: bytes(0, 40),
  encode: (b) => Uint8Array.of(b.length, ...b),
  decode: (b) => {
    const r = new Reader(b);
    const out = r.opaque(1, 'data');
    r.end('data');
    return out;
  },
};

const check = (property: fc.IProperty<[Uint8Array]>) => () => fc.assert(property, fuzzParameters(500, 500));

describe('codec properties', () => {
  it('hold for a correct codec', () => {
    check(roundTripProperty(opaque8))();
    check(hostileBytesProperty(opaque8))();
  });

  it('catch an untyped exception, naming it and the input', () => {
    const throwsRangeError: Codec<Uint8Array> = { ...opaque8, decode: (b) => (b.length > 3 ? new Uint8Array(-1) : opaque8.decode(b)) };
    expect(check(hostileBytesProperty(throwsRangeError))).toThrow(/untyped failure RangeError.*on input [0-9a-f]{8}/s);
  });

  it('catch a decoder that accepts bytes it does not re-encode', () => {
    const ignoresTrailing: Codec<Uint8Array> = { ...opaque8, decode: (b) => new Reader(b).opaque(1, 'data') };
    expect(check(hostileBytesProperty(ignoresTrailing))).toThrow(/input [0-9a-f]+/);
  });

  it('catch a round trip that loses part of the value', () => {
    const dropsLastByte: Codec<Uint8Array> = { ...opaque8, decode: (b) => opaque8.decode(b).subarray(0, -1) };
    expect(check(roundTripProperty(dropsLastByte))).toThrow();
  });
});
