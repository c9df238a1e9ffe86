/**
 * The handshake message frame of RFC 8446 §4: `msg_type` (one byte), a 24-bit
 * length, then the body. Every message decoder in this folder takes the body;
 * `parseHandshake` splits a whole message, and `decodeExact` is the shared
 * discipline of reading a body (or an extension's data) to its last byte.
 * @module
 */
import { Reader, encode } from '../../wire/codec.ts';

export interface HandshakeMessage {
  /** `HandshakeType`, kept as a number so unknown types survive (RFC 8446 §4). */
  readonly type: number;
  readonly body: Uint8Array;
}

/** The whole message: header (type, uint24 length) and body. */
export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  return encode((w) => w.u8(type).opaque(3, body));
}

/** Splits one whole message (with its 4-byte header); the length must cover exactly the rest. */
export function parseHandshake(message: Uint8Array): HandshakeMessage {
  return decodeExact(message, 'Handshake', (r) => ({
    type: r.u8('Handshake.msg_type'),
    body: r.opaque(3, 'Handshake.length'),
  }));
}

/**
 * Runs `read` over `bytes` and proves it consumed all of them: trailing bytes
 * are a decode_error (RFC 8446 §4: a structure ends where its length says).
 */
export function decodeExact<T>(bytes: Uint8Array, field: string, read: (r: Reader) => T): T {
  const r = new Reader(bytes);
  const value = read(r);
  r.end(field);
  return value;
}
