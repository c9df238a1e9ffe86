/**
 * `socket.makefile()`'s object, minimal and binary only: async `read(n)`
 * (to the end of the stream when n < 0), `readline(limit)`, `write(data)`,
 * `flush()` and `close()`. Python's is a BufferedReader/Writer; this one
 * keeps only the bytes read past a line end.
 * @module
 */
import { concatBytes } from '../../wire/bytes.ts';
import { ValueError } from '../exceptions.ts';

/** The socket calls a file needs (an SSLSocket's are the TLS ones). */
interface FileSocket {
  recv(bufsize: number): Promise<Uint8Array>;
  sendall(data: Uint8Array): Promise<null>;
}

const CHUNK = 65536;
const LF = 0x0a;

export class SocketFile {
  readonly #sock: FileSocket;
  readonly #readable: boolean;
  readonly #writable: boolean;
  #buffer: Uint8Array = new Uint8Array(0);
  #closed = false;

  constructor(sock: FileSocket, readable: boolean, writable: boolean) {
    this.#sock = sock;
    this.#readable = readable;
    this.#writable = writable;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Up to `size` bytes (fewer only at the end of the stream); all of them when `size` < 0. */
  async read(size = -1): Promise<Uint8Array> {
    this.#check(this.#readable, 'read');
    while (size < 0 || this.#buffer.length < size) {
      const chunk = await this.#sock.recv(CHUNK);
      if (chunk.length === 0) break;
      this.#buffer = concatBytes(this.#buffer, chunk);
    }
    return this.#take(size < 0 ? this.#buffer.length : Math.min(size, this.#buffer.length));
  }

  /** One line with its `\n` (or what remains at the end of the stream), at most `limit` bytes when limit ≥ 0. */
  async readline(limit = -1): Promise<Uint8Array> {
    this.#check(this.#readable, 'read');
    for (;;) {
      const end = this.#buffer.indexOf(LF);
      if (end >= 0) return this.#take(limit >= 0 ? Math.min(end + 1, limit) : end + 1);
      if (limit >= 0 && this.#buffer.length >= limit) return this.#take(limit);
      const chunk = await this.#sock.recv(CHUNK);
      if (chunk.length === 0) return this.#take(this.#buffer.length);
      this.#buffer = concatBytes(this.#buffer, chunk);
    }
  }

  /** Sends `data` and returns its length (no write buffer: flush() has nothing to do). */
  async write(data: Uint8Array): Promise<number> {
    this.#check(this.#writable, 'write');
    await this.#sock.sendall(data);
    return data.length;
  }

  async flush(): Promise<void> {
    if (this.#closed) throw new ValueError('flush of closed file');
  }

  /** Closes the file; the socket stays open, as in Python. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #check(allowed: boolean, what: 'read' | 'write'): void {
    if (this.#closed) throw new ValueError(`${what === 'read' ? 'read' : 'write'} of closed file`);
    if (!allowed) throw new UnsupportedOperation(what);
  }

  #take(count: number): Uint8Array {
    const out = this.#buffer.slice(0, count);
    this.#buffer = this.#buffer.subarray(count);
    return out;
  }
}

/** Python's `io.UnsupportedOperation` (an OSError and a ValueError; a ValueError here). */
export class UnsupportedOperation extends ValueError {
  constructor(what: string) {
    super(what);
    this.name = 'UnsupportedOperation';
  }
}
