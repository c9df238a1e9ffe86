import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { nullProtection } from '../../src/record/protection.ts';
import { protection13 } from '../../src/record/protection13.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertDescription, ContentType } from '../../src/wire/registry.ts';
import { AEADS, expectFailure, openRaw, pattern, sealRaw } from './helpers.ts';
import { rfc8448 } from './rfc8448.ts';

const { handshake, alert, application_data: appData, change_cipher_spec: ccs } = ContentType;

function withHeader(type: number, body: Uint8Array): Uint8Array {
  return concatBytes(new Uint8Array([type, 3, 3, body.length >> 8, body.length & 0xff]), body);
}

describe('RFC 8448 §3 known answers', () => {
  it('seals the server application-data record byte for byte (sequence 1, after NewSessionTicket)', () => {
    const { key, iv } = rfc8448.serverApplicationKeys;
    const p = protection13(nobleProvider, 'AES-128-GCM', key, iv);
    const ticket = p.seal(handshake, rfc8448.newSessionTicket.payload);
    expect(withHeader(ticket.type, ticket.body)).toEqual(rfc8448.newSessionTicket.record);
    const data = p.seal(appData, rfc8448.serverApplicationData.payload);
    expect(withHeader(data.type, data.body)).toEqual(rfc8448.serverApplicationData.record);
  });

  it('opens the server application-data record with the trace key and IV', () => {
    const { key, iv } = rfc8448.serverApplicationKeys;
    const p = protection13(nobleProvider, 'AES-128-GCM', key, iv);
    const ticket = rfc8448.newSessionTicket.record;
    expect(p.open(ticket[0] as number, ticket.subarray(5), 0x0303)).toEqual({ type: handshake, content: rfc8448.newSessionTicket.payload });
    const rec = rfc8448.serverApplicationData.record;
    expect(p.open(rec[0] as number, rec.subarray(5), 0x0303)).toEqual({ type: appData, content: rfc8448.serverApplicationData.payload });
  });

  it('seals the client Finished, application data and alert records', () => {
    const hs = protection13(nobleProvider, 'AES-128-GCM', rfc8448.clientHandshakeKeys.key, rfc8448.clientHandshakeKeys.iv);
    const fin = hs.seal(handshake, rfc8448.clientFinished.payload);
    expect(withHeader(fin.type, fin.body)).toEqual(rfc8448.clientFinished.record);
    const ap = protection13(nobleProvider, 'AES-128-GCM', rfc8448.clientApplicationKeys.key, rfc8448.clientApplicationKeys.iv);
    const data = ap.seal(appData, rfc8448.clientApplicationData.payload);
    expect(withHeader(data.type, data.body)).toEqual(rfc8448.clientApplicationData.record);
    const closing = ap.seal(alert, rfc8448.clientAlert.payload);
    expect(withHeader(closing.type, closing.body)).toEqual(rfc8448.clientAlert.record);
  });
});

