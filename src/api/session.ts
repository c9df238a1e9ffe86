/**
 * `ssl.SSLSession`: what a client keeps of a connection to resume it later
 * (CPython's read-only `id`, `time`, `timeout`, `ticket_lifetime_hint`,
 * `has_ticket`), for either version: a TLS 1.2 session (RFC 5246 §7.3 session
 * ID, RFC 5077 ticket), which `SSLObject.session = …` offers again, or a TLS
 * 1.3 NewSessionTicket (RFC 8446 §4.6.1; TLS 1.3 resumption is a later issue,
 * and such a session is not offered yet).
 * @module
 */
import type { TlsSession } from '../handshake/session.ts';
import { bytesEqual } from '../wire/bytes.ts';

const CONSTRUCTION = Symbol('SSLSession construction');

/** @internal The engine's session inside an `SSLSession`, for the context that offers it again. */
export const engineSession = Symbol('puretls engine session');

/** OpenSSL's default session timeout (`SSL_get_default_timeout`), for sessions whose server gave no lifetime. */
const DEFAULT_TIMEOUT = 7200;

export class SSLSession {
  readonly #id: Uint8Array;
  readonly #time: number;
  readonly #session: TlsSession;

  /** @internal Sessions come from a connection (`SSLObject.session`), as in CPython. */
  constructor(token: symbol, id: Uint8Array, time: number, session: TlsSession) {
    if (token !== CONSTRUCTION) throw new TypeError("cannot create 'SSLSession' instances");
    this.#id = id;
    this.#time = time;
    this.#session = session;
  }

  /**
   * @internal `randomId` names a session the server gave no ID (a TLS 1.3
   * ticket, or a TLS 1.2 ticket alone): OpenSSL gives such sessions 32 random bytes.
   */
  static fromEngine(randomId: Uint8Array, timeSeconds: number, session: TlsSession): SSLSession {
    const id = session.version === 0x0303 && session.sessionId.length > 0 ? session.sessionId : randomId;
    return new SSLSession(CONSTRUCTION, id, Math.floor(timeSeconds), session);
  }

  /** @internal */
  get [engineSession](): TlsSession {
    return this.#session;
  }

  /** Session ID: the server's (TLS 1.2), else 32 random bytes as OpenSSL gives. */
  get id(): Uint8Array {
    return this.#id.slice();
  }

  /** When the session was made, seconds since the epoch. */
  get time(): number {
    return this.#time;
  }

  /** Seconds the session may be resumed for: the ticket's lifetime, else OpenSSL's default. */
  get timeout(): number {
    return this.ticket_lifetime_hint || DEFAULT_TIMEOUT;
  }

  get ticket_lifetime_hint(): number {
    return this.#session.version === 0x0304 ? this.#session.lifetimeSeconds : this.#session.lifetimeHint;
  }

  get has_ticket(): boolean {
    const ticket = this.#session.ticket;
    return ticket !== null && ticket.length > 0;
  }

  /** Python's `==`: sessions compare by ID. */
  equals(other: SSLSession): boolean {
    return bytesEqual(this.#id, other.#id);
  }
}
