/**
 * Property tests for the codecs below the handshake messages: the alert body
 * (RFC 8446 §6), the record header (RFC 8446 §5.1), the presentation-language
 * Reader/Writer (RFC 8446 §3), and the partial ClientHello that PSK binders
 * are computed over (RFC 8446 §4.2.11.2).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeClientHello, encodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { encodeHandshake, parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { clientHelloWithBinders, truncatedClientHello } from '../../src/handshake/messages/psk-binders.ts';
import { decodePreSharedKeyClient, preSharedKeyClientExtension } from '../../src/handshake/messages/psk.ts';
import { decodeAlert, encodeAlert } from '../../src/record/alert.ts';
import { encodeRecordHeader, parseRecordHeader } from '../../src/record/framing.ts';
import { toHex } from '../../src/wire/bytes.ts';
import { Reader, Writer } from '../../src/wire/codec.ts';
import { HandshakeType } from '../../src/wire/registry.ts';
import { applyByteMutations, byteMutation } from './byte-mutations.ts';
import { bytes, mixedExtensions, offeredPsks, u16, u16List, u32, u8 } from './codec-arbitraries.ts';
import { decodeTyped, describeCodec } from './codec-properties.ts';
import { FUZZ_TIMEOUT_MS, fuzzParameters } from './settings.ts';

const mutations = fc.array(byteMutation, { minLength: 1, maxLength: 3 });
const options = { timeout: FUZZ_TIMEOUT_MS };

describeCodec({ name: 'Alert (RFC 8446 §6)', value: fc.record({ level: u8, description: u8 }), encode: (a) => encodeAlert(a.level, a.description), decode: decodeAlert });

describe('record header (RFC 8446 §5.1)', () => {
  it('any five bytes are a typed error or a header that encodes to them', options, () => {
    fc.assert(
      fc.property(bytes(5, 5), (input) => {
        const header = decodeTyped(() => parseRecordHeader(input), input);
        if (header) expect(toHex(encodeRecordHeader(header.type, header.version, header.length))).toBe(toHex(input));
      }),
      fuzzParameters(500, 50_000),
    );
  });
});

/** One field of the presentation language, with the value it carries. */
type Field =
  | { readonly kind: 'u8' | 'u16' | 'u24' | 'u32'; readonly value: number }
  | { readonly kind: 'opaque'; readonly prefix: 1 | 2 | 3; readonly value: Uint8Array };

const field: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant('u8' as const), value: u8 }),
  fc.record({ kind: fc.constant('u16' as const), value: u16 }),
  fc.record({ kind: fc.constant('u24' as const), value: fc.integer({ min: 0, max: 0xffffff }) }),
  fc.record({ kind: fc.constant('u32' as const), value: u32 }),
  fc.record({ kind: fc.constant('opaque' as const), prefix: fc.constantFrom<1 | 2 | 3>(1, 2, 3), value: bytes(0, 40) }),
);

function writeFields(fields: readonly Field[]): Uint8Array {
  const w = new Writer();
  for (const f of fields) {
    if (f.kind === 'opaque') w.opaque(f.prefix, f.value);
    else w[f.kind](f.value);
  }
  return w.finish();
}

/** Reads fields of the kinds `layout` lists, to the last byte. */
function readFields(layout: readonly Field[], input: Uint8Array): Field[] {
  const r = new Reader(input);
  const out = layout.map((f): Field => (f.kind === 'opaque' ? { ...f, value: r.opaque(f.prefix, 'field') } : { ...f, value: r[f.kind]('field') }));
  r.end('fields');
  return out;
}

describe('Reader and Writer (RFC 8446 §3)', () => {
  const layout = fc.array(field, { maxLength: 8 });

  it('round trip: fields read back as written', options, () => {
    fc.assert(
      fc.property(layout, (fields) => {
        expect(readFields(fields, writeFields(fields))).toEqual(fields);
      }),
      fuzzParameters(300, 30_000),
    );
  });

  it('a mutated encoding reads as a typed error or as fields that write it again', options, () => {
    fc.assert(
      fc.property(layout, mutations, (fields, ms) => {
        const input = applyByteMutations(writeFields(fields), ms);
        const read = decodeTyped(() => readFields(fields, input), input);
        if (read) expect(toHex(writeFields(read))).toBe(toHex(input));
      }),
      fuzzParameters(600, 60_000),
    );
  });
});

describe('PSK binders’ partial ClientHello (RFC 8446 §4.2.11.2)', () => {
  const helloWithPsk = fc
    .tuple(mixedExtensions(5), offeredPsks, u16List(1, 4), bytes(0, 32))
    .map(([extensions, offered, cipherSuites, legacySessionId]) => ({
      offered,
      message: encodeHandshake(
        HandshakeType.client_hello,
        encodeClientHello({ legacyVersion: 0x0303, random: new Uint8Array(32), legacySessionId, cipherSuites, legacyCompressionMethods: [0], extensions: [...extensions, preSharedKeyClientExtension(offered)] }),
      ),
    }));

  it('the prefix stops at the binders, and new binders of the same lengths replace only them', options, () => {
    fc.assert(
      fc.property(helloWithPsk, fc.nat(), ({ offered, message }, fill) => {
        const prefix = truncatedClientHello(message);
        expect(toHex(message).startsWith(toHex(prefix))).toBe(true);
        const binders = offered.binders.map((b) => new Uint8Array(b.length).fill(fill & 0xff));
        const replaced = clientHelloWithBinders(message, binders);
        expect(toHex(truncatedClientHello(replaced))).toBe(toHex(prefix));
        const psk = decodeClientHello(parseHandshake(replaced).body).extensions.at(-1)!;
        expect(decodePreSharedKeyClient(psk.data).binders).toEqual(binders);
      }),
      fuzzParameters(200, 20_000),
    );
  });

  it('a mutated hello gives a typed error or a prefix of itself', options, () => {
    fc.assert(
      fc.property(fc.oneof(helloWithPsk.map((h) => h.message), bytes(0, 64)), mutations, (message, ms) => {
        const input = applyByteMutations(message, ms);
        const prefix = decodeTyped(() => truncatedClientHello(input), input);
        if (prefix) expect(toHex(input).startsWith(toHex(prefix))).toBe(true);
      }),
      fuzzParameters(400, 40_000),
    );
  });
});
