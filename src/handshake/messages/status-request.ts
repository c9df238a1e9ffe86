/**
 * status_request (RFC 6066 §8, RFC 8446 §4.4.2.1): the client's
 * CertificateStatusRequest in ClientHello, the empty request a server puts in
 * CertificateRequest, and the CertificateStatus (an OCSP response) that TLS 1.3
 * carries in a CertificateEntry's extensions.
 * @module
 */
import { ProtocolError } from '../../wire/errors.ts';
import { CertificateStatusType, ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { ResponderID responder_id_list<0..2^16-1>; Extensions request_extensions; } OCSPStatusRequest`. */
export interface OcspStatusRequest {
  /** Each `opaque ResponderID<1..2^16-1>` (a DER ResponderID). */
  readonly responderIdList: readonly Uint8Array[];
  /** `opaque Extensions<0..2^16-1>`: DER OCSP request extensions. */
  readonly requestExtensions: Uint8Array;
}

/** A CertificateStatusRequest; `ocsp` is set for status_type ocsp(1), the only type defined. */
export interface StatusRequest {
  readonly statusType: number;
  readonly ocsp: OcspStatusRequest | undefined;
}

const NO_REQUEST: OcspStatusRequest = { responderIdList: [], requestExtensions: new Uint8Array(0) };

/** ClientHello: an OCSP request (by default, no responder ids and no extensions, as browsers send). */
export function statusRequestExtension(request: OcspStatusRequest = NO_REQUEST): Extension {
  return makeExtension(ExtensionType.status_request, (w) => {
    w.u8(CertificateStatusType.ocsp);
    w.vector(2, (v) => request.responderIdList.forEach((id) => v.opaque(2, id)));
    w.opaque(2, request.requestExtensions);
  });
}

/**
 * The client's request. A status_type other than ocsp has no defined body: it
 * is returned with `ocsp` undefined, and the server ignores it (RFC 6066 §8).
 */
export function decodeStatusRequest(data: Uint8Array): StatusRequest {
  return decodeExact(data, 'CertificateStatusRequest', (r) => {
    const statusType = r.u8('CertificateStatusRequest.status_type');
    if (statusType !== CertificateStatusType.ocsp) {
      r.rest();
      return { statusType, ocsp: undefined };
    }
    const responderIdList = r.list(2, 'OCSPStatusRequest.responder_id_list', (x) => x.opaque(2, 'ResponderID', 1));
    const requestExtensions = r.opaque(2, 'OCSPStatusRequest.request_extensions');
    return { statusType, ocsp: { responderIdList, requestExtensions } };
  });
}

/** CertificateEntry: `struct { CertificateStatusType status_type; OCSPResponse response; } CertificateStatus`. */
export function certificateStatusExtension(ocspResponse: Uint8Array): Extension {
  return makeExtension(ExtensionType.status_request, (w) => w.u8(CertificateStatusType.ocsp).opaque(3, ocspResponse));
}

/**
 * The DER OCSPResponse (`opaque OCSPResponse<1..2^24-1>`). We only ever ask
 * for ocsp, so another status_type answers a question we did not ask.
 */
export function decodeCertificateStatus(data: Uint8Array): Uint8Array {
  return decodeExact(data, 'CertificateStatus', (r) => {
    const statusType = r.u8('CertificateStatus.status_type');
    if (statusType !== CertificateStatusType.ocsp) {
      throw new ProtocolError('IllegalParameter', `CertificateStatus.status_type ${statusType} is not ocsp`);
    }
    return r.opaque(3, 'OCSPResponse', 1);
  });
}
