/**
 * Drives a sans-I/O `TlsConnection` over a `node:net` socket for live interop
 * tests: received bytes go to `receive`, `takeOutgoing()` is flushed after
 * every call, and application data collects in a buffer the test reads with
 * `readExactly`/`readUntil`. Every wait is bounded by a timeout, so a peer
 * that stalls fails the test instead of hanging it. An error from the engine
 * rejects every pending wait; the alert it queued is flushed before the
 * socket is closed.
 * @module
 */
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { TlsConnection } from '../../src/handshake/connection.ts';
import { concatBytes } from '../../src/wire/bytes.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

interface Waiter {
  readonly ready: () => boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

function attempt(action: () => void): Outcome {
  try {
    action();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

export class NetPump {
  readonly connection: TlsConnection;
  readonly socket: Socket;
  #received: Uint8Array[] = [];
  #receivedLength = 0;
  #waiters: Waiter[] = [];
  /** Why the connection ended abnormally: the engine's error, or the socket's. */
  #failure: unknown = undefined;
  #socketEnded = false;

  constructor(connection: TlsConnection, socket: Socket) {
    this.connection = connection;
    this.socket = socket;
    // A copy: the engine may keep what it is given (a partial record) past this callback.
    socket.on('data', (chunk: Buffer) => this.#onData(new Uint8Array(chunk)));
    socket.on('end', () => this.#onEnd());
    socket.on('close', () => this.#onEnd());
    socket.on('error', (error) => this.#fail(error));
    // A client has its ClientHello queued already.
    this.#flush();
  }

  /** Connects to host:port and starts the handshake of `connection` (a client). */
  static connect(connection: TlsConnection, port: number, host = '127.0.0.1', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<NetPump> {
    return connectWith(port, host, timeoutMs, (socket) => new NetPump(connection, socket));
  }


  /** Resolves when the handshake completes; rejects with the engine's error. */
  handshake(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.#wait(() => this.connection.handshakeComplete, 'handshake', timeoutMs);
  }

  /** Writes `data` as application data and waits until the socket has taken it. */
  async sendAll(data: Uint8Array): Promise<void> {
    this.#call(() => this.connection.write(data));
    await this.#drained();
  }

  /** Sends KeyUpdate (RFC 8446 §4.6.3), asking the peer to update too when `requestPeer`. */
  keyUpdate(requestPeer: boolean): void {
    this.#call(() => this.connection.keyUpdate(requestPeer));
  }

  /** The first `n` bytes of application data received and not yet read. */
  async readExactly(n: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
    await this.#wait(() => this.#receivedLength >= n, `${n} bytes`, timeoutMs);
    return this.#take(n);
  }

  /** Everything received and not yet read, once `predicate` holds for it. */
  async readUntil(predicate: (received: Uint8Array) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
    await this.#wait(() => predicate(this.#peek()), 'readUntil', timeoutMs);
    return this.#take(this.#receivedLength);
  }

  /** Resolves once the peer's close_notify has arrived (and everything before it). */
  peerClosed(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.#wait(() => this.connection.peerClosed, 'close_notify', timeoutMs);
  }

  /** Sends close_notify (RFC 8446 §6.1) and half-closes the socket. */
  async close(): Promise<void> {
    this.connection.close();
    this.#flush();
    await this.#drained();
    this.socket.end();
  }

  /** Tears the socket down at once; for cleanup. */
  destroy(): void {
    this.socket.destroy();
    this.#rejectAll(new Error('destroyed'));
  }

  /** Bytes received and not yet read, without consuming them. */
  #peek(): Uint8Array {
    if (this.#received.length > 1) this.#received = [concatBytes(...this.#received)];
    return this.#received[0] ?? new Uint8Array(0);
  }

  #take(n: number): Uint8Array {
    const all = this.#peek();
    this.#received = n < all.length ? [all.subarray(n)] : [];
    this.#receivedLength = all.length - n;
    return all.slice(0, n);
  }

  #onData(bytes: Uint8Array): void {
    if (this.#failure !== undefined) return;
    const outcome = attempt(() => this.connection.receive(bytes));
    // The alert of a failure goes out first; data that arrived before it stays readable.
    this.#flush();
    this.#collect();
    this.#check();
    if (!outcome.ok) this.#fail(outcome.error);
  }

  /** Moves decrypted application data into the read buffer, keeping data that preceded a failure. */
  #collect(): void {
    for (;;) {
      let data: Uint8Array | null;
      try {
        data = this.connection.read();
      } catch {
        return;
      }
      if (data === null || data.length === 0) return;
      this.#received.push(data);
      this.#receivedLength += data.length;
    }
  }

  #onEnd(): void {
    this.#socketEnded = true;
    this.#check();
    if (this.#waiters.length > 0) this.#fail(new Error('the peer closed the TCP connection'));
  }

  /** Runs an engine call; its error fails the connection (after the alert is flushed) and is rethrown. */
  #call(action: () => void): void {
    const outcome = attempt(action);
    this.#flush();
    if (!outcome.ok) {
      this.#fail(outcome.error);
      throw outcome.error;
    }
  }

  #flush(): void {
    const out = this.connection.takeOutgoing();
    if (out.length > 0 && !this.socket.destroyed && this.socket.writable) this.socket.write(out);
  }

  /** Resolves when the socket has taken what was written, or is gone (a failure then shows on the next read). */
  #drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  #fail(error: unknown): void {
    if (this.#failure === undefined) this.#failure = error;
    // The alert was flushed already; nothing more will be read or written.
    this.socket.end();
    this.#rejectAll(this.#failure);
  }

  #rejectAll(error: unknown): void {
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  #check(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.ready()) return true;
      clearTimeout(waiter.timer);
      waiter.resolve();
      return false;
    });
  }

  #wait(ready: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (ready()) return Promise.resolve();
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#socketEnded) return Promise.reject(new Error(`the peer closed the TCP connection before ${what}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.#waiters.push({ ready, resolve, reject, timer });
    });
  }
}

