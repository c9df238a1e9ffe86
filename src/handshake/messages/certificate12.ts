/**
 * The TLS 1.2 Certificate message (RFC 5246 §7.4.2): a bare list of DER
 * certificates, the sender's own first — no request context and no
 * per-certificate extensions, unlike TLS 1.3's (certificate.ts). The same
 * message carries the client's chain, possibly empty (§7.4.6).
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { decodeExact } from './handshake-message.ts';

/** `opaque ASN.1Cert<1..2^24-1>; struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate`. */
export function encodeCertificate12(chain: readonly Uint8Array[]): Uint8Array {
  return encode((w) => w.vector(3, (list) => chain.forEach((cert) => list.opaque(3, cert))));
}

export function decodeCertificate12(body: Uint8Array): Uint8Array[] {
  return decodeExact(body, 'Certificate', (r) => r.list(3, 'Certificate.certificate_list', (x) => x.opaque(3, 'ASN.1Cert', 1)));
}
