/**
 * TLS record framing: the 5-byte record header (RFC 8446 §5.1, RFC 5246 §6.2)
 * and the length limits of each record form. Parsing checks what the header
 * alone can tell (version byte, content type), so a bad or oversized record is
 * refused before its body is buffered.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { ContentType, ProtocolVersion } from '../wire/registry.ts';

export const RECORD_HEADER_LENGTH = 5;

/** RFC 8446 §5.1 / RFC 5246 §6.2.1: TLSPlaintext.length MUST NOT exceed 2^14. */
export const MAX_PLAINTEXT = 2 ** 14;

/** RFC 8446 §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256. */
export const MAX_CIPHERTEXT_TLS13 = 2 ** 14 + 256;

/** RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048. */
export const MAX_CIPHERTEXT_TLS12 = 2 ** 14 + 2048;

/**
 * The legacy_record_version of every record we protect, and of every other
 * record except an initial ClientHello, which may say 0x0301 (RFC 8446 §5.1).
 */
export const RECORD_VERSION = ProtocolVersion.TLSv1_2;

export interface RecordHeader {
  readonly type: number;
  readonly version: number;
  readonly length: number;
}

function isKnownContentType(type: number): boolean {
  return (
    type === ContentType.change_cipher_spec ||
    type === ContentType.alert ||
    type === ContentType.handshake ||
    type === ContentType.application_data
  );
}

/** Reads the first 5 bytes of `bytes` as a record header, checking version and type. */
export function parseRecordHeader(bytes: Uint8Array): RecordHeader {
  const type = bytes[0] as number;
  const version = ((bytes[1] as number) << 8) | (bytes[2] as number);
  const length = ((bytes[3] as number) << 8) | (bytes[4] as number);
  // RFC 8446 §5.1 says to ignore legacy_record_version, but a first byte other
  // than 3 means this is not TLS at all (an HTTP request starts "GET ", SSLv2 0x80).
  if (version >> 8 !== 0x03) {
    throw new ProtocolError('WrongRecordVersion', `record version 0x${version.toString(16).padStart(4, '0')}`);
  }
  // RFC 8446 §5: an unknown content type is an unexpected_message.
  if (!isKnownContentType(type)) throw new ProtocolError('UnknownContentType', `record content type ${type}`);
  return { type, version, length };
}

/** A record header; also the additional data of a TLS 1.3 record (RFC 8446 §5.2). */
export function encodeRecordHeader(type: number, version: number, length: number): Uint8Array {
  return new Uint8Array([type, version >> 8, version & 0xff, length >> 8, length & 0xff]);
}
