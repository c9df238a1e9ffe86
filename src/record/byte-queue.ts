/**
 * A FIFO of bytes that copies what it is given into blocks of its own and
 * hands out exact-length slices: a view when the slice lies inside one block,
 * one copy when it spans several. The record layer keeps received network
 * bytes in one, and the handshake joiner keeps handshake fragments in another.
 *
 * Copying is what bounds memory (issue 14): keeping each pushed array costs
 * an object per push whatever its size (a 16 KiB record fed one byte per call
 * held 3.9 MB), and a one-byte view keeps alive the whole buffer it was cut
 * from (1.5 MB of one-byte handshake records held 32 MB). Here small pushes
 * are appended to the last block, whose size grows with what the queue holds
 * up to `MAX_BLOCK`, so the queue holds at most its bytes plus one block of
 * room, plus the consumed front of the first block, which is compacted when it
 * is most of a large block. Bytes in a block never change once written, so the
 * views handed out stay valid. Any split of the input (one byte at a time
 * included) costs linear time.
 * @module
 */

/** The smallest block made for a push that does not fit, so a queue of a few bytes stays small. */
const MIN_BLOCK = 64;

/** The largest block made for small pushes; a larger push is copied into a block of its own size. */
const MAX_BLOCK = 4096;

export class ByteQueue {
  /** Every block but the last is full; the last is filled up to `#tailFill`. */
  #blocks: Uint8Array[] = [];
  #tailFill = 0;
  /** Index of the first live block; consumed blocks before it are dropped in batches. */
  #head = 0;
  /** Bytes of the first live block already consumed. */
  #offset = 0;
  #length = 0;

  /** Bytes held. */
  get length(): number {
    return this.#length;
  }

  /** Appends a copy of `bytes`: the caller may reuse its buffer. */
  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const tail = this.#blocks[this.#blocks.length - 1];
    let rest = bytes;
    if (tail !== undefined && this.#tailFill < tail.length) {
      const count = Math.min(tail.length - this.#tailFill, rest.length);
      tail.set(rest.subarray(0, count), this.#tailFill);
      this.#tailFill += count;
      rest = rest.subarray(count);
    }
    if (rest.length > 0) {
      // Blocks grow with the queue (doubling what it holds), so that their spare room stays below what is held.
      const block = new Uint8Array(Math.max(rest.length, Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, this.#length))));
      block.set(rest);
      this.#blocks.push(block);
      this.#tailFill = rest.length;
    }
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

  /** Bytes written in block `index`. */
  #filled(index: number): number {
    return index === this.#blocks.length - 1 ? this.#tailFill : (this.#blocks[index] as Uint8Array).length;
  }

  #gather(n: number, consume: boolean): Uint8Array {
    if (n > this.#length) throw new RangeError(`ByteQueue: ${n} bytes asked, ${this.#length} held`);
    if (n === 0) return new Uint8Array(0);
    const first = this.#blocks[this.#head] as Uint8Array;
    let out: Uint8Array;
    if (this.#filled(this.#head) - this.#offset >= n) {
      out = first.subarray(this.#offset, this.#offset + n);
    } else {
      out = new Uint8Array(n);
      let filled = 0;
      let index = this.#head;
      let offset = this.#offset;
      while (filled < n) {
        const block = this.#blocks[index] as Uint8Array;
        const count = Math.min(this.#filled(index) - offset, n - filled);
        out.set(block.subarray(offset, offset + count), filled);
        filled += count;
        index++;
        offset = 0;
      }
    }
    if (consume) this.#advance(n);
    return out;
  }

  #advance(n: number): void {
    this.#length -= n;
    if (this.#length === 0) {
      // Nothing held, nothing kept: an idle connection costs no block.
      this.#blocks = [];
      this.#tailFill = 0;
      this.#head = 0;
      this.#offset = 0;
      return;
    }
    let left = n;
    while (left > 0) {
      const available = this.#filled(this.#head) - this.#offset;
      if (left < available) {
        this.#offset += left;
        break;
      }
      left -= available;
      this.#head++;
      this.#offset = 0;
    }
    this.#compactHead();
    // Drop consumed blocks once they are the bulk of the array, keeping each step O(1) amortised.
    if (this.#head > 64 && this.#head * 2 > this.#blocks.length) {
      this.#blocks = this.#blocks.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * A large first block mostly consumed (a big read whose last record is
   * partial) is replaced by a copy of its live bytes, so that a few bytes
   * held do not keep the whole read alive. Each copy is at most a quarter of
   * the block, and the block it makes is smaller, so the copies add up to
   * less than the block once did.
   */
  #compactHead(): void {
    const block = this.#blocks[this.#head] as Uint8Array;
    const live = this.#filled(this.#head) - this.#offset;
    if (block.length <= MAX_BLOCK || live * 4 > block.length) return;
    this.#blocks[this.#head] = block.slice(this.#offset, this.#offset + live);
    if (this.#head === this.#blocks.length - 1) this.#tailFill = live;
    this.#offset = 0;
  }
}
