/**
 * After the handshake (RFC 8446 §4.6.3, §5.1, §6.1; RFC 8449): KeyUpdate in
 * both directions, close_notify both ways, fragmentation of large writes and
 * the peer's record_size_limit, all checked on the records actually written.
 */
import { describe, expect, it } from 'vitest';
import { bytesEqual, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { ConnectionClosedError } from '../../src/wire/errors.ts';
import { ContentType, HandshakeType, KeyUpdateRequest } from '../../src/wire/registry.ts';
import { pattern, splitRecords } from '../record/helpers.ts';
import { pair } from '../helpers/tamper.ts';
import type { HandshakeItem, Item, PairOptions, Side, Wire } from '../helpers/tamper.ts';
import { thrown } from '../handshake/messages/support.ts';

const PEER: Record<Side, Side> = { client: 'server', server: 'client' };

function connected(options: PairOptions = {}): Wire {
  const wire = pair(options);
  expect(wire.pump()).toBeNull();
  expect(wire.server.handshakeComplete).toBe(true);
  return wire;
}

/** Sends `text` from one side and checks the other reads exactly it. */
function roundTrip(wire: Wire, from: Side, text: string): void {
  wire.connection(from).write(utf8(text));
  expect(wire.pump()).toBeNull();
  expect(fromUtf8(wire.connection(PEER[from]).read()!)).toBe(text);
}

function keyUpdates(items: readonly Item[]): number[] {
  return items.filter((i): i is HandshakeItem => i.kind === 'handshake' && i.type === HandshakeType.key_update).map((i) => i.body[0]!);
}

describe('KeyUpdate (RFC 8446 §4.6.3)', () => {
  for (const side of ['client', 'server'] as const) {
    const peer = PEER[side];

    it(`from the ${side}, update_not_requested: its keys move on, the peer's stay, data flows`, () => {
      const wire = connected();
      wire.connection(side).keyUpdate(false);
      expect(wire.pump()).toBeNull();
      expect(keyUpdates(wire.sent[side])).toEqual([KeyUpdateRequest.update_not_requested]);
      expect(keyUpdates(wire.sent[peer])).toEqual([]);
      roundTrip(wire, side, 'after update');
      roundTrip(wire, peer, 'reply');
      expect(wire.epoch(side)).toBe(1);
      expect(wire.epoch(peer)).toBe(0);
    });

    it(`from the ${side}, update_requested: the peer answers exactly once`, () => {
      const wire = connected();
      wire.connection(side).keyUpdate(true);
      expect(wire.pump()).toBeNull();
      expect(keyUpdates(wire.sent[side])).toEqual([KeyUpdateRequest.update_requested]);
      expect(keyUpdates(wire.sent[peer])).toEqual([KeyUpdateRequest.update_not_requested]);
      roundTrip(wire, side, 'both updated');
      roundTrip(wire, peer, 'reply');
      expect(wire.epoch(side)).toBe(1);
      expect(wire.epoch(peer)).toBe(1);
    });

    it(`from the ${side}, several in a row, interleaved with data; the peer answers the burst once`, () => {
      const wire = connected();
      const local = wire.connection(side);
      local.write(utf8('a'));
      local.keyUpdate(true);
      local.write(utf8('b'));
      local.keyUpdate(false);
      local.write(utf8('c'));
      local.keyUpdate(true);
      expect(wire.pump()).toBeNull();
      expect(fromUtf8(wire.connection(peer).read()!)).toBe('abc');
      // Both requests arrive in one read: one KeyUpdate answers them (coalesced, issue 14's flood bound).
      expect(keyUpdates(wire.sent[peer])).toEqual([KeyUpdateRequest.update_not_requested]);
      expect(wire.epoch(side)).toBe(3);
      expect(wire.epoch(peer)).toBe(1);
      roundTrip(wire, peer, 'still in step');
    });
  }

  it('both sides request at once: each answers once, and both end two epochs on', () => {
    const wire = connected();
    wire.client.keyUpdate(true);
    wire.server.keyUpdate(true);
    expect(wire.pump()).toBeNull();
    expect(keyUpdates(wire.sent.client)).toHaveLength(2);
    expect(keyUpdates(wire.sent.server)).toHaveLength(2);
    roundTrip(wire, 'client', 'x');
    roundTrip(wire, 'server', 'y');
  });

  it('before the handshake completes it is refused', () => {
    const wire = pair();
    expect(thrown(() => wire.client.keyUpdate(false))).toBeInstanceOf(ConnectionClosedError);
    expect(thrown(() => wire.server.keyUpdate(false))).toBeInstanceOf(ConnectionClosedError);
    expect(wire.pump()).toBeNull();
    expect(wire.client.handshakeComplete).toBe(true);
  });
});

describe('close_notify (RFC 8446 §6.1)', () => {
  for (const side of ['client', 'server'] as const) {
    const peer = PEER[side];

    it(`the ${side} closes: data sent before it is read, then read() returns null; the other direction stays open`, () => {
      const wire = connected();
      const closer = wire.connection(side);
      const other = wire.connection(peer);
      closer.write(utf8('last'));
      closer.close();
      expect(closer.closeSent).toBe(true);
      expect(wire.pump()).toBeNull();
      expect(other.peerClosed).toBe(true);
      expect(fromUtf8(other.read()!)).toBe('last');
      expect(other.read()).toBeNull();
      expect(other.read()).toBeNull();

      const error = thrown(() => closer.write(utf8('more')));
      expect(error).toBeInstanceOf(ConnectionClosedError);

      // Half-close: the side that has not closed may still send, and the closer still reads.
      roundTrip(wire, peer, 'answer after close');
      other.close();
      expect(wire.pump()).toBeNull();
      expect(closer.read()).toBeNull();
      expect(closer.failed).toBeUndefined();
      expect(other.failed).toBeUndefined();
    });
  }

  it('close() twice sends one close_notify', () => {
    const wire = connected();
    wire.client.close();
    wire.client.close();
    const alerts = wire.take('client').filter((i) => i.kind === 'record' && i.contentType === ContentType.alert);
    expect(alerts).toHaveLength(1);
  });

  it('records after close_notify in the same input are ignored', () => {
    const wire = connected();
    wire.server.write(utf8('before'));
    wire.server.close();
    const items = wire.take('server');
    items.push({ kind: 'record', contentType: ContentType.application_data, content: utf8('after'), epoch: wire.epoch('server') });
    expect(wire.send('server', items)).toBeNull();
    expect(fromUtf8(wire.client.read()!)).toBe('before');
    expect(wire.client.read()).toBeNull();
  });

  // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored."
  it('data arriving in a later input after close_notify is ignored', () => {
    const wire = connected();
    wire.server.close();
    expect(wire.pump()).toBeNull();
    expect(wire.client.read()).toBeNull();
    const late = wire.send('server', [{ kind: 'record', contentType: ContentType.application_data, content: utf8('late'), epoch: wire.epoch('server') }]);
    expect(late).toBeNull();
    expect(wire.client.read()).toBeNull();
  });
});

describe('fragmentation', () => {
  for (const side of ['client', 'server'] as const) {
    it(`a 1 MiB write from the ${side} goes out in records of at most 2^14 bytes and arrives whole`, () => {
      const wire = connected();
      const data = pattern(1 << 20, 7);
      wire.connection(side).write(data);
      const chunk = wire.takeChunk(side);
      const { bytes, items } = chunk;
      const records = splitRecords(bytes);
      expect(records).toHaveLength(64);
      for (const r of records) {
        expect(r.type).toBe(ContentType.application_data);
        expect(r.body.length).toBeLessThanOrEqual(2 ** 14 + 256);
      }
      for (const item of items) {
        expect(item.kind === 'record' && item.content.length <= 2 ** 14).toBe(true);
      }
      expect(wire.forward(side, chunk)).toBeNull();
      expect(bytesEqual(wire.connection(PEER[side]).read()!, data)).toBe(true);
    });
  }
});

describe('record_size_limit (RFC 8449)', () => {
  /** Every protected record in `bytes` is within `limit` of plaintext (content + type byte), tag excluded. */
  function expectWithin(bytes: Uint8Array, limit: number, tag = 16): number {
    const records = splitRecords(bytes).filter((r) => r.type === ContentType.application_data);
    for (const r of records) expect(r.body.length - tag).toBeLessThanOrEqual(limit);
    return records.length;
  }

  /** Writes `data` from `side`; checks the records against `limit` and that the peer reads it whole. */
  function writeWithin(wire: Wire, side: Side, data: Uint8Array, limit: number): void {
    wire.connection(side).write(data);
    const chunk = wire.takeChunk(side);
    expect(expectWithin(chunk.bytes, limit)).toBe(Math.ceil(data.length / (limit - 1)));
    expect(wire.forward(side, chunk)).toBeNull();
    expect(wire.connection(PEER[side]).read()).toEqual(data);
  }

  it('the client\'s limit caps every protected record of the server, handshake flight included', () => {
    const wire = pair({ client: { recordSizeLimit: 256 } });
    wire.send('client', wire.take('client'));
    const flight = wire.takeChunk('server');
    expect(expectWithin(flight.bytes, 256)).toBeGreaterThan(2);
    expect(wire.forward('server', flight)).toBeNull();
    expect(wire.pump()).toBeNull();

    writeWithin(wire, 'server', pattern(4000), 256);
  });

  it('the server\'s limit (sent in answer to the client\'s) caps the client\'s records', () => {
    const wire = pair({ client: { recordSizeLimit: 16385 }, server: { recordSizeLimit: 512 } });
    expect(wire.pump()).toBeNull();
    writeWithin(wire, 'client', pattern(5000), 512);
  });

  it('the smallest limit, 64, still carries a whole handshake and data', () => {
    const wire = pair({ client: { recordSizeLimit: 64 }, server: { recordSizeLimit: 64 } });
    expect(wire.pump()).toBeNull();
    writeWithin(wire, 'client', pattern(1000), 64);
    writeWithin(wire, 'server', pattern(1000, 2), 64);
  });

  it('without the extension, records use the full 2^14', () => {
    const wire = connected();
    wire.server.write(pattern(2 ** 14));
    const records = splitRecords(wire.takeChunk('server').bytes);
    expect(records).toHaveLength(1);
  });
});
