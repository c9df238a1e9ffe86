/**
 * Record sequence numbers (RFC 8446 §5.3, RFC 5246 §6.1): one counter per
 * direction and key, starting at 0, and the per-record nonce built from it.
 *
 * The counter is a plain JavaScript number, exact up to 2^53. We stop at
 * `SEQUENCE_LIMIT` = 2^48 records, far below that, and far above the usage
 * limits that should make the peer or us change keys first (RFC 8446 §5.5:
 * about 2^24.5 full records for AES-GCM). Reaching it is fatal rather than a
 * wrap, as §5.3 requires.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';

export const SEQUENCE_LIMIT = 2 ** 48;

export class SequenceNumber {
  #next: number;

  /** `first` lets tests start near the limit; connections always start at 0. */
  constructor(first = 0) {
    this.#next = first;
  }

  /** How many numbers were taken: the records protected under this key so far. */
  get used(): number {
    return this.#next;
  }

  /** The number of the next record; advances the counter. */
  take(): number {
    if (this.#next >= SEQUENCE_LIMIT) {
      throw new ProtocolError('SequenceNumberExhausted', `${SEQUENCE_LIMIT} records under one key`);
    }
    return this.#next++;
  }
}

/**
 * RFC 8446 §5.3 (and RFC 7905 §2 for ChaCha20-Poly1305 in TLS 1.2): the 64-bit
 * sequence number, big-endian and left-padded with zeros to the IV length, XORed
 * with the IV.
 */
export function perRecordNonce(iv: Uint8Array, sequence: number): Uint8Array {
  const nonce = iv.slice();
  const end = nonce.length;
  // Split at 2^32 so that the bitwise operators see 32-bit values.
  const high = Math.floor(sequence / 2 ** 32);
  const low = sequence >>> 0;
  for (let i = 0; i < 4; i++) {
    nonce[end - 1 - i] = (nonce[end - 1 - i] as number) ^ ((low >>> (8 * i)) & 0xff);
    nonce[end - 5 - i] = (nonce[end - 5 - i] as number) ^ ((high >>> (8 * i)) & 0xff);
  }
  return nonce;
}
