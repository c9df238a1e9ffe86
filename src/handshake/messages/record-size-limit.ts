/**
 * record_size_limit (RFC 8449 §4): the largest record plaintext (counting the
 * TLS 1.3 content type byte) the sender is willing to receive.
 * @module
 */
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** RFC 8449 §4: values below 64 are illegal. */
export const MIN_RECORD_SIZE_LIMIT = 64;

/** `uint16 RecordSizeLimit`. */
export function recordSizeLimitExtension(limit: number): Extension {
  return makeExtension(ExtensionType.record_size_limit, (w) => w.u16(limit));
}

/** RFC 8449 §4: "An endpoint MUST treat receipt of a smaller value as a fatal error" (illegal_parameter). */
export function decodeRecordSizeLimit(data: Uint8Array): number {
  const limit = decodeExact(data, 'RecordSizeLimit', (r) => r.u16('RecordSizeLimit'));
  if (limit < MIN_RECORD_SIZE_LIMIT) throw new ProtocolError('RecordSizeLimitTooSmall', `record_size_limit ${limit} < ${MIN_RECORD_SIZE_LIMIT}`);
  return limit;
}
