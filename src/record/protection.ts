/**
 * Record protection: what turns a record's content into its body and back, for
 * one direction under one key. The record layer holds one for reading and one
 * for writing and swaps them when the handshake changes keys; the protection
 * owns its sequence number, so each key starts again at 0 (RFC 8446 §5.3).
 * Before any keys are installed both directions use `nullProtection()`.
 * TLS 1.3 AEAD protection is `protection13.ts`, TLS 1.2's AEAD protection
 * `protection12.ts`. Each carries the record rules of its version, so the
 * record layer needs no mode: the epoch installed says what applies.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { MAX_PLAINTEXT } from './framing.ts';
import { NO_LIMITS, type UsageLimits } from './usage-limits.ts';

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
   * TLS 1.3 hides the content type (RFC 8446 §5.2): every record under it says
   * application_data outside, so any other outer type is plaintext where there
   * must be none — except change_cipher_spec, which is never protected in TLS
   * 1.3 and may still arrive for middlebox compatibility (§5, §D.4). TLS 1.2
   * keeps each record's type in its header, and its change_cipher_spec is sent
   * under the current protection (RFC 5246 §7.1).
   */
  readonly hidesContentType: boolean;
  /** Largest record body accepted under this protection (RFC 8446 §5.2: 2^14 + 256; RFC 5246 §6.2.3: 2^14 + 2048). */
  readonly maxCiphertext: number;
  /** Records sealed or opened under this key so far (a protection serves one direction). */
  readonly records: number;
  /** RFC 8446 §5.5: how many records the key may seal before it must change, and open at all. */
  readonly limits: UsageLimits;
  /**
   * Zeroes the key material this protection holds (its own copies); it must
   * not be used again. What JavaScript cannot reach — copies a garbage
   * collector made, a primitive's internal state — stays as it is.
   */
  retire(): void;
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
  hidesContentType: false,
  maxCiphertext: MAX_PLAINTEXT,
  records: 0,
  limits: NO_LIMITS,
  retire: () => {},
  seal: (type: number, content: Uint8Array): SealedRecord => ({ type, body: content }),
  open: (outerType: number, body: Uint8Array): OpenedRecord => ({ type: outerType, content: body }),
});

/** The identity protection of the initial epoch (RFC 8446 §5: TLSPlaintext). */
export function nullProtection(): RecordProtection {
  return NULL_PROTECTION;
}

function closed(): never {
  throw new ProtocolError('InternalError', 'record protection used after the connection closed');
}

/** What replaces both directions' protection once the connection is over: every use fails. */
export function retiredProtection(): RecordProtection {
  return { encrypted: true, overhead: 0, hidesContentType: false, maxCiphertext: 0, records: 0, limits: NO_LIMITS, retire: () => {}, seal: closed, open: closed };
}
