/**
 * Record protection: what turns a record's content into its body and back, for
 * one direction under one key. The record layer holds one for reading and one
 * for writing and swaps them when the handshake changes keys; the protection
 * owns its sequence number, so each key starts again at 0 (RFC 8446 §5.3).
 * Before any keys are installed both directions use `nullProtection()`.
 * TLS 1.3 AEAD protection is `protection13.ts`; TLS 1.2's explicit-nonce GCM
 * will be another implementation of the same interface.
 * @module
 */

/** A record body to send, and the content type to put in its header. */
export interface SealedRecord {
  readonly type: number;
  readonly body: Uint8Array;
}

/** What a received record carried: its real content type and content. */
export interface OpenedRecord {
  readonly type: number;
  readonly content: Uint8Array;
}

export interface RecordProtection {
  /**
   * Whether records are encrypted. The record layer applies the after-keys rules
   * (RFC 8446 §5: outer type application_data, ciphertext limits) only then.
   */
  readonly encrypted: boolean;
  /** Most bytes a body can exceed its content by, for sizing buffers. */
  readonly overhead: number;
  /**
   * Protects one record's content (at most the plaintext limit). Protected
   * records are always sent with legacy_record_version 0x0303 (RFC 8446 §5.2).
   */
  seal(type: number, content: Uint8Array): SealedRecord;
  /**
   * Recovers one record's content. `version` is the received header's
   * legacy_record_version, which is part of the additional data. Throws
   * `ProtocolError` (BadRecordMac, RecordOverflow, ...).
   */
  open(outerType: number, body: Uint8Array, version: number): OpenedRecord;
}

const NULL_PROTECTION: RecordProtection = Object.freeze({
  encrypted: false,
  overhead: 0,
  seal: (type: number, content: Uint8Array): SealedRecord => ({ type, body: content }),
  open: (outerType: number, body: Uint8Array): OpenedRecord => ({ type: outerType, content: body }),
});

/** The identity protection of the initial epoch (RFC 8446 §5: TLSPlaintext). */
export function nullProtection(): RecordProtection {
  return NULL_PROTECTION;
}
