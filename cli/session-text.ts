/**
 * What one side of a TLS connection negotiated, as lines for a person:
 * version, cipher, ALPN and the peer's certificate dict. Works on anything
 * with `SSLSocket`'s accessors.
 * @module
 */
import { type CertDict, certificateLines } from './certificate-text.ts';

/** The accessors of `SSLSocket` (and `SSLObject`) this report reads. */
export interface TlsSession {
  version(): string | null;
  cipher(): readonly [string, string, number] | null;
  selected_alpn_protocol(): string | null;
  getpeercert(): unknown;
}

export function sessionLines(session: TlsSession, indent = '  '): string[] {
  const cipher = session.cipher();
  const peer = session.getpeercert() as CertDict | Record<string, never> | null;
  const lines = [
    `${indent}version:  ${session.version() ?? '(none)'}`,
    `${indent}cipher:   ${cipher === null ? '(none)' : `${cipher[0]} (${cipher[2]}-bit keys)`}`,
    `${indent}ALPN:     ${session.selected_alpn_protocol() ?? '(none agreed)'}`,
  ];
  // getpeercert() is {} for a certificate that was not verified, None when there was none (CPython).
  if (peer === null) lines.push(`${indent}peer certificate: none`);
  else if (!('subject' in peer)) lines.push(`${indent}peer certificate: received, not verified (getpeercert() is {})`);
  else lines.push(`${indent}peer certificate (getpeercert()):`, ...certificateLines(peer as CertDict, `${indent}  `));
  return lines;
}
