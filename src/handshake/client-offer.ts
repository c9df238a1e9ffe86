/**
 * The ClientHello our client sends (RFC 8446 §4.1.2), offering every version
 * the configuration enables: TLS 1.3's extensions when it offers TLS 1.3,
 * TLS 1.2's (RFC 7627 extended_master_secret, RFC 5746 renegotiation_info,
 * RFC 8422 ec_point_formats, RFC 5077 session_ticket) when it offers TLS 1.2.
 * Also the second hello after a HelloRetryRequest (§4.1.4: the same hello
 * with the requested key share, the cookie echoed, early_data removed).
 * @module
 */
import type { CryptoProvider, KeyExchange } from '../crypto/provider.ts';
import { ProtocolError } from '../wire/errors.ts';
import { HandshakeType, ProtocolVersion, PskKeyExchangeMode } from '../wire/registry.ts';
import { parseIpAddress } from '../x509/ip-address.ts';
import type { ClientConfig } from './config.ts';
import { alpnExtension } from './messages/alpn.ts';
import type { HandshakeIO } from './flight.ts';
import type { ClientHello } from './messages/client-hello.ts';
import { encodeClientHello } from './messages/client-hello.ts';
import { cookieExtension } from './messages/cookie.ts';
import type { Extension } from './messages/extensions.ts';
import { keyShareClientExtension } from './messages/key-share.ts';
import { pskKeyExchangeModesExtension } from './messages/psk.ts';
import { recordSizeLimitExtension } from './messages/record-size-limit.ts';
import { serverNameExtension } from './messages/server-name.ts';
import { signatureAlgorithmsExtension } from './messages/signature-algorithms.ts';
import { supportedGroupsExtension } from './messages/supported-groups.ts';
import { supportedVersionsClientExtension } from './messages/supported-versions.ts';
import { ecPointFormatsExtension, UNCOMPRESSED } from './messages/ec-point-formats.ts';
import { extendedMasterSecretExtension } from './messages/extended-master-secret.ts';
import { renegotiationInfoExtension } from './messages/renegotiation-info.ts';
import { sessionTicketExtension } from './messages/session-ticket.ts';
import type { TlsSession12 } from './session.ts';
import type { Negotiated } from './negotiated.ts';
import { groupName, groupNumber, suiteById } from './suites.ts';
import type { Transcript } from './transcript.ts';

export interface HelloInputs {
  readonly random: Uint8Array;
  readonly sessionId: Uint8Array;
  readonly shares: readonly KeyExchange[];
  readonly cookie: Uint8Array | null;
  /** The TLS 1.2 session offered for resumption, by `sessionId` or by its ticket. */
  readonly session: TlsSession12 | null;
}

/** What a client has offered once its first ClientHello is out: where either version's machine starts. */
export interface ClientOffer {
  readonly config: ClientConfig;
  /** The name the caller wants to reach (a host name or an IP address), which the server's certificate must match. */
  readonly serverName: string | null;
  readonly negotiated: Negotiated;
  readonly inputs: HelloInputs;
  /** Extension types of the hello sent: what the server may answer with (RFC 8446 §4.2, RFC 5246 §7.4.1.4). */
  readonly offered: readonly number[];
  /** Holds the ClientHello; it keeps the messages when TLS 1.2 is offered (its CertificateVerify signs them, RFC 5246 §7.4.8). */
  readonly transcript: Transcript;
}

const MAX_EXTENSIONS_LENGTH = 2 ** 16 - 1;

/** RFC 6066 §3: a literal IP address is not a valid server_name. */
export function sniName(serverName: string | null): string | null {
  if (serverName === null || parseIpAddress(serverName) !== null) return null;
  return serverName.endsWith('.') ? serverName.slice(0, -1) : serverName;
}

/** Fresh key shares for `groups` (RFC 8446 §4.2.8). */
export function keyShares(provider: CryptoProvider, groups: readonly number[]): KeyExchange[] {
  return groups.map((g) => {
    const name = groupName(g);
    if (!name) throw new ProtocolError('InternalError', `key share requested for unimplemented group ${g}`);
    return provider.keyExchange(name);
  });
}

