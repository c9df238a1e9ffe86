/**
 * `ssl.SSLSession`: what a client keeps of a connection to resume it later
 * (CPython's read-only `id`, `time`, `timeout`, `ticket_lifetime_hint`,
 * `has_ticket`). Today it wraps a TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1);
 * resumption, and TLS 1.2 session IDs and tickets, will consume the same class.
 * @module
 */
import type { TlsSession13 } from '../handshake/session.ts';
import { bytesEqual } from '../wire/bytes.ts';

const CONSTRUCTION = Symbol('SSLSession construction');

export class SSLSession {
  readonly #id: Uint8Array;
  readonly #time: number;
  readonly #ticket: TlsSession13;

  /** @internal Sessions come from a connection (`SSLObject.session`), as in CPython. */
  constructor(token: symbol, id: Uint8Array, time: number, ticket: TlsSession13) {
    if (token !== CONSTRUCTION) throw new TypeError("cannot create 'SSLSession' instances");
    this.#id = id;
    this.#time = time;
    this.#ticket = ticket;
  }

  /** @internal */
  static fromTicket(id: Uint8Array, timeSeconds: number, ticket: TlsSession13): SSLSession {
    return new SSLSession(CONSTRUCTION, id, Math.floor(timeSeconds), ticket);
  }

  /** Session ID: OpenSSL gives a TLS 1.3 session a random one of 32 bytes. */
  get id(): Uint8Array {
    return this.#id.slice();
  }

  /** When the session was made, seconds since the epoch. */
  get time(): number {
    return this.#time;
  }

  /** Seconds the session may be resumed for. */
  get timeout(): number {
    return this.#ticket.lifetimeSeconds;
  }

  get ticket_lifetime_hint(): number {
    return this.#ticket.lifetimeSeconds;
  }

  get has_ticket(): boolean {
    return this.#ticket.ticket.length > 0;
  }

  /** Python's `==`: sessions compare by ID. */
  equals(other: SSLSession): boolean {
    return bytesEqual(this.#id, other.#id);
  }
}
