/** Round trips, split input, the outbound side, and the RFC 8448 records through RecordLayer. */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { protection13 } from '../../src/record/protection13.ts';
import { RecordLayer, type InboundEvent } from '../../src/record/record-layer.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertDescription as A, ContentType } from '../../src/wire/registry.ts';
import { AEADS, drain, expectFailure, handshakeMessage, openRaw, pattern, record, splitRecords, transparentProtection } from './helpers.ts';
import { rfc8448 } from './rfc8448.ts';

const { handshake, alert, application_data: appData, change_cipher_spec: ccs } = ContentType;

const hello = handshakeMessage(1, pattern(500, 2));
const bigCertificate = handshakeMessage(11, pattern(40000, 3));
const finished = handshakeMessage(20, pattern(32, 4));
const bulk = pattern(50000, 5);

/** Writes a mix of everything through `writer`; returns the events a reader must see. */
function writeEverything(writer: RecordLayer, withApplicationData: boolean): InboundEvent[] {
  writer.writeHandshake(hello);
  writer.writeChangeCipherSpec();
  writer.writeHandshake(concatBytes(bigCertificate, finished));
  writer.writeAlert(1, 0);
  const expected: InboundEvent[] = [
    { kind: 'handshake', message: hello },
    { kind: 'change_cipher_spec' },
    { kind: 'handshake', message: bigCertificate },
    { kind: 'handshake', message: finished },
    { kind: 'alert', level: 1, description: 0 },
  ];
  if (withApplicationData) {
    writer.writeApplicationData(bulk);
    writer.writeApplicationData(new Uint8Array([7]));
    // The reader sees one event per record: 16384, 16384, 16384, 848, then 1.
    for (let i = 0; i < bulk.length; i += 16384) expected.push({ kind: 'application_data', data: bulk.subarray(i, i + 16384) });
    expected.push({ kind: 'application_data', data: new Uint8Array([7]) });
  }
  return expected;
}

/** Feeds `bytes` in pieces of `size`, collecting events after every piece. */
function feed(reader: RecordLayer, bytes: Uint8Array, size: number): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    reader.receive(bytes.subarray(i, i + size));
    events.push(...drain(reader));
  }
  return events;
}

function withInput(layer: RecordLayer, bytes: Uint8Array): RecordLayer {
  layer.receive(bytes);
  return layer;
}

describe('round trips without keys', () => {
  it('handshake, change_cipher_spec and alert records', () => {
    const writer = new RecordLayer();
    const expected = writeEverything(writer, false);
    const bytes = writer.takeOutgoing();
    expect(splitRecords(bytes).map((r) => r.type)).toEqual([handshake, ccs, handshake, handshake, handshake, alert]);
    expect(drain(withInput(new RecordLayer(), bytes))).toEqual(expected);
    expect(feed(new RecordLayer(), bytes, 1)).toEqual(expected);
  });
});

describe.each(AEADS)('round trips under TLS 1.3 keys, $name', ({ name, keyLength }) => {
  const key = pattern(keyLength, 31);
  const iv = pattern(12, 32);
  const protect = () => protection13(nobleProvider, name, key, iv);

  function pair(): { writer: RecordLayer; reader: RecordLayer } {
    const writer = new RecordLayer();
    const reader = new RecordLayer();
    writer.setWriteProtection(protect());
    reader.setReadProtection(protect());
    return { writer, reader };
  }

  it('every record type, all at once and one byte at a time', () => {
    const { writer, reader } = pair();
    expect(writer.writeProtected).toBe(true);
    const expected = writeEverything(writer, true);
    const bytes = writer.takeOutgoing();
    const records = splitRecords(bytes);
    // Only the compatibility change_cipher_spec shows its type; the rest hide behind application_data.
    expect(records.map((r) => r.type)).toEqual([appData, ccs, appData, appData, appData, appData, appData, appData, appData, appData, appData]);
    expect(records[1]!.body).toEqual(new Uint8Array([1]));
    expect(drain(withInput(reader, bytes))).toEqual(expected);
    const slow = pair().reader;
    expect(feed(slow, bytes, 1)).toEqual(expected);
  });

  it('any split of the input gives the same events', () => {
    const { writer } = pair();
    const expected = writeEverything(writer, true);
    const bytes = writer.takeOutgoing();
    for (const size of [2, 3, 5, 6, 7, 1000, 16389, 16390, 70000]) expect(feed(pair().reader, bytes, size)).toEqual(expected);
  });

  it('starts sequence numbers again at 0 on each key change', () => {
    const writer = new RecordLayer();
    writer.setWriteProtection(protect());
    writer.writeApplicationData(new Uint8Array([1, 2, 3]));
    writer.writeApplicationData(new Uint8Array([1, 2, 3]));
    writer.setWriteProtection(protect());
    writer.writeApplicationData(new Uint8Array([1, 2, 3]));
    const [first, second, third] = splitRecords(writer.takeOutgoing());
    expect(third!.body).toEqual(first!.body);
    expect(second!.body).not.toEqual(first!.body);
  });
});

