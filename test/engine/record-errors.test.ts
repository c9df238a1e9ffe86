/**
 * Record-layer faults seen through the connection (RFC 8446 §5): each ends
 * the connection with the alert RFC 8446 §6.2 names, from the side that read it.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription as A, AlertLevel, ContentType, HandshakeType, KeyUpdateRequest } from '../../src/wire/registry.ts';
import { encodeRecordHeader } from '../../src/record/framing.ts';
import { AlertReceived } from '../../src/wire/errors.ts';
import { pair } from '../helpers/tamper.ts';
import type { Item, Wire } from '../helpers/tamper.ts';
import { expectFatal } from './fatal.ts';
import { thrown } from '../handshake/messages/support.ts';

function connected(): Wire {
  const wire = pair();
  expect(wire.pump()).toBeNull();
  expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
  return wire;
}

function plainRecord(type: number, content: Uint8Array | readonly number[]): Uint8Array {
  const body = Uint8Array.from(content);
  return concatBytes(encodeRecordHeader(type, 0x0303, body.length), body);
}

/** An item the client sends under its current application keys. */
function fromClient(wire: Wire, contentType: number, content: Uint8Array | readonly number[]): Item {
  return { kind: 'record', contentType, content: Uint8Array.from(content), epoch: wire.epoch('client') };
}

describe('records split anywhere', () => {
  it('a handshake delivered one byte at a time completes', () => {
    const wire = pair();
    for (let round = 0; round < 10 && !wire.client.handshakeComplete; round++) {
      for (const side of ['client', 'server'] as const) {
        const bytes = wire.encode(side, wire.take(side));
        const peer = wire.connection(side === 'client' ? 'server' : 'client');
        for (const byte of bytes) peer.receive(Uint8Array.of(byte));
      }
    }
    expect(wire.client.handshakeComplete).toBe(true);
    expect(wire.pump()).toBeNull();
    expect(wire.server.handshakeComplete).toBe(true);
  });

  // The sans-I/O connection has no end-of-stream input: a record cut short just
  // waits for its remaining bytes. Turning "transport closed mid-record" into an
  // error is the ssl layer's job (Python raises SSLEOFError there).
  it('a truncated record is held without processing or error until the rest arrives', () => {
    for (const cut of [1, 4, 5, 6, -1]) {
      const wire = connected();
      wire.client.write(utf8('hello'));
      const record = wire.encode('client', wire.take('client'));
      wire.server.receive(record.subarray(0, cut));
      expect(wire.server.read()).toEqual(new Uint8Array(0));
      expect(wire.server.peerClosed).toBe(false);
      expect(wire.server.failed).toBeUndefined();
      expect(wire.server.takeOutgoing()).toHaveLength(0);
      wire.server.receive(record.subarray(cut < 0 ? record.length + cut : cut));
      expect(fromUtf8(wire.server.read()!)).toBe('hello');
    }
  });
});

