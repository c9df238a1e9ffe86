/**
 * ALPN (RFC 7301), the same in both versions: only where the server's answer
 * travels differs (TLS 1.3 EncryptedExtensions, TLS 1.2 ServerHello).
 * @module
 */
import { bytesEqual } from '../wire/bytes.ts';
import { ProtocolError } from '../wire/errors.ts';
import type { ServerConfig } from './config.ts';

/**
 * RFC 7301 §3.2: the server's most preferred protocol the client offers
 * (`offered` undefined: the client sent no ALPN). None in common is fatal
 * unless the configuration says to go on without ALPN.
 */
export function chooseAlpn(config: Pick<ServerConfig, 'alpnProtocols' | 'alpnNoOverlap'>, offered: readonly Uint8Array[] | undefined): Uint8Array | null {
  if (!offered || config.alpnProtocols.length === 0) return null;
  const chosen = config.alpnProtocols.find((p) => offered.some((q) => bytesEqual(p, q)));
  if (chosen) return chosen;
  if (config.alpnNoOverlap === 'continue') return null;
  throw new ProtocolError('NoApplicationProtocol', 'no ALPN protocol in common');
}

/** RFC 7301 §3.1: the client accepts the server's choice only if it is one of ours. */
export function acceptAlpnSelection(offered: readonly Uint8Array[], selected: Uint8Array): Uint8Array {
  if (!offered.some((p) => bytesEqual(p, selected))) {
    throw new ProtocolError('IllegalParameter', 'server selected an ALPN protocol we did not offer');
  }
  return selected;
}
