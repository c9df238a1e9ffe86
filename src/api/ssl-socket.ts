/**
 * `ssl.SSLSocket`: TLS over a `socket`, as CPython's, a subclass of
 * `socket.socket`. It drives one `SSLObject` (the engine, over two
 * `MemoryBIO`s): whenever the object raises `SSLWantReadError`, one chunk is
 * read from the transport into the incoming BIO; after every call what the
 * object queued in the outgoing BIO is written. Reading the transport only
 * when the object asks for more is the back-pressure: it decrypts at most
 * `PLAINTEXT_HIGH_WATER_MARK` ahead of the reader, so a reader that stops
 * makes the peer's writes wait in the peer's buffers.
 *
 * Made by `SSLContext.wrap_socket()`, which returns a Promise (it handshakes
 * on a connected socket with `do_handshake_on_connect`). Where it differs
 * from CPython:
 * - `close()` sends close_notify (after every byte written before it)
 *   before ending the connection; CPython's close() sends none.
 * - `unwrap()` returns this same object as CPython does, now plain: bytes
 *   that followed the peer's close_notify are the next `recv()`.
 * - `handshake_timeout` (60 s unless given) bounds the whole handshake, even
 *   on a blocking socket, so that a peer dripping bytes cannot hold it.
 * @module
 */
import type { SSLContext } from './context.ts';
import { SSLEOFError, SSLWantReadError, ValueError } from './exceptions.ts';
import { MemoryBIO } from './memory-bio.ts';
import { nowSeconds } from './runtime/host.ts';
import type { SSLSession } from './session.ts';
import type { CipherTuple, SSLObject } from './ssl-object.ts';
import type { PeerCertDict } from '../x509/decode-cert.ts';
import { SOCK_STREAM } from './socket/constants.ts';
import { errnoError, TimeoutError } from './socket/errors.ts';
import { checkTimeout, socket, STATE, type SocketAddress } from './socket/socket.ts';

/** `SSLContext.wrap_socket`'s keyword arguments. */
export interface WrapSocketOptions {
  readonly server_side?: boolean;
  readonly do_handshake_on_connect?: boolean;
  readonly suppress_ragged_eofs?: boolean;
  readonly server_hostname?: string | null;
  readonly session?: SSLSession | null;
  /**
   * puretls: the most seconds the handshake may take in all, however the
   * peer's bytes trickle in; null for no limit but the socket's timeout.
   * Default `DEFAULT_HANDSHAKE_TIMEOUT`.
   */
  readonly handshake_timeout?: number | null;
}

/**
 * Seconds a handshake may take unless `handshake_timeout` says otherwise: a
 * peer that sends a byte now and then cannot hold a connection, or a server's
 * `accept()`, for ever (nginx's `ssl_handshake_timeout` is 60 s too).
 */
export const DEFAULT_HANDSHAKE_TIMEOUT = 60;

const CONSTRUCTION = Symbol('SSLSocket construction');
/** Plaintext encrypted per step of `sendall`: the ciphertext waiting for the transport stays this small. */
const WRITE_SLICE = 64 * 1024;
const CLASS_TEXT = "<class 'ssl.SSLSocket'>";

/** CPython's text when a handshake passes its deadline (`_ssl.c` `ERRSTR`; the line is 3.11's, see exceptions.ts). */
function handshakeTimedOut(): TimeoutError {
  return new TimeoutError('_ssl.c:989: The handshake operation timed out');
}

function refuseFlags(flags: number, call: string): void {
  if (flags !== 0) throw new ValueError(`non-zero flags not allowed in calls to ${call}() on ${CLASS_TEXT}`);
}

export class SSLSocket extends socket {
  readonly server_side: boolean;
  readonly do_handshake_on_connect: boolean;
  readonly suppress_ragged_eofs: boolean;
  /** puretls: see `WrapSocketOptions.handshake_timeout`. */
  readonly handshake_timeout: number | null;
  readonly #serverHostname: string | null;
  #context: SSLContext;
  #session: SSLSession | null;
  #sslobj: SSLObject | null = null;
  readonly #incoming = new MemoryBIO();
  readonly #outgoing = new MemoryBIO();
  /** The transport read in progress, shared by every call waiting for bytes. */
  #filling: Promise<void> | null = null;
  /** The last write in progress, so that close() sends close_notify after it. */
  #writing: Promise<unknown> = Promise.resolve();
  /** When `handshake_timeout` runs out (seconds, `nowSeconds()`), counted from the handshake's first wait; null for never. */
  #handshakeExpiry: number | null | undefined = undefined;

