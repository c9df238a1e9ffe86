/**
 * A handshake message as every state machine sees it, whichever the version:
 * the connection deframes it (RFC 8446 §4, RFC 5246 §7.4) and hands over its
 * type, its body for decoding and its whole encoding for the transcript.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { HandshakeType, nameOf } from '../wire/registry.ts';

export interface Incoming {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header included: what the transcript hashes (RFC 8446 §4.4.1, RFC 5246 §7.4.9). */
  readonly raw: Uint8Array;
}

/** unexpected_message for a handshake message that has no place here (RFC 8446 §4, RFC 5246 §7.3). */
export function unexpectedMessage(message: Incoming, context: string): ProtocolError {
  return new ProtocolError('UnexpectedMessage', `${nameOf(HandshakeType, message.type)} received: ${context}`);
}

/** true when `message` has the expected type; otherwise unexpected_message. */
export function expectMessage(message: Incoming, type: number): true {
  if (message.type !== type) throw unexpectedMessage(message, `expected ${nameOf(HandshakeType, type)}`);
  return true;
}
