/**
 * What a caller configures for a TLS 1.3 / TLS 1.2 client or server: versions and algorithms in
 * preference order, credentials, the certificate verifier, ALPN, and hooks.
 * The `ssl` module's `SSLContext` builds these; tests build them directly.
 * Defaults are filled in by `clientDefaults` / `serverDefaults`.
 * @module
 */
import type { PrivateKey } from '../crypto/keys.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import type { Extension } from './messages/extensions.ts';
import { ProtocolVersion } from '../wire/registry.ts';
import type { TlsSession12 } from './session.ts';
import type { ServerSession12 } from './session-state12.ts';
import type { TicketKeys } from './session-ticket12.ts';
import { DEFAULT_GROUPS, DEFAULT_SIGNATURE_SCHEMES, SUITES12, SUITES13 } from './suites.ts';

/** A certificate chain (DER, leaf first) and the private key of its leaf. */
export interface CertifiedKey {
  readonly chain: readonly Uint8Array[];
  readonly key: PrivateKey;
}

export interface PeerIdentity {
  /** Whose chain this is: the server's (verified for server auth) or the client's. */
  readonly role: 'server' | 'client';
  /** The host name or IP address the client wants to reach, which a server chain must match; null for none. */
  readonly serverName: string | null;
}

/**
 * Decides whether to trust the peer's chain. Returns the verified chain (leaf
 * first, ending at a trust anchor) or throws `CertificateVerifyError`. The
 * engine never finishes a client handshake without one (DESIGN §2.5).
 */
export interface PeerVerifier {
  verify(chain: readonly Uint8Array[], peer: PeerIdentity): readonly Uint8Array[];
}

/** NSS key-log callback: `label` is e.g. CLIENT_HANDSHAKE_TRAFFIC_SECRET. */
export type KeyLog = (label: string, clientRandom: Uint8Array, secret: Uint8Array) => void;

/**
 * Sees every handshake message, alert and ChangeCipherSpec as it is sent or
 * received (a handshake message whole, with its 4-byte header; an alert as its
 * two bytes), for tracing tools and CPython's `SSLContext._msg_callback`.
 */
export type MessageTrace = (direction: 'sent' | 'received', contentType: number, message: Uint8Array) => void;

/** RFC 8449 §4: 2^14 + 1 in TLS 1.3 (the inner content type counts). */
const MAX_RECORD_SIZE_LIMIT = 2 ** 14 + 1;

/** The protocol versions the engine speaks. */
export type TlsVersion = typeof ProtocolVersion.TLSv1_3 | typeof ProtocolVersion.TLSv1_2;

interface CommonConfig {
  readonly provider: CryptoProvider;
  /** Versions enabled (RFC 8446 §4.2.1); the highest both sides have is negotiated. Never empty. */
  readonly versions: readonly TlsVersion[];
  /**
   * Cipher suites of both versions, most preferred first; each version uses
   * its own (TLS 1.3 suites only with TLS 1.3). Values we do not implement
   * are sent as they are by a client (for testing other stacks) and never chosen.
   */
  readonly cipherSuites: readonly number[];
  /** Key-exchange groups, most preferred first. */
  readonly groups: readonly number[];
  /** Signature schemes accepted from the peer and used for our own CertificateVerify. */
  readonly signatureSchemes: readonly number[];
  /** ALPN protocol names (RFC 7301), most preferred first; empty for none. */
  readonly alpnProtocols: readonly Uint8Array[];
  readonly keyLog: KeyLog | null;
  /**
   * RFC 8449 record_size_limit we advertise (64..16385; at most 2^14 is sent in
   * a TLS 1.2 ServerHello), or null not to send it. On by default at 2^14 + 1:
   * the most a record may carry anyway, and what lets a peer honour a smaller
   * limit of its own.
   */
  readonly recordSizeLimit: number | null;
  readonly messageTrace: MessageTrace | null;
  /**
   * RFC 7627: the extended master secret is always offered and used when the
   * peer has it. 'prefer' still completes a full TLS 1.2 handshake with a peer
   * that lacks it, as OpenSSL 3 does; 'require' refuses such a peer.
   */
  readonly extendedMasterSecret: 'prefer' | 'require';
}

export interface ClientConfig extends CommonConfig {
  /** Groups for which the first ClientHello carries a key share (a subset of `groups`). */
  readonly keyShareGroups: readonly number[];
  readonly verifier: PeerVerifier | null;
  /** Offered when a server sends CertificateRequest and one of its schemes fits the key. */
  readonly clientCertificate: CertifiedKey | null;
  /** RFC 8446 §D.4 middlebox compatibility mode: a legacy_session_id and a CCS. */
  readonly middleboxCompatibility: boolean;
  /**
   * A hook for testing other stacks: reshapes the ClientHello extensions before
   * they are sent. The transcript and every later check use what was sent.
   */
  readonly clientHelloExtensions: ((extensions: Extension[]) => Extension[]) | null;
  /** A TLS 1.2 session to resume (RFC 5246 §7.3 by ID, RFC 5077 by ticket); null for a full handshake. */
  readonly session: TlsSession12 | null;
  /** RFC 5077: offer the session_ticket extension (an empty one asks for a ticket). */
  readonly sessionTickets: boolean;
}

