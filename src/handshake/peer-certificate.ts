/**
 * The peer's certificate chain, as both versions treat it once decoded from
 * their own Certificate message (RFC 8446 §4.4.2, RFC 5246 §7.4.2/§7.4.6):
 * the leaf's public key, which the peer's handshake signature must verify
 * under, and the chain run through the configured verifier.
 * @module
 */
import { type PublicKey, copyPublicKey } from '../crypto/keys.ts';
import { ProtocolError } from '../wire/errors.ts';
import { certificateCache } from '../x509/certificate-cache.ts';
import type { PeerIdentity, PeerVerifier } from './config.ts';
import type { PeerVerified } from './proofs.ts';
import { verifyPeerChain } from './proofs.ts';

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
 * A non-empty chain (leaf first): the leaf must parse before the verifier
 * runs, so a malformed leaf is bad_certificate rather than a verify failure.
 */
export function acceptPeerChain(verifier: PeerVerifier | null, chain: readonly Uint8Array[], identity: PeerIdentity): AcceptedPeer {
  const peerKey = leafPublicKey(chain[0]!);
  return { peerKey, peer: verifyPeerChain(verifier, chain, identity) };
}
