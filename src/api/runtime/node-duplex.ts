/**
 * `puretls/node`: TLS as a Node `Duplex`, so Node libraries that take a socket
 * (`undici`, `pg`, `ws`) can run over puretls. Python has no such object, so
 * the names are Node's (`tls.TLSSocket`'s `'secureConnect'`, `alpnProtocol`,
 * `servername`), in camelCase; the TLS itself is one `SSLObject` over two
 * `MemoryBIO`s, whose Python-named methods stay reachable as `sslObject`.
 *
 *   new TLSDuplex(transport, { context, serverSide?, serverHostname?, session?, suppressRaggedEofs?, allowHalfOpen? })
 *     transport 'data' → incoming BIO → sslObject.read() → push();
 *     write() → sslObject.write() → outgoing BIO → transport.write().
 *     Events: 'secureConnect' once the handshake is done (both sides);
 *     'error' with the Python exception (SSLCertVerificationError, SSLEOFError…);
 *     'end' on the peer's close_notify (RFC 8446 §6.1).
 *     end() sends close_notify, then ends the transport. A transport that ends
 *     without close_notify (a ragged EOF) is SSLEOFError, or a plain 'end'
 *     with `suppressRaggedEofs: true`.
 *     Back-pressure: when push() returns false the transport is paused until
 *     the reader asks for more, so at most one transport chunk of plaintext
 *     waits inside; a write completes when the transport has taken its records.
 *   connect({ host, port, context?, servername?, alpnProtocols?, session?, suppressRaggedEofs?, localAddress? }): TLSDuplex
 *     a client over `net.connect` (default context: `create_default_context()`).
 *   wrapServerSocket(socket, context, { suppressRaggedEofs?, allowHalfOpen? }?): TLSDuplex
 *     the server side over an accepted socket.
 *   undiciConnector(context?): undici's `connect` option
 *     (`new Agent({ connect: undiciConnector(ctx) })`).
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { SSLContext } from '../context.ts';
import { create_default_context } from '../default-context.ts';
import { osError, SSLEOFError, SSLError, SSLWantReadError, SSLZeroReturnError } from '../exceptions.ts';
import { MemoryBIO } from '../memory-bio.ts';
import type { SSLSession } from '../session.ts';
import type { SSLObject } from '../ssl-object.ts';

/** The most plaintext handed to one push(): four full records (RFC 8446 §5.1: 2^14 bytes each). */
const READ_SIZE = 4 * 16_384;

/** What `#attempt` returns when the SSLObject needs more bytes or the readable side has ended. */
const STOPPED = Symbol('stopped');

export interface TLSDuplexOptions {
  readonly context: SSLContext;
  readonly serverSide?: boolean;
  /** The name to verify and send as SNI (`wrap_bio`'s `server_hostname`). */
  readonly serverHostname?: string | null;
  readonly session?: SSLSession | null;
  /** Python's `suppress_ragged_eofs`, but off by default: a transport EOF without close_notify is SSLEOFError. */
  readonly suppressRaggedEofs?: boolean;
  /** Node's meaning; false (as `net.Socket`): after the peer's close_notify our side closes too. */
  readonly allowHalfOpen?: boolean;
}

type Callback = (error?: Error | null) => void;

export class TLSDuplex extends Duplex {
  /** The connection's `SSLObject`: `getpeercert()`, `version()`, `cipher()`, `selected_alpn_protocol()`… */
  readonly sslObject: SSLObject;
  /** What carries the records (a `net.Socket`, a proxy tunnel, a test stream). */
  readonly transport: Duplex;
  readonly #incoming = new MemoryBIO();
  readonly #outgoing = new MemoryBIO();
  readonly #suppressRaggedEofs: boolean;
  #secure = false;
  /** Writes and the close that arrived before the handshake finished. */
  #afterHandshake: (() => void)[] = [];
  /** We paused the transport because the reader is behind (push() returned false). */
  #transportPaused = false;
  #readableDone = false;
  #pumping = false;
  #pumpAgain = false;

