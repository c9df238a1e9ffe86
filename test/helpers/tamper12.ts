/**
 * The tamper wire (`tamper.ts`) for TLS 1.2 (RFC 5246): the same items,
 * rewrites, pump and failures, under TLS 1.2's record rules. A sender's
 * records are plaintext until its ChangeCipherSpec (§7.1), so the hellos,
 * Certificate, ServerKeyExchange and ClientKeyExchange are rewritten as they
 * are; after it they travel under one key per direction, epoch 0 here, which
 * the wire derives from the master secret the sender logged (CLIENT_RANDOM)
 * and the two hello randoms (§6.3), to open the records and seal them again.
 * Every item is sealed again on its way, in the order the receiver gets it,
 * so a dropped or inserted protected record keeps the sequence numbers
 * (§6.1) in step. Keys come from the engine's TLS 1.2 key schedule, which
 * test/interop/tls12-keys.test.ts proves on OpenSSL's traffic.
 * @module
 */
import { nobleProvider } from '../../src/crypto/noble.ts';
import { KeySchedule12 } from '../../src/handshake/key-schedule12.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { encodeRecordHeader, RECORD_VERSION } from '../../src/record/framing.ts';
import { nullProtection } from '../../src/record/protection.ts';
import type { RecordProtection } from '../../src/record/protection.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { ContentType, HandshakeType, ProtocolVersion } from '../../src/wire/registry.ts';
import { encodeItems, pair, splitHandshake, Wire } from './tamper.ts';
import type { Chunk, Epoch, Failure, Item, PairOptions, Side } from './tamper.ts';

/** The epoch of a sender's records after its ChangeCipherSpec. */
export const PROTECTED: Epoch = 0;

/** One direction of TLS 1.2 traffic: what `sender` writes, decoded, and items sealed as it would send them. */
class Direction12 {
  readonly #keys: () => RecordProtection;
  /** Opens what the sender wrote, in its order; seals what the receiver gets, in its order. */
  #opener: RecordProtection = nullProtection();
  #sealer: RecordProtection | null = null;
  #pending: Uint8Array = new Uint8Array(0);
  #handshake: Uint8Array = new Uint8Array(0);

  /** `keys` builds the sender's write protection once it has logged its master secret. */
  constructor(keys: () => RecordProtection) {
    this.#keys = keys;
  }

  get epoch(): Epoch {
    return this.#opener.encrypted ? PROTECTED : 'plaintext';
  }

  decode(bytes: Uint8Array, onHandshake: (item: Item) => void): Item[] {
    const items: Item[] = [];
    this.#pending = concatBytes(this.#pending, bytes);
    while (this.#pending.length >= 5) {
      const p = this.#pending;
      const length = (p[3]! << 8) | p[4]!;
      if (p.length < 5 + length) break;
      this.#pending = p.slice(5 + length);
      const epoch = this.epoch;
      const { type, content } = this.#opener.open(p[0]!, p.slice(5, 5 + length), (p[1]! << 8) | p[2]!);
      if (type !== ContentType.handshake) {
        items.push({ kind: 'record', contentType: type, content, epoch });
        // RFC 5246 §7.1: the sender's records after its ChangeCipherSpec are under the new keys.
        if (type === ContentType.change_cipher_spec && epoch === 'plaintext') this.#opener = this.#keys();
        continue;
      }
      const { messages, rest } = splitHandshake(concatBytes(this.#handshake, content));
      this.#handshake = rest;
      for (const { type: messageType, body } of messages) {
        const item: Item = { kind: 'handshake', type: messageType, body, epoch };
        items.push(item);
        onHandshake(item);
      }
    }
    return items;
  }

  encode(items: readonly Item[]): Uint8Array {
    return encodeItems(items, (type, content, epoch) => this.#record(type, content, epoch));
  }

  #record(type: number, content: Uint8Array, epoch: Epoch): Uint8Array {
    if (epoch === 'plaintext') return concatBytes(encodeRecordHeader(type, RECORD_VERSION, content.length), content);
    this.#sealer ??= this.#keys();
    const sealed = this.#sealer.seal(type, content);
    return concatBytes(encodeRecordHeader(sealed.type, RECORD_VERSION, sealed.body.length), sealed.body);
  }
}

/**
 * A `Wire` whose directions follow TLS 1.2: `pump`, `send`, `deliver` and the
 * failures work as in TLS 1.3 tests, and `expectFatal` accepts it.
 */
export class Wire12 extends Wire {
  readonly #from: Record<Side, Direction12>;
  #serverRandom: Uint8Array | null = null;

  constructor(wire: Wire) {
    super(wire.client, wire.server, wire.keys);
    this.#from = { client: new Direction12(() => this.#protection('client')), server: new Direction12(() => this.#protection('server')) };
  }

  override epoch(side: Side): Epoch {
    return this.#from[side].epoch;
  }

  override takeChunk(side: Side): Chunk {
    const bytes = this.connection(side).takeOutgoing();
    const items = this.#from[side].decode(bytes, (item) => {
      if (side === 'server' && item.kind === 'handshake' && item.type === HandshakeType.server_hello) this.#serverRandom = decodeServerHello(item.body).random;
    });
    this.sent[side].push(...items);
    return { bytes, items, records: new Map() };
  }

  override encode(side: Side, items: readonly Item[]): Uint8Array {
    return this.#from[side].encode(items);
  }

  /** Everything is sealed again, so sequence numbers follow what the receiver was given. */
  override forward(side: Side, chunk: Chunk): Failure | null {
    return this.send(side, chunk.items);
  }

  /** The records `side` writes after its ChangeCipherSpec (RFC 5246 §6.3), from its own master secret and the server's random. */
  #protection(side: Side): RecordProtection {
    const line = this.keys.lines.findLast((l) => l.side === side && l.label === 'CLIENT_RANDOM');
    const suite = this.connection(side).negotiated.cipherSuite;
    if (!line || !this.#serverRandom || suite?.version !== ProtocolVersion.TLSv1_2) throw new Error(`tamper12: the ${side} has no TLS 1.2 keys yet`);
    return new KeySchedule12(nobleProvider, suite, line.secret, line.clientRandom, this.#serverRandom).protection(side);
  }
}

/** `pair()` joined by a TLS 1.2 wire; the client offers only TLS 1.2 unless `options.client.versions` says otherwise. */
export function pair12(options: PairOptions = {}): Wire12 {
  return new Wire12(pair({ ...options, client: { versions: [ProtocolVersion.TLSv1_2], ...options.client } }));
}
