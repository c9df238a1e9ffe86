import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { AeadName } from '../../src/crypto/provider.ts';
import { SUITES12 } from '../../src/handshake/suites.ts';
import { MAX_CIPHERTEXT_TLS12 } from '../../src/record/framing.ts';
import { protection12 } from '../../src/record/protection12.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertDescription, ContentType } from '../../src/wire/registry.ts';
import { expectFailure, pattern, referenceNonce } from './helpers.ts';

const { handshake, alert, application_data: appData, change_cipher_spec: ccs } = ContentType;

/** One record suite per AEAD, with its key length, from the suite table. */
const RECORD_SUITES = (['AES-128-GCM', 'AES-256-GCM', 'CHACHA20-POLY1305'] as const).map((aead) => {
  const suite = SUITES12.find((s) => s.aead === aead)!;
  return { name: aead, keyLength: suite.keyLength, fixedIvLength: suite.fixedIvLength, explicitNonceLength: suite.explicitNonceLength };
});

/** RFC 5246 §6.2.3.3's additional data, written out by hand. */
function referenceAad(seq: bigint, type: number, version: number, length: number): Uint8Array {
  const aad = new Uint8Array(13);
  new DataView(aad.buffer).setBigUint64(0, seq);
  aad.set([type, version >> 8, version & 0xff, length >> 8, length & 0xff], 8);
  return aad;
}

/**
 * A TLS 1.2 record body sealed without the code under test: GCM's nonce is
 * salt || `explicit` (sent first), ChaCha20's is IV XOR seq (RFC 5288 §3, RFC 7905 §2).
 */
function sealReference(aead: AeadName, key: Uint8Array, fixedIv: Uint8Array, seq: bigint, type: number, content: Uint8Array, explicit?: Uint8Array): Uint8Array {
  const nonce = explicit ? concatBytes(fixedIv, explicit) : referenceNonce(fixedIv, seq);
  const ciphertext = nobleProvider.aead(aead, key).seal(nonce, referenceAad(seq, type, 0x0303, content.length), content);
  return explicit ? concatBytes(explicit, ciphertext) : ciphertext;
}

function seqBytes(seq: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, seq);
  return out;
}