describe('split input across key changes', () => {
  it('one byte at a time through plaintext, a key change, and ciphertext', () => {
    const c = rfc8448;
    const bytes = concatBytes(c.serverHello.record, c.serverFlight.record);
    const reader = new RecordLayer();
    const events: InboundEvent[] = [];
    for (const byte of bytes) {
      reader.receive(new Uint8Array([byte]));
      for (let e = reader.nextEvent(); e !== null; e = reader.nextEvent()) {
        events.push(e);
        if (events.length === 1) reader.setReadProtection(protection13(nobleProvider, 'AES-128-GCM', c.serverHandshakeKeys.key, c.serverHandshakeKeys.iv));
      }
    }
    expect(events.map((e) => (e.kind === 'handshake' ? e.message[0] : e.kind))).toEqual([2, 8, 11, 15, 20]);
  });

  it('copies received bytes, so the caller may reuse its buffer', () => {
    const reader = new RecordLayer();
    const buffer = record(handshake, finished);
    reader.receive(buffer);
    buffer.fill(0);
    expect(reader.nextEvent()).toEqual({ kind: 'handshake', message: finished });
  });
});

describe('outbound', () => {
  it('fragments handshake bytes at 2^14 and packs messages together', () => {
    const layer = new RecordLayer();
    layer.writeHandshake(concatBytes(bigCertificate, finished));
    const records = splitRecords(layer.takeOutgoing());
    expect(records.map((r) => r.body.length)).toEqual([16384, 16384, 40004 + 36 - 32768]);
    expect(concatBytes(...records.map((r) => r.body))).toEqual(concatBytes(bigCertificate, finished));
    expect(records.every((r) => r.type === handshake && r.version === 0x0303)).toBe(true);
  });

  it('writes an initial ClientHello with legacy_record_version 0x0301 when asked (RFC 8446 §5.1)', () => {
    const layer = new RecordLayer();
    layer.writeHandshake(rfc8448.clientHello.payload, 0x0301);
    expect(layer.takeOutgoing()).toEqual(rfc8448.clientHello.record);
  });

  it('produces records at once, and takeOutgoing empties the queue', () => {
    const layer = new RecordLayer();
    expect(layer.takeOutgoing()).toEqual(new Uint8Array(0));
    layer.writeAlert(1, 0);
    expect(layer.takeOutgoing()).toEqual(record(alert, [1, 0]));
    expect(layer.takeOutgoing().length).toBe(0);
    layer.writeAlert(2, 40);
    layer.writeAlert(2, 40);
    expect(layer.takeOutgoing()).toEqual(concatBytes(record(alert, [2, 40]), record(alert, [2, 40])));
  });

  it('is not affected by later changes to the caller buffer', () => {
    const layer = new RecordLayer();
    const message = finished.slice();
    layer.writeHandshake(message);
    message.fill(0);
    expect(layer.takeOutgoing()).toEqual(record(handshake, finished));
  });

  it('refuses application data before keys and writes nothing for empty data', () => {
    expectFailure(() => new RecordLayer().writeApplicationData(new Uint8Array([1])), 'InternalError', A.internal_error);
    const layer = new RecordLayer();
    layer.setWriteProtection(transparentProtection());
    layer.writeApplicationData(new Uint8Array(0));
    expect(layer.takeOutgoing().length).toBe(0);
  });

  it('sends the TLS 1.3 compatibility change_cipher_spec unprotected, even under keys', () => {
    const p = transparentProtection();
    const layer = new RecordLayer();
    layer.setWriteProtection(p);
    layer.writeChangeCipherSpec();
    expect(layer.takeOutgoing()).toEqual(new Uint8Array([20, 3, 3, 0, 1, 1]));
    expect(p.sealed).toEqual([]);
  });

  it('under TLS 1.2 protection sends change_cipher_spec through it', () => {
    const p = transparentProtection('tls12');
    const layer = new RecordLayer();
    layer.writeChangeCipherSpec();
    layer.setWriteProtection(p);
    layer.writeChangeCipherSpec();
    expect(layer.takeOutgoing()).toEqual(concatBytes(record(ccs, [1]), record(ccs, [1])));
    expect(p.sealed).toEqual([ccs]);
  });
});