/**
 * A TLS 1.2 server's session cache by session ID (RFC 5246 §7.4.1.2). The
 * `ssl` module's keeps a bounded number and counts hits, misses and timeouts
 * (`session_stats()`); `find` returns nothing for an expired session.
 */
export interface SessionCache12 {
  store(id: Uint8Array, session: ServerSession12): void;
  find(id: Uint8Array): ServerSession12 | undefined;
}

/** What a server's `clientHelloHook` learns of the first ClientHello, before anything is negotiated. */
export interface ClientHelloSummary {
  /** The SNI host name (RFC 6066 §3), or null when the client sent none. */
  readonly serverName: string | null;
  /** ALPN protocols offered (RFC 7301), in the client's order; empty for none. */
  readonly alpnProtocols: readonly Uint8Array[];
  /** cipher_suites as offered, unknown values included. */
  readonly cipherSuites: readonly number[];
  /** signature_algorithms as offered. */
  readonly signatureSchemes: readonly number[];
  /** supported_groups as offered. */
  readonly groups: readonly number[];
}

export interface ServerConfig extends CommonConfig {
  /** Chains to choose from, by the client's signature_algorithms; the first that fits wins. */
  readonly certificates: readonly CertifiedKey[];
  /** Whether to send CertificateRequest, and whether an empty answer is fatal. */
  readonly clientAuth: 'none' | 'optional' | 'required';
  /** Verifies client chains when `clientAuth` is not 'none'. */
  readonly verifier: PeerVerifier | null;
  /** NewSessionTicket messages sent after the handshake (RFC 8446 §4.6.1). */
  readonly ticketsToSend: number;
  /** Lifetime advertised in tickets, seconds (at most 604800); also how long a TLS 1.2 session may be resumed. */
  readonly ticketLifetime: number;
  /** TLS 1.2 sessions by ID; null: the server gives no session ID and resumes none by ID. */
  readonly sessionCache: SessionCache12 | null;
  /** RFC 5077 ticket keys for TLS 1.2; null: no tickets issued or accepted. */
  readonly ticketKeys: TicketKeys | null;
  /** Seconds since the epoch, for the age of a session; the engine reads no clock itself. */
  readonly now: () => number;
  /** A hook for testing other stacks: reshapes EncryptedExtensions before it is sent. */
  readonly encryptedExtensions: ((extensions: Extension[]) => Extension[]) | null;
  /**
   * RFC 7301 §3.2 when the client offers ALPN and no protocol of ours is among
   * them: 'refuse' with no_application_protocol, or 'continue' without ALPN
   * (what OpenSSL servers, and so CPython's, do).
   */
  readonly alpnNoOverlap: 'continue' | 'refuse';
  /**
   * Called once per connection with the first ClientHello (after it is checked,
   * before anything is chosen; a ClientHello after HelloRetryRequest does not
   * call it again); the configuration it returns answers the whole handshake:
   * certificates, ALPN, suites, groups, client authentication and its verifier.
   * Record protection and the key log keep the `provider` and `keyLog` the
   * connection was created with.
   * Throwing `ApplicationAlert` refuses the handshake with that alert; any
   * other exception is an internal_error. Python's `sni_callback` is built on it.
   */
  readonly clientHelloHook: ((hello: ClientHelloSummary) => ServerConfig) | null;
}

function commonDefaults(provider: CryptoProvider): CommonConfig {
  return {
    provider,
    versions: [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2],
    cipherSuites: [...SUITES13, ...SUITES12].map((s) => s.id),
    groups: DEFAULT_GROUPS,
    signatureSchemes: DEFAULT_SIGNATURE_SCHEMES,
    alpnProtocols: [],
    keyLog: null,
    recordSizeLimit: MAX_RECORD_SIZE_LIMIT,
    messageTrace: null,
    extendedMasterSecret: 'prefer',
  };
}

export function clientDefaults(provider: CryptoProvider, overrides: Partial<ClientConfig> = {}): ClientConfig {
  const common = { ...commonDefaults(provider), ...overrides };
  return {
    keyShareGroups: common.groups.slice(0, 1),
    verifier: null,
    clientCertificate: null,
    middleboxCompatibility: true,
    clientHelloExtensions: null,
    session: null,
    sessionTickets: true,
    ...common,
  };
}

export function serverDefaults(provider: CryptoProvider, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return {
    certificates: [],
    clientAuth: 'none',
    verifier: null,
    ticketsToSend: 2,
    ticketLifetime: 7200,
    sessionCache: null,
    ticketKeys: null,
    now: () => 0,
    encryptedExtensions: null,
    alpnNoOverlap: 'refuse',
    clientHelloHook: null,
    ...commonDefaults(provider),
    ...overrides,
  };
}
