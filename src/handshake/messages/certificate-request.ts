/**
 * CertificateRequest (RFC 8446 §4.3.2): the server asks for a client
 * certificate, saying which signature schemes it accepts. Raw form and a
 * typed view.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { decodeEmpty, decodeExtension, decodeExtensions, encodeExtensions, findExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';
import { decodeSignatureAlgorithms } from './signature-algorithms.ts';

/** `struct { opaque certificate_request_context<0..2^8-1>; Extension extensions<2..2^16-1>; } CertificateRequest`. */
export interface CertificateRequest {
  /** Empty in the handshake; set for post-handshake authentication (RFC 8446 §4.6.2). */
  readonly certificateRequestContext: Uint8Array;
  readonly extensions: readonly Extension[];
}

export function encodeCertificateRequest(message: CertificateRequest): Uint8Array {
  return encode((w) => {
    w.opaque(1, message.certificateRequestContext);
    encodeExtensions(w, message.extensions);
  });
}

/** Decodes the body, including the signature_algorithms it must carry. */
export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const message = decodeExact(body, 'CertificateRequest', (r) => ({
    certificateRequestContext: r.opaque(1, 'CertificateRequest.certificate_request_context'),
    extensions: decodeExtensions(r, 'CertificateRequest.extensions', 2, 2 ** 16 - 1),
  }));
  signatureAlgorithmsOf(message.extensions);
  return message;
}

/** RFC 8446 §4.3.2: "The "signature_algorithms" extension MUST be specified" (missing_extension). */
function signatureAlgorithmsOf(extensions: readonly Extension[]): number[] {
  const data = findExtension(extensions, ExtensionType.signature_algorithms);
  if (data === undefined) throw new ProtocolError('MissingExtension', 'CertificateRequest without signature_algorithms');
  return decodeSignatureAlgorithms(data);
}

/** The CertificateRequest extensions TLS 1.3 uses, decoded (call `checkAllowed('CR', ...)` first). */
export interface CertificateRequestView {
  readonly types: readonly number[];
  readonly signatureAlgorithms: readonly number[];
  readonly signatureAlgorithmsCert: readonly number[] | undefined;
  /** The server would like an OCSP response with the client's certificate (RFC 8446 §4.4.2.1). */
  readonly statusRequest: boolean;
  /** The server would like signed certificate timestamps (RFC 6962 §3.3). */
  readonly signedCertificateTimestamp: boolean;
}

export function certificateRequestView(message: CertificateRequest): CertificateRequestView {
  const exts = message.extensions;
  const X = ExtensionType;
  return {
    types: exts.map((e) => e.type),
    signatureAlgorithms: signatureAlgorithmsOf(exts),
    signatureAlgorithmsCert: decodeExtension(exts, X.signature_algorithms_cert, decodeSignatureAlgorithms),
    statusRequest: decodeExtension(exts, X.status_request, (d) => decodeEmpty(d, 'status_request')) ?? false,
    signedCertificateTimestamp: decodeExtension(exts, X.signed_certificate_timestamp, (d) => decodeEmpty(d, 'signed_certificate_timestamp')) ?? false,
  };
}