describe.each(RECORD_SUITES)('protection12 with $name', ({ name, keyLength, fixedIvLength, explicitNonceLength }) => {
  const suite = { aead: name, fixedIvLength, explicitNonceLength };
  const key = pattern(keyLength, 21);
  const fixedIv = pattern(fixedIvLength, 22);
  const pair = () => [protection12(nobleProvider, suite, key, fixedIv), protection12(nobleProvider, suite, key, fixedIv)] as const;
  const gcm = explicitNonceLength > 0;
  const explicitFor = (seq: bigint) => (gcm ? seqBytes(seq) : undefined);

  it('describes itself: encrypted, type in the clear, 2^14 + 2048 limit, overhead nonce + tag', () => {
    const [p] = pair();
    expect(p.encrypted).toBe(true);
    expect(p.hidesContentType).toBe(false);
    expect(p.maxCiphertext).toBe(MAX_CIPHERTEXT_TLS12);
    expect(p.overhead).toBe(explicitNonceLength + 16);
  });

  it('round-trips every type, keeping it in the header', () => {
    const [writer, reader] = pair();
    for (const [type, content] of [[handshake, pattern(300)], [alert, new Uint8Array([1, 0])], [appData, pattern(16384, 4)], [appData, new Uint8Array(0)], [ccs, new Uint8Array([1])]] as const) {
      const sealed = writer.seal(type, content);
      expect(sealed.type).toBe(type);
      expect(sealed.body.length).toBe(content.length + writer.overhead);
      expect(reader.open(sealed.type, sealed.body, 0x0303)).toEqual({ type, content });
    }
  });

  it('seals exactly what an independent implementation seals, with sequence numbers 0, 1, 2 (and GCM sends them as nonce_explicit)', () => {
    const [writer] = pair();
    for (let seq = 0n; seq < 3n; seq++) {
      const content = pattern(40, Number(seq) + 1);
      const sealed = writer.seal(handshake, content);
      expect(sealed.body).toEqual(sealReference(name, key, fixedIv, seq, handshake, content, explicitFor(seq)));
      if (gcm) expect(sealed.body.subarray(0, 8)).toEqual(seqBytes(seq));
    }
  });

  it('opens records an independent implementation sealed', () => {
    const [, reader] = pair();
    for (let seq = 0n; seq < 3n; seq++) {
      const content = pattern(33, Number(seq) + 7);
      expect(reader.open(appData, sealReference(name, key, fixedIv, seq, appData, content, explicitFor(seq)), 0x0303)).toEqual({ type: appData, content });
    }
  });

  it('authenticates the type and both version bytes (RFC 5246 §6.2.3.3 additional data)', () => {
    const [writer] = pair();
    const sealed = writer.seal(appData, pattern(10));
    for (const [type, version] of [[handshake, 0x0303], [alert, 0x0303], [appData, 0x0203], [appData, 0x0301]] as const) {
      const [, reader] = pair();
      expectFailure(() => reader.open(type, sealed.body, version), 'BadRecordMac', AlertDescription.bad_record_mac);
    }
  });

  it('authenticates the sequence number: a replayed or skipped record fails', () => {
    const [writer, reader] = pair();
    const first = writer.seal(appData, pattern(10));
    const second = writer.seal(appData, pattern(10, 2));
    expect(reader.open(appData, first.body, 0x0303).content).toEqual(pattern(10));
    expectFailure(() => reader.open(appData, first.body, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    const [, skipping] = pair();
    expectFailure(() => skipping.open(appData, second.body, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
  });

  it('fails on any flipped bit in nonce_explicit, ciphertext or tag', () => {
    const [writer] = pair();
    const sealed = writer.seal(handshake, pattern(24));
    for (let i = 0; i < sealed.body.length; i++) {
      const [, reader] = pair();
      const bad = sealed.body.slice();
      bad[i]! ^= 0x01;
      expectFailure(() => reader.open(handshake, bad, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    }
  });

  it('fails when the body is one byte shorter or longer (the length enters the additional data)', () => {
    const [writer] = pair();
    const sealed = writer.seal(handshake, pattern(24));
    for (const bad of [sealed.body.subarray(0, sealed.body.length - 1), concatBytes(sealed.body, new Uint8Array(1))]) {
      const [, reader] = pair();
      expectFailure(() => reader.open(handshake, bad, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    }
  });

  it('refuses a body shorter than nonce_explicit and tag with bad_record_mac', () => {
    for (let length = 0; length < explicitNonceLength + 16; length++) {
      const [, reader] = pair();
      expectFailure(() => reader.open(appData, pattern(length), 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    }
  });

  it('refuses a plaintext over 2^14 bytes with record_overflow, even with a valid tag', () => {
    const [, reader] = pair();
    const body = sealReference(name, key, fixedIv, 0n, appData, pattern(2 ** 14 + 1), explicitFor(0n));
    expectFailure(() => reader.open(appData, body, 0x0303), 'RecordOverflow', AlertDescription.record_overflow);
  });

  it('opens a full 2^14-byte plaintext', () => {
    const [, reader] = pair();
    const content = pattern(2 ** 14, 5);
    expect(reader.open(appData, sealReference(name, key, fixedIv, 0n, appData, content, explicitFor(0n)), 0x0303).content).toEqual(content);
  });

  it('will not seal more than 2^14 bytes', () => {
    const [writer] = pair();
    expect(() => writer.seal(appData, new Uint8Array(2 ** 14 + 1))).toThrow(RangeError);
  });

  it('refuses a fixed IV of the wrong length', () => {
    expect(() => protection12(nobleProvider, suite, key, pattern(fixedIvLength + 1))).toThrow(RangeError);
  });
});

describe.each(RECORD_SUITES.filter((s) => s.explicitNonceLength > 0))('protection12 with $name (GCM)', ({ name, keyLength }) => {
  it('takes nonce_explicit from the record, whatever the peer chose (RFC 5288 §3)', () => {
    const key = pattern(keyLength, 31);
    const salt = pattern(4, 32);
    const reader = protection12(nobleProvider, { aead: name, fixedIvLength: 4, explicitNonceLength: 8 }, key, salt);
    const content = pattern(20, 9);
    const body = sealReference(name, key, salt, 0n, appData, content, pattern(8, 99));
    expect(reader.open(appData, body, 0x0303)).toEqual({ type: appData, content });
  });
});
