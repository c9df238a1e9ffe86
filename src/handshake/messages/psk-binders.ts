/**
 * The partial ClientHello that PSK binders are computed over (RFC 8446
 * §4.2.11.2): the whole ClientHello message, header included, up to and
 * excluding the binders list, with every length (message, extensions block,
 * pre_shared_key) already counting binders of their final size. A client
 * encodes its hello with placeholder binders of the right lengths, hashes the
 * prefix, then puts the real binders in with `clientHelloWithBinders`; a
 * server hashes the prefix of the hello it received.
 * @module
 */
import { concatBytes } from '../../wire/bytes.ts';
import { encode } from '../../wire/codec.ts';
import { DecodeError, ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, HandshakeType } from '../../wire/registry.ts';
import { decodeClientHello } from './client-hello.ts';
import { parseHandshake } from './handshake-message.ts';
import { decodePreSharedKeyClient, writeBinders } from './psk.ts';

/** The ClientHello message (with its 4-byte header) up to and excluding the binders list. */
export function truncatedClientHello(message: Uint8Array): Uint8Array {
  const { type, body } = parseHandshake(message);
  if (type !== HandshakeType.client_hello) throw new DecodeError('Handshake.msg_type', `${type} is not client_hello`);
  // decodeClientHello already proved that pre_shared_key, if present, is last.
  const last = decodeClientHello(body).extensions.at(-1);
  if (last?.type !== ExtensionType.pre_shared_key) throw new ProtocolError('MissingExtension', 'ClientHello has no pre_shared_key');
  return message.subarray(0, message.length - encodeBinders(decodePreSharedKeyClient(last.data).binders).length);
}

/**
 * `message` with its binders replaced by `binders`, which must encode to the
 * same length as the placeholders (the prefix's lengths already count them).
 */
export function clientHelloWithBinders(message: Uint8Array, binders: readonly Uint8Array[]): Uint8Array {
  const prefix = truncatedClientHello(message);
  const list = encodeBinders(binders);
  if (prefix.length + list.length !== message.length) {
    throw new RangeError('binders differ in length from the placeholders the ClientHello was encoded with');
  }
  return concatBytes(prefix, list);
}

function encodeBinders(binders: readonly Uint8Array[]): Uint8Array {
  return encode((w) => writeBinders(w, binders));
}
