/**
 * TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3 GenericAEADCipher): the
 * record keeps its own content type in the header, and the additional data is
 * seq_num(8) || type || version || plaintext length(2). The nonce is the
 * suite's: for AES-GCM a 4-byte salt from the key block and an 8-byte
 * nonce_explicit sent before the ciphertext, for which we send the sequence
 * number, unique per key as RFC 5288 §3 requires; for ChaCha20-Poly1305 the
 * 12-byte IV XOR the sequence number, nothing sent (RFC 7905 §2).
 * @module
 */
import type { AeadName, CryptoProvider } from '../crypto/provider.ts';
import { concatBytes, uintBytes } from '../wire/bytes.ts';
import { ProtocolError } from '../wire/errors.ts';
import { encodeRecordHeader, MAX_CIPHERTEXT_TLS12, MAX_PLAINTEXT, RECORD_VERSION } from './framing.ts';
import type { OpenedRecord, RecordProtection, SealedRecord } from './protection.ts';
import { perRecordNonce, SequenceNumber } from './sequence.ts';
import { USAGE_LIMITS } from './usage-limits.ts';

/** What a TLS 1.2 suite says about its record protection (a `Suite12` fits). */
export interface RecordSuite12 {
  readonly aead: AeadName;
  readonly fixedIvLength: number;
  readonly explicitNonceLength: number;
}

/** RFC 5246 §6.2.3.3: additional_data = seq_num + TLSCompressed.type + TLSCompressed.version + TLSCompressed.length. */
function additionalData(sequence: number, type: number, version: number, length: number): Uint8Array {
  return concatBytes(uintBytes(sequence, 8), encodeRecordHeader(type, version, length));
}

/** One direction of TLS 1.2 traffic under `key` and `fixedIv` (client/server_write_key and _IV of the key block, RFC 5246 §6.3). */
export function protection12(provider: CryptoProvider, suite: RecordSuite12, writeKey: Uint8Array, fixedIv: Uint8Array): RecordProtection {
  // Our own copy, which `retire()` zeroes (with the nonce base, which holds the IV).
  const key = writeKey.slice();
  const cipher = provider.aead(suite.aead, key);
  const explicitLength = suite.explicitNonceLength;
  if (fixedIv.length !== suite.fixedIvLength || fixedIv.length + explicitLength !== cipher.nonceLength) {
    throw new RangeError(`${suite.aead} in TLS 1.2 needs a ${cipher.nonceLength - explicitLength}-byte fixed IV`);
  }
  // The fixed IV followed by zeros where the explicit part goes: XORing the
  // sequence number into its last 8 bytes gives GCM's salt || seq_num and
  // ChaCha20's IV XOR seq_num alike.
  const nonceBase = concatBytes(fixedIv, new Uint8Array(explicitLength));
  const sequence = new SequenceNumber();
  return {
    encrypted: true,
    overhead: explicitLength + cipher.tagLength,
    hidesContentType: false,
    maxCiphertext: MAX_CIPHERTEXT_TLS12,
    get records() {
      return sequence.used;
    },
    limits: USAGE_LIMITS[suite.aead],
    retire() {
      key.fill(0);
      nonceBase.fill(0);
    },

    seal(type: number, content: Uint8Array): SealedRecord {
      if (content.length > MAX_PLAINTEXT) throw new RangeError(`record content of ${content.length} bytes`);
      const seq = sequence.take();
      const nonce = perRecordNonce(nonceBase, seq);
      const ciphertext = cipher.seal(nonce, additionalData(seq, type, RECORD_VERSION, content.length), content);
      const body = explicitLength === 0 ? ciphertext : concatBytes(nonce.subarray(fixedIv.length), ciphertext);
      return { type, body };
    },

    open(outerType: number, body: Uint8Array, version: number): OpenedRecord {
      const seq = sequence.take();
      const length = body.length - explicitLength - cipher.tagLength;
      if (length < 0) throw new ProtocolError('BadRecordMac', `${body.length}-byte ${suite.aead} record is shorter than its nonce and tag`);
      // RFC 5246 §6.2.1: the plaintext is at most 2^14 bytes; its length is public, so we refuse before decrypting.
      if (length > MAX_PLAINTEXT) throw new ProtocolError('RecordOverflow', `TLS 1.2 record plaintext of ${length} bytes`);
      // GCM takes its nonce_explicit from the record (RFC 5288 §3); ChaCha20's nonce is all ours.
      const nonce = explicitLength === 0 ? perRecordNonce(nonceBase, seq) : concatBytes(fixedIv, body.subarray(0, explicitLength));
      const content = cipher.open(nonce, additionalData(seq, outerType, version, length), body.subarray(explicitLength));
      if (content === null) throw new ProtocolError('BadRecordMac', `record ${suite.aead} tag does not verify`);
      return { type: outerType, content };
    },
  };
}
