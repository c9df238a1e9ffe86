/**
 * A handshake message as every state machine sees it, whichever the version:
 * the connection deframes it (RFC 8446 §4, RFC 5246 §7.4) and hands over its
 * type, its body for decoding and its whole encoding for the transcript.
 * @module
 */

export interface Incoming {
  readonly type: number;
  readonly body: Uint8Array;
  /** Header included: what the transcript hashes (RFC 8446 §4.4.1, RFC 5246 §7.4.9). */
  readonly raw: Uint8Array;
}