  /** @internal Made by `SSLContext.wrap_socket()` only, as in CPython. */
  constructor(token: symbol, context: SSLContext, sock: socket, options: WrapSocketOptions) {
    // CPython: the new socket takes the descriptor over and the old one is detached.
    super(sock.family, SOCK_STREAM, 0, token === CONSTRUCTION ? sock.detach() : refuse());
    this.#context = context;
    this.server_side = Boolean(options.server_side);
    this.do_handshake_on_connect = options.do_handshake_on_connect ?? true;
    this.suppress_ragged_eofs = options.suppress_ragged_eofs ?? true;
    this.handshake_timeout = options.handshake_timeout === undefined ? DEFAULT_HANDSHAKE_TIMEOUT : options.handshake_timeout;
    this.#serverHostname = options.server_hostname ?? null;
    this.#session = options.session ?? null;
  }

  /** @internal `SSLContext.wrap_socket`: CPython's `SSLSocket._create`. */
  static async _create(context: SSLContext, sock: socket, options: WrapSocketOptions): Promise<SSLSocket> {
    if (!(sock instanceof socket)) throw new TypeError('wrap_socket() needs a puretls socket');
    if (options.server_side) {
      if (options.server_hostname) throw new ValueError('server_hostname can only be specified in client mode');
      if (options.session != null) throw new ValueError('session can only be specified in client mode');
    }
    if (context.check_hostname && !options.server_hostname) throw new ValueError('check_hostname requires server_hostname');
    if (options.handshake_timeout !== undefined) checkTimeout(options.handshake_timeout);
    const self = new SSLSocket(CONSTRUCTION, context, sock, options);
    if (self[STATE].channel !== null) await self.#start();
    return self;
  }

