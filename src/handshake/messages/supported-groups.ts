/**
 * supported_groups (RFC 8446 §4.2.7): the client's key-exchange groups in
 * preference order; a server may send its own in EncryptedExtensions.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `NamedGroup named_group_list<2..2^16-1>`. */
export function supportedGroupsExtension(groups: readonly number[]): Extension {
  return makeExtension(ExtensionType.supported_groups, (w) => w.vector(2, (v) => groups.forEach((g) => v.u16(g))));
}

export function decodeSupportedGroups(data: Uint8Array): number[] {
  return decodeExact(data, 'NamedGroupList', (r) =>
    r.list(2, 'NamedGroupList.named_group_list', (x) => x.u16('NamedGroupList.named_group_list'), 2, 2 ** 16 - 1),
  );
}
