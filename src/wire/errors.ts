/**
 * Error classes and the one table from cause to alert. Call sites name what went
 * wrong (`'IncorrectFinished'`); `CAUSES` decides the alert sent (RFC 8446 §6.2)
 * and the OpenSSL reason string the `ssl` module reports as `SSLError.reason`.
 * @module
 */
import { AlertDescription, nameOf } from './registry.ts';

const A = AlertDescription;

/** cause → [alert we send, OpenSSL reason]. The only place that chooses an alert. */
export const CAUSES = {
  // Codec and framing (RFC 8446 §5, §6.2)
  // OpenSSL's reasons for the same failures: a message shorter or longer than its fields say is
  // LENGTH_MISMATCH; a record (or plaintext) longer than allowed is PACKET_LENGTH_TOO_LONG.
  MalformedMessage: [A.decode_error, 'LENGTH_MISMATCH'],
  RecordOverflow: [A.record_overflow, 'PACKET_LENGTH_TOO_LONG'],
  BadRecordMac: [A.bad_record_mac, 'DECRYPTION_FAILED_OR_BAD_RECORD_MAC'],
  WrongRecordVersion: [A.protocol_version, 'WRONG_VERSION_NUMBER'],
  UnknownContentType: [A.unexpected_message, 'UNKNOWN_RECORD_TYPE'],
  EmptyRecord: [A.unexpected_message, 'RECORD_LENGTH_MISMATCH'],
  TooManyEmptyRecords: [A.unexpected_message, 'RECORD_TOO_SMALL'],
  UnexpectedChangeCipherSpec: [A.unexpected_message, 'UNEXPECTED_CCS_MESSAGE'],
  InvalidChangeCipherSpec: [A.unexpected_message, 'BAD_CHANGE_CIPHER_SPEC'],
  InterleavedHandshake: [A.unexpected_message, 'UNEXPECTED_RECORD'],
  KeyChangeNotOnRecordBoundary: [A.unexpected_message, 'NOT_ON_RECORD_BOUNDARY'],
  HandshakeMessageTooLarge: [A.illegal_parameter, 'EXCESSIVE_MESSAGE_SIZE'],
  TooManyWarningAlerts: [A.unexpected_message, 'TOO_MANY_WARN_ALERTS'],
  MalformedAlert: [A.decode_error, 'BAD_ALERT'],
  SequenceNumberExhausted: [A.internal_error, 'SEQUENCE_NUMBER_EXHAUSTED'],
  // RFC 8446 §5.5: a key used up (TLS 1.2 cannot change it; a peer that never does in TLS 1.3).
  KeyUsageLimit: [A.internal_error, 'KEY_USAGE_LIMIT'],
  DataAfterCloseNotify: [A.unexpected_message, 'APPLICATION_DATA_AFTER_CLOSE_NOTIFY'],
  PlaintextAfterKeys: [A.unexpected_message, 'UNEXPECTED_RECORD'],
  // RFC 8446 §5.4: a TLSInnerPlaintext of zeros only has no content type (OpenSSL: type 0).
  NoInnerContentType: [A.unexpected_message, 'BAD_RECORD_TYPE'],

  // Handshake flow (RFC 8446 §4)
  UnexpectedMessage: [A.unexpected_message, 'UNEXPECTED_MESSAGE'],
  UnsupportedVersion: [A.protocol_version, 'UNSUPPORTED_PROTOCOL'],
  // RFC 8446 §D.5 (0x0300 or less in any hello) and §4.1.2 (0x0303 in a hello offering TLS 1.3).
  BadLegacyVersion: [A.protocol_version, 'BAD_LEGACY_VERSION'],
  DowngradeDetected: [A.illegal_parameter, 'INAPPROPRIATE_FALLBACK'],
  // RFC 7507 §3: TLS_FALLBACK_SCSV from a client whose maximum is below ours.
  InappropriateFallback: [A.inappropriate_fallback, 'INAPPROPRIATE_FALLBACK'],
  // TLS 1.2 (RFC 5246, RFC 5746, RFC 7627, RFC 8422), with OpenSSL's reasons.
  WrongCertificateType: [A.handshake_failure, 'WRONG_CERTIFICATE_TYPE'],
  // TLS 1.2 has no certificate_required alert (RFC 8446 §6 added it): OpenSSL sends handshake_failure.
  NoClientCertificate12: [A.handshake_failure, 'PEER_DID_NOT_RETURN_A_CERTIFICATE'],
  RenegotiationMismatch: [A.handshake_failure, 'RENEGOTIATION_MISMATCH'],
  UnsafeLegacyRenegotiation: [A.handshake_failure, 'UNSAFE_LEGACY_RENEGOTIATION_DISABLED'],
  ExtendedMasterSecretRequired: [A.handshake_failure, 'EXTENDED_MASTER_SECRET_REQUIRED'],
  InconsistentExtendedMasterSecret: [A.handshake_failure, 'INCONSISTENT_EXTMS'],
  BadPointFormats: [A.illegal_parameter, 'TLS_INVALID_ECPOINTFORMAT_LIST'],
  NoSharedCipher: [A.handshake_failure, 'NO_SHARED_CIPHER'],
  NoSharedGroup: [A.handshake_failure, 'NO_SUITABLE_KEY_SHARE'],
  NoSharedSignatureScheme: [A.handshake_failure, 'NO_SUITABLE_SIGNATURE_ALGORITHM'],
  NoApplicationProtocol: [A.no_application_protocol, 'NO_APPLICATION_PROTOCOL'],
  IllegalParameter: [A.illegal_parameter, 'BAD_EXTENSION'],
  BadKeyShare: [A.illegal_parameter, 'BAD_KEY_SHARE'],
  WrongCipherReturned: [A.illegal_parameter, 'WRONG_CIPHER_RETURNED'],
  BadHelloRetryRequest: [A.illegal_parameter, 'BAD_HELLO_RETRY_REQUEST'],
  SecondHelloRetryRequest: [A.unexpected_message, 'UNEXPECTED_MESSAGE'],
  DuplicateExtension: [A.illegal_parameter, 'DUPLICATE_EXTENSION'],
  UnsolicitedExtension: [A.unsupported_extension, 'UNSOLICITED_EXTENSION'],
  ExtensionNotAllowedHere: [A.illegal_parameter, 'BAD_EXTENSION'],
  MissingExtension: [A.missing_extension, 'MISSING_EXTENSION'],
  PreSharedKeyNotLast: [A.illegal_parameter, 'BAD_EXTENSION'],
  MaxFragmentLengthRefused: [A.illegal_parameter, 'SSL3_EXT_INVALID_MAX_FRAGMENT_LENGTH'],
  IncorrectFinished: [A.decrypt_error, 'DIGEST_CHECK_FAILED'],
  BadSignature: [A.decrypt_error, 'BAD_SIGNATURE'],
  WrongSignatureType: [A.illegal_parameter, 'WRONG_SIGNATURE_TYPE'],
  UnsupportedCertificate: [A.unsupported_certificate, 'UNSUPPORTED_CERTIFICATE'],
  BadCertificate: [A.bad_certificate, 'BAD_CERTIFICATE'],
  CertificateRequired: [A.certificate_required, 'PEER_DID_NOT_RETURN_A_CERTIFICATE'],
  NoCertificateVerifier: [A.internal_error, 'NO_CERTIFICATE_VERIFIER'],
  // A verifier told to check the host name was given none: a local misconfiguration, not the
  // peer's fault, so internal_error (RFC 8446 §6.2), and it fails closed rather than skipping
  // the check. The reason is CPython's message for the same mistake ("check_hostname requires
  // server_hostname"), which OpenSSL has no reason code for.
  ServerNameRequired: [A.internal_error, 'CHECK_HOSTNAME_REQUIRES_SERVER_HOSTNAME'],
  BadKeyUpdate: [A.illegal_parameter, 'BAD_KEY_UPDATE'],
  TooManyKeyUpdates: [A.unexpected_message, 'TOO_MANY_KEY_UPDATES'],
  UnrecognizedName: [A.unrecognized_name, 'UNRECOGNIZED_NAME'],
  InternalError: [A.internal_error, 'INTERNAL_ERROR'],

  // Handshake message contents (RFC 8446 §4.1.2, §4.1.3, §4.2.11, §4.6.1; RFC 8449 §4)
  BadCompressionMethods: [A.illegal_parameter, 'INVALID_COMPRESSION_ALGORITHM'],
  // RFC 6066 §3: two names of one name_type; a host_name that is not ASCII without a trailing dot.
  // OpenSSL reports every server_name problem as BAD_EXTENSION.
  DuplicateServerName: [A.illegal_parameter, 'BAD_EXTENSION'],
  BadServerName: [A.illegal_parameter, 'BAD_EXTENSION'],
  PskBindersMismatch: [A.illegal_parameter, 'BAD_EXTENSION'],
  TicketLifetimeTooLong: [A.illegal_parameter, 'BAD_TICKET_LIFETIME'],
  RecordSizeLimitTooSmall: [A.illegal_parameter, 'BAD_EXTENSION'],
} as const satisfies Record<string, readonly [AlertDescription, string]>;

