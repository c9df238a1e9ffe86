/**
 * The `ssl` module's constants and enums with CPython's values (CPython 3.13
 * on OpenSSL 3): `VerifyMode`, `VerifyFlags`, `Options`, `TLSVersion`,
 * `AlertDescription`, `SSLErrorNumber`, the `PROTOCOL_*` methods and the
 * `HAS_*` feature flags, each `HAS_*` true only for what puretls does today.
 * Enums are frozen `as const` objects (DESIGN §5); every member is also a
 * plain module-level constant, as in Python.
 * @module
 */
import { VERIFY_ALLOW_PROXY_CERTS, VERIFY_CRL_CHECK_CHAIN, VERIFY_CRL_CHECK_LEAF, VERIFY_DEFAULT, VERIFY_X509_PARTIAL_CHAIN, VERIFY_X509_STRICT, VERIFY_X509_TRUSTED_FIRST, VERIFY_X509_WEBPKI } from './x509.ts';

/** `VERIFY_X509_WEBPKI` is puretls's own: the CA/Browser Forum rules on top of OpenSSL's strict checks (docs/x509.md). */
export { VERIFY_ALLOW_PROXY_CERTS, VERIFY_CRL_CHECK_CHAIN, VERIFY_CRL_CHECK_LEAF, VERIFY_DEFAULT, VERIFY_X509_PARTIAL_CHAIN, VERIFY_X509_STRICT, VERIFY_X509_TRUSTED_FIRST, VERIFY_X509_WEBPKI };

export const CERT_NONE = 0;
export const CERT_OPTIONAL = 1;
export const CERT_REQUIRED = 2;
export const VerifyMode = Object.freeze({ CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED });
export type VerifyMode = (typeof VerifyMode)[keyof typeof VerifyMode];

export const VerifyFlags = Object.freeze({
  VERIFY_DEFAULT,
  VERIFY_CRL_CHECK_LEAF,
  VERIFY_CRL_CHECK_CHAIN,
  VERIFY_X509_STRICT,
  VERIFY_ALLOW_PROXY_CERTS,
  VERIFY_X509_TRUSTED_FIRST,
  VERIFY_X509_PARTIAL_CHAIN,
});

/** `_SSLMethod`: PROTOCOL_TLS (alias PROTOCOL_SSLv23) negotiates; the version-pinned ones are deprecated in CPython. */
export const PROTOCOL_TLS = 2;
export const PROTOCOL_SSLv23 = PROTOCOL_TLS;
export const PROTOCOL_TLSv1 = 3;
export const PROTOCOL_TLSv1_1 = 4;
export const PROTOCOL_TLSv1_2 = 5;
export const PROTOCOL_TLS_CLIENT = 16;
export const PROTOCOL_TLS_SERVER = 17;
export const _SSLMethod = Object.freeze({ PROTOCOL_TLS, PROTOCOL_TLSv1, PROTOCOL_TLSv1_1, PROTOCOL_TLSv1_2, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER });

/** OpenSSL 3's `SSL_OP_*` bits as CPython exports them. */
export const OP_NO_SSLv2 = 0;
export const OP_SINGLE_DH_USE = 0;
export const OP_SINGLE_ECDH_USE = 0;
export const OP_LEGACY_SERVER_CONNECT = 0x4;
export const OP_ENABLE_KTLS = 0x8;
export const OP_IGNORE_UNEXPECTED_EOF = 0x80;
export const OP_NO_TICKET = 0x4000;
export const OP_NO_COMPRESSION = 0x20000;
export const OP_ENABLE_MIDDLEBOX_COMPAT = 0x100000;
export const OP_CIPHER_SERVER_PREFERENCE = 0x400000;
export const OP_NO_SSLv3 = 0x2000000;
export const OP_NO_TLSv1 = 0x4000000;
export const OP_NO_TLSv1_2 = 0x8000000;
export const OP_NO_TLSv1_1 = 0x10000000;
export const OP_NO_TLSv1_3 = 0x20000000;
export const OP_NO_RENEGOTIATION = 0x40000000;
/** OpenSSL 3's SSL_OP_ALL: bug workarounds (none of which apply to puretls) plus legacy-server tolerance. */
export const OP_ALL = 0x80000050;
export const Options = Object.freeze({
  OP_NO_SSLv2,
  OP_SINGLE_DH_USE,
  OP_SINGLE_ECDH_USE,
  OP_LEGACY_SERVER_CONNECT,
  OP_ENABLE_KTLS,
  OP_IGNORE_UNEXPECTED_EOF,
  OP_NO_TICKET,
  OP_NO_COMPRESSION,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_NO_SSLv3,
  OP_NO_TLSv1,
  OP_NO_TLSv1_2,
  OP_NO_TLSv1_1,
  OP_NO_TLSv1_3,
  OP_NO_RENEGOTIATION,
  OP_ALL,
});

/** `ssl.TLSVersion`: wire versions, and the two markers OpenSSL reads as "the lowest/highest you have". */
export const TLSVersion = Object.freeze({
  MINIMUM_SUPPORTED: -2,
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  TLSv1_1: 0x0302,
  TLSv1_2: 0x0303,
  TLSv1_3: 0x0304,
  MAXIMUM_SUPPORTED: -1,
});
export type TLSVersion = (typeof TLSVersion)[keyof typeof TLSVersion];

