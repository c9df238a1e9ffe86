/**
 * The TLS 1.2 CertificateRequest (RFC 5246 §7.4.4): the certificate types the
 * server accepts, the signature algorithms it can verify, and the names of
 * the CAs it trusts. RFC 8422 §5.5 adds ecdsa_sign.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { decodeExact } from './handshake-message.ts';

/** The ClientCertificateType values we use (RFC 5246 §7.4.4, RFC 8422 §5.5); the others name static DH or DSS. */
export const ClientCertificateType = {
  rsa_sign: 1,
  ecdsa_sign: 64,
} as const;

/**
 * `struct { ClientCertificateType certificate_types<1..2^8-1>;
 * SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>;
 * DistinguishedName certificate_authorities<0..2^16-1>; } CertificateRequest`.
 */
export interface CertificateRequest12 {
  readonly certificateTypes: number[];
  /** SignatureAndHashAlgorithm values, which are TLS 1.3's SignatureScheme numbers (RFC 8446 §4.2.3). */
  readonly signatureAlgorithms: number[];
  /** DER-encoded X.501 Names, each `opaque DistinguishedName<1..2^16-1>`. */
  readonly certificateAuthorities: Uint8Array[];
}

export function encodeCertificateRequest12(message: CertificateRequest12): Uint8Array {
  return encode((w) => {
    w.vector(1, (v) => message.certificateTypes.forEach((t) => v.u8(t)));
    w.vector(2, (v) => message.signatureAlgorithms.forEach((a) => v.u16(a)));
    w.vector(2, (v) => message.certificateAuthorities.forEach((name) => v.opaque(2, name)));
  });
}

export function decodeCertificateRequest12(body: Uint8Array): CertificateRequest12 {
  const types = 'CertificateRequest.certificate_types';
  const algorithms = 'CertificateRequest.supported_signature_algorithms';
  return decodeExact(body, 'CertificateRequest', (r) => ({
    certificateTypes: r.list(1, types, (x) => x.u8(types), 1, 2 ** 8 - 1),
    signatureAlgorithms: r.list(2, algorithms, (x) => x.u16(algorithms), 2, 2 ** 16 - 2),
    certificateAuthorities: r.list(2, 'CertificateRequest.certificate_authorities', (x) => x.opaque(2, 'DistinguishedName', 1)),
  }));
}
