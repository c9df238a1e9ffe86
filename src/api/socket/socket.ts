/**
 * `socket.socket`: a TCP socket whose blocking calls return Promises
 * (DESIGN §5). The connection is a Transport (`runtime/transport.ts`): a
 * `node:net` socket from `connect`/`accept`, or a WHATWG stream pair from
 * `from_streams`.
 *
 * Where it differs from Python, because Node binds asynchronously:
 * - `bind()` only records the address; `listen()` binds and listens and
 *   returns a Promise (EADDRINUSE rejects it), so `getsockname()` gives the
 *   real port after `await sock.listen()`. `accept()` waits for a `listen()`
 *   not awaited.
 * - `fileno()` is a pseudo descriptor (a number ≥ 3 unique in this process,
 *   -1 once closed or detached): no OS descriptor is reachable. `detach()`
 *   returns it, and `new socket(family, type, proto, fileno)` adopts the
 *   connection again.
 * - `close()` and `shutdown()` return Promises that resolve once the
 *   transport has taken what was written before; not awaiting them loses
 *   nothing.
 * - Only SOCK_STREAM (TCP) exists; `recv`/`send` take no flags.
 * @module
 */
import { NotImplementedError, OSError, ValueError } from '../exceptions.ts';
import { netConnect, netListen } from '../runtime/node-net.ts';
import { withTimeout } from '../runtime/timer.ts';
import type { Listener, SocketAddress, Transport } from '../runtime/transport.ts';
import { ByteChannel } from './channel.ts';
import { AF_INET, AF_INET6, SHUT_RD, SHUT_RDWR, SHUT_WR, SOCK_STREAM } from './constants.ts';
import { errnoError, timeoutError } from './errors.ts';
import { SocketFile } from './makefile.ts';

export type { SocketAddress } from '../runtime/transport.ts';

/** What a socket is, kept in one object so that `SSLSocket` (a subclass, as in Python) and `detach()` can take it over. */
export interface SocketState {
  family: number;
  timeout: number | null;
  channel: ByteChannel | null;
  listener: Promise<Listener> | null;
  /** The listener's address once `listen()` resolved (getsockname is synchronous). */
  listening: SocketAddress | null;
  bound: SocketAddress | null;
  readShut: boolean;
  writeShut: boolean;
  fd: number;
}

/** @internal The state of a socket, for SSLSocket and the module functions. */
export const STATE = Symbol('socket state');

let nextFd = 3;
/** Connections given up by `detach()`, waiting for `socket(..., fileno)`. */
const detached = new Map<number, SocketState>();
let defaultTimeout: number | null = null;

export function getdefaulttimeout(): number | null {
  return defaultTimeout;
}

export function setdefaulttimeout(timeout: number | null): void {
  defaultTimeout = checkTimeout(timeout);
}

/** @internal Python's check of a timeout argument (`settimeout`, and SSLSocket's `handshake_timeout`). */
export function checkTimeout(value: number | null): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError("'" + typeof value + "' object cannot be interpreted as an integer or float");
  if (value < 0) throw new ValueError('Timeout value out of range');
  return value;
}