export const ALERT_DESCRIPTION_CLOSE_NOTIFY = 0;
export const ALERT_DESCRIPTION_UNEXPECTED_MESSAGE = 10;
export const ALERT_DESCRIPTION_BAD_RECORD_MAC = 20;
export const ALERT_DESCRIPTION_RECORD_OVERFLOW = 22;
export const ALERT_DESCRIPTION_DECOMPRESSION_FAILURE = 30;
export const ALERT_DESCRIPTION_HANDSHAKE_FAILURE = 40;
export const ALERT_DESCRIPTION_BAD_CERTIFICATE = 42;
export const ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE = 43;
export const ALERT_DESCRIPTION_CERTIFICATE_REVOKED = 44;
export const ALERT_DESCRIPTION_CERTIFICATE_EXPIRED = 45;
export const ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN = 46;
export const ALERT_DESCRIPTION_ILLEGAL_PARAMETER = 47;
export const ALERT_DESCRIPTION_UNKNOWN_CA = 48;
export const ALERT_DESCRIPTION_ACCESS_DENIED = 49;
export const ALERT_DESCRIPTION_DECODE_ERROR = 50;
export const ALERT_DESCRIPTION_DECRYPT_ERROR = 51;
export const ALERT_DESCRIPTION_PROTOCOL_VERSION = 70;
export const ALERT_DESCRIPTION_INSUFFICIENT_SECURITY = 71;
export const ALERT_DESCRIPTION_INTERNAL_ERROR = 80;
export const ALERT_DESCRIPTION_USER_CANCELLED = 90;
export const ALERT_DESCRIPTION_NO_RENEGOTIATION = 100;
export const ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION = 110;
export const ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE = 111;
export const ALERT_DESCRIPTION_UNRECOGNIZED_NAME = 112;
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE = 113;
export const ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE = 114;
export const ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY = 115;
export const AlertDescription = Object.freeze({
  ALERT_DESCRIPTION_CLOSE_NOTIFY,
  ALERT_DESCRIPTION_UNEXPECTED_MESSAGE,
  ALERT_DESCRIPTION_BAD_RECORD_MAC,
  ALERT_DESCRIPTION_RECORD_OVERFLOW,
  ALERT_DESCRIPTION_DECOMPRESSION_FAILURE,
  ALERT_DESCRIPTION_HANDSHAKE_FAILURE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE,
  ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE,
  ALERT_DESCRIPTION_CERTIFICATE_REVOKED,
  ALERT_DESCRIPTION_CERTIFICATE_EXPIRED,
  ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN,
  ALERT_DESCRIPTION_ILLEGAL_PARAMETER,
  ALERT_DESCRIPTION_UNKNOWN_CA,
  ALERT_DESCRIPTION_ACCESS_DENIED,
  ALERT_DESCRIPTION_DECODE_ERROR,
  ALERT_DESCRIPTION_DECRYPT_ERROR,
  ALERT_DESCRIPTION_PROTOCOL_VERSION,
  ALERT_DESCRIPTION_INSUFFICIENT_SECURITY,
  ALERT_DESCRIPTION_INTERNAL_ERROR,
  ALERT_DESCRIPTION_USER_CANCELLED,
  ALERT_DESCRIPTION_NO_RENEGOTIATION,
  ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION,
  ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE,
  ALERT_DESCRIPTION_UNRECOGNIZED_NAME,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE,
  ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE,
  ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY,
});

export const SSL_ERROR_SSL = 1;
export const SSL_ERROR_WANT_READ = 2;
export const SSL_ERROR_WANT_WRITE = 3;
export const SSL_ERROR_WANT_X509_LOOKUP = 4;
export const SSL_ERROR_SYSCALL = 5;
export const SSL_ERROR_ZERO_RETURN = 6;
export const SSL_ERROR_WANT_CONNECT = 7;
export const SSL_ERROR_EOF = 8;
export const SSL_ERROR_INVALID_ERROR_CODE = 10;
export const SSLErrorNumber = Object.freeze({
  SSL_ERROR_SSL,
  SSL_ERROR_WANT_READ,
  SSL_ERROR_WANT_WRITE,
  SSL_ERROR_WANT_X509_LOOKUP,
  SSL_ERROR_SYSCALL,
  SSL_ERROR_ZERO_RETURN,
  SSL_ERROR_WANT_CONNECT,
  SSL_ERROR_EOF,
  SSL_ERROR_INVALID_ERROR_CODE,
});

/** What works today (each turns true when its feature lands). */
export const HAS_SNI = true;
export const HAS_ALPN = true;
export const HAS_ECDH = true;
export const HAS_NPN = false;
export const HAS_NEVER_CHECK_COMMON_NAME = true;
export const HAS_SSLv2 = false;
export const HAS_SSLv3 = false;
export const HAS_TLSv1 = false;
export const HAS_TLSv1_1 = false;
export const HAS_TLSv1_2 = true;
export const HAS_TLSv1_3 = true;
/** CPython 3.14: TLS 1.3 post-handshake client authentication (not yet in puretls). */
export const HAS_PHA = false;
/** CPython 3.13: external pre-shared keys (`set_psk_client_callback`); not in puretls. */
export const HAS_PSK = false;

/** Channel-binding types `get_channel_binding` knows (RFC 5929); `tls-unique` needs TLS 1.2. */
export const CHANNEL_BINDING_TYPES: readonly string[] = Object.freeze(['tls-unique']);

export const PEM_HEADER = '-----BEGIN CERTIFICATE-----';
export const PEM_FOOTER = '-----END CERTIFICATE-----';
