/**
 * The TLS 1.2 ECDHE ClientKeyExchange (RFC 8422 §5.7): the client's ephemeral
 * public key, always sent explicitly (we never use fixed ECDH client certificates).
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { ECPoint ecdh_Yc; } ClientECDiffieHellmanPublic`, with `opaque point <1..2^8-1>`. */
export function encodeClientKeyExchange12(publicKey: Uint8Array): Uint8Array {
  return encode((w) => w.opaque(1, publicKey));
}

/** The client's point: an X25519 key or an uncompressed SEC1 point (RFC 8422 §5.7), checked by the key exchange. */
export function decodeClientKeyExchange12(body: Uint8Array): Uint8Array {
  return decodeExact(body, 'ClientKeyExchange', (r) => r.opaque(1, 'ClientECDiffieHellmanPublic.ecdh_Yc', 1));
}