export type Cause = keyof typeof CAUSES;

export function alertFor(cause: Cause): AlertDescription {
  return CAUSES[cause][0];
}

export function reasonFor(cause: Cause): string {
  return CAUSES[cause][1];
}

/** Base of every error the engine raises. */
export abstract class TlsError extends Error {}

/**
 * A fatal condition we detected: the engine sends `alert` once and stops both
 * directions (RFC 8446 §6.2).
 */
export class ProtocolError extends TlsError {
  override readonly cause: Cause;
  readonly alert: AlertDescription;
  readonly reason: string;

  constructor(cause: Cause, detail: string) {
    super(`${cause}: ${detail}`);
    this.name = 'ProtocolError';
    this.cause = cause;
    this.alert = alertFor(cause);
    this.reason = reasonFor(cause);
  }
}

/** Bytes that do not parse as the RFC says; `field` names the RFC field. */
export class DecodeError extends ProtocolError {
  readonly field: string;

  constructor(field: string, detail: string) {
    super('MalformedMessage', `${field}: ${detail}`);
    this.name = 'DecodeError';
    this.field = field;
  }
}

/**
 * The peer's certificate chain failed verification. The alert and the OpenSSL
 * verify code come from `x509/`'s table of verify codes (RFC 8446 §6.2 names
 * the alerts: unknown_ca, certificate_expired, bad_certificate, ...).
 */
