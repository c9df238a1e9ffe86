/** Every inbound rule of the record layer, each with its cause and alert. */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { protection13 } from '../../src/record/protection13.ts';
import { RecordLayer, type RecordLayerOptions } from '../../src/record/record-layer.ts';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription as A, ContentType } from '../../src/wire/registry.ts';
import { drain, expectFailure, handshakeMessage, pattern, record, sealRaw, transparentProtection } from './helpers.ts';

const { handshake, alert, application_data: appData, change_cipher_spec: ccs } = ContentType;
const key = pattern(16, 21);
const iv = pattern(12, 22);
const keys = () => protection13(nobleProvider, 'AES-128-GCM', key, iv);
/** A record under `keys()` at sequence `seq` with the given TLSInnerPlaintext. */
const sealed = (seq: number, inner: Uint8Array | readonly number[]) => sealRaw('AES-128-GCM', key, iv, BigInt(seq), inner instanceof Uint8Array ? inner : new Uint8Array(inner));

function layerWith(bytes: Uint8Array, protectedRead = false, options: RecordLayerOptions = {}): RecordLayer {
  const layer = new RecordLayer(options);
  if (protectedRead) layer.setReadProtection(keys());
  layer.receive(bytes);
  return layer;
}

describe('record header rules', () => {
  it('WrongRecordVersion for a first version byte other than 3, e.g. plain HTTP', () => {
    expectFailure(() => drain(layerWith(record(handshake, [1, 0, 0, 0], 0x0203))), 'WrongRecordVersion', A.protocol_version);
    expectFailure(() => drain(layerWith(utf8('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))), 'WrongRecordVersion', A.protocol_version);
  });

  it('UnknownContentType for an unknown outer type', () => {
    expectFailure(() => drain(layerWith(record(24, [1, 0]))), 'UnknownContentType', A.unexpected_message);
    expectFailure(() => drain(layerWith(record(0, [1, 0]))), 'UnknownContentType', A.unexpected_message);
  });

  it('judges the header before the body arrives', () => {
    const layer = new RecordLayer();
    layer.receive(new Uint8Array([22, 3, 3, 0x40, 0x01]));
    expectFailure(() => layer.nextEvent(), 'RecordOverflow', A.record_overflow);
  });
});

describe('length limits', () => {
  it('TLSPlaintext: up to 2^14 waits for the body, 2^14 + 1 is refused from the header', () => {
    expect(layerWith(new Uint8Array([22, 3, 3, 0x40, 0x00])).nextEvent()).toBeNull();
    expectFailure(() => layerWith(new Uint8Array([22, 3, 3, 0x40, 0x01])).nextEvent(), 'RecordOverflow', A.record_overflow);
    expectFailure(() => layerWith(new Uint8Array([21, 3, 3, 0xff, 0xff])).nextEvent(), 'RecordOverflow', A.record_overflow);
  });

  it('TLSCiphertext: up to 2^14 + 256 waits for the body, 2^14 + 257 is refused from the header', () => {
    expect(layerWith(new Uint8Array([23, 3, 3, 0x41, 0x00]), true).nextEvent()).toBeNull();
    expectFailure(() => layerWith(new Uint8Array([23, 3, 3, 0x41, 0x01]), true).nextEvent(), 'RecordOverflow', A.record_overflow);
  });

  it('TLSInnerPlaintext: over 2^14 + 1 bytes after decryption', () => {
    const ok = sealed(0, concatBytes(pattern(16384), new Uint8Array([appData])));
    expect(drain(layerWith(ok, true))).toEqual([{ kind: 'application_data', data: pattern(16384) }]);
    const padded = sealed(0, concatBytes(pattern(16384), new Uint8Array([appData, 0])));
    expectFailure(() => drain(layerWith(padded, true)), 'RecordOverflow', A.record_overflow);
  });

  it('an unprotected change_cipher_spec after keys is held to the plaintext limit', () => {
    expectFailure(() => layerWith(new Uint8Array([20, 3, 3, 0x40, 0x01]), true).nextEvent(), 'RecordOverflow', A.record_overflow);
  });
});

describe('protection rules', () => {
  it('BadRecordMac for a record that does not authenticate', () => {
    const rec = sealed(0, [1, 2, 3, appData]);
    rec[rec.length - 1]! ^= 0x80;
    expectFailure(() => drain(layerWith(rec, true)), 'BadRecordMac', A.bad_record_mac);
  });

  it('NoInnerContentType for an all-zero inner plaintext', () => {
    expectFailure(() => drain(layerWith(sealed(0, new Uint8Array(8)), true)), 'NoInnerContentType', A.unexpected_message);
  });

  it('a protected change_cipher_spec is unexpected_message', () => {
    expectFailure(() => drain(layerWith(sealed(0, [1, ccs]), true)), 'UnexpectedChangeCipherSpec', A.unexpected_message);
  });

  it('PlaintextAfterKeys for unprotected handshake or alert records once keys are on', () => {
    expectFailure(() => drain(layerWith(record(handshake, handshakeMessage(20, pattern(32))), true)), 'PlaintextAfterKeys', A.unexpected_message);
    expectFailure(() => drain(layerWith(record(alert, [2, 40]), true)), 'PlaintextAfterKeys', A.unexpected_message);
  });

  it('a server may accept plaintext alerts under new keys only until the first protected record opens', () => {
    const tolerant = new RecordLayer();
    tolerant.setReadProtection(keys(), true);
    tolerant.receive(record(alert, [2, 47]));
    expect(drain(tolerant)).toEqual([{ kind: 'alert', level: 2, description: 47 }]);

    const after = new RecordLayer();
    after.setReadProtection(keys(), true);
    after.receive(concatBytes(sealed(0, [9, appData]), record(alert, [2, 47])));
    expectFailure(() => drain(after), 'PlaintextAfterKeys', A.unexpected_message);
    // Plaintext handshake records are never tolerated.
    const handshakeRecord = new RecordLayer();
    handshakeRecord.setReadProtection(keys(), true);
    handshakeRecord.receive(record(handshake, handshakeMessage(20, pattern(32))));
    expectFailure(() => drain(handshakeRecord), 'PlaintextAfterKeys', A.unexpected_message);
  });

  it('application_data before keys is unexpected_message', () => {
    expectFailure(() => drain(layerWith(record(appData, [1, 2, 3]))), 'UnexpectedMessage', A.unexpected_message);
  });

  it('protected records decrypt in sequence after keys, plain ones before', () => {
    const layer = new RecordLayer();
    const hello = handshakeMessage(2, pattern(50));
    const finished = handshakeMessage(20, pattern(32));
    layer.receive(concatBytes(record(handshake, hello), sealed(0, concatBytes(finished, new Uint8Array([handshake]))), sealed(1, [9, appData])));
    expect(layer.nextEvent()).toEqual({ kind: 'handshake', message: hello });
    expect(layer.readProtected).toBe(false);
    layer.setReadProtection(keys());
    expect(layer.readProtected).toBe(true);
    expect(drain(layer)).toEqual([{ kind: 'handshake', message: finished }, { kind: 'application_data', data: new Uint8Array([9]) }]);
  });
});

describe('change_cipher_spec (RFC 8446 §5, §D.4)', () => {
  it('a valid unprotected one is an event, before and after keys', () => {
    expect(drain(layerWith(record(ccs, [1])))).toEqual([{ kind: 'change_cipher_spec' }]);
    expect(drain(layerWith(concatBytes(record(ccs, [1]), sealed(0, [5, appData])), true))).toEqual([
      { kind: 'change_cipher_spec' },
      { kind: 'application_data', data: new Uint8Array([5]) },
    ]);
  });

  it('InvalidChangeCipherSpec for any body but 0x01', () => {
    for (const body of [[], [0], [2], [1, 1], [0, 1]]) {
      expectFailure(() => drain(layerWith(record(ccs, body))), 'InvalidChangeCipherSpec', A.unexpected_message);
      expectFailure(() => drain(layerWith(record(ccs, body), true)), 'InvalidChangeCipherSpec', A.unexpected_message);
    }
  });
});

describe('empty records', () => {
  it('EmptyRecord for zero-length handshake and alert records, plain or protected', () => {
    expectFailure(() => drain(layerWith(record(handshake, []))), 'EmptyRecord', A.unexpected_message);
    expectFailure(() => drain(layerWith(record(alert, []))), 'EmptyRecord', A.unexpected_message);
    expectFailure(() => drain(layerWith(sealed(0, [handshake]), true)), 'EmptyRecord', A.unexpected_message);
    expectFailure(() => drain(layerWith(sealed(0, [alert, 0, 0]), true)), 'EmptyRecord', A.unexpected_message);
  });

  it('zero-length application data is an (empty) event', () => {
    expect(drain(layerWith(sealed(0, [appData]), true))).toEqual([{ kind: 'application_data', data: new Uint8Array(0) }]);
  });

  it('TooManyEmptyRecords after 32 in a row; a non-empty record resets the run', () => {
    const empties = (from: number, count: number) => Array.from({ length: count }, (_, i) => sealed(from + i, [appData]));
    const layer = layerWith(concatBytes(...empties(0, 32), sealed(32, [1, appData]), ...empties(33, 32)), true);
    expect(drain(layer)).toHaveLength(65);
    layer.receive(sealed(65, [appData]));
    expectFailure(() => layer.nextEvent(), 'TooManyEmptyRecords', A.unexpected_message);
  });
});

describe('alerts', () => {
  it('are events with level and description', () => {
    expect(drain(layerWith(record(alert, [2, 40])))).toEqual([{ kind: 'alert', level: 2, description: 40 }]);
    expect(drain(layerWith(sealed(0, [1, 0, alert]), true))).toEqual([{ kind: 'alert', level: 1, description: 0 }]);
  });

  it('MalformedAlert unless the record holds exactly one alert', () => {
    expectFailure(() => drain(layerWith(record(alert, [2]))), 'MalformedAlert', A.decode_error);
    expectFailure(() => drain(layerWith(record(alert, [1, 0, 1, 0]))), 'MalformedAlert', A.decode_error);
    expectFailure(() => drain(layerWith(sealed(0, [1, 0, 2, alert]), true)), 'MalformedAlert', A.decode_error);
  });

  it('TooManyWarningAlerts at the 5th warning in a row; other records reset the run', () => {
    const warning = record(alert, [1, 90]);
    const layer = layerWith(concatBytes(warning, warning, warning, warning, record(handshake, handshakeMessage(1, pattern(3))), warning, warning, warning, warning));
    expect(drain(layer)).toHaveLength(9);
    layer.receive(warning);
    expectFailure(() => layer.nextEvent(), 'TooManyWarningAlerts', A.unexpected_message);
  });
});

describe('handshake reassembly rules', () => {
  const partial = record(handshake, [11, 0, 0, 10, 1, 2]);

  it('InterleavedHandshake for any other record inside a fragmented message', () => {
    expectFailure(() => drain(layerWith(concatBytes(partial, record(alert, [1, 0])))), 'InterleavedHandshake', A.unexpected_message);
    expectFailure(() => drain(layerWith(concatBytes(partial, record(ccs, [1])))), 'InterleavedHandshake', A.unexpected_message);
    const protectedPartial = sealed(0, [11, 0, 0, 10, handshake]);
    expectFailure(() => drain(layerWith(concatBytes(protectedPartial, sealed(1, [1, appData])), true)), 'InterleavedHandshake', A.unexpected_message);
    expectFailure(() => drain(layerWith(concatBytes(protectedPartial, record(ccs, [1])), true)), 'InterleavedHandshake', A.unexpected_message);
  });

  it('a length its message type cannot have → decode_error from the 4-byte header alone, whatever the cap', () => {
    // A ClientHello is at most 131,396 bytes (RFC 8446 §4.1.2): 1 MiB is malformed, not merely too large.
    expectFailure(() => drain(layerWith(record(handshake, [1, 0x10, 0x00, 0x00]))), 'MalformedMessage', A.decode_error);
    expectFailure(() => drain(layerWith(record(handshake, [24, 0, 0, 2]), false, { maxHandshakeMessage: 1 << 24 })), 'MalformedMessage', A.decode_error);
  });

  it('HandshakeMessageTooLarge from the 4-byte header alone (default 256 KiB, or the option)', () => {
    expect(drain(layerWith(record(handshake, [11, 0x04, 0x00, 0x00])))).toEqual([]);
    expectFailure(() => drain(layerWith(record(handshake, [11, 0x04, 0x00, 0x01]))), 'HandshakeMessageTooLarge', A.illegal_parameter);
    expectFailure(
      () => drain(layerWith(record(handshake, [11, 0, 4, 1]), false, { maxHandshakeMessage: 1024 })),
      'HandshakeMessageTooLarge',
      A.illegal_parameter,
    );
  });

  it('KeyChangeNotOnRecordBoundary with a partial message buffered', () => {
    const layer = layerWith(partial);
    expect(layer.nextEvent()).toBeNull();
    expectFailure(() => layer.setReadProtection(keys()), 'KeyChangeNotOnRecordBoundary', A.unexpected_message);
  });

  it('KeyChangeNotOnRecordBoundary with a whole message not yet returned', () => {
    const first = handshakeMessage(2, pattern(40));
    const layer = layerWith(record(handshake, concatBytes(first, handshakeMessage(8, pattern(6)))));
    expect(layer.nextEvent()).toEqual({ kind: 'handshake', message: first });
    expectFailure(() => layer.setReadProtection(keys()), 'KeyChangeNotOnRecordBoundary', A.unexpected_message);
  });
});

describe('after a failure', () => {
  it('receive and nextEvent throw the same error again', () => {
    const layer = layerWith(concatBytes(record(alert, [2]), record(handshake, handshakeMessage(1, pattern(4)))));
    const error = expectFailure(() => layer.nextEvent(), 'MalformedAlert', A.decode_error);
    let again: unknown;
    try {
      layer.nextEvent();
    } catch (e) {
      again = e;
    }
    expect(again).toBe(error);
    expect(() => layer.receive(new Uint8Array([1]))).toThrow(error);
    expect(() => layer.setReadProtection(keys())).toThrow(error);
  });

  it('a refused key change also ends the inbound side', () => {
    const layer = layerWith(record(handshake, [11, 0, 0, 10]));
    layer.nextEvent();
    const error = expectFailure(() => layer.setReadProtection(keys()), 'KeyChangeNotOnRecordBoundary', A.unexpected_message);
    expect(() => layer.nextEvent()).toThrow(error);
  });

  it('writing still works, so the engine can send its alert', () => {
    const layer = layerWith(record(alert, [2]));
    expect(() => layer.nextEvent()).toThrow();
    layer.writeAlert(2, A.decode_error);
    expect(layer.takeOutgoing()).toEqual(record(alert, [2, A.decode_error]));
  });
});

describe("TLS 1.2 protection's rules", () => {
  it('keeps outer types under protection and sends change_cipher_spec through it', () => {
    const p = transparentProtection('tls12');
    const layer = new RecordLayer();
    layer.setReadProtection(p);
    layer.receive(concatBytes(record(handshake, handshakeMessage(20, pattern(12))), record(ccs, [1]), record(alert, [1, 0])));
    expect(drain(layer).map((e) => e.kind)).toEqual(['handshake', 'change_cipher_spec', 'alert']);
    expect(p.opened).toEqual([handshake, ccs, alert]);
  });

  it('allows ciphertext up to 2^14 + 2048 and no more', () => {
    const layer = (b: Uint8Array) => {
      const l = new RecordLayer();
      l.setReadProtection(transparentProtection('tls12'));
      l.receive(b);
      return l;
    };
    expect(layer(new Uint8Array([23, 3, 3, 0x48, 0x00])).nextEvent()).toBeNull();
    expectFailure(() => layer(new Uint8Array([23, 3, 3, 0x48, 0x01])).nextEvent(), 'RecordOverflow', A.record_overflow);
  });

  it('refuses empty handshake records under TLS 1.2 protection too', () => {
    const layer = new RecordLayer();
    layer.setReadProtection(transparentProtection('tls12'));
    layer.receive(record(handshake, []));
    expectFailure(() => drain(layer), 'EmptyRecord', A.unexpected_message);
  });
});