describe('record-level fatal errors', () => {
  it('TLSPlaintext longer than 2^14 → record_overflow', () => {
    const wire = pair();
    wire.take('client');
    const header = encodeRecordHeader(ContentType.handshake, 0x0303, 2 ** 14 + 1);
    expectFatal(wire, wire.deliver('server', header), { side: 'server', cause: 'RecordOverflow', alert: A.record_overflow });
  });

  it('TLSCiphertext longer than 2^14 + 256 → record_overflow', () => {
    const wire = connected();
    const header = encodeRecordHeader(ContentType.application_data, 0x0303, 2 ** 14 + 257);
    expectFatal(wire, wire.deliver('server', header), { side: 'server', cause: 'RecordOverflow', alert: A.record_overflow });
  });

  it('a ciphertext within 2^14 + 256 hiding more than 2^14 + 1 bytes of TLSInnerPlaintext → record_overflow', () => {
    const wire = connected();
    const failure = wire.send('client', [fromClient(wire, ContentType.application_data, new Uint8Array(2 ** 14 + 1))]);
    expectFatal(wire, failure, { side: 'server', cause: 'RecordOverflow', alert: A.record_overflow });
  });

  it('a flipped ciphertext bit → bad_record_mac', () => {
    const wire = connected();
    wire.client.write(utf8('secret'));
    const record = wire.encode('client', wire.take('client'));
    record[7]! ^= 0x01;
    expectFatal(wire, wire.deliver('server', record), { side: 'server', cause: 'BadRecordMac', alert: A.bad_record_mac });
  });

  it('a flipped tag bit in the server flight → bad_record_mac at the client', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    const items = wire.take('server');
    const bytes = wire.encode('server', items);
    bytes[bytes.length - 1]! ^= 0x80;
    expectFatal(wire, wire.deliver('client', bytes), { side: 'client', cause: 'BadRecordMac', alert: A.bad_record_mac });
  });

  it('an unknown outer content type → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    expectFatal(wire, wire.deliver('server', plainRecord(99, [1, 2, 3])), { side: 'server', cause: 'UnknownContentType', alert: A.unexpected_message });
  });

  it('an unknown inner content type → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('client', [fromClient(wire, 99, [1, 2, 3])]);
    expectFatal(wire, failure, { side: 'server', cause: 'UnknownContentType', alert: A.unexpected_message });
  });

  it('application data inside a fragmented handshake message → unexpected_message', () => {
    const wire = connected();
    const keyUpdate = Uint8Array.of(HandshakeType.key_update, 0, 0, 1, KeyUpdateRequest.update_not_requested);
    const failure = wire.send('client', [
      fromClient(wire, ContentType.handshake, keyUpdate.subarray(0, 2)),
      fromClient(wire, ContentType.application_data, utf8('x')),
    ]);
    expectFatal(wire, failure, { side: 'server', cause: 'InterleavedHandshake', alert: A.unexpected_message });
  });

  it('an alert inside a fragmented handshake message → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('client', [
      fromClient(wire, ContentType.handshake, [HandshakeType.key_update, 0]),
      fromClient(wire, ContentType.alert, [AlertLevel.warning, A.user_canceled]),
    ]);
    expectFatal(wire, failure, { side: 'server', cause: 'InterleavedHandshake', alert: A.unexpected_message });
  });

  it('a fragmented handshake message in plaintext interrupted by change_cipher_spec → unexpected_message', () => {
    const wire = pair();
    const [hello] = wire.take('client');
    if (hello?.kind !== 'handshake') throw new Error('no ClientHello');
    const whole = concatBytes(Uint8Array.of(hello.type, 0, hello.body.length >> 8, hello.body.length & 0xff), hello.body);
    const failure = wire.deliver('server', concatBytes(
      plainRecord(ContentType.handshake, whole.subarray(0, 10)),
      plainRecord(ContentType.change_cipher_spec, [1]),
    ));
    expectFatal(wire, failure, { side: 'server', cause: 'InterleavedHandshake', alert: A.unexpected_message });
  });

  it('a protected change_cipher_spec → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('client', [fromClient(wire, ContentType.change_cipher_spec, [1])]);
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  it('a change_cipher_spec whose body is not 0x01 → unexpected_message', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    const failure = wire.deliver('client', plainRecord(ContentType.change_cipher_spec, [2]));
    expectFatal(wire, failure, { side: 'client', cause: 'InvalidChangeCipherSpec', alert: A.unexpected_message });
  });

  it('a change_cipher_spec of two bytes → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.change_cipher_spec, [1, 1]));
    expectFatal(wire, failure, { side: 'server', cause: 'InvalidChangeCipherSpec', alert: A.unexpected_message });
  });

  it('a change_cipher_spec before the first ClientHello → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.change_cipher_spec, [1]));
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  it('change_cipher_spec records in the handshake are dropped (RFC 8446 §5), up to 4; the 5th → unexpected_message', () => {
    const wire = pair({ client: { middleboxCompatibility: false } });
    wire.send('client', wire.take('client'));
    const ccs = plainRecord(ContentType.change_cipher_spec, [1]);
    for (let i = 0; i < 4; i++) expect(wire.deliver('client', ccs)).toBeNull();
    expectFatal(wire, wire.deliver('client', ccs), { side: 'client', cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  for (const side of ['client', 'server'] as const) {
    it(`a change_cipher_spec after the handshake → unexpected_message (${side})`, () => {
      const wire = connected();
      const failure = wire.deliver(side, plainRecord(ContentType.change_cipher_spec, [1]));
      expectFatal(wire, failure, { side, cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
    });
  }

  it('an empty handshake record → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.handshake, []));
    expectFatal(wire, failure, { side: 'server', cause: 'EmptyRecord', alert: A.unexpected_message });
  });

  it('an empty protected handshake record → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('client', [fromClient(wire, ContentType.handshake, [])]);
    expectFatal(wire, failure, { side: 'server', cause: 'EmptyRecord', alert: A.unexpected_message });
  });

  it('plaintext application data as the first record → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.application_data, utf8('early')));
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('application data under handshake keys before Finished → unexpected_message (server)', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    wire.send('server', wire.take('server'));
    const failure = wire.send('client', [{ kind: 'record', contentType: ContentType.application_data, content: utf8('too soon'), epoch: 'handshake' }]);
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('application data under handshake keys before Finished → unexpected_message (client)', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    const flight = wire.take('server');
    const firstProtected = flight.findIndex((i) => i.kind === 'handshake' && i.epoch === 'handshake');
    flight.splice(firstProtected, 0, { kind: 'record', contentType: ContentType.application_data, content: utf8('too soon'), epoch: 'handshake' });
    expectFatal(wire, wire.send('server', flight), { side: 'client', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('a plaintext record after keys → unexpected_message', () => {
    const wire = connected();
    const failure = wire.deliver('server', plainRecord(ContentType.handshake, [HandshakeType.key_update, 0, 0, 1, 0]));
    expectFatal(wire, failure, { side: 'server', cause: 'PlaintextAfterKeys', alert: A.unexpected_message });
  });

  it('a plaintext alert after the handshake → unexpected_message', () => {
    const wire = connected();
    const failure = wire.deliver('client', plainRecord(ContentType.alert, [AlertLevel.fatal, A.handshake_failure]));
    expectFatal(wire, failure, { side: 'client', cause: 'PlaintextAfterKeys', alert: A.unexpected_message });
  });
});

describe('record rules the handshake depends on', () => {
  it('a ServerHello sharing its record with the next message (a key change inside a record) → unexpected_message', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    const flight = wire.take('server');
    const hello = flight.find((i) => i.kind === 'handshake' && i.type === HandshakeType.server_hello);
    if (hello?.kind !== 'handshake') throw new Error('no ServerHello');
    const header = Uint8Array.of(hello.type, 0, hello.body.length >> 8, hello.body.length & 0xff);
    const encryptedExtensions = Uint8Array.of(HandshakeType.encrypted_extensions, 0, 0, 2, 0, 0);
    const failure = wire.deliver('client', plainRecord(ContentType.handshake, concatBytes(header, hello.body, encryptedExtensions)));
    expectFatal(wire, failure, { side: 'client', cause: 'KeyChangeNotOnRecordBoundary', alert: A.unexpected_message });
  });

  it('a client Finished sharing its record with a KeyUpdate → unexpected_message', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    wire.send('server', wire.take('server'));
    const flight = wire.take('client');
    const finished = flight.find((i) => i.kind === 'handshake' && i.type === HandshakeType.finished);
    if (finished?.kind !== 'handshake') throw new Error('no Finished');
    const both = concatBytes(
      Uint8Array.of(HandshakeType.finished, 0, 0, finished.body.length), finished.body,
      Uint8Array.of(HandshakeType.key_update, 0, 0, 1, KeyUpdateRequest.update_not_requested),
    );
    const failure = wire.send('client', [
      ...flight.filter((i) => i !== finished),
      { kind: 'record', contentType: ContentType.handshake, content: both, epoch: 'handshake' },
    ]);
    expectFatal(wire, failure, { side: 'server', cause: 'KeyChangeNotOnRecordBoundary', alert: A.unexpected_message });
  });

  it('a handshake message announcing more than the size limit → illegal_parameter, before its body arrives', () => {
    const wire = pair();
    wire.take('client');
    // A Certificate has no protocol maximum below the 256 KiB cap: the cap's alert applies.
    const failure = wire.deliver('server', plainRecord(ContentType.handshake, [HandshakeType.certificate, 0x10, 0, 0]));
    expectFatal(wire, failure, { side: 'server', cause: 'HandshakeMessageTooLarge', alert: A.illegal_parameter });
  });

  it('a ClientHello announcing more than its fields can hold (1 MiB) → decode_error, before its body arrives', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.handshake, [HandshakeType.client_hello, 0x10, 0, 0]));
    expectFatal(wire, failure, { side: 'server', cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('32 empty application data records are accepted; the 33rd in a row → unexpected_message', () => {
    const wire = connected();
    const empty = () => fromClient(wire, ContentType.application_data, []);
    expect(wire.send('client', Array.from({ length: 32 }, empty))).toBeNull();
    expect(wire.server.read()).toEqual(new Uint8Array(0));
    expectFatal(wire, wire.send('client', [empty()]), { side: 'server', cause: 'TooManyEmptyRecords', alert: A.unexpected_message });
  });

  it('a TLSInnerPlaintext of zeros only (no content type) → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('client', [fromClient(wire, ContentType.invalid, [0, 0, 0])]);
    expectFatal(wire, failure, { side: 'server', cause: 'NoInnerContentType', alert: A.unexpected_message });
  });
});

describe('garbage as the first bytes', () => {
  it('an HTTP request → protocol_version (not TLS at all)', () => {
    const wire = pair();
    wire.take('client');
    const error = expectFatal(wire, wire.deliver('server', utf8('GET / HTTP/1.1\r\n')), { side: 'server', cause: 'WrongRecordVersion', alert: A.protocol_version });
    expect(error.message).toContain('record version');
  });

  it('an HTTP response to the client → protocol_version', () => {
    const wire = pair();
    wire.take('client');
    expectFatal(wire, wire.deliver('client', utf8('HTTP/1.1 400 Bad Request\r\n\r\n')), { side: 'client', cause: 'WrongRecordVersion', alert: A.protocol_version });
  });

  it('an SSLv2-style hello → protocol_version', () => {
    const wire = pair();
    wire.take('client');
    expectFatal(wire, wire.deliver('server', Uint8Array.of(0x80, 0x2e, 0x01, 0x00, 0x02)), { side: 'server', cause: 'WrongRecordVersion', alert: A.protocol_version });
  });

  it('random bytes → protocol_version', () => {
    // A fixed "random" buffer whose second byte is not 3, so no record version can match.
    const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 151 + 7) & 0xff);
    expect(garbage[1]).not.toBe(3);
    const wire = pair();
    wire.take('client');
    expectFatal(wire, wire.deliver('server', garbage), { side: 'server', cause: 'WrongRecordVersion', alert: A.protocol_version });
  });

  it('random bytes with a plausible version but unknown type → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    expectFatal(wire, wire.deliver('server', Uint8Array.of(0x47, 3, 1, 0, 4, 9, 9, 9, 9)), { side: 'server', cause: 'UnknownContentType', alert: A.unexpected_message });
  });

  it('a handshake record that is not a ClientHello → unexpected_message', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainRecord(ContentType.handshake, [HandshakeType.finished, 0, 0, 1, 0]));
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });
});

describe('data not lost', () => {
  it('application data that arrived before a fatal record is read before the error is thrown', () => {
    const wire = connected();
    wire.server.write(utf8('first'));
    wire.server.write(utf8(' second'));
    const records = wire.encode('server', wire.take('server'));
    const bad = wire.encode('server', [{ kind: 'record', contentType: ContentType.application_data, content: utf8('third'), epoch: wire.epoch('server') }]);
    bad[bad.length - 1]! ^= 1;
    const failure = wire.deliver('client', concatBytes(records, bad));
    expect(failure?.error).toMatchObject({ cause: 'BadRecordMac' });
    expect(fromUtf8(wire.client.read()!)).toBe('first second');
    expect(thrown(() => wire.client.read())).toBe(failure!.error);
    expectFatal(wire, failure, { side: 'client', cause: 'BadRecordMac', alert: A.bad_record_mac });
  });

  it('application data before a received fatal alert is read before AlertReceived', () => {
    const wire = connected();
    wire.server.write(utf8('last words'));
    const items = wire.take('server');
    items.push({ kind: 'record', contentType: ContentType.alert, content: Uint8Array.of(AlertLevel.fatal, A.internal_error), epoch: wire.epoch('server') });
    const failure = wire.send('server', items);
    expect(fromUtf8(wire.client.read()!)).toBe('last words');
    expectFatal(wire, failure, { side: 'client', type: AlertReceived, alert: null, received: A.internal_error });
  });
});
