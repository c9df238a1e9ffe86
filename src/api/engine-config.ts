/**
 * From an `SSLContext`'s settings to the engine's configuration for one
 * connection: the version range (and CPython's error when it leaves nothing
 * puretls speaks), the verifier (none for CERT_NONE, `x509Verifier` over the
 * context's trust store otherwise), client authentication, tickets, key log.
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import { type CertifiedKey, type ClientConfig, type MessageTrace, type PeerVerifier, type ServerConfig, type TlsVersion, clientDefaults, serverDefaults } from '../handshake/config.ts';
import type { SessionCache12 } from '../handshake/config.ts';
import type { TicketKeys } from '../handshake/session-ticket12.ts';
import { x509Verifier } from '../handshake/x509-verifier.ts';
import { ProtocolVersion } from '../wire/registry.ts';
import type { TrustStore } from '../x509/trust-store.ts';
import {
  CERT_NONE,
  CERT_OPTIONAL,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_NO_TICKET,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_3,
  PROTOCOL_TLSv1_2,
  TLSVersion,
} from './constants.ts';
import { type SSLError, sslError } from './exceptions.ts';
import { keyLogWriter } from './keylog.ts';
import { engineSession, type SSLSession } from './session.ts';
import { nowSeconds } from './runtime/host.ts';

/** A snapshot of what an `SSLContext` holds, taken when a connection is made. */
export interface ContextSettings {
  readonly protocol: number;
  readonly options: number;
  readonly verifyMode: number;
  readonly checkHostname: boolean;
  readonly checkCommonName: boolean;
  readonly requireExtendedMasterSecret: boolean;
  readonly verifyFlags: number;
  readonly minimumVersion: number;
  readonly maximumVersion: number;
  readonly trust: TrustStore;
  readonly certificate: CertifiedKey | null;
  readonly alpnProtocols: readonly Uint8Array[];
  readonly keylogFilename: string | null;
  readonly numTickets: number;
  readonly sessionCache: SessionCache12;
  readonly ticketKeys: TicketKeys;
  readonly cipherSuites: readonly number[];
  readonly groups: readonly number[];
  readonly signatureSchemes: readonly number[];
}

/** The versions puretls speaks, highest first (the engine's preference). */
const IMPLEMENTED: readonly TlsVersion[] = [TLSVersion.TLSv1_3, TLSVersion.TLSv1_2];

/**
 * The versions the settings allow that puretls implements. OpenSSL reads the
 * range from minimum/maximum_version, the OP_NO_* bits and a pinned protocol.
 */
export function enabledVersions(settings: ContextSettings): TlsVersion[] {
  const min = settings.minimumVersion === TLSVersion.MINIMUM_SUPPORTED ? 0 : settings.minimumVersion;
  const max = settings.maximumVersion === TLSVersion.MAXIMUM_SUPPORTED ? Infinity : settings.maximumVersion;
  return IMPLEMENTED.filter((version) => {
    if (version < min || version > max) return false;
    if (settings.protocol === PROTOCOL_TLSv1_2 && version !== TLSVersion.TLSv1_2) return false;
    if (version === TLSVersion.TLSv1_3 && settings.options & OP_NO_TLSv1_3) return false;
    if (version === TLSVersion.TLSv1_2 && settings.options & OP_NO_TLSv1_2) return false;
    return true;
  });
}

/** CPython's error at do_handshake when the settings leave no version to speak. */
export function versionRefusal(settings: ContextSettings): SSLError | null {
  return enabledVersions(settings).length === 0 ? sslError('SSL', 'NO_PROTOCOLS_AVAILABLE', 'no protocols available') : null;
}

/** CERT_NONE: the chain is accepted without any check, and reported as not verified (`getpeercert()` gives `{}`). */
const UNVERIFIED: PeerVerifier = { verify: () => [] };

function verifier(settings: ContextSettings, role: 'client' | 'server'): PeerVerifier {
  if (settings.verifyMode === CERT_NONE) return UNVERIFIED;
  return x509Verifier({
    provider: nobleProvider,
    trust: settings.trust,
    now: nowSeconds,
    checkHostname: role === 'client' && settings.checkHostname,
    checkCommonName: settings.checkCommonName,
    flags: settings.verifyFlags,
    crls: settings.trust.crls(),
  });
}

function common(settings: ContextSettings, messageTrace: MessageTrace | null) {
  return {
    versions: enabledVersions(settings),
    extendedMasterSecret: settings.requireExtendedMasterSecret ? ('require' as const) : ('prefer' as const),
    messageTrace,
    cipherSuites: settings.cipherSuites,
    groups: settings.groups,
    signatureSchemes: settings.signatureSchemes,
    alpnProtocols: settings.alpnProtocols,
    keyLog: settings.keylogFilename === null ? null : keyLogWriter(settings.keylogFilename),
  };
}

/** `session`: what `SSLObject.session` holds before the handshake; a TLS 1.2 session is offered for resumption. */
export function clientConfig(settings: ContextSettings, messageTrace: MessageTrace | null, session: SSLSession | null): ClientConfig {
  const offered = session?.[engineSession];
  return clientDefaults(nobleProvider, {
    ...common(settings, messageTrace),
    session: offered?.version === ProtocolVersion.TLSv1_2 ? offered : null,
    sessionTickets: (settings.options & OP_NO_TICKET) === 0,
    keyShareGroups: settings.groups.slice(0, 1),
    verifier: verifier(settings, 'client'),
    clientCertificate: settings.certificate,
    middleboxCompatibility: (settings.options & OP_ENABLE_MIDDLEBOX_COMPAT) !== 0,
  });
}

export function serverConfig(settings: ContextSettings, clientHelloHook: ServerConfig['clientHelloHook'], messageTrace: MessageTrace | null): ServerConfig {
  return serverDefaults(nobleProvider, {
    ...common(settings, messageTrace),
    certificates: settings.certificate === null ? [] : [settings.certificate],
    clientAuth: settings.verifyMode === CERT_NONE ? 'none' : settings.verifyMode === CERT_OPTIONAL ? 'optional' : 'required',
    verifier: verifier(settings, 'server'),
    ticketsToSend: settings.options & OP_NO_TICKET ? 0 : settings.numTickets,
    sessionCache: settings.sessionCache,
    ticketKeys: settings.options & OP_NO_TICKET ? null : settings.ticketKeys,
    now: nowSeconds,
    // CPython's ALPN callback answers "no overlap" by carrying on without ALPN (SSL_TLSEXT_ERR_NOACK).
    alpnNoOverlap: 'continue',
    clientHelloHook,
  });
}