  constructor(transport: Duplex, options: TLSDuplexOptions) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false });
    this.transport = transport;
    this.#suppressRaggedEofs = options.suppressRaggedEofs ?? false;
    this.sslObject = options.context.wrap_bio(this.#incoming, this.#outgoing, {
      server_side: options.serverSide ?? false,
      server_hostname: options.serverHostname ?? null,
      session: options.session ?? null,
    });
    transport.on('data', (chunk: Uint8Array) => {
      this.#incoming.write(chunk);
      this.#pump();
    });
    // A reset ends the stream too; the SSLObject then reports the EOF as CPython's would.
    const ended = () => {
      this.#incoming.write_eof();
      this.#pump();
    };
    transport.on('end', ended);
    transport.on('close', ended);
    transport.on('error', (error: Error) => this.destroy(error));
    if ((transport as Partial<Socket>).connecting) transport.once('connect', () => this.#pump());
    else process.nextTick(() => this.#pump());
  }

  /** Node's `TLSSocket.alpnProtocol`: the negotiated protocol, or false (undici picks HTTP/2 by it). */
  get alpnProtocol(): string | false {
    return (this.#secure && this.sslObject.selected_alpn_protocol()) || false;
  }

  /** Lets the transport keep the process alive again (undici unrefs idle sockets). */
  ref(): this {
    (this.transport as Partial<Socket>).ref?.();
    return this;
  }

  unref(): this {
    (this.transport as Partial<Socket>).unref?.();
    return this;
  }

  override _read(): void {
    if (this.#transportPaused) {
      this.#transportPaused = false;
      this.transport.resume();
    }
    this.#pump();
  }

  override _write(chunk: Uint8Array, _encoding: BufferEncoding, callback: Callback): void {
    this.#whenSecure(() => {
      // Python's send() on a closed socket: nothing may vanish silently.
      if (!this.transport.writable) return callback(osError(32, 'Broken pipe'));
      try {
        this.sslObject.write(chunk);
      } catch (error) {
        this.#flush(); // the alert the failure queued
        callback(error as Error);
        return;
      }
      // The transport's back-pressure becomes ours: the next write waits for its 'drain'.
      if (this.#flush()) return callback();
      const resume = () => {
        this.transport.off('drain', resume).off('close', resume);
        callback();
      };
      // A transport that closes instead fails the next write (above) or ends the stream.
      this.transport.on('drain', resume).on('close', resume);
    });
  }

  /** RFC 8446 §6.1: close_notify, then the end of the transport; the peer's close_notify may still arrive and end the readable side. */
  override _final(callback: Callback): void {
    this.#whenSecure(() => {
      try {
        this.sslObject.unwrap();
      } catch (error) {
        const waitingForPeer = error instanceof SSLWantReadError;
        const raggedAndSuppressed = error instanceof SSLEOFError && this.#suppressRaggedEofs;
        if (!waitingForPeer && !raggedAndSuppressed) {
          this.#flush();
          callback(error as Error);
          return;
        }
      }
      this.#flush();
      // A net.Socket without allowHalfOpen ends itself when the peer's FIN arrives first.
      if (this.transport.writableEnded) callback();
      else this.transport.end(callback);
    });
  }

  override _destroy(error: Error | null, callback: Callback): void {
    this.#flush();
    // After a TLS failure the alert is on its way: end the transport gracefully so it reaches the peer.
    if (error instanceof SSLError) this.transport.end(() => this.transport.destroy());
    else this.transport.destroy();
    callback(error);
  }

  #whenSecure(action: () => void): void {
    if (this.#secure) action();
    else this.#afterHandshake.push(action);
  }

  /** Runs the engine as far as the received bytes allow; re-entrant calls (push() may call back) run once more afterwards. */
  #pump(): void {
    if (this.#pumping) {
      this.#pumpAgain = true;
      return;
    }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        this.#step();
      } while (this.#pumpAgain && !this.destroyed);
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.#pumping = false;
    }
  }

  #step(): void {
    if (this.destroyed) return;
    if (!this.#secure) {
      if (this.#attempt(() => this.sslObject.do_handshake()) === STOPPED) return;
      this.#secure = true;
      this.emit('secureConnect');
      for (const action of this.#afterHandshake.splice(0)) action();
    }
    this.#readPlaintext();
  }

  /** Pushes decrypted data until the reader is full, the engine wants bytes, or the stream ends. */
  #readPlaintext(): void {
    while (!this.#readableDone && !this.#transportPaused && !this.destroyed) {
      const data = this.#attempt(() => this.sslObject.read(READ_SIZE) as Uint8Array);
      if (data === STOPPED) return;
      if (data.length === 0) return this.#endReadable(); // the peer's close_notify
      if (!this.push(data)) {
        this.#transportPaused = true;
        this.transport.pause();
      }
    }
  }

  /**
   * Calls the SSLObject and sends what it queued. STOPPED when it needs more
   * bytes, or when the readable side ended (the peer's close_notify after
   * ours, or a suppressed ragged EOF); other failures are thrown.
   */
  #attempt<T>(call: () => T): T | typeof STOPPED {
    try {
      return call();
    } catch (error) {
      if (error instanceof SSLWantReadError) return STOPPED;
      if (this.#secure && (error instanceof SSLZeroReturnError || (error instanceof SSLEOFError && this.#suppressRaggedEofs))) {
        this.#endReadable();
        return STOPPED;
      }
      throw error;
    } finally {
      this.#flush();
    }
  }

  #endReadable(): void {
    this.#readableDone = true;
    this.push(null);
  }

  /** Sends the outgoing BIO; false when the transport asks us to wait for 'drain'. */
  #flush(): boolean {
    if (this.#outgoing.pending === 0 || !this.transport.writable) return true;
    return this.transport.write(this.#outgoing.read());
  }
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly context?: SSLContext;
  /** The name verified and sent as SNI; `host` by default, null for none (needs `check_hostname` off). */
  readonly servername?: string | null;
  /** ALPN for the default context; with your own `context`, call its `set_alpn_protocols()` instead. */
  readonly alpnProtocols?: readonly string[];
  readonly session?: SSLSession | null;
  readonly suppressRaggedEofs?: boolean;
  readonly localAddress?: string;
}

