/**
 * `ssl.MemoryBIO`: a byte buffer between an `SSLObject` and whatever carries
 * its bytes (a socket, a stream, a test). The application writes what arrived
 * from the network into the incoming BIO and sends what it reads from the
 * outgoing one; `write_eof()` says the network has ended.
 * @module
 */
import { concatBytes } from '../wire/bytes.ts';
import { SSLError } from './exceptions.ts';

/** Puts bytes back at the front of a BIO: what followed the TLS stream (SSLObject.unwrap) stays for the next reader. */
export let unread: (bio: MemoryBIO, bytes: Uint8Array) => void;

export class MemoryBIO {
  #chunks: Uint8Array[] = [];
  #pending = 0;
  #eofWritten = false;

  static {
    unread = (bio, bytes) => {
      bio.#chunks.unshift(bytes);
      bio.#pending += bytes.length;
    };
  }

  /** Bytes buffered and not yet read. */
  get pending(): number {
    return this.#pending;
  }

  /** True once `write_eof()` was called and every buffered byte was read. */
  get eof(): boolean {
    return this.#eofWritten && this.#pending === 0;
  }

  /** Up to `n` buffered bytes (all of them when `n` is negative), possibly none. */
  read(n = -1): Uint8Array {
    const count = n < 0 || n > this.#pending ? this.#pending : n;
    if (count === 0) return new Uint8Array(0);
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : concatBytes(...this.#chunks);
    const out = all.slice(0, count);
    this.#chunks = count < all.length ? [all.subarray(count)] : [];
    this.#pending -= count;
    return out;
  }

  /** Appends `data` (copied) and returns its length; refused after `write_eof()`, as CPython does. */
  write(data: Uint8Array): number {
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
    if (this.#eofWritten) throw new SSLError('cannot write() after write_eof()');
    if (data.length > 0) {
      this.#chunks.push(data.slice());
      this.#pending += data.length;
    }
    return data.length;
  }

  /** Marks the end of the stream: once drained, `eof` is true and reads see EOF. */
  write_eof(): void {
    this.#eofWritten = true;
  }
}
