/**
 * renegotiation_info (RFC 5746 §3.2): the previous handshake's verify_data,
 * which binds a renegotiation to the connection it renegotiates. We never
 * renegotiate, so ours is always empty and so must the peer's be in an initial
 * handshake (§3.4, §3.6).
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { opaque renegotiated_connection<0..255>; } RenegotiationInfo`. */
export function renegotiationInfoExtension(renegotiatedConnection: Uint8Array): Extension {
  return makeExtension(ExtensionType.renegotiation_info, (w) => w.opaque(1, renegotiatedConnection));
}

/** The renegotiated_connection bytes; whether they are right is the handshake's call. */
export function decodeRenegotiationInfo(data: Uint8Array): Uint8Array {
  return decodeExact(data, 'RenegotiationInfo', (r) => r.opaque(1, 'RenegotiationInfo.renegotiated_connection'));
}
