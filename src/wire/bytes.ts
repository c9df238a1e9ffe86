/**
 * Byte helpers shared by every layer: concatenation, equality for public data, hex.
 * Secret comparisons use `crypto/constant-time.ts` instead.
 * @module
 */

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Equality of public values (not constant time). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX_BYTE[b]!;
  return s;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/**
 * A string standing for `bytes` as a Map or Set key: one character per byte,
 * so equal keys mean equal bytes. Several times faster than hex.
 */
export function bytesKey(bytes: Uint8Array): string {
  let key = '';
  // Chunked: `apply` passes every byte as an argument, and engines cap the argument count.
  for (let i = 0; i < bytes.length; i += 8192) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]);
  }
  return key;
}

export function fromHex(hex: string): Uint8Array {
  const clean = /\s/.test(hex) ? hex.replace(/\s+/g, '') : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new TypeError(`fromHex: not an even-length hex string`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibble(clean.charCodeAt(2 * i)) << 4) | nibble(clean.charCodeAt(2 * i + 1));
  return out;
}

/** The value of one checked hex digit's character code. */
function nibble(code: number): number {
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

export function utf8(text: string): Uint8Array {
  return UTF8_ENCODER.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return UTF8_DECODER.decode(bytes);
}

// Both are stateless for whole-buffer calls, so one of each serves every caller.
const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });

/** Big-endian unsigned integer of `length` bytes. */
export function uintBytes(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = value & 0xff;
    value = Math.floor(value / 256);
  }
  return out;
}
