/**
 * In-memory plumbing between two sans-I/O connections, and a pinned-leaf
 * verifier: a test double that trusts exactly the certificates it is given
 * (the real X.509 verifier has its own tests).
 * @module
 */
import type { PeerVerifier } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { bytesEqual } from '../../src/wire/bytes.ts';
import { CertificateVerifyError } from '../../src/wire/errors.ts';
import { AlertDescription } from '../../src/wire/registry.ts';

export function pinnedVerifier(...trusted: Uint8Array[]): PeerVerifier {
  return {
    verify(chain) {
      if (!trusted.some((t) => bytesEqual(t, chain[0]!))) {
        throw new CertificateVerifyError(20, 'unable to get local issuer certificate', AlertDescription.unknown_ca);
      }
      return chain;
    },
  };
}

/** Moves bytes both ways until neither side has anything to send. */
export function pump(a: TlsConnection, b: TlsConnection): void {
  for (let rounds = 0; rounds < 100; rounds++) {
    const ab = a.takeOutgoing();
    const ba = b.takeOutgoing();
    if (ab.length === 0 && ba.length === 0) return;
    if (ab.length > 0) b.receive(ab);
    if (ba.length > 0) a.receive(ba);
  }
  throw new Error('pump: connections did not settle');
}
