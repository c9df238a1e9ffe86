/**
 * The recorded byte stream of one side, as records (RFC 8446 §5.1, RFC 5246
 * §6.2), and back. Under the no-security provider a protected record is its
 * plaintext followed by a zero tag, so it can be opened and sealed here
 * without keys: TLS 1.3 hides the content type at the end of the inner
 * plaintext (§5.2), TLS 1.2 keeps it in the header and puts an explicit nonce
 * first for GCM (RFC 5288 §3). Under the real provider protected records stay
 * sealed: `content` is undefined.
 * @module
 */
import { encodeRecordHeader, MAX_PLAINTEXT, RECORD_HEADER_LENGTH } from '../../src/record/framing.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { ContentType, ProtocolVersion } from '../../src/wire/registry.ts';
import { NULL_TAG_LENGTH } from './providers.ts';

/** How the sender protects its records once keys are on. */
export interface Framing {
  readonly version: typeof ProtocolVersion.TLSv1_3 | typeof ProtocolVersion.TLSv1_2;
  /** Bytes of TLS 1.2 explicit nonce before the ciphertext (8 for GCM, 0 for ChaCha20-Poly1305). */
  readonly explicitNonceLength: number;
  /** Whether protected records can be opened (the no-security provider). */
  readonly transparent: boolean;
}

export interface WireRecord {
  readonly type: number;
  readonly version: number;
  /** The record body as on the wire. */
  readonly body: Uint8Array;
  readonly protected: boolean;
  /** The content type inside a protected record, or the header's type; undefined when sealed for real. */
  readonly contentType: number | undefined;
  /** The plaintext fragment; undefined for a protected record under the real provider. */
  readonly content: Uint8Array | undefined;
}

/** Splits one side's chunks into records, tracking which are protected from the start of the stream. */
export function parseStream(chunks: readonly Uint8Array[], framing: Framing): WireRecord[][] {
  let keysOn = false;
  return chunks.map((chunk) => {
    const records: WireRecord[] = [];
    for (let at = 0; at + RECORD_HEADER_LENGTH <= chunk.length; ) {
      const type = chunk[at]!;
      const version = (chunk[at + 1]! << 8) | chunk[at + 2]!;
      const length = (chunk[at + 3]! << 8) | chunk[at + 4]!;
      const body = chunk.slice(at + RECORD_HEADER_LENGTH, at + RECORD_HEADER_LENGTH + length);
      at += RECORD_HEADER_LENGTH + length;
      // RFC 8446 §5: every TLS 1.3 application_data record is protected; RFC 5246 §7.1: in TLS 1.2 everything after the sender's CCS.
      const isProtected = framing.version === ProtocolVersion.TLSv1_3 ? type === ContentType.application_data : keysOn;
      if (type === ContentType.change_cipher_spec && framing.version === ProtocolVersion.TLSv1_2) keysOn = true;
      records.push(opened({ type, version, body, protected: isProtected }, framing));
    }
    return records;
  });
}

function opened(record: Omit<WireRecord, 'content' | 'contentType'>, framing: Framing): WireRecord {
  if (!record.protected) return { ...record, contentType: record.type, content: record.body };
  if (!framing.transparent) return { ...record, contentType: undefined, content: undefined };
  if (framing.version === ProtocolVersion.TLSv1_2) {
    return { ...record, contentType: record.type, content: record.body.slice(framing.explicitNonceLength, -NULL_TAG_LENGTH) };
  }
  const inner = record.body.subarray(0, -NULL_TAG_LENGTH);
  let end = inner.length;
  while (end > 0 && inner[end - 1] === 0) end--;
  return { ...record, contentType: inner[end - 1], content: inner.slice(0, Math.max(0, end - 1)) };
}

/** A record carrying `content` of `contentType`, sealed as `like` was (protected or not), under the no-security provider. */
export function sealLike(like: Pick<WireRecord, 'protected' | 'version'>, contentType: number, content: Uint8Array, framing: Framing, padding = 0): Uint8Array {
  if (!like.protected) return withHeader(contentType, like.version, content);
  const tag = new Uint8Array(NULL_TAG_LENGTH);
  if (framing.version === ProtocolVersion.TLSv1_2) {
    return withHeader(contentType, like.version, concatBytes(new Uint8Array(framing.explicitNonceLength), content, tag));
  }
  return withHeader(ContentType.application_data, like.version, concatBytes(content, Uint8Array.of(contentType), new Uint8Array(padding), tag));
}

/** `content` in as many records as RFC 8446 §5.1 needs (at most 2^14 bytes each), sealed like `like`. */
export function sealFragments(like: Pick<WireRecord, 'protected' | 'version'>, contentType: number, content: Uint8Array, framing: Framing): Uint8Array[] {
  const records = [];
  for (let at = 0; at < content.length || at === 0; at += MAX_PLAINTEXT) records.push(sealLike(like, contentType, content.subarray(at, at + MAX_PLAINTEXT), framing));
  return records;
}

/** A record as it was received. */
export function recordBytes(record: Pick<WireRecord, 'type' | 'version' | 'body'>): Uint8Array {
  return withHeader(record.type, record.version, record.body);
}

function withHeader(type: number, version: number, body: Uint8Array): Uint8Array {
  return concatBytes(encodeRecordHeader(type, version, body.length), body);
}

/** The handshake messages of a fragment that holds only whole ones (RFC 8446 §4), or undefined. */
export function splitMessages(content: Uint8Array): Uint8Array[] | undefined {
  const messages: Uint8Array[] = [];
  for (let at = 0; at < content.length; ) {
    if (at + 4 > content.length) return undefined;
    const length = (content[at + 1]! << 16) | (content[at + 2]! << 8) | content[at + 3]!;
    if (at + 4 + length > content.length) return undefined;
    messages.push(content.slice(at, at + 4 + length));
    at += 4 + length;
  }
  return messages.length > 0 ? messages : undefined;
}
