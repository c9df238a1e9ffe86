/**
 * What a handshake has settled so far, for the caller (`SSLObject.cipher()`,
 * `version()`, `selected_alpn_protocol()`, `getpeercert()`, `shared_ciphers()`,
 * `group()`, `client_sigalg()`/`server_sigalg()`, `get_channel_binding()`); fields fill in as
 * the handshake goes.
 * @module
 */
import type { Suite } from './suites.ts';

export interface Negotiated {
  readonly version: number | null;
  /** Its `version` matches `version` once both are set. */
  readonly cipherSuite: Suite | null;
  /** The cipher_suites of the client's ClientHello as sent (on both sides), unknown values included. */
  readonly clientCipherSuites: readonly number[];
  /** The key-exchange group of the ServerHello's key_share (after any HelloRetryRequest). */
  readonly group: number | null;
  readonly alpnProtocol: Uint8Array | null;
  /** SNI: what the client asked for (client) or received (server). */
  readonly serverName: string | null;
  /** The peer's chain as it sent it, leaf first. */
  readonly peerCertificates: readonly Uint8Array[];
  /** The chain the verifier accepted (leaf to anchor), empty when the peer was not verified. */
  readonly verifiedChain: readonly Uint8Array[];
  /** The scheme of the peer's CertificateVerify. */
  readonly peerSignatureScheme: number | null;
  /** The scheme of our CertificateVerify; null when we sent none. */
  readonly localSignatureScheme: number | null;
  /** Finished.verify_data of each side (RFC 8446 §4.4.4), for channel bindings; null until sent or verified. */
  readonly clientFinished: Uint8Array | null;
  readonly serverFinished: Uint8Array | null;
  readonly helloRetryRequest: boolean;
  /** An abbreviated handshake resumed an earlier session (RFC 5246 §7.3). */
  readonly resumed: boolean;
}

export const NOTHING_NEGOTIATED: Negotiated = {
  version: null,
  cipherSuite: null,
  clientCipherSuites: [],
  group: null,
  alpnProtocol: null,
  serverName: null,
  peerCertificates: [],
  verifiedChain: [],
  peerSignatureScheme: null,
  localSignatureScheme: null,
  clientFinished: null,
  serverFinished: null,
  helloRetryRequest: false,
  resumed: false,
};
