/**
 * Pre-shared keys in the hello messages (RFC 8446 §4.2.9, §4.2.11):
 * psk_key_exchange_modes, the client's OfferedPsks (identities with their
 * obfuscated ticket ages, then one binder per identity), the server's
 * selected_identity, and the rule that pre_shared_key comes last in the
 * ClientHello. The partial ClientHello the binders sign is in `psk-binders.ts`.
 * @module
 */
import type { Writer } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity`. */
export interface PskIdentity {
  readonly identity: Uint8Array;
  readonly obfuscatedTicketAge: number;
}

/** `struct { PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>; } OfferedPsks`. */
export interface OfferedPsks {
  readonly identities: readonly PskIdentity[];
  /** One `opaque PskBinderEntry<32..255>` per identity, in the same order. */
  readonly binders: readonly Uint8Array[];
}

/** `PskKeyExchangeMode ke_modes<1..255>`. */
export function pskKeyExchangeModesExtension(modes: readonly number[]): Extension {
  return makeExtension(ExtensionType.psk_key_exchange_modes, (w) => w.vector(1, (v) => modes.forEach((m) => v.u8(m))));
}

export function decodePskKeyExchangeModes(data: Uint8Array): number[] {
  const field = 'PskKeyExchangeModes.ke_modes';
  return decodeExact(data, 'PskKeyExchangeModes', (r) => r.list(1, field, (x) => x.u8(field), 1, 255));
}

/** Writes `PskBinderEntry binders<33..2^16-1>`. */
export function writeBinders(w: Writer, binders: readonly Uint8Array[]): void {
  w.vector(2, (v) => binders.forEach((b) => v.opaque(1, b)));
}

/** ClientHello: OfferedPsks. It must be the last extension (see `checkPreSharedKeyLast`). */
export function preSharedKeyClientExtension(offered: OfferedPsks): Extension {
  return makeExtension(ExtensionType.pre_shared_key, (w) => {
    w.vector(2, (v) => offered.identities.forEach((id) => v.opaque(2, id.identity).u32(id.obfuscatedTicketAge)));
    writeBinders(w, offered.binders);
  });
}

/** ServerHello: `uint16 selected_identity`. */
export function preSharedKeyServerExtension(selectedIdentity: number): Extension {
  return makeExtension(ExtensionType.pre_shared_key, (w) => w.u16(selectedIdentity));
}

/**
 * The client's offer. Binders are matched to identities by position
 * (RFC 8446 §4.2.11), so lists of different lengths are illegal_parameter.
 */
export function decodePreSharedKeyClient(data: Uint8Array): OfferedPsks {
  const offered = decodeExact(data, 'OfferedPsks', (r) => ({
    identities: r.list(
      2,
      'OfferedPsks.identities',
      (x) => ({ identity: x.opaque(2, 'PskIdentity.identity', 1), obfuscatedTicketAge: x.u32('PskIdentity.obfuscated_ticket_age') }),
      7,
      2 ** 16 - 1,
    ),
    binders: r.list(2, 'OfferedPsks.binders', (x) => x.opaque(1, 'PskBinderEntry', 32, 255), 33, 2 ** 16 - 1),
  }));
  if (offered.identities.length !== offered.binders.length) {
    throw new ProtocolError('PskBindersMismatch', `${offered.identities.length} identities, ${offered.binders.length} binders`);
  }
  return offered;
}

export function decodePreSharedKeyServer(data: Uint8Array): number {
  return decodeExact(data, 'PreSharedKeyExtension', (r) => r.u16('PreSharedKeyExtension.selected_identity'));
}

/**
 * RFC 8446 §4.2.11: pre_shared_key "MUST be the last extension in the
 * ClientHello"; servers check it and abort with illegal_parameter (the binders
 * cover everything before them, so nothing may follow).
 */
export function checkPreSharedKeyLast(extensions: readonly Extension[]): void {
  const at = extensions.findIndex((e) => e.type === ExtensionType.pre_shared_key);
  if (at !== -1 && at !== extensions.length - 1) {
    throw new ProtocolError('PreSharedKeyNotLast', `pre_shared_key is extension ${at + 1} of ${extensions.length}`);
  }
}
