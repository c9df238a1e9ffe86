/**
 * A transport over a WHATWG stream pair `{readable, writable}` of bytes: what
 * an edge platform's `connect()` returns (Cloudflare's sockets), what a
 * WebSocket tunnel or `Duplex.toWeb()` gives. Reading takes one chunk per
 * `read()` (the pull keeps the readable's queue at its high-water mark);
 * writing waits for `writer.ready`, the stream's back-pressure signal.
 * A stream that fails is the peer going away: `ConnectionResetError`.
 * @module
 */
import type { OSError } from '../exceptions.ts';
import { errnoError } from '../socket/errors.ts';
import type { SocketAddress, Transport } from './transport.ts';

/** The pair of streams, as `{ readable, writable }` objects carry it. */
export interface StreamPair {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
}

export interface StreamAddresses {
  readonly localAddress?: SocketAddress | null;
  readonly remoteAddress?: SocketAddress | null;
}

class StreamTransport implements Transport {
  readonly localAddress: SocketAddress | null;
  readonly remoteAddress: SocketAddress | null;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  /** The first failed write: later writes report it without waiting. */
  #writeError: OSError | null = null;

  constructor(pair: StreamPair, addresses: StreamAddresses) {
    this.#reader = pair.readable.getReader();
    this.#writer = pair.writable.getWriter();
    this.localAddress = addresses.localAddress ?? null;
    this.remoteAddress = addresses.remoteAddress ?? null;
  }

  async read(): Promise<Uint8Array | null> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) return null;
        if (value.length > 0) return value;
      }
    } catch {
      throw errnoError('ECONNRESET');
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.#writeError !== null) throw this.#writeError;
    try {
      await this.#writer.ready;
    } catch {
      throw (this.#writeError = errnoError('EPIPE'));
    }
    // Not awaited: the sink finishes this chunk while the next waits on `ready`; a failure surfaces at the next write.
    this.#writer.write(data).catch(() => (this.#writeError ??= errnoError('EPIPE')));
  }

  async end(): Promise<void> {
    try {
      await this.#writer.close();
    } catch {
      // Already failed or closed: there is nothing left to end.
    }
  }

  async close(): Promise<void> {
    await this.end();
    await this.#reader.cancel().catch(() => {});
  }
}

/** The Transport over a stream pair (the `socket` module's `from_streams`). */
export function streamTransport(pair: StreamPair, addresses: StreamAddresses = {}): Transport {
  return new StreamTransport(pair, addresses);
}
