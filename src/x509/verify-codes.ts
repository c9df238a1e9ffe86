/**
 * OpenSSL's certificate verification codes (`X509_V_ERR_*`, OpenSSL 3.0
 * `x509_vfy.h`) with the texts of `X509_verify_cert_error_string`, the TLS
 * alert each one sends (OpenSSL's `ssl_x509err2alert` table, RFC 8446 §6.2),
 * and `X509VerifyError`, the one error the path validator throws. The `ssl`
 * module turns it into `SSLCertVerificationError(verify_code, verify_message)`
 * and the handshake engine sends `alert`; neither needs anything else.
 * @module
 */
import { AlertDescription } from '../wire/registry.ts';
import { CertificateVerifyError } from '../wire/errors.ts';

/** The codes we produce (a subset of OpenSSL's; numbers are OpenSSL's). */
export const X509_V = {
  OK: 0,
  ERR_UNSPECIFIED: 1,
  ERR_UNABLE_TO_GET_ISSUER_CERT: 2,
  ERR_UNABLE_TO_GET_CRL: 3,
  ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE: 4,
  ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE: 5,
  ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 6,
  ERR_CERT_SIGNATURE_FAILURE: 7,
  ERR_CRL_SIGNATURE_FAILURE: 8,
  ERR_CERT_NOT_YET_VALID: 9,
  ERR_CERT_HAS_EXPIRED: 10,
  ERR_CRL_NOT_YET_VALID: 11,
  ERR_CRL_HAS_EXPIRED: 12,
  ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD: 13,
  ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: 14,
  ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD: 15,
  ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD: 16,
  ERR_DEPTH_ZERO_SELF_SIGNED_CERT: 18,
  ERR_SELF_SIGNED_CERT_IN_CHAIN: 19,
  ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 20,
  ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: 21,
  ERR_CERT_CHAIN_TOO_LONG: 22,
  ERR_CERT_REVOKED: 23,
  ERR_PATH_LENGTH_EXCEEDED: 25,
  ERR_INVALID_PURPOSE: 26,
  ERR_CERT_UNTRUSTED: 27,
  ERR_CERT_REJECTED: 28,
  ERR_AKID_SKID_MISMATCH: 30,
  ERR_KEYUSAGE_NO_CERTSIGN: 32,
  ERR_UNABLE_TO_GET_CRL_ISSUER: 33,
  ERR_UNHANDLED_CRITICAL_EXTENSION: 34,
  ERR_KEYUSAGE_NO_CRL_SIGN: 35,
  ERR_UNHANDLED_CRITICAL_CRL_EXTENSION: 36,
  ERR_INVALID_NON_CA: 37,
  ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE: 39,
  ERR_PROXY_CERTIFICATES_NOT_ALLOWED: 40,
  ERR_INVALID_EXTENSION: 41,
  ERR_INVALID_POLICY_EXTENSION: 42,
  ERR_NO_EXPLICIT_POLICY: 43,
  ERR_UNSUPPORTED_EXTENSION_FEATURE: 45,
  ERR_PERMITTED_VIOLATION: 47,
  ERR_EXCLUDED_VIOLATION: 48,
  ERR_SUBTREE_MINMAX: 49,
  ERR_UNSUPPORTED_CONSTRAINT_TYPE: 51,
  ERR_UNSUPPORTED_CONSTRAINT_SYNTAX: 52,
  ERR_UNSUPPORTED_NAME_SYNTAX: 53,
  ERR_PATH_LOOP: 55,
  ERR_HOSTNAME_MISMATCH: 62,
  ERR_EMAIL_MISMATCH: 63,
  ERR_IP_ADDRESS_MISMATCH: 64,
  ERR_EE_KEY_TOO_SMALL: 66,
  ERR_CA_KEY_TOO_SMALL: 67,
  ERR_CA_MD_TOO_WEAK: 68,
  ERR_UNSUPPORTED_SIGNATURE_ALGORITHM: 76,
  ERR_SIGNATURE_ALGORITHM_MISMATCH: 77,
  ERR_SIGNATURE_ALGORITHM_INCONSISTENCY: 78,
  ERR_INVALID_CA: 79,
  ERR_PATHLEN_INVALID_FOR_NON_CA: 80,
  ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN: 81,
  ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA: 82,
  ERR_ISSUER_NAME_EMPTY: 83,
  ERR_SUBJECT_NAME_EMPTY: 84,
  ERR_MISSING_AUTHORITY_KEY_IDENTIFIER: 85,
  ERR_MISSING_SUBJECT_KEY_IDENTIFIER: 86,
  ERR_EMPTY_SUBJECT_ALT_NAME: 87,
  ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL: 88,
  ERR_CA_BCONS_NOT_CRITICAL: 89,
  ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL: 90,
  ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL: 91,
  ERR_CA_CERT_MISSING_KEY_USAGE: 92,
  ERR_EXTENSIONS_REQUIRE_VERSION_3: 93,
  ERR_EC_KEY_EXPLICIT_PARAMS: 94,
} as const;

export type VerifyCode = (typeof X509_V)[keyof typeof X509_V];

