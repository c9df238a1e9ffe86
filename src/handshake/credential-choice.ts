/**
 * Which of the server's certificates to authenticate with, and with which
 * signature scheme, from the client's signature_algorithms (RFC 8446 §4.2.3,
 * RFC 5246 §7.4.1.4.1): a choice both versions make the same way, the first
 * configured chain whose key fits a scheme both sides allow.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import type { CertifiedKey, ServerConfig } from './config.ts';
import type { PrivateKey } from '../crypto/keys.ts';
import { ProtocolVersion } from '../wire/registry.ts';
import { chooseSignatureScheme, type SigningVersion } from './suites.ts';

export interface CredentialChoice {
  readonly credential: CertifiedKey;
  /** The scheme the handshake signature will be made with. */
  readonly scheme: number;
}

/** `clientSchemes` in the client's preference order, which decides among the schemes a key fits. */
/**
 * `version` applies its scheme rules (TLS 1.2 allows PKCS#1 v1.5 and any ECDSA
 * curve per hash); `keyFits` narrows the keys further (a TLS 1.2 suite's
 * authentication algorithm, RFC 5246 §7.4.2).
 */
export function chooseCredential(
  config: Pick<ServerConfig, 'certificates' | 'signatureSchemes'>,
  clientSchemes: readonly number[],
  version: SigningVersion = ProtocolVersion.TLSv1_3,
  keyFits: (key: PrivateKey) => boolean = () => true,
): CredentialChoice {
  // OpenSSL reports a server with no certificate at all as having no cipher it can use.
  if (config.certificates.length === 0) throw new ProtocolError('NoSharedCipher', 'the server has no certificate to authenticate with');
  const allowed = clientSchemes.filter((s) => config.signatureSchemes.includes(s));
  for (const credential of config.certificates) {
    if (!keyFits(credential.key)) continue;
    const scheme = chooseSignatureScheme(credential.key, allowed, version);
    if (scheme !== undefined) return { credential, scheme };
  }
  throw new ProtocolError('NoSharedSignatureScheme', 'no certificate whose key fits the client\'s signature_algorithms');
}
