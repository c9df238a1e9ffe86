/**
 * key_share (RFC 8446 §4.2.8): the client's KeyShareEntry list, the server's
 * one entry in ServerHello, and the group a HelloRetryRequest asks for.
 * @module
 */
import type { Reader, Writer } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, NamedGroup, nameOf } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry`. */
export interface KeyShareEntry {
  readonly group: number;
  readonly keyExchange: Uint8Array;
}

function writeEntry(w: Writer, entry: KeyShareEntry): void {
  w.u16(entry.group).opaque(2, entry.keyExchange);
}

/** Empty key_exchange is read here and refused by `checkNotEmpty`, once the whole extension has parsed. */
function readEntry(r: Reader): KeyShareEntry {
  return { group: r.u16('KeyShareEntry.group'), keyExchange: r.opaque(2, 'KeyShareEntry.key_exchange') };
}

/**
 * key_exchange<1..2^16-1> is never empty. No group has a share of 0 bytes, so
 * this is the same fault as a share of the wrong length for its group (§4.2.8.1,
 * §4.2.8.2), which the key exchange refuses: both are illegal_parameter
 * (`BadKeyShare`), whichever wrong length it is.
 */
function checkNotEmpty(entry: KeyShareEntry): KeyShareEntry {
  if (entry.keyExchange.length === 0) throw new ProtocolError('BadKeyShare', `empty key share for ${nameOf(NamedGroup, entry.group)}`);
  return entry;
}

/** ClientHello: `KeyShareEntry client_shares<0..2^16-1>`, in the client's preference order. */
export function keyShareClientExtension(entries: readonly KeyShareEntry[]): Extension {
  return makeExtension(ExtensionType.key_share, (w) => w.vector(2, (v) => entries.forEach((e) => writeEntry(v, e))));
}

/** ServerHello: `KeyShareEntry server_share`. */
export function keyShareServerExtension(entry: KeyShareEntry): Extension {
  return makeExtension(ExtensionType.key_share, (w) => writeEntry(w, entry));
}

/** HelloRetryRequest: `NamedGroup selected_group`. */
export function keyShareRetryExtension(group: number): Extension {
  return makeExtension(ExtensionType.key_share, (w) => w.u16(group));
}

/**
 * The client's shares. RFC 8446 §4.2.8: "Clients MUST NOT offer multiple
 * KeyShareEntry values for the same group"; servers may abort with
 * illegal_parameter, and we do (`BadKeyShare`), as for an empty share in any
 * entry. A share of the wrong length for its group is refused only for the
 * group the server picks, when it is used.
 */
export function decodeKeyShareClient(data: Uint8Array): KeyShareEntry[] {
  const entries = decodeExact(data, 'KeyShareClientHello', (r) => r.list(2, 'KeyShareClientHello.client_shares', readEntry));
  const groups = new Set<number>();
  for (const entry of entries) {
    checkNotEmpty(entry);
    if (groups.has(entry.group)) throw new ProtocolError('BadKeyShare', `two key shares for ${nameOf(NamedGroup, entry.group)}`);
    groups.add(entry.group);
  }
  return entries;
}

export function decodeKeyShareServer(data: Uint8Array): KeyShareEntry {
  return checkNotEmpty(decodeExact(data, 'KeyShareServerHello', readEntry));
}

export function decodeKeyShareRetry(data: Uint8Array): number {
  return decodeExact(data, 'KeyShareHelloRetryRequest', (r) => r.u16('KeyShareHelloRetryRequest.selected_group'));
}