/** `X509_verify_cert_error_string` of OpenSSL 3.0, verbatim. */
const MESSAGES: Readonly<Record<VerifyCode, string>> = {
  0: 'ok',
  1: 'unspecified certificate verification error',
  2: 'unable to get issuer certificate',
  3: 'unable to get certificate CRL',
  4: "unable to decrypt certificate's signature",
  5: "unable to decrypt CRL's signature",
  6: 'unable to decode issuer public key',
  7: 'certificate signature failure',
  8: 'CRL signature failure',
  9: 'certificate is not yet valid',
  10: 'certificate has expired',
  11: 'CRL is not yet valid',
  12: 'CRL has expired',
  13: "format error in certificate's notBefore field",
  14: "format error in certificate's notAfter field",
  15: "format error in CRL's lastUpdate field",
  16: "format error in CRL's nextUpdate field",
  18: 'self-signed certificate',
  19: 'self-signed certificate in certificate chain',
  20: 'unable to get local issuer certificate',
  21: 'unable to verify the first certificate',
  22: 'certificate chain too long',
  23: 'certificate revoked',
  25: 'path length constraint exceeded',
  26: 'unsuitable certificate purpose',
  27: 'certificate not trusted',
  28: 'certificate rejected',
  30: 'authority and subject key identifier mismatch',
  32: 'key usage does not include certificate signing',
  33: 'unable to get CRL issuer certificate',
  34: 'unhandled critical extension',
  35: 'key usage does not include CRL signing',
  36: 'unhandled critical CRL extension',
  37: 'invalid non-CA certificate (has CA markings)',
  39: 'key usage does not include digital signature',
  40: 'proxy certificates not allowed, please set the appropriate flag',
  41: 'invalid or inconsistent certificate extension',
  42: 'invalid or inconsistent certificate policy extension',
  43: 'no explicit policy',
  45: 'unsupported extension feature',
  47: 'permitted subtree violation',
  48: 'excluded subtree violation',
  49: 'name constraints minimum and maximum not supported',
  51: 'unsupported name constraint type',
  52: 'unsupported or invalid name constraint syntax',
  53: 'unsupported or invalid name syntax',
  55: 'path loop',
  62: 'hostname mismatch',
  63: 'email address mismatch',
  64: 'IP address mismatch',
  66: 'EE certificate key too weak',
  67: 'CA certificate key too weak',
  68: 'CA signature digest algorithm too weak',
  76: 'Cannot find certificate signature algorithm',
  77: 'subject signature algorithm and issuer public key algorithm mismatch',
  78: 'cert info signature and signature algorithm mismatch',
  79: 'invalid CA certificate',
  80: 'Path length invalid for non-CA cert',
  81: 'Path length given without key usage keyCertSign',
  82: 'Key usage keyCertSign invalid for non-CA cert',
  83: 'Issuer name empty',
  84: 'Subject name empty',
  85: 'Missing Authority Key Identifier',
  86: 'Missing Subject Key Identifier',
  87: 'Empty Subject Alternative Name extension',
  88: 'Subject empty and Subject Alt Name extension not critical',
  89: 'Basic Constraints of CA cert not marked critical',
  90: 'Authority Key Identifier marked critical',
  91: 'Subject Key Identifier marked critical',
  92: 'CA cert does not include key usage extension',
  93: 'Using cert extension requires at least X509v3',
  94: 'Certificate public key has explicit ECC parameters',
};

export function verifyMessage(code: VerifyCode): string {
  return MESSAGES[code];
}

const A = AlertDescription;

/**
 * The alert sent for a verification failure: OpenSSL's `ssl_x509err2alert`,
 * so that a peer sees what it would see from OpenSSL; codes not listed there
 * send certificate_unknown (RFC 8446 §6.2: "some other (unspecified) issue").
 */
const ALERTS: Partial<Record<VerifyCode, AlertDescription>> = {
  1: A.internal_error,
  2: A.unknown_ca,
  3: A.unknown_ca,
  4: A.bad_certificate,
  5: A.bad_certificate,
  6: A.bad_certificate,
  7: A.decrypt_error,
  8: A.decrypt_error,
  9: A.bad_certificate,
  10: A.certificate_expired,
  11: A.bad_certificate,
  12: A.certificate_expired,
  13: A.bad_certificate,
  14: A.bad_certificate,
  15: A.bad_certificate,
  16: A.bad_certificate,
  18: A.unknown_ca,
  19: A.unknown_ca,
  20: A.unknown_ca,
  21: A.unknown_ca,
  22: A.unknown_ca,
  23: A.certificate_revoked,
  25: A.unknown_ca,
  26: A.unsupported_certificate,
  27: A.bad_certificate,
  28: A.bad_certificate,
  33: A.unknown_ca,
  62: A.bad_certificate,
  63: A.bad_certificate,
  64: A.bad_certificate,
  66: A.bad_certificate,
  67: A.bad_certificate,
  68: A.bad_certificate,
  79: A.unknown_ca,
  94: A.bad_certificate,
};

export function alertForVerifyCode(code: VerifyCode): AlertDescription {
  return ALERTS[code] ?? A.certificate_unknown;
}

/**
 * A certificate path that does not verify. `message` is OpenSSL's text for
 * `code` (what `SSLCertVerificationError.verify_message` shows), `depth` the
 * position in the path of the certificate at fault (0 = the peer's), `detail`
 * our own explanation for logs and tests.
 */
export class X509VerifyError extends CertificateVerifyError {
  readonly code: VerifyCode;
  readonly depth: number;
  readonly detail: string;

  constructor(code: VerifyCode, depth: number, detail = '') {
    super(code, verifyMessage(code), alertForVerifyCode(code));
    this.name = 'X509VerifyError';
    this.code = code;
    this.depth = depth;
    this.detail = detail;
  }
}
