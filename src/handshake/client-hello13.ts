/**
 * The ClientHello our TLS 1.3 client sends (RFC 8446 §4.1.2), and the second
 * one after a HelloRetryRequest (§4.1.4: the same hello with the requested key
 * share, the cookie echoed, early_data removed).
 * @module
 */
import type { KeyExchange } from '../crypto/provider.ts';
import { ProtocolVersion, PskKeyExchangeMode } from '../wire/registry.ts';
import { parseIpAddress } from '../x509/ip-address.ts';
import type { ClientConfig } from './config.ts';
import { alpnExtension } from './messages/alpn.ts';
import type { ClientHello } from './messages/client-hello.ts';
import { cookieExtension } from './messages/cookie.ts';
import type { Extension } from './messages/extensions.ts';
import { keyShareClientExtension } from './messages/key-share.ts';
import { pskKeyExchangeModesExtension } from './messages/psk.ts';
import { recordSizeLimitExtension } from './messages/record-size-limit.ts';
import { serverNameExtension } from './messages/server-name.ts';
import { signatureAlgorithmsExtension } from './messages/signature-algorithms.ts';
import { supportedGroupsExtension } from './messages/supported-groups.ts';
import { supportedVersionsClientExtension } from './messages/supported-versions.ts';
import { groupNumber } from './suites.ts';

export interface HelloInputs {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly shares: readonly KeyExchange[];
  readonly cookie: Uint8Array | null;
}

/** RFC 6066 §3: a literal IP address is not a valid server_name. */
export function sniName(serverName: string | null): string | null {
  if (serverName === null || parseIpAddress(serverName) !== null) return null;
  return serverName.endsWith('.') ? serverName.slice(0, -1) : serverName;
}

export function buildClientHello(config: ClientConfig, serverName: string | null, inputs: HelloInputs): ClientHello {
  const sni = sniName(serverName);
  const extensions: Extension[] = [];
  if (sni !== null) extensions.push(serverNameExtension(sni));
  extensions.push(supportedGroupsExtension(config.groups));
  extensions.push(keyShareClientExtension(inputs.shares.map((s) => ({ group: groupNumber(s.group), keyExchange: s.publicKey }))));
  extensions.push(supportedVersionsClientExtension([ProtocolVersion.TLSv1_3]));
  extensions.push(signatureAlgorithmsExtension(config.signatureSchemes));
  if (config.alpnProtocols.length > 0) extensions.push(alpnExtension(config.alpnProtocols));
  // Without psk_key_exchange_modes a server may not send NewSessionTicket (RFC 8446 §4.2.9).
  extensions.push(pskKeyExchangeModesExtension([PskKeyExchangeMode.psk_dhe_ke]));
  if (config.recordSizeLimit !== null) extensions.push(recordSizeLimitExtension(config.recordSizeLimit));
  if (inputs.cookie !== null) extensions.push(cookieExtension(inputs.cookie));
  return {
    legacyVersion: ProtocolVersion.TLSv1_2,
    random: inputs.random,
    legacySessionId: inputs.sessionId,
    cipherSuites: config.cipherSuites,
    legacyCompressionMethods: [0],
    extensions: config.clientHelloExtensions ? config.clientHelloExtensions(extensions) : extensions,
  };
}