export class CertificateVerifyError extends TlsError {
  override readonly cause = 'CertificateVerifyFailed';
  readonly reason = 'CERTIFICATE_VERIFY_FAILED';
  readonly alert: AlertDescription;
  readonly verifyCode: number;
  readonly verifyMessage: string;

  /** `message` is OpenSSL's text for the code (what `SSLCertVerificationError.verify_message` shows). */
  constructor(verifyCode: number, verifyMessage: string, alert: AlertDescription) {
    super(verifyMessage);
    this.name = 'CertificateVerifyError';
    this.verifyCode = verifyCode;
    this.verifyMessage = verifyMessage;
    this.alert = alert;
  }
}

/**
 * The application refused the handshake with an alert of its choosing, e.g. a
 * server's ClientHello hook answering an unknown SNI name with
 * unrecognized_name (RFC 6066 §3). The engine sends `alert` once, as for any
 * fatal error. `reason` is OpenSSL's for a callback that aborts a handshake.
 */
export class ApplicationAlert extends TlsError {
  override readonly cause = 'ApplicationAlert';
  readonly reason = 'CALLBACK_FAILED';
  /** Any description (0..255), as Python's `sni_callback` may return any `ALERT_DESCRIPTION_*`. */
  readonly alert: number;

  constructor(alert: number, detail = `the application refused the handshake with ${nameOf(AlertDescription, alert)}`) {
    super(detail);
    if (!Number.isInteger(alert) || alert < 0 || alert > 255) throw new RangeError(`alert description ${alert} is not a byte`);
    this.name = 'ApplicationAlert';
    this.alert = alert;
  }
}

/** The alert the engine sends for a local fatal error; anything unexpected is an internal_error. */
export function fatalAlertFor(error: unknown): number {
  if (error instanceof ProtocolError || error instanceof CertificateVerifyError || error instanceof ApplicationAlert) return error.alert;
  return A.internal_error;
}

/** The peer sent a fatal alert (or any alert other than close_notify/user_canceled in TLS 1.3). */
export class AlertReceived extends TlsError {
  readonly description: number;

  constructor(description: number) {
    super(`peer sent alert ${nameOf(AlertDescription, description)}`);
    this.name = 'AlertReceived';
    this.description = description;
  }
}

/** An operation on a connection that already failed or closed. */
export class ConnectionClosedError extends TlsError {
  /** The error that ended the connection, if one did. */
  readonly original: TlsError | undefined;

  constructor(detail: string, original?: TlsError) {
    super(detail);
    this.name = 'ConnectionClosedError';
    this.original = original;
  }
}