describe.each(AEADS)('protection13 with $name', ({ name, keyLength }) => {
  const key = pattern(keyLength, 11);
  const iv = pattern(12, 12);
  const pair = () => [protection13(nobleProvider, name, key, iv), protection13(nobleProvider, name, key, iv)] as const;

  it('round-trips every inner type, hiding it behind application_data', () => {
    const [writer, reader] = pair();
    for (const [type, content] of [[handshake, pattern(300)], [alert, new Uint8Array([1, 0])], [appData, pattern(16384, 4)], [appData, new Uint8Array(0)]] as const) {
      const sealed = writer.seal(type, content);
      expect(sealed.type).toBe(appData);
      expect(sealed.body.length).toBe(content.length + writer.overhead);
      expect(reader.open(sealed.type, sealed.body, 0x0303)).toEqual({ type, content });
    }
  });

  it('produces records an independent implementation opens, with sequence numbers 0, 1, 2', () => {
    const [writer] = pair();
    for (let seq = 0n; seq < 3n; seq++) {
      const content = pattern(40, Number(seq) + 1);
      const sealed = writer.seal(handshake, content);
      expect(openRaw(name, key, iv, seq, withHeader(sealed.type, sealed.body))).toEqual(concatBytes(content, new Uint8Array([handshake])));
    }
  });

  it('accepts zero padding and finds the type before it (RFC 8446 §5.4)', () => {
    const [, reader] = pair();
    const rec = sealRaw(name, key, iv, 0n, concatBytes(new Uint8Array([5, 0, 7, handshake]), new Uint8Array(200)));
    expect(reader.open(appData, rec.subarray(5), 0x0303)).toEqual({ type: handshake, content: new Uint8Array([5, 0, 7]) });
  });

  it('uses the received legacy_record_version in the additional data', () => {
    const [writer, reader] = pair();
    const sealed = writer.seal(appData, pattern(10));
    expectFailure(() => reader.open(appData, sealed.body, 0x0301), 'BadRecordMac', AlertDescription.bad_record_mac);
  });

  it('refuses a tampered record, a short one, and one from the wrong sequence number', () => {
    const [writer, reader] = pair();
    const sealed = writer.seal(appData, pattern(50));
    const flipped = sealed.body.slice();
    flipped[3]! ^= 1;
    expectFailure(() => reader.open(appData, flipped, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    expectFailure(() => pair()[1].open(appData, new Uint8Array(5), 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
    const skipped = pair()[1];
    skipped.open(appData, pair()[0].seal(appData, pattern(3)).body, 0x0303);
    expectFailure(() => skipped.open(appData, sealed.body, 0x0303), 'BadRecordMac', AlertDescription.bad_record_mac);
  });

  it('refuses an inner plaintext with no content type', () => {
    for (const inner of [new Uint8Array(0), new Uint8Array(1), new Uint8Array(40)]) {
      const rec = sealRaw(name, key, iv, 0n, inner);
      expectFailure(() => pair()[1].open(appData, rec.subarray(5), 0x0303), 'NoInnerContentType', AlertDescription.unexpected_message);
    }
  });

  it('refuses a protected change_cipher_spec and unknown inner types', () => {
    const ccsRec = sealRaw(name, key, iv, 0n, new Uint8Array([1, ccs]));
    expectFailure(() => pair()[1].open(appData, ccsRec.subarray(5), 0x0303), 'UnexpectedChangeCipherSpec', AlertDescription.unexpected_message);
    for (const type of [24, 99]) {
      const rec = sealRaw(name, key, iv, 0n, new Uint8Array([1, type]));
      expectFailure(() => pair()[1].open(appData, rec.subarray(5), 0x0303), 'UnknownContentType', AlertDescription.unexpected_message);
    }
  });

  it('refuses an inner plaintext over 2^14 + 1 bytes, padding included', () => {
    const fits = sealRaw(name, key, iv, 0n, concatBytes(pattern(16384), new Uint8Array([appData])));
    expect(pair()[1].open(appData, fits.subarray(5), 0x0303).content.length).toBe(16384);
    const padded = sealRaw(name, key, iv, 0n, concatBytes(pattern(16000), new Uint8Array([appData]), new Uint8Array(385)));
    expectFailure(() => pair()[1].open(appData, padded.subarray(5), 0x0303), 'RecordOverflow', AlertDescription.record_overflow);
    const big = sealRaw(name, key, iv, 0n, concatBytes(pattern(16385), new Uint8Array([appData])));
    expectFailure(() => pair()[1].open(appData, big.subarray(5), 0x0303), 'RecordOverflow', AlertDescription.record_overflow);
  });

  it('refuses to seal more than a record holds', () => {
    expect(() => pair()[0].seal(appData, new Uint8Array(16384 + 256))).toThrow(RangeError);
  });
});

describe('protection13 arguments and null protection', () => {
  it('checks the IV length', () => {
    expect(() => protection13(nobleProvider, 'AES-128-GCM', new Uint8Array(16), new Uint8Array(8))).toThrow(RangeError);
  });

  it('null protection passes records through', () => {
    const p = nullProtection();
    expect(p.encrypted).toBe(false);
    const body = pattern(9);
    expect(p.seal(handshake, body)).toEqual({ type: handshake, body });
    expect(p.open(alert, body, 0x0303)).toEqual({ type: alert, content: body });
  });
});
