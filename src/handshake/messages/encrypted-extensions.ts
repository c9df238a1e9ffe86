/**
 * EncryptedExtensions (RFC 8446 §4.3.1): the server's answers that need no
 * place in ServerHello, sent encrypted. Raw form and a typed view.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { ExtensionType } from '../../wire/registry.ts';
import { decodeAlpnSelected } from './alpn.ts';
import { decodeEarlyData } from './early-data.ts';
import type { Extension } from './extensions.ts';
import { decodeExtension, decodeExtensions, encodeExtensions } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';
import { decodeMaxFragmentLength } from './max-fragment-length.ts';
import { decodeRecordSizeLimit } from './record-size-limit.ts';
import { decodeServerNameAck } from './server-name.ts';
import { decodeSupportedGroups } from './supported-groups.ts';

/** `struct { Extension extensions<0..2^16-1>; } EncryptedExtensions`. */
export interface EncryptedExtensions {
  readonly extensions: readonly Extension[];
}

export function encodeEncryptedExtensions(message: EncryptedExtensions): Uint8Array {
  return encode((w) => encodeExtensions(w, message.extensions));
}

export function decodeEncryptedExtensions(body: Uint8Array): EncryptedExtensions {
  return decodeExact(body, 'EncryptedExtensions', (r) => ({
    extensions: decodeExtensions(r, 'EncryptedExtensions.extensions', 0, 2 ** 16 - 1),
  }));
}

/** The EncryptedExtensions TLS 1.3 uses, decoded (call `checkAllowed('EE', ...)` first). */
export interface EncryptedExtensionsView {
  readonly types: readonly number[];
  /** The server used the name the client sent (RFC 6066 §3). */
  readonly serverNameAck: boolean;
  /** The server's groups, a hint for the client's next connection (RFC 8446 §4.2.7). */
  readonly supportedGroups: readonly number[] | undefined;
  /** The one protocol the server selected (RFC 7301 §3.1). */
  readonly alpn: Uint8Array | undefined;
  /** The server accepted 0-RTT data (RFC 8446 §4.2.10). */
  readonly earlyData: boolean;
  readonly maxFragmentLength: number | undefined;
  readonly recordSizeLimit: number | undefined;
}

export function encryptedExtensionsView(message: EncryptedExtensions): EncryptedExtensionsView {
  const exts = message.extensions;
  const X = ExtensionType;
  return {
    types: exts.map((e) => e.type),
    serverNameAck: decodeExtension(exts, X.server_name, decodeServerNameAck) ?? false,
    supportedGroups: decodeExtension(exts, X.supported_groups, decodeSupportedGroups),
    alpn: decodeExtension(exts, X.application_layer_protocol_negotiation, decodeAlpnSelected),
    earlyData: decodeExtension(exts, X.early_data, decodeEarlyData) ?? false,
    maxFragmentLength: decodeExtension(exts, X.max_fragment_length, decodeMaxFragmentLength),
    recordSizeLimit: decodeExtension(exts, X.record_size_limit, decodeRecordSizeLimit),
  };
}
