/**
 * Making a handshake signature: the scheme's provider algorithm applied to
 * content each version builds itself (TLS 1.3 CertificateVerify, RFC 8446
 * §4.4.3; TLS 1.2 ServerKeyExchange and CertificateVerify, RFC 5246 §7.4.3,
 * §7.4.8). Checking the peer's is `verifyHandshakeSignature` in proofs.ts,
 * which alone may issue the SignatureVerified proof.
 * @module
 */
import type { PrivateKey } from '../crypto/keys.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { ProtocolError } from '../wire/errors.ts';
import { nameOf, ProtocolVersion, SignatureScheme } from '../wire/registry.ts';
import { handshakeSignatureAlgorithm, type SigningVersion } from './suites.ts';

/** `scheme` was chosen for `key` (chooseSignatureScheme), so not fitting is our bug, not the peer's. */
export function signHandshake(provider: CryptoProvider, key: PrivateKey, scheme: number, content: Uint8Array, version: SigningVersion = ProtocolVersion.TLSv1_3): Uint8Array {
  const algorithm = handshakeSignatureAlgorithm(scheme, key, version);
  if (!algorithm) throw new ProtocolError('InternalError', `${nameOf(SignatureScheme, scheme)} does not fit our ${key.type} key`);
  return provider.sign(algorithm, key, content);
}
