/**
 * The TLS presentation-language codec (RFC 8446 §3): fixed-width integers and
 * length-prefixed vectors with `<min..max>` bounds. Decoders read through a
 * `Reader` and finish with `end()`, proving they consumed exactly their bytes;
 * encoders write through a `Writer` whose vector lengths are back-patched.
 * Every failure is a `DecodeError` naming the RFC field.
 * @module
 */
import { DecodeError } from './errors.ts';

export class Reader {
  readonly #bytes: Uint8Array;
  #offset = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset;
  }

  get atEnd(): boolean {
    return this.#offset === this.#bytes.length;
  }

  /** Throws unless every byte was consumed (RFC 8446 §4: no trailing data). */
  end(field: string): void {
    if (!this.atEnd) throw new DecodeError(field, `${this.remaining} trailing bytes`);
  }

  bytes(length: number, field: string): Uint8Array {
    if (length > this.remaining) {
      throw new DecodeError(field, `needs ${length} bytes, ${this.remaining} left`);
    }
    const out = this.#bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  /** All bytes not yet read. */
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }

  u8(field: string): number {
    return this.#uint(1, field);
  }

  u16(field: string): number {
    return this.#uint(2, field);
  }

  u24(field: string): number {
    return this.#uint(3, field);
  }

  u32(field: string): number {
    return this.#uint(4, field);
  }

  /** `opaque field<min..max>` with a `prefix`-byte length: the vector's bytes. */
  opaque(prefix: 1 | 2 | 3, field: string, min = 0, max = 2 ** (8 * prefix) - 1): Uint8Array {
    const length = this.#uint(prefix, field);
    if (length < min || length > max) {
      throw new DecodeError(field, `length ${length} outside <${min}..${max}>`);
    }
    return this.bytes(length, field);
  }

  /** A length-prefixed vector, returned as a sub-reader over its body. */
  vector(prefix: 1 | 2 | 3, field: string, min = 0, max = 2 ** (8 * prefix) - 1): Reader {
    return new Reader(this.opaque(prefix, field, min, max));
  }

  /** Reads `T items<min..max>` where each item is decoded by `item` until the vector ends. */
  list<T>(prefix: 1 | 2 | 3, field: string, item: (r: Reader) => T, min = 0, max = 2 ** (8 * prefix) - 1): T[] {
    const r = this.vector(prefix, field, min, max);
    const out: T[] = [];
    while (!r.atEnd) out.push(item(r));
    return out;
  }

  #uint(width: number, field: string): number {
    const b = this.bytes(width, field);
    let v = 0;
    for (const x of b) v = v * 256 + x;
    return v;
  }
}

export class Writer {
  #buf = new Uint8Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  u8(v: number): this {
    return this.#uint(v, 1);
  }

  u16(v: number): this {
    return this.#uint(v, 2);
  }

  u24(v: number): this {
    return this.#uint(v, 3);
  }

  u32(v: number): this {
    return this.#uint(v, 4);
  }

  bytes(b: Uint8Array): this {
    this.#reserve(b.length);
    this.#buf.set(b, this.#length);
    this.#length += b.length;
    return this;
  }

  /** `opaque<..>` with a `prefix`-byte length. */
  opaque(prefix: 1 | 2 | 3, b: Uint8Array): this {
    return this.vector(prefix, (w) => w.bytes(b));
  }

  /** A vector whose length prefix is back-patched once `body` has written it. */
  vector(prefix: 1 | 2 | 3, body: (w: this) => void): this {
    const at = this.#length;
    this.#uint(0, prefix);
    body(this);
    const length = this.#length - at - prefix;
    if (length >= 2 ** (8 * prefix)) throw new RangeError(`vector of ${length} bytes overflows a ${prefix}-byte length`);
    for (let i = prefix - 1, v = length; i >= 0; i--, v = Math.floor(v / 256)) this.#buf[at + i] = v & 0xff;
    return this;
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#length);
  }

  #uint(v: number, width: number): this {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * width)) {
      throw new RangeError(`${v} does not fit in ${width} bytes`);
    }
    this.#reserve(width);
    for (let i = width - 1; i >= 0; i--, v = Math.floor(v / 256)) this.#buf[this.#length + i] = v & 0xff;
    this.#length += width;
    return this;
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#length));
    this.#buf = next;
  }
}

/** Encodes with a fresh Writer. */
export function encode(body: (w: Writer) => void): Uint8Array {
  const w = new Writer();
  body(w);
  return w.finish();
}