/** Python's address argument: `[host, port]` for AF_INET (the host '' is any address). */
function checkAddress(family: number, address: SocketAddress, call: string): { host: string; port: number } {
  if (!Array.isArray(address) || (family === AF_INET ? address.length !== 2 : address.length < 2 || address.length > 4)) {
    throw new TypeError(`${family === AF_INET ? 'AF_INET' : 'AF_INET6'} address must be a ${family === AF_INET ? 'pair (host, port)' : 'tuple (host, port[, flowinfo[, scopeid]])'}`);
  }
  const [host, port] = address;
  if (typeof host !== 'string') throw new TypeError(`str, bytes or bytearray expected, not ${typeof host}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`${call}: port must be 0-65535.`);
  return { host, port };
}

function anyAddress(family: number): SocketAddress {
  return family === AF_INET6 ? ['::', 0, 0, 0] : ['0.0.0.0', 0];
}

export class socket {
  /** @internal */
  readonly [STATE]: SocketState;

  constructor(family = AF_INET, type = SOCK_STREAM, proto = 0, fileno: number | null = null) {
    if (fileno !== null) {
      const state = detached.get(fileno);
      if (state === undefined) throw errnoError('EBADF');
      detached.delete(fileno);
      this[STATE] = state;
      return;
    }
    if (family !== AF_INET && family !== AF_INET6) throw new OSError(97, 'Address family not supported by protocol');
    if (type !== SOCK_STREAM) throw new OSError(94, 'Socket type not supported');
    if (proto !== 0 && proto !== 6) throw new OSError(93, 'Protocol not supported');
    this[STATE] = { family, timeout: defaultTimeout, channel: null, listener: null, listening: null, bound: null, readShut: false, writeShut: false, fd: nextFd++ };
  }

  /** @internal A connected socket over `transport` (accept, from_streams). */
  static _fromTransport(transport: Transport, family: number, timeout: number | null): socket {
    const sock = new socket(family);
    sock[STATE].channel = new ByteChannel(transport);
    sock[STATE].timeout = timeout;
    return sock;
  }

  get family(): number {
    return this[STATE].family;
  }

  get type(): number {
    return SOCK_STREAM;
  }

  get proto(): number {
    return 0;
  }

  /** The pseudo descriptor (see the module note), -1 once closed or detached. */
  fileno(): number {
    return this[STATE].fd;
  }

  settimeout(value: number | null): void {
    this[STATE].timeout = checkTimeout(value);
  }

  gettimeout(): number | null {
    return this[STATE].timeout;
  }

  setblocking(flag: boolean): void {
    this[STATE].timeout = flag ? null : 0;
  }

  getblocking(): boolean {
    return this[STATE].timeout !== 0;
  }

  /** Records the local address: the source of a `connect()`, or where `listen()` binds. */
  bind(address: SocketAddress): void {
    const state = this.#open();
    const { host, port } = checkAddress(state.family, address, 'bind()');
    if (state.bound !== null || state.channel !== null) throw errnoError('EINVAL');
    state.bound = state.family === AF_INET6 ? [host || '::', port, 0, 0] : [host || '0.0.0.0', port];
  }

  /** Binds (to the `bind()` address, or any address and a free port) and listens; resolves once listening. */
  listen(backlog = 128): Promise<void> {
    return this._listen({ backlog, reusePort: false, ipv6Only: true });
  }

  /** @internal `create_server`'s options reach the listener here. */
  async _listen(options: { backlog: number; reusePort: boolean; ipv6Only: boolean }): Promise<void> {
    const state = this.#open();
    if (state.channel !== null) throw errnoError('EINVAL');
    if (state.listener === null) {
      const [host, port] = state.bound ?? anyAddress(state.family);
      state.listener = netListen({ host, port, backlog: Math.max(0, backlog(options.backlog)), reusePort: options.reusePort, ipv6Only: options.ipv6Only });
      // A failed listen() leaves the socket unbound, as the kernel does.
      state.listener.catch(() => (state.listener = null));
    }
    state.listening = (await state.listener).address;
  }

  /** The next connection: `[conn, address]`. */
  async accept(): Promise<[socket, SocketAddress]> {
    const state = this.#open();
    if (state.listener === null) throw errnoError('EINVAL');
    const listener = await state.listener;
    const transport = await withTimeout(listener.accept(), state.timeout, () => timeoutError(state.timeout!));
    // CPython: the new socket is blocking unless a default timeout is set.
    const conn = socket._fromTransport(transport, state.family, defaultTimeout);
    return [conn, transport.remoteAddress ?? anyAddress(state.family)];
  }

  async connect(address: SocketAddress): Promise<void> {
    const state = this.#open();
    if (state.channel !== null) throw errnoError('EISCONN');
    const { host, port } = checkAddress(state.family, address, 'connect()');
    const attempt = netConnect({
      host,
      port,
      family: state.family === AF_INET6 ? 6 : 4,
      ...(state.bound !== null ? { localAddress: state.bound[0], localPort: state.bound[1] } : {}),
    });
    const transport = await withTimeout(attempt.connected, state.timeout, () => {
      attempt.cancel();
      return timeoutError(state.timeout!);
    });
    state.channel = new ByteChannel(transport);
  }

  /** `connect()` returning the errno instead of raising (0 on success); resolution failures still raise `gaierror`, as in CPython. */
  async connect_ex(address: SocketAddress): Promise<number> {
    try {
      await this.connect(address);
      return 0;
    } catch (error) {
      if (error instanceof OSError && error.name !== 'gaierror') return error.errno ?? 11;
      throw error;
    }
  }

  /** Up to `bufsize` bytes; empty at the end of the stream. */
  async recv(bufsize: number, flags = 0): Promise<Uint8Array> {
    checkFlags(flags);
    if (bufsize < 0) throw new ValueError('negative buffersize in recv');
    const state = this.#connected();
    if (bufsize === 0 || state.readShut) return new Uint8Array(0);
    return (await state.channel.read(bufsize, state.timeout)) ?? new Uint8Array(0);
  }

  /** Reads into `buffer` (at most `nbytes`, or its length) and returns the count. */
  async recv_into(buffer: Uint8Array, nbytes = 0, flags = 0): Promise<number> {
    if (nbytes < 0) throw new ValueError('negative buffersize in recv_into');
    if (nbytes > buffer.length) throw new ValueError('buffer too small for requested bytes');
    const data = await this.recv(nbytes || buffer.length, flags);
    buffer.set(data);
    return data.length;
  }

  /** Sends all of `data` (a stream socket takes everything once the transport has room) and returns its length. */
  async send(data: Uint8Array, flags = 0): Promise<number> {
    checkFlags(flags);
    checkBytes(data);
    const state = this.#connected();
    if (state.writeShut) throw errnoError('EPIPE');
    await state.channel.write(data.slice(), state.timeout);
    return data.length;
  }

  async sendall(data: Uint8Array, flags = 0): Promise<null> {
    await this.send(data, flags);
    return null;
  }

  /** `sendfile(file, offset, count)` through `send()`, as CPython does where os.sendfile cannot serve. */
  async sendfile(file: SendableFile, offset = 0, count: number | null = null): Promise<number> {
    if (offset !== 0 && file.seek) await file.seek(offset);
    let total = 0;
    for (;;) {
      const want = count === null ? 65536 : Math.min(65536, count - total);
      if (want <= 0) break;
      const chunk = await file.read(want);
      if (chunk.length === 0) break;
      await this.sendall(chunk);
      total += chunk.length;
    }
    return total;
  }

  /** SHUT_WR sends the end of stream after what was written; SHUT_RD makes later reads empty. */
  shutdown(how: number): Promise<void> {
    const state = this.#connected();
    if (how !== SHUT_RD && how !== SHUT_WR && how !== SHUT_RDWR) throw errnoError('EINVAL');
    if (how !== SHUT_WR) state.readShut = true;
    if (how === SHUT_RD || state.writeShut) return Promise.resolve();
    state.writeShut = true;
    return state.channel.end();
  }

  getpeername(): SocketAddress {
    const state = this.#open();
    const peer = state.channel?.transport.remoteAddress ?? null;
    if (peer === null) throw errnoError('ENOTCONN');
    return peer;
  }

  /** The local address: the connection's, the listener's (after `await listen()`), the `bind()` address, or any address and port 0. */
  getsockname(): SocketAddress {
    const state = this.#open();
    return state.channel?.transport.localAddress ?? state.listening ?? state.bound ?? anyAddress(state.family);
  }

  /** Ends the connection in order (what was written first reaches the transport) or stops listening. Closing twice does nothing. */
  async close(): Promise<void> {
    const state = this[STATE];
    if (state.fd === -1) return;
    state.fd = -1;
    const { channel, listener } = state;
    state.channel = null;
    state.listener = null;
    if (listener !== null) (await listener.catch(() => null))?.close();
    if (channel !== null) {
      await channel.drained();
      await channel.transport.close();
    }
  }

  /** Gives the connection up without closing it and returns the pseudo descriptor (see the module note). */
  detach(): number {
    const state = this[STATE];
    const fd = state.fd;
    if (fd === -1) return -1;
    detached.set(fd, { ...state });
    state.fd = -1;
    state.channel = null;
    state.listener = null;
    return fd;
  }

  /**
   * A binary file object on the socket: `'rb'`, `'wb'` or `'rwb'` (`'r'`
   * and `'w'` are taken as binary too; text mode is not provided).
   */
  makefile(mode = 'r'): SocketFile {
    if (![...mode].every((c) => 'rwb'.includes(c))) throw new ValueError(`invalid mode '${mode}' (only r, w, b allowed)`);
    return new SocketFile(this, mode.includes('r'), mode.includes('w'));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #open(): SocketState {
    const state = this[STATE];
    if (state.fd === -1) throw errnoError('EBADF');
    return state;
  }

  /** @internal The connection, for SSLSocket (ENOTCONN when there is none). */
  _connectedState(): SocketState & { channel: ByteChannel } {
    return this.#connected();
  }

  #connected(): SocketState & { channel: ByteChannel } {
    const state = this.#open();
    if (state.channel === null) throw errnoError('ENOTCONN');
    return state as SocketState & { channel: ByteChannel };
  }
}

/** What `sendfile` reads from: the module's own `makefile()` objects and anything with `read(size)` (optionally `seek`). */
export interface SendableFile {
  read(size: number): Uint8Array | Promise<Uint8Array>;
  seek?(offset: number): unknown;
}

/** Python's listen() clamps the backlog at 0 and the kernel at SOMAXCONN. */
function backlog(value: number): number {
  return Math.min(value, 4096);
}

function checkFlags(flags: number): void {
  if (flags !== 0) throw new NotImplementedError('flags are not supported by puretls sockets');
}

function checkBytes(data: Uint8Array): void {
  if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
}
