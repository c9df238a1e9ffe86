/**
 * The ends of a connection (RFC 8446 §6.1): what follows the peer's
 * close_notify is handed back raw for a protocol that goes on in the clear
 * (STARTTLS, `unwrap()`), and nothing at all follows our own close_notify.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { ConnectionClosedError, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, AlertLevel, ContentType, HandshakeType, KeyUpdateRequest } from '../../src/wire/registry.ts';
import { pattern } from '../record/helpers.ts';
import { pair } from '../helpers/tamper.ts';
import type { Item, Wire } from '../helpers/tamper.ts';
import { thrown } from '../handshake/messages/support.ts';

function connected(): Wire {
  const wire = pair();
  expect(wire.pump()).toBeNull();
  expect(wire.client.handshakeComplete).toBe(true);
  return wire;
}

/** 22 bytes a STARTTLS-style protocol might send in the clear once TLS ends. */
const CLEAR = utf8('220 plaintext resumes\n');

/** What the server writes for "last", then its close_notify, as raw records. */
function lastWordsAndClose(wire: Wire): Uint8Array {
  wire.server.write(utf8('last'));
  wire.server.close();
  return wire.server.takeOutgoing();
}

function expectClosedAfter(wire: Wire, text: string): void {
  expect(fromUtf8(wire.client.read()!)).toBe(text);
  expect(wire.client.read()).toBeNull();
  expect(wire.client.peerClosed).toBe(true);
  expect(wire.client.failed).toBeUndefined();
}

describe('bytes after the peer\'s close_notify', () => {
  it('in the same input: all 22 come back as sent, once', () => {
    expect(CLEAR).toHaveLength(22);
    const wire = connected();
    wire.client.receive(concatBytes(lastWordsAndClose(wire), CLEAR));
    expectClosedAfter(wire, 'last');
    expect(wire.client.takeUnprocessed()).toEqual(CLEAR);
    expect(wire.client.takeUnprocessed()).toHaveLength(0);
  });

  it('in later inputs: appended, not dropped', () => {
    const wire = connected();
    wire.client.receive(lastWordsAndClose(wire));
    expect(wire.client.takeUnprocessed()).toHaveLength(0);
    wire.client.receive(CLEAR.subarray(0, 10));
    wire.client.receive(new Uint8Array(0));
    wire.client.receive(CLEAR.subarray(10));
    expectClosedAfter(wire, 'last');
    expect(wire.client.takeUnprocessed()).toEqual(CLEAR);
  });

  it('partly with the close_notify record, partly later', () => {
    const wire = connected();
    wire.client.receive(concatBytes(lastWordsAndClose(wire), CLEAR.subarray(0, 5)));
    wire.client.receive(CLEAR.subarray(5));
    expectClosedAfter(wire, 'last');
    expect(wire.client.takeUnprocessed()).toEqual(CLEAR);
  });

  it('one byte at a time: the record boundary is found exactly', () => {
    const wire = connected();
    const input = concatBytes(lastWordsAndClose(wire), CLEAR);
    for (let i = 0; i < input.length; i++) wire.client.receive(input.subarray(i, i + 1));
    expectClosedAfter(wire, 'last');
    expect(wire.client.takeUnprocessed()).toEqual(CLEAR);
  });

  it('a buffer the caller reuses after receive() does not change what comes back', () => {
    const wire = connected();
    wire.client.receive(lastWordsAndClose(wire));
    const buffer = CLEAR.slice();
    wire.client.receive(buffer);
    buffer.fill(0);
    expect(wire.client.takeUnprocessed()).toEqual(CLEAR);
  });

  it('TLS records after close_notify come back raw, neither decrypted nor read', () => {
    const wire = connected();
    wire.server.close();
    const items = wire.take('server');
    const closeBytes = wire.encode('server', items);
    const record = wire.encode('server', [{ kind: 'record', contentType: ContentType.application_data, content: utf8('after'), epoch: wire.epoch('server') }]);
    wire.client.receive(concatBytes(closeBytes, record));
    expect(wire.client.read()).toBeNull();
    expect(wire.client.takeUnprocessed()).toEqual(record);
  });

  it('nothing is held back before close_notify, even a partial record', () => {
    const wire = connected();
    wire.server.write(utf8('partial'));
    const record = wire.server.takeOutgoing();
    wire.client.receive(record.subarray(0, 7));
    expect(wire.client.takeUnprocessed()).toHaveLength(0);
    wire.client.receive(record.subarray(7));
    expect(fromUtf8(wire.client.read()!)).toBe('partial');
    expect(wire.client.takeUnprocessed()).toHaveLength(0);
  });
});

