/**
 * The peer's certificate chain, as both versions treat it once decoded from
 * their own Certificate message (RFC 8446 §4.4.2, RFC 5246 §7.4.2/§7.4.6):
 * the leaf's public key, which the peer's handshake signature must verify
 * under, and the chain run through the configured verifier. What one
 * Certificate message may make us do is capped here, before any certificate
 * is parsed or any signature checked: at most `MAX_PEER_CHAIN_CERTIFICATES`
 * certificates of at most `MAX_PEER_CHAIN_BYTES` in all (the verifier's own
 * budget bounds the work on what passes, `x509/verification-budget.ts`).
 * @module
 */
import { type PublicKey, copyPublicKey } from '../crypto/keys.ts';
import { ProtocolError } from '../wire/errors.ts';
import { certificateCache } from '../x509/certificate-cache.ts';
import type { PeerIdentity, PeerVerifier } from './config.ts';
import type { PeerVerified } from './proofs.ts';
import { verifyPeerChain } from './proofs.ts';

/**
 * Certificates in one peer chain: GnuTLS's default verify depth
 * (`DEFAULT_MAX_VERIFY_DEPTH`), which it applies to the peer's list before
 * verifying. Real chains have 2–5;
 * 16 leaves room for cross-signed and stray extras.
 */
export const MAX_PEER_CHAIN_CERTIFICATES = 16;
/**
 * Total DER bytes of one peer chain: OpenSSL's default `max_cert_list`
 * (100 KiB for the whole Certificate message), which the web lives within.
 */
export const MAX_PEER_CHAIN_BYTES = 100 * 1024;

/** A chain the verifier accepted, with the key its handshake signature must be made with. */
export interface AcceptedPeer {
  readonly peerKey: PublicKey;
  readonly peer: PeerVerified;
}

/** The leaf's key, which the peer's handshake signature must be made with; an unusable leaf is a bad_certificate. */
export function leafPublicKey(der: Uint8Array): PublicKey {
  try {
    // A copy: the view is shared process-wide, and the key goes to the configured provider.
    return copyPublicKey(certificateCache.parse(der).publicKey);
  } catch (error) {
    throw new ProtocolError('BadCertificate', `peer certificate: ${(error as Error).message}`);
  }
}

/**
 * A non-empty chain (leaf first): a chain over the caps is refused as an
 * excessive message (illegal_parameter, as OpenSSL refuses one over
 * `max_cert_list`); the leaf must parse before the verifier runs, so a
 * malformed leaf is bad_certificate rather than a verify failure.
 */
export function acceptPeerChain(verifier: PeerVerifier | null, chain: readonly Uint8Array[], identity: PeerIdentity): AcceptedPeer {
  checkChainSize(chain);
  const peerKey = leafPublicKey(chain[0]!);
  return { peerKey, peer: verifyPeerChain(verifier, chain, identity) };
}

function checkChainSize(chain: readonly Uint8Array[]): void {
  if (chain.length > MAX_PEER_CHAIN_CERTIFICATES) {
    throw new ProtocolError('HandshakeMessageTooLarge', `Certificate: ${chain.length} certificates, more than the ${MAX_PEER_CHAIN_CERTIFICATES} accepted`);
  }
  const bytes = chain.reduce((sum, der) => sum + der.length, 0);
  if (bytes > MAX_PEER_CHAIN_BYTES) {
    throw new ProtocolError('HandshakeMessageTooLarge', `Certificate: ${bytes} bytes of certificates, more than the ${MAX_PEER_CHAIN_BYTES} accepted`);
  }
}