/** A listening `node:net` server on 127.0.0.1 that wraps each accepted socket in a pump. */
export interface PumpServer<Pump = NetPump> {
  readonly port: number;
  /** The next accepted connection, in order. */
  accepted(timeoutMs?: number): Promise<Pump>;
  close(): Promise<void>;
}

/** Listens on a free port; `makeConnection` builds the server-side `TlsConnection` for each socket. */
export function listen(makeConnection: () => TlsConnection): Promise<PumpServer> {
  return listenWith((socket) => new NetPump(makeConnection(), socket));
}

/** Listens on a free port and wraps each accepted socket with `wrap`; `close()` destroys them all. */
export function listenWith<Pump extends { destroy(): void }>(wrap: (socket: Socket) => Pump): Promise<PumpServer<Pump>> {
  const all: Pump[] = [];
  const ready: Pump[] = [];
  const waiting: ((pump: Pump) => void)[] = [];
  const server: Server = createServer((socket) => {
    const pump = wrap(socket);
    all.push(pump);
    const next = waiting.shift();
    if (next) next(pump);
    else ready.push(pump);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no TCP address'));
      resolve({
        port: address.port,
        accepted(timeoutMs = DEFAULT_TIMEOUT_MS) {
          const pump = ready.shift();
          if (pump) return Promise.resolve(pump);
          return new Promise((resolveAccept, rejectAccept) => {
            const deliver = (next: Pump) => {
              clearTimeout(timer);
              resolveAccept(next);
            };
            const timer = setTimeout(() => {
              waiting.splice(waiting.indexOf(deliver), 1);
              rejectAccept(new Error(`no connection accepted within ${timeoutMs} ms`));
            }, timeoutMs);
            waiting.push(deliver);
          });
        },
        close() {
          for (const pump of all) pump.destroy();
          return new Promise((resolveClose) => server.close(() => resolveClose()));
        },
      });
    });
  });
}

/** Opens a TCP connection to host:port and wraps the connected socket with `wrap`; fails after `timeoutMs`. */
export function connectWith<Pump>(port: number, host: string, timeoutMs: number, wrap: (socket: Socket) => Pump): Promise<Pump> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${host}:${port} timed out`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(wrap(socket));
    });
  });
}
