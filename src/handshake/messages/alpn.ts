/**
 * application_layer_protocol_negotiation (RFC 7301 §3.1): the client's list of
 * protocol names, and the server's reply naming exactly one of them.
 * @module
 */
import { DecodeError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `ProtocolName protocol_name_list<2..2^16-1>`, each `opaque ProtocolName<1..2^8-1>`. */
export function alpnExtension(names: readonly Uint8Array[]): Extension {
  return makeExtension(ExtensionType.application_layer_protocol_negotiation, (w) =>
    w.vector(2, (v) => names.forEach((n) => v.opaque(1, n))),
  );
}

export function decodeAlpn(data: Uint8Array): Uint8Array[] {
  return decodeExact(data, 'ProtocolNameList', (r) =>
    r.list(2, 'ProtocolNameList.protocol_name_list', (x) => x.opaque(1, 'ProtocolName', 1), 2, 2 ** 16 - 1),
  );
}

/** The server's reply: RFC 7301 §3.1 says its list "MUST contain exactly one" name. */
export function decodeAlpnSelected(data: Uint8Array): Uint8Array {
  const names = decodeAlpn(data);
  if (names.length !== 1) throw new DecodeError('ProtocolNameList.protocol_name_list', `server sent ${names.length} names`);
  return names[0]!;
}