/** Everything `items` holds after the first close_notify record. */
function afterCloseNotify(items: readonly Item[]): Item[] {
  const at = items.findIndex((i) => i.kind === 'record' && i.contentType === ContentType.alert && i.content[1] === AlertDescription.close_notify);
  expect(at, 'a close_notify was sent').toBeGreaterThanOrEqual(0);
  return items.slice(at + 1);
}

describe('nothing after our close_notify', () => {
  it('an incoming KeyUpdate(update_requested) is not answered, and data still reads under the new keys', () => {
    const wire = connected();
    wire.client.close();
    wire.server.keyUpdate(true);
    wire.server.write(utf8('after the update'));
    expect(wire.pump()).toBeNull();
    const keyUpdates = wire.sent.server.filter((i) => i.kind === 'handshake' && i.type === HandshakeType.key_update);
    expect(keyUpdates).toHaveLength(1);
    expect(keyUpdates[0]!.kind === 'handshake' && keyUpdates[0]!.body[0]).toBe(KeyUpdateRequest.update_requested);
    expect(afterCloseNotify(wire.sent.client)).toEqual([]);
    expect(fromUtf8(wire.client.read()!)).toBe('after the update');
    expect(wire.client.failed).toBeUndefined();
  });

  it('our own KeyUpdate after close() is refused', () => {
    const wire = connected();
    wire.client.close();
    expect(thrown(() => wire.client.keyUpdate(false))).toBeInstanceOf(ConnectionClosedError);
    expect(afterCloseNotify(wire.take('client'))).toEqual([]);
  });

  it('a server that closes before the client\'s Finished sends no tickets', () => {
    const wire = pair({ server: { ticketsToSend: 2 } });
    expect(wire.forward('client', wire.takeChunk('client'))).toBeNull();
    wire.server.close();
    expect(wire.pump()).toBeNull();
    expect(wire.server.handshakeComplete).toBe(true);
    expect(wire.sent.server.some((i) => i.kind === 'handshake' && i.type === HandshakeType.finished)).toBe(true);
    expect(afterCloseNotify(wire.sent.server)).toEqual([]);
    expect(wire.client.takeSessionTickets()).toEqual([]);
  });

  it('a fatal error after close() sends no alert', () => {
    const wire = connected();
    wire.client.close();
    wire.take('client');
    const garbage = concatBytes(Uint8Array.of(ContentType.application_data, 3, 3, 0, 32), pattern(32));
    const failure = wire.deliver('client', garbage);
    expect(failure?.error).toBeInstanceOf(ProtocolError);
    expect((failure!.error as ProtocolError).cause).toBe('BadRecordMac');
    expect(failure!.sent).toEqual([]);
    expect(wire.client.takeOutgoing()).toHaveLength(0);
  });

  it('the same mistake before close() does send the alert (the test above can fail)', () => {
    const wire = connected();
    const garbage = concatBytes(Uint8Array.of(ContentType.application_data, 3, 3, 0, 32), pattern(32));
    const failure = wire.deliver('client', garbage);
    expect(failure!.alert).toEqual({ level: AlertLevel.fatal, description: AlertDescription.bad_record_mac });
  });
});
