/**
 * cookie (RFC 8446 §4.2.2): opaque state a server puts in HelloRetryRequest
 * and the client echoes in its second ClientHello.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `opaque cookie<1..2^16-1>`. */
export function cookieExtension(cookie: Uint8Array): Extension {
  return makeExtension(ExtensionType.cookie, (w) => w.opaque(2, cookie));
}

export function decodeCookie(data: Uint8Array): Uint8Array {
  return decodeExact(data, 'Cookie', (r) => r.opaque(2, 'Cookie.cookie', 1));
}
