/**
 * What a handshake has settled so far, for the caller (`SSLObject.cipher()`,
 * `version()`, `selected_alpn_protocol()`, `getpeercert()`); fields fill in as
 * the handshake goes.
 * @module
 */
import type { Suite13 } from './suites.ts';

export interface Negotiated {
  readonly version: number | null;
  readonly cipherSuite: Suite13 | null;
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
  readonly helloRetryRequest: boolean;
}

export const NOTHING_NEGOTIATED: Negotiated = {
  version: null,
  cipherSuite: null,
  group: null,
  alpnProtocol: null,
  serverName: null,
  peerCertificates: [],
  verifiedChain: [],
  peerSignatureScheme: null,
  helloRetryRequest: false,
};
