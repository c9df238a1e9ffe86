/**
 * Drives a public-API `SSLObject` over a `node:net` socket, the way a Python
 * program pumps an `SSLObject` by hand: socket data goes into the incoming
 * `MemoryBIO`, the outgoing BIO is flushed to the socket after every call,
 * the socket's end becomes `incoming.write_eof()`, and a call that raises
 * `SSLWantReadError` is retried when more bytes (or the EOF) arrive. Every
 * wait is bounded, so a silent peer fails the test instead of hanging it.
 * @module
 */
import type { Socket } from 'node:net';
import * as ssl from '../../src/api/ssl.ts';
import { DEFAULT_TIMEOUT_MS, type PumpServer, connectWith, listenWith } from '../helpers/net-pump.ts';

export class BioSocketPump {
  readonly tls: ssl.SSLObject;
  readonly socket: Socket;
  readonly incoming: ssl.MemoryBIO;
  readonly outgoing: ssl.MemoryBIO;
  /** Called whenever bytes or the EOF arrive; one retry at a time. */
  #wake: (() => void) | null = null;
  #eofWritten = false;

  constructor(tls: ssl.SSLObject, incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO, socket: Socket) {
    this.tls = tls;
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.socket = socket;
    // MemoryBIO.write copies, so Node may reuse the chunk.
    socket.on('data', (chunk: Buffer) => {
      this.incoming.write(chunk);
      this.#poke();
    });
    // A reset is an end of the stream too: the SSLObject then reports the EOF as CPython's would.
    const ended = () => {
      if (!this.#eofWritten) {
        this.#eofWritten = true;
        this.incoming.write_eof();
      }
      this.#poke();
    };
    socket.on('end', ended);
    socket.on('close', ended);
    socket.on('error', ended);
  }

  /** A client `SSLObject` from `context`, connected to 127.0.0.1:`port`. */
  static connect(context: ssl.SSLContext, port: number, serverHostname: string | null, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<BioSocketPump> {
    const incoming = new ssl.MemoryBIO();
    const outgoing = new ssl.MemoryBIO();
    const tls = context.wrap_bio(incoming, outgoing, { server_hostname: serverHostname });
    return connectWith(port, '127.0.0.1', timeoutMs, (socket) => new BioSocketPump(tls, incoming, outgoing, socket));
  }

  /**
   * Runs `call` until it stops raising `SSLWantReadError`, waiting for the
   * socket between attempts. Whatever it raises otherwise rejects, after the
   * outgoing BIO (an alert, say) went to the socket.
   */
  async run<T>(call: () => T, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const result = call();
        this.flush();
        return result;
      } catch (error) {
        this.flush();
        if (!(error instanceof ssl.SSLWantReadError)) throw error;
      }
      // A call that wants more after the EOF would spin: the deadline ends it too.
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await this.#arrival(what, deadline - Date.now());
    }
  }

  do_handshake(timeoutMs?: number): Promise<null> {
    return this.run(() => this.tls.do_handshake(), 'the handshake', timeoutMs);
  }

  /** Encrypts `data` and waits until the socket took it. */
  async sendAll(data: Uint8Array): Promise<void> {
    this.tls.write(data);
    this.flush();
    if (!this.socket.writableNeedDrain) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** The next bytes of application data (at most `max`), waiting for them. */
  read(max = 65536, timeoutMs?: number): Promise<Uint8Array> {
    return this.run(() => this.tls.read(max) as Uint8Array, 'application data', timeoutMs);
  }

  /** Exactly `n` bytes of application data. */
  async readExactly(n: number, timeoutMs?: number): Promise<Uint8Array> {
    const into = new Uint8Array(n);
    for (let got = 0; got < n; ) {
      got += await this.run(() => this.tls.read(n - got, into.subarray(got)) as number, `${n} bytes (have ${got})`, timeoutMs);
    }
    return into;
  }

  /** Sends close_notify and waits for the peer's (SSLObject.unwrap), then half-closes TCP. */
  async unwrap(timeoutMs?: number): Promise<void> {
    await this.run(() => this.tls.unwrap(), "the peer's close_notify", timeoutMs);
    this.socket.end();
  }

  /** Moves what the SSLObject queued to the socket (a no-op once the socket is gone). */
  flush(): void {
    const bytes = this.outgoing.read();
    if (bytes.length > 0 && this.socket.writable) this.socket.write(bytes);
  }

  destroy(): void {
    this.socket.destroy();
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** Resolves when bytes or the EOF are waiting in the incoming BIO. */
  #arrival(what: string, timeoutMs: number): Promise<void> {
    if (this.incoming.pending > 0 || this.#eofWritten) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        reject(new Error(`timed out waiting for ${what}`));
      }, Math.max(0, timeoutMs));
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** A listening socket on 127.0.0.1 whose accepted connections become server-side pumps of `context`. */
export type BioPumpServer = PumpServer<BioSocketPump>;

export function listenBio(context: ssl.SSLContext): Promise<BioPumpServer> {
  return listenWith((socket) => {
    const incoming = new ssl.MemoryBIO();
    const outgoing = new ssl.MemoryBIO();
    return new BioSocketPump(context.wrap_bio(incoming, outgoing, { server_side: true }), incoming, outgoing, socket);
  });
}
