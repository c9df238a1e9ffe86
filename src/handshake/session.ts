/**
 * Sessions as the client keeps them, to resume a later handshake:
 * - a TLS 1.3 ticket (RFC 8446 §4.6.1): the ticket, the PSK it stands for and
 *   what must match when it is offered again (resumption in TLS 1.3 is a later
 *   issue; this is the value it will consume);
 * - a TLS 1.2 session (RFC 5246 §7.3 session ID, RFC 5077 ticket): the master
 *   secret and what the abbreviated handshake restores.
 * @module
 */
export interface TlsSession13 {
  readonly version: 0x0304;
  readonly cipherSuite: number;
  readonly ticket: Uint8Array;
  readonly psk: Uint8Array;
  readonly lifetimeSeconds: number;
  readonly ageAdd: number;
  readonly maxEarlyData: number;
  readonly serverName: string | null;
  readonly alpnProtocol: Uint8Array | null;
}

/** What a TLS 1.2 session is, on either side (RFC 5246 §7.3 "session state"). */
export interface SessionState12 {
  readonly cipherSuite: number;
  readonly masterSecret: Uint8Array;
  readonly serverName: string | null;
  readonly alpnProtocol: Uint8Array | null;
  /** The peer's chain as sent and as verified, restored on resumption (there is no Certificate then). */
  readonly peerCertificates: readonly Uint8Array[];
  readonly verifiedChain: readonly Uint8Array[];
}

/** A TLS 1.2 session as the client keeps it. */
export interface TlsSession12 extends SessionState12 {
  readonly version: 0x0303;
  /** The server's session ID; empty when the server only issued a ticket. */
  readonly sessionId: Uint8Array;
  /** RFC 5077 ticket, or null when the server keeps the session by ID. */
  readonly ticket: Uint8Array | null;
  /** RFC 5077 §3.3 ticket_lifetime_hint in seconds (0: unspecified); 0 for ID sessions. */
  readonly lifetimeHint: number;
  /** Always true for sessions we keep: RFC 7627 §5.3 forbids resuming others. */
  readonly extendedMasterSecret: true;
}

export type TlsSession = TlsSession13 | TlsSession12;
