/**
 * The TLS 1.3 Certificate message (RFC 8446 §4.4.2): a request context and a
 * list of CertificateEntry, each a certificate (or raw public key) with its
 * own extensions (an OCSP response, signed certificate timestamps). TLS 1.2's
 * Certificate (RFC 5246 §7.4.2), with neither, is not this message. Raw form
 * and a typed view of an entry's extensions.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { decodeExtension, decodeExtensions, encodeExtensions } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';
import { decodeCertificateStatus } from './status-request.ts';

/** `struct { opaque cert_data<1..2^24-1>; Extension extensions<0..2^16-1>; } CertificateEntry`. */
export interface CertificateEntry {
  /** A DER certificate, or a DER SubjectPublicKeyInfo for raw public keys (RFC 7250). */
  readonly certData: Uint8Array;
  readonly extensions: readonly Extension[];
}

/** `struct { opaque certificate_request_context<0..2^8-1>; CertificateEntry certificate_list<0..2^24-1>; } Certificate`. */
export interface Certificate {
  /** Empty in the handshake; echoes the CertificateRequest's context for client authentication. */
  readonly certificateRequestContext: Uint8Array;
  /** The end-entity certificate first (RFC 8446 §4.4.2). */
  readonly certificateList: readonly CertificateEntry[];
}

export function encodeCertificate(message: Certificate): Uint8Array {
  return encode((w) => {
    w.opaque(1, message.certificateRequestContext);
    w.vector(3, (list) => {
      for (const entry of message.certificateList) {
        list.opaque(3, entry.certData);
        encodeExtensions(list, entry.extensions);
      }
    });
  });
}

/** Decodes the body; whether each entry's extensions were asked for is `checkAllowed('CT', ...)`'s call. */
export function decodeCertificate(body: Uint8Array): Certificate {
  return decodeExact(body, 'Certificate', (r) => ({
    certificateRequestContext: r.opaque(1, 'Certificate.certificate_request_context'),
    certificateList: r.list(3, 'Certificate.certificate_list', (x) => ({
      certData: x.opaque(3, 'CertificateEntry.cert_data', 1),
      extensions: decodeExtensions(x, 'CertificateEntry.extensions', 0, 2 ** 16 - 1),
    })),
  }));
}

/** The extensions of one CertificateEntry, decoded (RFC 8446 §4.4.2.1, RFC 6962 §3.3). */
export interface CertificateEntryExtensions {
  readonly types: readonly number[];
  /** The DER OCSPResponse stapled to this certificate. */
  readonly ocspResponse: Uint8Array | undefined;
  /** The `SignedCertificateTimestampList`, left encoded for the certificate verifier. */
  readonly signedCertificateTimestamps: Uint8Array | undefined;
}

export function certificateEntryExtensions(entry: CertificateEntry): CertificateEntryExtensions {
  const exts = entry.extensions;
  return {
    types: exts.map((e) => e.type),
    ocspResponse: decodeExtension(exts, ExtensionType.status_request, decodeCertificateStatus),
    signedCertificateTimestamps: decodeExtension(exts, ExtensionType.signed_certificate_timestamp, (d) => d),
  };
}
