/**
 * The synthetic message_hash handshake message (RFC 8446 §4.4.1): after a
 * HelloRetryRequest, the transcript replaces ClientHello1 with this message,
 * so a stateless server can rebuild the transcript from a hash in its cookie.
 * @module
 */
import { HandshakeType } from '../../wire/registry.ts';
import { encodeHandshake } from './handshake-message.ts';

/** The whole message: message_hash (254), uint24 Hash.length, then Hash(ClientHello1). */
export function encodeMessageHash(clientHello1Hash: Uint8Array): Uint8Array {
  return encodeHandshake(HandshakeType.message_hash, clientHello1Hash);
}
