/**
 * Proof values: the only way to obtain one is to pass the check it names, and
 * the traffic states require them, so a state machine that skips Finished,
 * CertificateVerify or chain verification does not compile (DESIGN §4). The
 * brands exist only in the type system; at run time the proofs are tiny objects.
 * @module
 */
import type { PublicKey } from '../crypto/keys.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { constantTimeEqual } from '../crypto/constant-time.ts';
import { ProtocolError } from '../wire/errors.ts';
import { nameOf, ProtocolVersion, SignatureScheme } from '../wire/registry.ts';
import type { PeerIdentity, PeerVerifier } from './config.ts';
import { handshakeSignatureAlgorithm, type SigningVersion } from './suites.ts';

declare const brand: unique symbol;
type Proof<Name extends string> = { readonly [brand]: Name };

/** The peer's Finished matched the transcript (RFC 8446 §4.4.4). */
export type FinishedVerified = Proof<'FinishedVerified'>;
/** The peer's handshake signature (CertificateVerify, RFC 8446 §4.4.3; or a TLS 1.2 ServerKeyExchange, RFC 5246 §7.4.3) checked out with its leaf key. */
export type SignatureVerified = Proof<'SignatureVerified'>;
/** The peer's chain was accepted by the verifier, or the peer was allowed to send none. */
export type PeerVerified = Proof<'PeerVerified'> & {
  /** The verified chain (leaf first), empty when the peer was not authenticated. */
  readonly chain: readonly Uint8Array[];
};

export function verifyFinished(expected: Uint8Array, received: Uint8Array): FinishedVerified {
  if (!constantTimeEqual(expected, received)) throw new ProtocolError('IncorrectFinished', 'Finished.verify_data does not match the transcript');
  return {} as FinishedVerified;
}

export function verifyHandshakeSignature(
  provider: CryptoProvider,
  offeredSchemes: readonly number[],
  scheme: number,
  key: PublicKey,
  content: Uint8Array,
  signature: Uint8Array,
  version: SigningVersion = ProtocolVersion.TLSv1_3,
): SignatureVerified {
  // RFC 8446 §4.4.3: the algorithm must be one we offered, and must fit the key in the certificate.
  if (!offeredSchemes.includes(scheme)) {
    throw new ProtocolError('IllegalParameter', `CertificateVerify uses ${nameOf(SignatureScheme, scheme)}, which was not offered`);
  }
  const algorithm = handshakeSignatureAlgorithm(scheme, key, version);
  if (!algorithm) {
    throw new ProtocolError('WrongSignatureType', `${nameOf(SignatureScheme, scheme)} does not fit the certificate's ${key.type} key`);
  }
  if (!provider.verify(algorithm, key, content, signature)) {
    throw new ProtocolError('BadSignature', `CertificateVerify signature (${nameOf(SignatureScheme, scheme)}) does not verify`);
  }
  return {} as SignatureVerified;
}

/** Runs the configured verifier; with none configured the handshake cannot finish. */
export function verifyPeerChain(verifier: PeerVerifier | null, chain: readonly Uint8Array[], peer: PeerIdentity): PeerVerified {
  if (!verifier) throw new ProtocolError('NoCertificateVerifier', `no verifier configured for the ${peer.role}'s certificate`);
  return { chain: verifier.verify(chain, peer) } as PeerVerified;
}

/** A client that was not asked for, or did not send, a certificate (server side, RFC 8446 §4.4.2.4). */
export function unauthenticatedPeer(): PeerVerified {
  return { chain: [] } as unknown as PeerVerified;
}

/**
 * An abbreviated TLS 1.2 handshake (RFC 5246 §7.3) has no Certificate and no
 * signature: the peer was authenticated when the session was made, and only
 * a peer holding that session's master secret can produce the Finished that
 * must still be verified. `chain` is the session's verified chain.
 */
export function resumedSessionProofs(chain: readonly Uint8Array[]): { readonly peer: PeerVerified; readonly signature: SignatureVerified } {
  return { peer: { chain } as PeerVerified, signature: {} as SignatureVerified };
}