/** A TLS client over a new TCP connection; the handshake starts once it connects. */
export function connect(options: ConnectOptions): TLSDuplex {
  const context = clientContext(options);
  const socket = netConnect({ host: options.host, port: options.port, localAddress: options.localAddress });
  try {
    return new TLSDuplex(socket, {
      context,
      serverHostname: options.servername === undefined ? options.host : options.servername,
      session: options.session ?? null,
      suppressRaggedEofs: options.suppressRaggedEofs ?? false,
    });
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

/** A shared context would change for every user: refuse the combination rather than mutate it. */
function clientContext(options: ConnectOptions): SSLContext {
  if (options.context !== undefined) {
    if (options.alpnProtocols !== undefined) throw new TypeError('alpnProtocols applies to the default context; call context.set_alpn_protocols() on your own');
    return options.context;
  }
  const context = create_default_context();
  if (options.alpnProtocols !== undefined) context.set_alpn_protocols(options.alpnProtocols);
  return context;
}

export interface ServerSocketOptions {
  readonly suppressRaggedEofs?: boolean;
  readonly allowHalfOpen?: boolean;
}

/** The server side of TLS over an accepted connection; 'secureConnect' when the client is through. */
export function wrapServerSocket(socket: Duplex, context: SSLContext, options: ServerSocketOptions = {}): TLSDuplex {
  return new TLSDuplex(socket, { context, serverSide: true, ...options });
}

/** What undici passes its `connect` function (undici's `buildConnector.Options`). */
export interface UndiciConnectOptions {
  readonly hostname: string;
  readonly host?: string;
  readonly protocol: string;
  readonly port: string;
  readonly servername?: string;
  readonly localAddress?: string | null;
  /** A tunnel through an HTTP proxy to run TLS over. */
  readonly httpSocket?: Duplex;
}

/**
 * undici types the socket as `net.Socket`; what it uses is the `Duplex`
 * interface, `alpnProtocol`, and `ref`/`unref` when present, all of which
 * `TLSDuplex` has.
 */
export type UndiciConnectCallback = (...args: [null, Socket] | [Error, null]) => void;

/**
 * undici's `connect` option: `https:` origins get a `TLSDuplex` (verified
 * against `servername`, else the host), handed over after the handshake as
 * undici's own connector does; `http:` origins a plain TCP socket.
 */
export function undiciConnector(context: SSLContext = create_default_context()): (options: UndiciConnectOptions, callback: UndiciConnectCallback) => void {
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal arrives in URL brackets
    const https = options.protocol === 'https:';
    const port = Number(options.port) || (https ? 443 : 80);
    const transport = options.httpSocket ?? netConnect({ host, port, localAddress: options.localAddress ?? undefined });
    if (!https) return handOver(transport, 'connect', callback);
    let tls: TLSDuplex;
    try {
      tls = new TLSDuplex(transport, { context, serverHostname: options.servername || host });
    } catch (error) {
      transport.destroy();
      return callback(error as Error, null);
    }
    handOver(tls, 'secureConnect', callback);
  };
}

function handOver(stream: Duplex, readyEvent: string, callback: UndiciConnectCallback): void {
  const failed = (error: Error) => callback(error, null);
  stream.once('error', failed);
  stream.once(readyEvent, () => {
    stream.off('error', failed);
    callback(null, stream as unknown as Socket);
  });
}