/** Sends a ClientHello; returns the extension types it carries. */
export function sendClientHello(config: ClientConfig, serverName: string | null, inputs: HelloInputs, transcript: Transcript, io: HandshakeIO): number[] {
  const hello = buildClientHello(config, serverName, inputs);
  // RFC 8446 §4.1.2: Extension extensions<8..2^16-1>. A HelloRetryRequest cookie may be up to 2^16 - 1 bytes
  // (§4.2.2), more than our hello can echo alongside its other extensions: refuse it before encoding.
  const extensionBytes = hello.extensions.reduce((sum, e) => sum + 4 + e.data.length, 0);
  if (extensionBytes > MAX_EXTENSIONS_LENGTH) {
    throw new ProtocolError('IllegalParameter', `the ClientHello would carry ${extensionBytes} bytes of extensions (cookie of ${inputs.cookie?.length ?? 0}); at most ${MAX_EXTENSIONS_LENGTH} fit`);
  }
  // RFC 8446 §5.1: the initial ClientHello may carry record version 0x0301 for old middleboxes; the second may not.
  const initial = !transcript.hashChosen;
  io.send(transcript, HandshakeType.client_hello, encodeClientHello(hello), initial ? ProtocolVersion.TLSv1_0 : ProtocolVersion.TLSv1_2);
  return hello.extensions.map((e) => e.type);
}

/**
 * The configured TLS 1.2 session if it can be offered: TLS 1.2 and its suite
 * enabled, and made with the extended master secret (RFC 7627 §5.3).
 */
export function resumableSession(config: ClientConfig): TlsSession12 | null {
  const session = config.session;
  if (!session || !config.versions.includes(ProtocolVersion.TLSv1_2) || !config.cipherSuites.includes(session.cipherSuite)) return null;
  if (session.ticket !== null && !config.sessionTickets) return null;
  return session.extendedMasterSecret ? session : null;
}

/**
 * The legacy_session_id of our first ClientHello: the session's ID when
 * resuming by ID; 32 random bytes when resuming by ticket (RFC 5077 §3.4: the
 * echo tells us the ticket was accepted) or in TLS 1.3 middlebox
 * compatibility mode (RFC 8446 §D.4); otherwise empty.
 */
export function helloSessionId(config: ClientConfig, session: TlsSession12 | null): Uint8Array {
  if (session && session.ticket === null) return session.sessionId;
  const compat = config.versions.includes(ProtocolVersion.TLSv1_3) && config.middleboxCompatibility;
  return session || compat ? config.provider.randomBytes(32) : new Uint8Array(0);
}

/**
 * The suites offered: each implemented suite only with its version enabled,
 * and values we do not implement as configured (a test peer's business).
 */
export function offeredSuites(config: ClientConfig): number[] {
  return config.cipherSuites.filter((id) => {
    const suite = suiteById(id);
    return suite === undefined || config.versions.includes(suite.version);
  });
}

export function buildClientHello(config: ClientConfig, serverName: string | null, inputs: HelloInputs): ClientHello {
  const offers13 = config.versions.includes(ProtocolVersion.TLSv1_3);
  const offers12 = config.versions.includes(ProtocolVersion.TLSv1_2);
  const sni = sniName(serverName);
  const extensions: Extension[] = [];
  if (sni !== null) extensions.push(serverNameExtension(sni));
  if (offers12) {
    // RFC 8422 §5.1.2: uncompressed points only; RFC 7627 §5.1; RFC 5746 §3.4: an empty renegotiated_connection.
    extensions.push(ecPointFormatsExtension([UNCOMPRESSED]));
    extensions.push(extendedMasterSecretExtension());
    extensions.push(renegotiationInfoExtension(new Uint8Array(0)));
  }
  extensions.push(supportedGroupsExtension(config.groups));
  if (offers13) {
    extensions.push(keyShareClientExtension(inputs.shares.map((s) => ({ group: groupNumber(s.group), keyExchange: s.publicKey }))));
    extensions.push(supportedVersionsClientExtension(config.versions));
  }
  extensions.push(signatureAlgorithmsExtension(config.signatureSchemes));
  if (config.alpnProtocols.length > 0) extensions.push(alpnExtension(config.alpnProtocols));
  // Without psk_key_exchange_modes a server may not send NewSessionTicket (RFC 8446 §4.2.9).
  if (offers13) extensions.push(pskKeyExchangeModesExtension([PskKeyExchangeMode.psk_dhe_ke]));
  if (config.recordSizeLimit !== null) extensions.push(recordSizeLimitExtension(config.recordSizeLimit));
  // RFC 5077 §3.2: an empty extension asks for a ticket; a ticket offers that session.
  if (offers12 && config.sessionTickets) extensions.push(sessionTicketExtension(inputs.session?.ticket ?? new Uint8Array(0)));
  if (inputs.cookie !== null) extensions.push(cookieExtension(inputs.cookie));
  return {
    legacyVersion: ProtocolVersion.TLSv1_2,
    random: inputs.random,
    legacySessionId: inputs.sessionId,
    cipherSuites: offeredSuites(config),
    legacyCompressionMethods: [0],
    extensions: config.clientHelloExtensions ? config.clientHelloExtensions(extensions) : extensions,
  };
}
