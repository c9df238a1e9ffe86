/**
 * A FIFO of byte chunks that hands out exact-length slices without copying when
 * a slice lies inside one chunk, and with one copy when it spans several. The
 * record layer keeps received network bytes in one, and the handshake joiner
 * keeps handshake fragments in another, so input split into any pieces (one byte
 * at a time included) costs linear time.
 * @module
 */

export class ByteQueue {
  #chunks: Uint8Array[] = [];
  /** Index of the first live chunk; consumed chunks before it are dropped in batches. */
  #head = 0;
  /** Bytes of the first live chunk already consumed. */
  #offset = 0;
  #length = 0;

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Appends `bytes` without copying: the caller must not modify them afterwards. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  /** The first `n` bytes (n <= length), left in the queue. */
  peek(n: number): Uint8Array {
    return this.#gather(n, false);
  }

  /** Removes and returns the first `n` bytes (n <= length). */
  take(n: number): Uint8Array {
    return this.#gather(n, true);
  }

  #gather(n: number, consume: boolean): Uint8Array {
    if (n > this.#length) throw new RangeError(`ByteQueue: ${n} bytes asked, ${this.#length} held`);
    const first = this.#chunks[this.#head];
    if (n === 0 || first === undefined) return new Uint8Array(0);
    if (first.length - this.#offset >= n) {
      const out = first.subarray(this.#offset, this.#offset + n);
      if (consume) this.#advance(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    let index = this.#head;
    let offset = this.#offset;
    while (filled < n) {
      const chunk = this.#chunks[index] as Uint8Array;
      const count = Math.min(chunk.length - offset, n - filled);
      out.set(chunk.subarray(offset, offset + count), filled);
      filled += count;
      index++;
      offset = 0;
    }
    if (consume) this.#advance(n);
    return out;
  }

  #advance(n: number): void {
    this.#length -= n;
    let left = n;
    while (left > 0) {
      const chunk = this.#chunks[this.#head] as Uint8Array;
      const available = chunk.length - this.#offset;
      if (left < available) {
        this.#offset += left;
        return;
      }
      left -= available;
      this.#head++;
      this.#offset = 0;
    }
    // Drop consumed chunks once they are the bulk of the array, keeping each step O(1) amortised.
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    } else if (this.#head > 64 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }
}