  /** Makes the SSLObject of a connected socket and, with do_handshake_on_connect, runs the handshake; closes on failure. */
  async #start(): Promise<void> {
    try {
      this.#sslobj = this.#context.wrap_bio(this.#incoming, this.#outgoing, {
        server_side: this.server_side,
        server_hostname: this.#serverHostname,
        session: this.#session,
      });
      if (this.do_handshake_on_connect) {
        if (this.gettimeout() === 0) throw new ValueError('do_handshake_on_connect should not be specified for non-blocking sockets');
        await this.do_handshake();
      }
    } catch (error) {
      await super.close();
      throw error;
    }
  }

  get context(): SSLContext {
    return this.#context;
  }

  /** Settable, as from an SNI callback: the connection then uses the new context's certificates and settings. */
  set context(context: SSLContext) {
    if (this.#sslobj !== null) this.#sslobj.context = context;
    this.#context = context;
  }

  /** The host name as the SSLObject keeps it (IDNA A-labels) once connected. */
  get server_hostname(): string | null {
    return this.#sslobj?.server_hostname ?? this.#serverHostname;
  }

  get session(): SSLSession | null {
    return this.#sslobj !== null ? this.#sslobj.session : this.#session;
  }

  set session(session: SSLSession | null) {
    this.#session = session;
    if (this.#sslobj !== null) this.#sslobj.session = session;
  }

  get session_reused(): boolean | null {
    return this.#sslobj?.session_reused ?? null;
  }

  /** CPython: refused in server mode and on a connected SSLSocket; handshakes with do_handshake_on_connect. */
  override async connect(address: SocketAddress): Promise<void> {
    if (this.server_side) throw new ValueError("can't connect in server-side mode");
    if (this.#sslobj !== null || this[STATE].channel !== null) throw new ValueError('attempt to connect already-connected SSLSocket!');
    await super.connect(address);
    await this.#start();
  }

  override async connect_ex(address: SocketAddress): Promise<number> {
    if (this.server_side) throw new ValueError("can't connect in server-side mode");
    const code = await super.connect_ex(address);
    if (code === 0) await this.#start();
    return code;
  }

  /** The next connection, wrapped server-side with this socket's settings (handshaken unless do_handshake_on_connect is false). */
  override async accept(): Promise<[SSLSocket, SocketAddress]> {
    const [conn, address] = await super.accept();
    const wrapped = await SSLSocket._create(this.#context, conn, {
      server_side: this.server_side,
      do_handshake_on_connect: this.do_handshake_on_connect,
      suppress_ragged_eofs: this.suppress_ragged_eofs,
      handshake_timeout: this.handshake_timeout,
    });
    return [wrapped, address];
  }

  async do_handshake(): Promise<void> {
    await this.#run((tls) => tls.do_handshake());
  }

  override async recv(buflen = 1024, flags = 0): Promise<Uint8Array> {
    if (this.#sslobj === null) return super.recv(buflen, flags);
    refuseFlags(flags, 'recv');
    return (await this.read(buflen)) as Uint8Array;
  }

  override async recv_into(buffer: Uint8Array, nbytes = 0, flags = 0): Promise<number> {
    if (this.#sslobj === null) return super.recv_into(buffer, nbytes, flags);
    refuseFlags(flags, 'recv_into');
    return (await this.read(nbytes || (buffer.length > 0 ? buffer.length : 1024), buffer)) as number;
  }

  /** Up to `len` bytes of application data (into `buffer` when given); empty once the peer closed, or on a ragged EOF with suppress_ragged_eofs. */
  async read(len = 1024, buffer: Uint8Array | null = null): Promise<Uint8Array | number> {
    if (this.#sslobj === null) throw new ValueError('Read on closed or unwrapped SSL socket.');
    try {
      return await this.#run((tls) => tls.read(len, buffer));
    } catch (error) {
      if (error instanceof SSLEOFError && this.suppress_ragged_eofs) return buffer === null ? new Uint8Array(0) : 0;
      throw error;
    }
  }

  /** Encrypts and sends all of `data`; returns its length. */
  async write(data: Uint8Array): Promise<number> {
    if (this.#sslobj === null) throw new ValueError('Write on closed or unwrapped SSL socket.');
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
    const done = (async () => {
      for (let offset = 0; offset < data.length || offset === 0; offset += WRITE_SLICE) {
        const slice = data.subarray(offset, offset + WRITE_SLICE);
        await this.#run((tls) => tls.write(slice));
        if (data.length === 0) break;
      }
    })();
    this.#writing = done.catch(() => {});
    await done;
    return data.length;
  }

  override async send(data: Uint8Array, flags = 0): Promise<number> {
    if (this.#sslobj === null) return super.send(data, flags);
    refuseFlags(flags, 'send');
    return this.write(data);
  }

  override async sendall(data: Uint8Array, flags = 0): Promise<null> {
    if (this.#sslobj === null) return super.sendall(data, flags);
    refuseFlags(flags, 'sendall');
    await this.write(data);
    return null;
  }

  /**
   * close_notify both ways (RFC 8446 §6.1), then this socket is plain again
   * and returned (CPython returns the same object): bytes the peer sent after
   * its close_notify are the next `recv()` (STARTTLS-style protocols).
   */
  async unwrap(): Promise<SSLSocket> {
    const tls = this.#sslobj;
    if (tls === null) throw new ValueError(`No SSL wrapper around ${String(this)}`);
    await this.#writing;
    await this.#run(() => tls.unwrap());
    this.#sslobj = null;
    this._connectedState().channel.unread(this.#incoming.read());
    return this;
  }

  /** CPython: drops the TLS layer without close_notify, then shuts the socket down. */
  override shutdown(how: number): Promise<void> {
    this.#sslobj = null;
    return super.shutdown(how);
  }

  /** Sends close_notify after every byte written so far, then closes the connection (see the module note). */
  override async close(): Promise<void> {
    const tls = this.#sslobj;
    this.#sslobj = null;
    if (tls !== null && tls.version() !== null && this[STATE].channel !== null) {
      await this.#writing;
      try {
        tls.unwrap();
      } catch {
        // SSLWantReadError: the peer's close_notify is not awaited; a failed connection has nothing to close.
      }
      await this.#flush().catch(() => {});
    }
    await super.close();
  }

  override detach(): number {
    this.#sslobj = null;
    return super.detach();
  }

  pending(): number {
    return this.#sslobj?.pending() ?? 0;
  }

  getpeercert(binary_form = false): PeerCertDict | Record<string, never> | Uint8Array | null {
    return this.#connected().getpeercert(binary_form);
  }

  get_verified_chain(): Uint8Array[] | null {
    return this.#sslobj?.get_verified_chain() ?? null;
  }

  get_unverified_chain(): Uint8Array[] | null {
    return this.#sslobj?.get_unverified_chain() ?? null;
  }

  cipher(): CipherTuple | null {
    return this.#sslobj?.cipher() ?? null;
  }

  shared_ciphers(): CipherTuple[] | null {
    return this.#sslobj?.shared_ciphers() ?? null;
  }

  compression(): null {
    return null;
  }

  version(): string | null {
    return this.#sslobj?.version() ?? null;
  }

  selected_alpn_protocol(): string | null {
    return this.#sslobj?.selected_alpn_protocol() ?? null;
  }

  selected_npn_protocol(): null {
    return null;
  }

  get_channel_binding(cb_type = 'tls-unique'): Uint8Array | null {
    return this.#sslobj?.get_channel_binding(cb_type) ?? null;
  }

  verify_client_post_handshake(): never {
    return this.#connected().verify_client_post_handshake();
  }

  override toString(): string {
    return `<ssl.SSLSocket fd=${this.fileno()}, family=${this.family}, type=${this.type}, proto=${this.proto}>`;
  }

  /** CPython's `_check_connected`: ENOTCONN before the connection exists. */
  #connected(): SSLObject {
    if (this.#sslobj === null) {
      this.getpeername();
      throw new ValueError('Read on closed or unwrapped SSL socket.');
    }
    return this.#sslobj;
  }

  /**
   * One SSLObject call, completed: on `SSLWantReadError` the transport is
   * read once and the call repeated; what the object queued is written
   * after every attempt (the alert of a failure too).
   */
  async #run<T>(step: (tls: SSLObject) => T): Promise<T> {
    const tls = this.#sslobj;
    if (tls === null) throw errnoError('ENOTCONN');
    const started = nowSeconds();
    for (;;) {
      let result: T;
      try {
        result = step(tls);
      } catch (error) {
        if (!(error instanceof SSLWantReadError)) {
          await this.#flush().catch(() => {});
          throw error;
        }
        await this.#handshakeWait(tls, this.#flush(this.#waitLimit(tls, started)));
        await this.#handshakeWait(tls, this.#fill(this.#waitLimit(tls, started)));
        continue;
      }
      await this.#flush();
      return result;
    }
  }

  /**
   * How long the next transport wait of a call begun at `started` may take.
   * Once connected: the socket's timeout, per wait. During the handshake, as
   * CPython's `do_handshake` (`_ssl.c`), the socket's timeout bounds the
   * whole call, not each wait, and `handshake_timeout` bounds the whole
   * handshake; a limit already passed raises at once.
   */
  #waitLimit(tls: SSLObject, started: number): number | null {
    const timeout = this.gettimeout();
    if (tls.version() !== null || timeout === 0) return timeout;
    const now = nowSeconds();
    if (this.#handshakeExpiry === undefined) this.#handshakeExpiry = this.handshake_timeout === null ? null : now + this.handshake_timeout;
    const ends = [timeout === null ? null : started + timeout, this.#handshakeExpiry].filter((end) => end !== null);
    if (ends.length === 0) return null;
    const left = Math.min(...ends) - now;
    if (left <= 0) throw handshakeTimedOut();
    return left;
  }

  /** `wait`, whose timeout during the handshake is CPython's handshake timeout error. */
  async #handshakeWait(tls: SSLObject, wait: Promise<void>): Promise<void> {
    try {
      await wait;
    } catch (error) {
      if (error instanceof TimeoutError && tls.version() === null) throw handshakeTimedOut();
      throw error;
    }
  }

  /** Writes what the SSLObject queued; resolves when the transport has taken it. */
  #flush(timeout: number | null = this.gettimeout()): Promise<void> {
    const bytes = this.#outgoing.read();
    if (bytes.length === 0) return Promise.resolve();
    return this._connectedState().channel.write(bytes, timeout);
  }

  /** Reads one transport chunk into the incoming BIO (end of stream: write_eof); `timeout` in seconds, null for none. */
  #fill(timeout: number | null): Promise<void> {
    const state = this._connectedState();
    this.#filling ??= (async () => {
      try {
        const chunk = await state.channel.read(Number.POSITIVE_INFINITY, timeout);
        if (chunk === null) this.#incoming.write_eof();
        else this.#incoming.write(chunk);
      } finally {
        this.#filling = null;
      }
    })();
    return this.#filling;
  }
}

function refuse(): never {
  throw new TypeError('SSLSocket does not have a public constructor. Instances are returned by SSLContext.wrap_socket().');
}
