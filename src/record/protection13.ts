/**
 * TLS 1.3 record protection (RFC 8446 §5.2–5.4): the content and its real type
 * form a TLSInnerPlaintext (content || type || zero padding), sealed with the
 * suite's AEAD under the per-record nonce (IV XOR sequence number, §5.3) and
 * the 5-byte record header as additional data; the outer type is always
 * application_data. We send no padding; we accept any.
 * @module
 */
import type { AeadName, CryptoProvider } from '../crypto/provider.ts';
import { ProtocolError } from '../wire/errors.ts';
import { ContentType } from '../wire/registry.ts';
import { encodeRecordHeader, MAX_CIPHERTEXT_TLS13, MAX_PLAINTEXT, RECORD_VERSION } from './framing.ts';
import type { OpenedRecord, RecordProtection, SealedRecord } from './protection.ts';
import { perRecordNonce, SequenceNumber } from './sequence.ts';
import { USAGE_LIMITS } from './usage-limits.ts';

/** §5.4: the inner type that follows the content and precedes the padding. */
function splitInnerPlaintext(inner: Uint8Array): OpenedRecord {
  // §5.2: TLSInnerPlaintext MUST NOT exceed 2^14 + 1 octets.
  if (inner.length > MAX_PLAINTEXT + 1) {
    throw new ProtocolError('RecordOverflow', `TLSInnerPlaintext of ${inner.length} bytes`);
  }
  // §5.4: scan back over the zero padding to the first non-zero octet, the type.
  // The scan's time reveals the padding length, which is no secret of ours.
  let end = inner.length;
  while (end > 0 && inner[end - 1] === 0) end--;
  if (end === 0) throw new ProtocolError('NoInnerContentType', 'TLSInnerPlaintext is all zeros');
  const type = inner[end - 1] as number;
  if (type === ContentType.change_cipher_spec) {
    // §5: change_cipher_spec is only ever sent unprotected in TLS 1.3.
    throw new ProtocolError('UnexpectedChangeCipherSpec', 'protected change_cipher_spec record');
  }
  if (type !== ContentType.handshake && type !== ContentType.alert && type !== ContentType.application_data) {
    throw new ProtocolError('UnknownContentType', `inner content type ${type}`);
  }
  return { type, content: inner.subarray(0, end - 1) };
}

/** One direction of TLS 1.3 traffic under `key` and `iv` (from HKDF-Expand-Label, §7.3). */
export function protection13(provider: CryptoProvider, aead: AeadName, trafficKey: Uint8Array, trafficIv: Uint8Array): RecordProtection {
  // Our own copies, which `retire()` zeroes.
  const key = trafficKey.slice();
  const iv = trafficIv.slice();
  const cipher = provider.aead(aead, key);
  if (iv.length !== cipher.nonceLength) throw new RangeError(`${aead} needs a ${cipher.nonceLength}-byte IV`);
  const sequence = new SequenceNumber();
  return {
    encrypted: true,
    overhead: 1 + cipher.tagLength,
    hidesContentType: true,
    maxCiphertext: MAX_CIPHERTEXT_TLS13,
    get records() {
      return sequence.used;
    },
    limits: USAGE_LIMITS[aead],
    retire() {
      key.fill(0);
      iv.fill(0);
    },

    seal(type: number, content: Uint8Array): SealedRecord {
      // Built once, at offset 0, so the AEAD sees an aligned buffer it need not copy.
      const inner = new Uint8Array(content.length + 1);
      inner.set(content);
      inner[content.length] = type;
      const length = inner.length + cipher.tagLength;
      if (length > MAX_CIPHERTEXT_TLS13) throw new RangeError(`record content of ${content.length} bytes`);
      const nonce = perRecordNonce(iv, sequence.take());
      const aad = encodeRecordHeader(ContentType.application_data, RECORD_VERSION, length);
      return { type: ContentType.application_data, body: cipher.seal(nonce, aad, inner) };
    },

    open(outerType: number, body: Uint8Array, version: number): OpenedRecord {
      const nonce = perRecordNonce(iv, sequence.take());
      const inner = cipher.open(nonce, encodeRecordHeader(outerType, version, body.length), body);
      if (inner === null) throw new ProtocolError('BadRecordMac', `record ${aead} tag does not verify`);
      return splitInnerPlaintext(inner);
    },
  };
}
