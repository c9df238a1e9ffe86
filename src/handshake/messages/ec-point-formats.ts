/**
 * ec_point_formats (RFC 8422 §5.1.2): the point encodings a side can parse.
 * RFC 8422 leaves only uncompressed, which every implementation must support
 * (§5.1.2), so the extension matters only in that it must list it.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** ECPointFormat.uncompressed (RFC 8422 §5.1.2). */
export const UNCOMPRESSED = 0;

/** `struct { ECPointFormat ec_point_format_list<1..2^8-1> } ECPointFormatList`. */
export function ecPointFormatsExtension(formats: readonly number[]): Extension {
  return makeExtension(ExtensionType.ec_point_formats, (w) => w.vector(1, (v) => formats.forEach((f) => v.u8(f))));
}

export function decodeEcPointFormats(data: Uint8Array): number[] {
  const field = 'ECPointFormatList.ec_point_format_list';
  return decodeExact(data, 'ECPointFormatList', (r) => r.list(1, field, (x) => x.u8(field), 1, 2 ** 8 - 1));
}