describe('setMaxFragment (RFC 8449 record_size_limit)', () => {
  const key = pattern(16, 41);
  const iv = pattern(12, 42);

  it('TLS 1.3: protected records carry at most limit - 1 content bytes, the inner type making up the limit', () => {
    const layer = new RecordLayer();
    layer.setMaxFragment(1000);
    layer.writeHandshake(bigCertificate.subarray(0, 4000)); // unprotected: not subject to the limit
    expect(splitRecords(layer.takeOutgoing()).map((r) => r.body.length)).toEqual([4000]);
    layer.setWriteProtection(protection13(nobleProvider, 'AES-128-GCM', key, iv));
    layer.writeApplicationData(bulk.subarray(0, 2500));
    const records = splitRecords(layer.takeOutgoing());
    expect(records.map((r) => r.body.length)).toEqual([1000 + 16, 1000 + 16, 503 + 16]);
    const inners = records.map((r, i) => openRaw('AES-128-GCM', key, iv, BigInt(i), record(r.type, r.body)));
    expect(inners.map((x) => x.length)).toEqual([1000, 1000, 503]);
    expect(concatBytes(...inners.map((x) => x.subarray(0, -1)))).toEqual(bulk.subarray(0, 2500));
  });

  it('TLS 1.2: the limit is the content per record', () => {
    const layer = new RecordLayer();
    layer.setWriteProtection(transparentProtection('tls12'));
    layer.setMaxFragment(64);
    layer.writeApplicationData(bulk.subarray(0, 130));
    expect(splitRecords(layer.takeOutgoing()).map((r) => r.body.length)).toEqual([64, 64, 2]);
  });

  it('values above the maximum change nothing; values below 64 are refused', () => {
    const layer = new RecordLayer();
    layer.setWriteProtection(transparentProtection());
    layer.setMaxFragment(2 ** 16 - 1);
    layer.writeApplicationData(bulk.subarray(0, 20000));
    expect(splitRecords(layer.takeOutgoing()).map((r) => r.body.length)).toEqual([16384, 20000 - 16384]);
    expect(() => layer.setMaxFragment(63)).toThrow(RangeError);
    expect(() => layer.setMaxFragment(100.5)).toThrow(RangeError);
  });
});

describe('RFC 8448 §3 records through the layer', () => {
  const aes = (k: { key: Uint8Array; iv: Uint8Array }) => protection13(nobleProvider, 'AES-128-GCM', k.key, k.iv);

  it("the server's records, byte for byte", () => {
    const c = rfc8448;
    const server = new RecordLayer();
    server.writeHandshake(c.serverHello.payload);
    expect(server.takeOutgoing()).toEqual(c.serverHello.record);
    server.setWriteProtection(aes(c.serverHandshakeKeys));
    server.writeHandshake(c.serverFlight.payload);
    expect(server.takeOutgoing()).toEqual(c.serverFlight.record);
    server.setWriteProtection(aes(c.serverApplicationKeys));
    server.writeHandshake(c.newSessionTicket.payload);
    server.writeApplicationData(c.serverApplicationData.payload);
    server.writeAlert(1, 0);
    expect(server.takeOutgoing()).toEqual(concatBytes(c.newSessionTicket.record, c.serverApplicationData.record, c.serverAlert.record));
  });

  it("the client's records, byte for byte, and the server's as it reads them", () => {
    const c = rfc8448;
    const client = new RecordLayer();
    client.writeHandshake(c.clientHello.payload, 0x0301);
    expect(client.takeOutgoing()).toEqual(c.clientHello.record);

    client.receive(concatBytes(c.serverHello.record, c.serverFlight.record));
    expect(client.nextEvent()).toEqual({ kind: 'handshake', message: c.serverHello.payload });
    client.setReadProtection(aes(c.serverHandshakeKeys));
    const flight = drain(client);
    expect(flight.map((e) => e.kind)).toEqual(['handshake', 'handshake', 'handshake', 'handshake']);
    expect(concatBytes(...flight.map((e) => (e.kind === 'handshake' ? e.message : new Uint8Array(0))))).toEqual(c.serverFlight.payload);

    client.setWriteProtection(aes(c.clientHandshakeKeys));
    client.writeHandshake(c.clientFinished.payload);
    expect(client.takeOutgoing()).toEqual(c.clientFinished.record);
    client.setWriteProtection(aes(c.clientApplicationKeys));
    client.setReadProtection(aes(c.serverApplicationKeys));
    client.writeApplicationData(c.clientApplicationData.payload);
    client.writeAlert(1, 0);
    expect(client.takeOutgoing()).toEqual(concatBytes(c.clientApplicationData.record, c.clientAlert.record));

    client.receive(concatBytes(c.newSessionTicket.record, c.serverApplicationData.record, c.serverAlert.record));
    expect(drain(client)).toEqual([
      { kind: 'handshake', message: c.newSessionTicket.payload },
      { kind: 'application_data', data: c.serverApplicationData.payload },
      { kind: 'alert', level: 1, description: 0 },
    ]);
  });
});
