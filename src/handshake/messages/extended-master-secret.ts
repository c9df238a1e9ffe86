/**
 * extended_master_secret (RFC 7627 §5.1): an empty extension by which both
 * sides agree to bind the master secret to the session hash (§4).
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { decodeEmpty } from './extensions.ts';

export function extendedMasterSecretExtension(): Extension {
  return { type: ExtensionType.extended_master_secret, data: new Uint8Array(0) };
}

/** RFC 7627 §5.1: "The "extension_data" field of this extension SHALL be empty." */
export function decodeExtendedMasterSecret(data: Uint8Array): true {
  return decodeEmpty(data, 'extended_master_secret');
}
