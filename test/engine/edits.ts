/**
 * Message-level rewrites for the tamper wire: decode a hello or a message with
 * the engine's own codecs, change one field or extension, encode it again.
 * @module
 */
import { decodeClientHello, encodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { decodeServerHello, encodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import type { ServerHello } from '../../src/handshake/messages/server-hello.ts';
import { HandshakeType } from '../../src/wire/registry.ts';
import { onMessage } from '../helpers/tamper.ts';
import type { HandshakeItem, Item, Rewrite } from '../helpers/tamper.ts';

/** Rewrites the `nth` ServerHello or HelloRetryRequest (they share a message type). */
export function editServerHello(edit: (hello: ServerHello) => ServerHello, nth = 0): Rewrite {
  return onMessage(HandshakeType.server_hello, (item) => encodeServerHello(edit(decodeServerHello(item.body))), nth);
}

/** Rewrites the `nth` ClientHello. */
export function editClientHello(edit: (hello: ClientHello) => ClientHello, nth = 0): Rewrite {
  return onMessage(HandshakeType.client_hello, (item) => encodeClientHello(edit(decodeClientHello(item.body))), nth);
}

/**
 * The list with the extension of `type` replaced by `replacement` (appended
 * when absent), or removed when `replacement` is null.
 */
export function setExtension(extensions: readonly Extension[], type: number, replacement: Extension | null): Extension[] {
  const index = extensions.findIndex((e) => e.type === type);
  const out = [...extensions];
  if (index < 0) {
    if (replacement) out.push(replacement);
  } else if (replacement) {
    out[index] = replacement;
  } else {
    out.splice(index, 1);
  }
  return out;
}

/** The body with one bit flipped at `offset` (negative counts from the end). */
export function flipBit(body: Uint8Array, offset: number): Uint8Array {
  const out = body.slice();
  const i = offset < 0 ? out.length + offset : offset;
  out[i]! ^= 0x01;
  return out;
}

/** Remembers every handshake message of `type` that passes, for a later rewrite to use. */
export function capture(type: number): { readonly seen: HandshakeItem[]; readonly rewrite: Rewrite } {
  const seen: HandshakeItem[] = [];
  return {
    seen,
    rewrite: (item: Item) => {
      if (item.kind === 'handshake' && item.type === type) seen.push(item);
      return undefined;
    },
  };
}
