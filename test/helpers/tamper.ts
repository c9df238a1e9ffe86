/**
 * A man in the middle for in-memory engine tests. It sits between a client and
 * a server `TlsConnection`, decrypts what each side sends with the secrets that
 * side logged (NSS key-log labels), splits the stream into items (one handshake
 * message, or one other record), lets a test rewrite, drop or insert items, and
 * seals the result again under the same epoch (RFC 8446 §5.2, §7.3) before the
 * peer receives it; what no rewrite touched passes as the sender wrote it.
 * Sealing uses the sender's secrets, which are the receiver's too unless the
 * key exchange itself was altered. A rewritten message breaks the transcript,
 * so Finished fails later; tests aim at checks that come first.
 * @module
 */
import type { ClientConfig, KeyLog, ServerConfig } from '../../src/handshake/config.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { KeySchedule13 } from '../../src/handshake/key-schedule13.ts';
import { encodeHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { AeadName } from '../../src/crypto/provider.ts';
import { encodeRecordHeader, MAX_PLAINTEXT } from '../../src/record/framing.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { ContentType, HandshakeType, ProtocolVersion } from '../../src/wire/registry.ts';
import { credential } from './credentials.ts';
import type { KeyType } from './credentials.ts';
import { pinnedVerifier } from './pump.ts';
import { openRaw, sealRaw } from '../record/helpers.ts';

export type Side = 'client' | 'server';

/** The keys an item travels under: none, the handshake traffic secret, or application traffic secret N. */
export type Epoch = 'plaintext' | 'handshake' | number;

export type Item =
  /** One whole handshake message (sealed alone, fragmented only above 2^14 bytes). */
  | { readonly kind: 'handshake'; readonly type: number; readonly body: Uint8Array; readonly epoch: Epoch }
  /** One record of any other content (or a handshake fragment a test builds), sealed as is. */
  | { readonly kind: 'record'; readonly contentType: number; readonly content: Uint8Array; readonly epoch: Epoch }
  /** Bytes put on the wire verbatim. */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export type HandshakeItem = Extract<Item, { kind: 'handshake' }>;

/** What to put on the wire in place of `item`; undefined keeps it. */
export type Rewrite = (item: Item) => readonly Item[] | undefined;

export interface KeyLogLine {
  readonly side: Side;
  readonly label: string;
  readonly clientRandom: Uint8Array;
  readonly secret: Uint8Array;
}

/** Key-log callbacks for both sides, and what they logged. */
export class KeyLogs {
  readonly lines: KeyLogLine[] = [];
  readonly client: KeyLog = (label, clientRandom, secret) => this.lines.push({ side: 'client', label, clientRandom, secret });
  readonly server: KeyLog = (label, clientRandom, secret) => this.lines.push({ side: 'server', label, clientRandom, secret });

  secret(side: Side, label: string): Uint8Array {
    const line = this.lines.findLast((l) => l.side === side && l.label === label);
    if (!line) throw new Error(`tamper: the ${side} logged no ${label}`);
    return line.secret;
  }
}

/** A side that threw: its error, and what it queued afterwards (decoded). */
export interface Failure {
  readonly side: Side;
  readonly error: unknown;
  readonly sent: readonly Item[];
  /** The alert among `sent`, if any. */
  readonly alert: { readonly level: number; readonly description: number } | undefined;
}

/** What one `take` got from a side: the bytes it wrote, decoded, and how many protected records of each epoch. */
export interface Chunk {
  readonly bytes: Uint8Array;
  readonly items: Item[];
  readonly records: ReadonlyMap<Epoch, number>;
}

/**
 * One direction of traffic: decodes what `sender` writes and seals items under
 * the same epochs. It counts, per epoch, the protected records the sender wrote
 * and those the receiver got, which are the sequence numbers (RFC 8446 §5.3)
 * each side expects next; while the two agree, untouched bytes can pass as
 * they are. Records are opened and sealed by the record tests' reference
 * sealer, not by the record layer under test.
 */
class Direction {
  readonly #sender: Side;
  readonly #connection: TlsConnection;
  readonly #keys: KeyLogs;
  readonly #trafficKeys = new Map<Epoch, { readonly aead: AeadName; readonly key: Uint8Array; readonly iv: Uint8Array }>();
  /** Protected records the sender wrote / the receiver was given, per epoch. */
  readonly #written = new Map<Epoch, number>();
  readonly #delivered = new Map<Epoch, number>();
  #epoch: Epoch = 'plaintext';
  #pending: Uint8Array = new Uint8Array(0);
  #handshake: Uint8Array = new Uint8Array(0);

  constructor(sender: Side, connection: TlsConnection, keys: KeyLogs) {
    this.#sender = sender;
    this.#connection = connection;
    this.#keys = keys;
  }

  /** The epoch of the next protected record the sender writes. */
  get epoch(): Epoch {
    return this.#epoch;
  }

  decode(bytes: Uint8Array): Chunk {
    const items: Item[] = [];
    const records = new Map<Epoch, number>();
    this.#pending = concatBytes(this.#pending, bytes);
    while (this.#pending.length >= 5) {
      const p = this.#pending;
      const length = (p[3]! << 8) | p[4]!;
      if (p.length < 5 + length) break;
      const record = p.slice(0, 5 + length);
      this.#pending = p.slice(5 + length);
      if (record[0] !== ContentType.application_data) {
        this.#content(record[0]!, record.subarray(5), 'plaintext', items);
        continue;
      }
      // RFC 8446 §2: the first protected record of either side is under its handshake secret.
      if (this.#epoch === 'plaintext') this.#epoch = 'handshake';
      const epoch = this.#epoch;
      const seq = count(this.#written, epoch, 1);
      count(records, epoch, 1);
      const k = this.#keysFor(epoch);
      const inner = openRaw(k.aead, k.key, k.iv, BigInt(seq), record);
      // RFC 8446 §5.4: the content type is the last non-zero byte.
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end--;
      this.#content(inner[end - 1]!, inner.subarray(0, end - 1), epoch, items);
    }
    return { bytes, items, records };
  }

  /** Whether the receiver has had every protected record the sender wrote before `chunk`. */
  inStep(chunk: Chunk): boolean {
    for (const epoch of new Set([...this.#written.keys(), ...this.#delivered.keys()])) {
      const before = (this.#written.get(epoch) ?? 0) - (chunk.records.get(epoch) ?? 0);
      if ((this.#delivered.get(epoch) ?? 0) !== before) return false;
    }
    return true;
  }

  /** Notes that `chunk` reached the receiver as written. */
  passed(chunk: Chunk): void {
    for (const [epoch, n] of chunk.records) count(this.#delivered, epoch, n);
  }

  encode(items: readonly Item[]): Uint8Array {
    return encodeItems(items, (type, content, epoch) => this.#record(type, content, epoch));
  }

  #content(type: number, content: Uint8Array, epoch: Epoch, items: Item[]): void {
    if (type !== ContentType.handshake) {
      items.push({ kind: 'record', contentType: type, content, epoch });
      return;
    }
    const { messages, rest } = splitHandshake(concatBytes(this.#handshake, content));
    this.#handshake = rest;
    for (const { type: messageType, body } of messages) {
      items.push({ kind: 'handshake', type: messageType, body, epoch });
      // RFC 8446 §4.4.4, §4.6.3: Finished and KeyUpdate end their sender's epoch.
      if (epoch === 'handshake' && messageType === HandshakeType.finished) this.#epoch = 0;
      if (typeof epoch === 'number' && messageType === HandshakeType.key_update) this.#epoch = epoch + 1;
    }
  }

  #record(type: number, content: Uint8Array, epoch: Epoch): Uint8Array {
    if (epoch === 'plaintext') return concatBytes(encodeRecordHeader(type, 0x0303, content.length), content);
    const k = this.#keysFor(epoch);
    return sealRaw(k.aead, k.key, k.iv, BigInt(count(this.#delivered, epoch, 1)), concatBytes(content, Uint8Array.of(type)));
  }

  #keysFor(epoch: Epoch) {
    const cached = this.#trafficKeys.get(epoch);
    if (cached) return cached;
    const suite = this.#connection.negotiated.cipherSuite;
    if (suite?.version !== ProtocolVersion.TLSv1_3) throw new Error(`tamper: the ${this.#sender} has no TLS 1.3 cipher suite yet`);
    const schedule = new KeySchedule13(nobleProvider, suite);
    const prefix = this.#sender.toUpperCase();
    let secret = this.#keys.secret(this.#sender, epoch === 'handshake' ? `${prefix}_HANDSHAKE_TRAFFIC_SECRET` : `${prefix}_TRAFFIC_SECRET_0`);
    for (let n = 0; typeof epoch === 'number' && n < epoch; n++) secret = schedule.nextTrafficSecret(secret);
    const keys = { aead: suite.aead, ...schedule.trafficKeys(secret) };
    this.#trafficKeys.set(epoch, keys);
    return keys;
  }
}

/** Adds `n` to the count of `epoch`; returns the count before. */
/** Items as bytes: a handshake message in records of at most 2^14 bytes; `record` frames (and seals) one record. */
export function encodeItems(items: readonly Item[], record: (type: number, content: Uint8Array, epoch: Epoch) => Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  for (const item of items) {
    if (item.kind === 'raw') out.push(item.bytes);
    else if (item.kind === 'record') out.push(record(item.contentType, item.content, item.epoch));
    else {
      const message = encodeHandshake(item.type, item.body);
      for (let i = 0; i < message.length; i += MAX_PLAINTEXT) out.push(record(ContentType.handshake, message.subarray(i, i + MAX_PLAINTEXT), item.epoch));
    }
  }
  return concatBytes(...out);
}

/** The whole handshake messages at the start of `buffer` (4-byte header, RFC 8446 §4), and the bytes of the next one. */
export function splitHandshake(buffer: Uint8Array): { readonly messages: { readonly type: number; readonly body: Uint8Array }[]; readonly rest: Uint8Array } {
  const messages: { type: number; body: Uint8Array }[] = [];
  let offset = 0;
  while (buffer.length - offset >= 4) {
    const length = (buffer[offset + 1]! << 16) | (buffer[offset + 2]! << 8) | buffer[offset + 3]!;
    if (buffer.length - offset < 4 + length) break;
    messages.push({ type: buffer[offset]!, body: buffer.slice(offset + 4, offset + 4 + length) });
    offset += 4 + length;
  }
  return { messages, rest: buffer.slice(offset) };
}

function count(counts: Map<Epoch, number>, epoch: Epoch, n: number): number {
  const before = counts.get(epoch) ?? 0;
  counts.set(epoch, before + n);
  return before;
}

const PEER: Record<Side, Side> = { client: 'server', server: 'client' };

/** The two connections, the wire between them, and everything each side sent (decoded, before rewrites). */
export class Wire {
  readonly client: TlsConnection;
  readonly server: TlsConnection;
  readonly keys: KeyLogs;
  readonly sent: Record<Side, Item[]> = { client: [], server: [] };
  readonly #from: Record<Side, Direction>;

  constructor(client: TlsConnection, server: TlsConnection, keys: KeyLogs) {
    this.client = client;
    this.server = server;
    this.keys = keys;
    this.#from = { client: new Direction('client', client, keys), server: new Direction('server', server, keys) };
  }

  connection(side: Side): TlsConnection {
    return side === 'client' ? this.client : this.server;
  }

  /** The epoch `side` writes protected records in now (as far as the wire has seen). */
  epoch(side: Side): Epoch {
    return this.#from[side].epoch;
  }

  /** Takes and decodes what `side` has queued. */
  take(side: Side): Item[] {
    return this.takeChunk(side).items;
  }

  /** Takes what `side` has queued, as written and decoded. */
  takeChunk(side: Side): Chunk {
    const chunk = this.#from[side].decode(this.connection(side).takeOutgoing());
    this.sent[side].push(...chunk.items);
    return chunk;
  }

  /** Seals items as `side` would send them (the peer must then be given them: sequence numbers advance). */
  encode(side: Side, items: readonly Item[]): Uint8Array {
    return this.#from[side].encode(items);
  }

  /** Gives a chunk to the peer of `side`: the bytes as written while the peer is in step, else its items sealed again. */
  forward(side: Side, chunk: Chunk): Failure | null {
    const direction = this.#from[side];
    if (!direction.inStep(chunk)) return this.send(side, chunk.items);
    direction.passed(chunk);
    return this.deliver(PEER[side], chunk.bytes);
  }

  /** Gives bytes to `side`; a throw becomes a Failure with what the side sent after it. */
  deliver(side: Side, bytes: Uint8Array): Failure | null {
    try {
      this.connection(side).receive(bytes);
      return null;
    } catch (error) {
      const sent = this.take(side);
      const alert = sent.find((i) => i.kind === 'record' && i.contentType === ContentType.alert);
      const content = alert?.kind === 'record' ? alert.content : undefined;
      return { side, error, sent, alert: content && { level: content[0]!, description: content[1]! } };
    }
  }

  /** Items sealed as `from` would send them, given to its peer. */
  send(from: Side, items: readonly Item[]): Failure | null {
    return this.deliver(PEER[from], this.encode(from, items));
  }

  /** Moves traffic both ways, through each sender's rewrite, until both sides are quiet or one fails. */
  pump(rewrite: Partial<Record<Side, Rewrite>> = {}): Failure | null {
    for (let round = 0; round < 100; round++) {
      let moved = false;
      for (const side of ['client', 'server'] as const) {
        const chunk = this.takeChunk(side);
        if (chunk.bytes.length === 0) continue;
        moved = true;
        const edit = rewrite[side];
        let changed = false;
        const out = chunk.items.flatMap((item) => {
          const replaced = edit?.(item);
          if (replaced) changed = true;
          return replaced ?? [item];
        });
        const failure = changed ? this.send(side, out) : this.forward(side, chunk);
        if (failure) return failure;
      }
      if (!moved) return null;
    }
    throw new Error('tamper: connections did not settle');
  }
}

/**
 * Rewrites the `nth` (0-based) handshake message of `type`: `edit` returns a
 * new body, or the items to send in its place.
 */
export function onMessage(type: number, edit: (item: HandshakeItem) => Uint8Array | readonly Item[], nth = 0): Rewrite {
  let seen = 0;
  return (item) => {
    if (item.kind !== 'handshake' || item.type !== type || seen++ !== nth) return undefined;
    const result = edit(item);
    return result instanceof Uint8Array ? [{ ...item, body: result }] : result;
  };
}

/** Applies several rewrites in turn to each item. */
export function chain(...rewrites: readonly Rewrite[]): Rewrite {
  return (item) => {
    let items: readonly Item[] = [item];
    let changed = false;
    for (const rewrite of rewrites) {
      items = items.flatMap((i) => {
        const out = rewrite(i);
        if (out) changed = true;
        return out ?? [i];
      });
    }
    return changed ? items : undefined;
  };
}

export interface PairOptions {
  readonly client?: Partial<ClientConfig>;
  readonly server?: Partial<ServerConfig>;
  /** The client's server name; 'localhost' unless given. */
  readonly serverName?: string | null;
  /** The server's key type; p256 unless given. */
  readonly keyType?: KeyType;
}

/**
 * A client and a server joined by a Wire: the server holds a CA-signed leaf of
 * `keyType`, the client pins it; both log their secrets to `wire.keys`. The
 * client's ClientHello is queued, nothing has moved yet.
 */
export function pair(options: PairOptions = {}): Wire {
  const keys = new KeyLogs();
  const cred = credential(options.keyType ?? 'p256');
  const server = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], keyLog: keys.server, ...options.server }));
  const client = TlsConnection.client(
    clientDefaults(nobleProvider, { verifier: pinnedVerifier(cred.chain[0]!), keyLog: keys.client, ...options.client }),
    options.serverName === undefined ? 'localhost' : options.serverName,
  );
  return new Wire(client, server, keys);
}
