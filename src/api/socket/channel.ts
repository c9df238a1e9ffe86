/**
 * A connected socket's byte stream on top of a Transport: reads of at most
 * `n` bytes (what a chunk holds beyond that is kept for the next read),
 * bytes put back in front (what followed TLS after `unwrap()`), writes kept
 * in order, and timeouts. A read that timed out stays in flight and serves
 * the next call, so no bytes are lost to a timeout.
 * @module
 */
import { withTimeout } from '../runtime/timer.ts';
import type { Transport } from '../runtime/transport.ts';
import { timeoutError } from './errors.ts';

export class ByteChannel {
  readonly transport: Transport;
  /** Bytes taken from the transport and not yet returned (at most one transport chunk, plus what was put back). */
  #held: Uint8Array[] = [];
  #heldLength = 0;
  #inFlight: Promise<Uint8Array | null> | null = null;
  #eof = false;
  /** Every write, chained: bytes reach the transport in call order, and a failure fails the writes after it. */
  #writes: Promise<void> = Promise.resolve();

  constructor(transport: Transport) {
    this.transport = transport;
  }

  /** Bytes held here and not yet read. */
  get buffered(): number {
    return this.#heldLength;
  }

  /** Up to `max` bytes; null at the end of the stream. `timeout` in seconds as `settimeout` (null: none). */
  async read(max: number, timeout: number | null): Promise<Uint8Array | null> {
    if (this.#heldLength === 0) {
      if (this.#eof) return null;
      this.#inFlight ??= this.transport.read();
      const chunk = await withTimeout(this.#inFlight, timeout, () => timeoutError(timeout!));
      this.#inFlight = null;
      if (chunk === null) {
        this.#eof = true;
        return null;
      }
      this.unread(chunk);
    }
    return this.#take(max);
  }

  /** Puts `bytes` back in front of the stream. */
  unread(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#held.unshift(bytes);
    this.#heldLength += bytes.length;
  }

  /** Queues `data` after the earlier writes; resolves when the transport has taken it. */
  write(data: Uint8Array, timeout: number | null): Promise<void> {
    const written = this.#writes.then(() => this.transport.write(data));
    this.#writes = written;
    return withTimeout(written, timeout, () => timeoutError(timeout!));
  }

  /** Resolves once every write so far has been taken (or one failed). */
  drained(): Promise<void> {
    return this.#writes.catch(() => {});
  }

  /** Half-close after the writes so far (shutdown(SHUT_WR)). */
  async end(): Promise<void> {
    await this.drained();
    await this.transport.end();
  }

  #take(max: number): Uint8Array {
    const first = this.#held[0]!;
    if (first.length <= max) {
      this.#held.shift();
      this.#heldLength -= first.length;
      return first;
    }
    this.#held[0] = first.subarray(max);
    this.#heldLength -= max;
    return first.subarray(0, max);
  }
}
