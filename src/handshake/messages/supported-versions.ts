/**
 * supported_versions (RFC 8446 §4.2.1): the client's list of versions in
 * preference order, and the one version the server selected (in ServerHello
 * and HelloRetryRequest).
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** ClientHello: `ProtocolVersion versions<2..254>`. */
export function supportedVersionsClientExtension(versions: readonly number[]): Extension {
  return makeExtension(ExtensionType.supported_versions, (w) => w.vector(1, (v) => versions.forEach((x) => v.u16(x))));
}

/** ServerHello / HelloRetryRequest: `ProtocolVersion selected_version`. */
export function supportedVersionsServerExtension(version: number): Extension {
  return makeExtension(ExtensionType.supported_versions, (w) => w.u16(version));
}

export function decodeSupportedVersionsClient(data: Uint8Array): number[] {
  return decodeExact(data, 'SupportedVersions', (r) =>
    r.list(1, 'SupportedVersions.versions', (x) => x.u16('SupportedVersions.versions'), 2, 254),
  );
}

export function decodeSupportedVersionsServer(data: Uint8Array): number {
  return decodeExact(data, 'SupportedVersions', (r) => r.u16('SupportedVersions.selected_version'));
}
