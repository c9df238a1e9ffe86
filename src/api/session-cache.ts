/**
 * What an `SSLContext` keeps for TLS 1.2 resumption on the server side, as
 * OpenSSL's SSL_CTX does: a bounded session cache by ID (RFC 5246 §7.3) whose
 * counters `session_stats()` reports, and the RFC 5077 ticket keys, generated
 * by the context and rotated, or set by the caller (`set_ticket_keys`).
 * @module
 */
import type { SessionCache12 } from '../handshake/config.ts';
import type { ServerSession12 } from '../handshake/session-state12.ts';
import { TICKET_KEY_LENGTH, TICKET_KEY_NAME_LENGTH } from '../handshake/session-ticket12.ts';
import type { TicketKey, TicketKeys } from '../handshake/session-ticket12.ts';
import { bytesEqual, toHex } from '../wire/bytes.ts';

/** OpenSSL's SSL_SESSION_CACHE_MAX_SIZE_DEFAULT. */
export const SESSION_CACHE_SIZE = 20 * 1024;

/** The counters OpenSSL keeps for `SSL_CTX_sess_*`, which `session_stats()` shows. */
export interface CacheCounters {
  hits: number;
  misses: number;
  timeouts: number;
  cache_full: number;
}

export class SessionCache implements SessionCache12 {
  /** Insertion order is age order, so the first entry is the one to evict. */
  readonly #sessions = new Map<string, ServerSession12>();
  readonly #counters: CacheCounters;
  readonly #now: () => number;
  readonly #lifetime: () => number;

  constructor(counters: CacheCounters, now: () => number, lifetime: () => number) {
    this.#counters = counters;
    this.#now = now;
    this.#lifetime = lifetime;
  }

  get size(): number {
    return this.#sessions.size;
  }

  store(id: Uint8Array, session: ServerSession12): void {
    if (this.#sessions.size >= SESSION_CACHE_SIZE) {
      this.#sessions.delete(this.#sessions.keys().next().value!);
      this.#counters.cache_full++;
    }
    this.#sessions.set(toHex(id), session);
  }

  find(id: Uint8Array): ServerSession12 | undefined {
    const key = toHex(id);
    const session = this.#sessions.get(key);
    if (session === undefined) {
      this.#counters.misses++;
      return undefined;
    }
    if (this.#now() - session.createdAt > this.#lifetime()) {
      this.#sessions.delete(key);
      this.#counters.timeouts++;
      return undefined;
    }
    return session;
  }
}

/**
 * Ticket keys: the newest seals, the one before it still opens (so a ticket
 * lives through one rotation). A generated key rotates once it is a lifetime
 * old; keys the caller set never rotate.
 */
export class ContextTicketKeys implements TicketKeys {
  #keys: { readonly key: TicketKey; readonly madeAt: number }[] = [];
  #pinned = false;
  readonly #random: (length: number) => Uint8Array;
  readonly #now: () => number;
  readonly #lifetime: () => number;

  constructor(random: (length: number) => Uint8Array, now: () => number, lifetime: () => number) {
    this.#random = random;
    this.#now = now;
    this.#lifetime = lifetime;
  }

  /** `keys`: one or more 48-byte keys (16-byte name, 32-byte AES-256-GCM key), the first sealing new tickets. */
  set(keys: Uint8Array): void {
    const size = TICKET_KEY_NAME_LENGTH + TICKET_KEY_LENGTH;
    if (keys.length === 0 || keys.length % size !== 0) throw new RangeError(`ticket keys must be a multiple of ${size} bytes`);
    const list: TicketKey[] = [];
    for (let offset = 0; offset < keys.length; offset += size) {
      list.push({ name: keys.slice(offset, offset + TICKET_KEY_NAME_LENGTH), key: keys.slice(offset + TICKET_KEY_NAME_LENGTH, offset + size) });
    }
    this.#keys = list.map((key) => ({ key, madeAt: this.#now() }));
    this.#pinned = true;
  }

  current(): TicketKey {
    const newest = this.#keys[0];
    if (newest && (this.#pinned || this.#now() - newest.madeAt < this.#lifetime())) return newest.key;
    const key = { name: this.#random(TICKET_KEY_NAME_LENGTH), key: this.#random(TICKET_KEY_LENGTH) };
    this.#keys = [{ key, madeAt: this.#now() }, ...this.#keys.slice(0, 1)];
    return key;
  }

  find(name: Uint8Array): TicketKey | undefined {
    return this.#keys.find(({ key }) => bytesEqual(key.name, name))?.key;
  }
}
