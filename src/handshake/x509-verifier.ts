/**
 * The real certificate verifier for the engine: the peer's chain is validated
 * by `x509/verify.ts` against trust anchors, for server authentication (with
 * the host name or IP address the client asked for) or client authentication.
 * The clock is injected: this layer reads no time of its own (DESIGN §2.2).
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import type { Certificate } from '../x509/certificate.ts';
import type { AnchorSource } from '../x509/path-builder.ts';
import type { VerificationStats } from '../x509/verification-budget.ts';
import { verifyCertificateChain } from '../x509/verify.ts';
import { ProtocolError } from '../wire/errors.ts';
import type { PeerVerifier } from './config.ts';

export interface X509VerifierOptions {
  readonly provider: CryptoProvider;
  readonly trust: readonly Certificate[] | AnchorSource;
  /** Seconds since the epoch, asked once per verification. */
  readonly now: () => number;
  /**
   * CPython's `check_hostname`: a server chain must match the name the client
   * asked for. With no name to match the handshake fails: skipping the check
   * would accept any certificate the anchors vouch for.
   */
  readonly checkHostname: boolean;
  /** CPython's `hostname_checks_common_name`. */
  readonly checkCommonName?: boolean;
  /** `VERIFY_*` flags (OpenSSL's X509_V_FLAG_* bits). */
  readonly flags?: number;
  readonly crls?: readonly Uint8Array[];
  readonly maxDepth?: number;
  /** Receives the work each verification did (signature checks, name-constraint comparisons). */
  readonly stats?: VerificationStats;
}

export function x509Verifier(options: X509VerifierOptions): PeerVerifier {
  return {
    verify(chain, peer) {
      const checksName = peer.role === 'server' && options.checkHostname;
      if (checksName && peer.serverName === null) {
        throw new ProtocolError('ServerNameRequired', 'hostname checking is on but the client was given no server name');
      }
      const name = checksName ? peer.serverName : null;
      // A failure is an X509VerifyError, which is the CertificateVerifyError the engine expects.
      const verified = verifyCertificateChain(options.provider, chain, {
        trust: options.trust,
        purpose: peer.role === 'server' ? 'serverAuth' : 'clientAuth',
        hostname: name,
        time: options.now(),
        flags: options.flags ?? 0,
        crls: options.crls ?? [],
        checkCommonName: options.checkCommonName ?? false,
        ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
        ...(options.stats !== undefined ? { stats: options.stats } : {}),
      });
      // Copies: the views are shared through the certificate cache.
      return verified.chain.map((c) => c.der.slice());
    },
  };
}
