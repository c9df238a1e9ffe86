/**
 * The engine's failures as the exceptions CPython raises for the same
 * situation: a check we failed is `SSLError` with OpenSSL's reason, an alert
 * from the peer is `[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca`-style,
 * a certificate failure is `SSLCertVerificationError` with the verify code,
 * and the non-blocking conditions (want read, close_notify, EOF) are the
 * `SSLWantReadError` / `SSLZeroReturnError` / `SSLEOFError` of `_ssl.c`.
 * The engine's own error stays reachable as the exception's `cause`.
 * @module
 */
import { AlertReceived, CertificateVerifyError, ConnectionClosedError, TlsError } from '../wire/errors.ts';
import { AlertDescription as Alert } from '../wire/registry.ts';
import { SSL_ERROR_EOF, SSL_ERROR_SSL, SSL_ERROR_WANT_READ, SSL_ERROR_ZERO_RETURN } from './constants.ts';
import { SSLEOFError, SSLError, SSLWantReadError, SSLZeroReturnError, certificateVerifyFailed, sslError, withSslLine } from './exceptions.ts';

/**
 * OpenSSL's text for a received alert (`ssl_err.c`, SSL_AD_REASON_OFFSET + the
 * alert); the reason code is the text in capitals with underscores.
 */
const ALERT_TEXT: ReadonlyMap<number, string> = new Map([
  [Alert.unexpected_message, 'sslv3 alert unexpected message'],
  [Alert.bad_record_mac, 'sslv3 alert bad record mac'],
  [Alert.decryption_failed, 'tlsv1 alert decryption failed'],
  [Alert.record_overflow, 'tlsv1 alert record overflow'],
  [Alert.decompression_failure, 'sslv3 alert decompression failure'],
  [Alert.handshake_failure, 'sslv3 alert handshake failure'],
  [Alert.no_certificate, 'sslv3 alert no certificate'],
  [Alert.bad_certificate, 'sslv3 alert bad certificate'],
  [Alert.unsupported_certificate, 'sslv3 alert unsupported certificate'],
  [Alert.certificate_revoked, 'sslv3 alert certificate revoked'],
  [Alert.certificate_expired, 'sslv3 alert certificate expired'],
  [Alert.certificate_unknown, 'sslv3 alert certificate unknown'],
  [Alert.illegal_parameter, 'sslv3 alert illegal parameter'],
  [Alert.unknown_ca, 'tlsv1 alert unknown ca'],
  [Alert.access_denied, 'tlsv1 alert access denied'],
  [Alert.decode_error, 'tlsv1 alert decode error'],
  [Alert.decrypt_error, 'tlsv1 alert decrypt error'],
  [Alert.export_restriction, 'tlsv1 alert export restriction'],
  [Alert.protocol_version, 'tlsv1 alert protocol version'],
  [Alert.insufficient_security, 'tlsv1 alert insufficient security'],
  [Alert.internal_error, 'tlsv1 alert internal error'],
  [Alert.inappropriate_fallback, 'tlsv1 alert inappropriate fallback'],
  [Alert.user_canceled, 'tlsv1 alert user cancelled'],
  [Alert.no_renegotiation, 'tlsv1 alert no renegotiation'],
  [Alert.missing_extension, 'tlsv13 alert missing extension'],
  [Alert.unsupported_extension, 'tlsv1 unsupported extension'],
  [Alert.certificate_unobtainable, 'tlsv1 certificate unobtainable'],
  [Alert.unrecognized_name, 'tlsv1 unrecognized name'],
  [Alert.bad_certificate_status_response, 'tlsv1 bad certificate status response'],
  [Alert.bad_certificate_hash_value, 'tlsv1 bad certificate hash value'],
  [Alert.unknown_psk_identity, 'tlsv1 alert unknown psk identity'],
  [Alert.certificate_required, 'tlsv13 alert certificate required'],
  [Alert.no_application_protocol, 'tlsv1 alert no application protocol'],
]);

/** The exception for an alert the peer sent, as OpenSSL reports it to CPython. */
export function alertError(description: number): SSLError {
  const text = ALERT_TEXT.get(description);
  // OpenSSL has no text for alerts it does not know: "reason(1000 + alert)" and no reason name.
  if (text === undefined) {
    const error = new SSLError(SSL_ERROR_SSL, withSslLine(`[SSL] reason(${1000 + description})`));
    error.library = 'SSL';
    return error;
  }
  return sslError('SSL', text.toUpperCase().replaceAll(' ', '_'), text);
}

/**
 * The Python exception for an engine failure. `serverHostname` names the host
 * in a hostname-mismatch message, as CPython does.
 */
export function translateEngineError(error: unknown, serverHostname: string | null): unknown {
  if (!(error instanceof TlsError)) return error;
  let translated: SSLError;
  if (error instanceof CertificateVerifyError) translated = certificateVerifyFailed(error.verifyCode, error.verifyMessage, serverHostname);
  else if (error instanceof AlertReceived) translated = alertError(error.description);
  else if (error instanceof ConnectionClosedError) translated = protocolIsShutdown();
  else {
    const reason = (error as TlsError & { reason?: string }).reason ?? 'INTERNAL_ERROR';
    // OpenSSL's text for a reason code is the code in lower case with spaces.
    translated = sslError('SSL', reason, reason.toLowerCase().replaceAll('_', ' '));
  }
  (translated as { cause?: unknown }).cause = error;
  return translated;
}

/** `SSL_ERROR_WANT_READ`: more bytes must arrive in the incoming BIO first. */
export function wantRead(): SSLWantReadError {
  return new SSLWantReadError(SSL_ERROR_WANT_READ, withSslLine('The operation did not complete (read)'));
}

/** `SSL_ERROR_ZERO_RETURN`: the TLS connection was closed with close_notify. */
export function zeroReturn(): SSLZeroReturnError {
  return new SSLZeroReturnError(SSL_ERROR_ZERO_RETURN, withSslLine('TLS/SSL connection has been closed (EOF)'));
}

/** The transport ended without close_notify (OpenSSL 3: UNEXPECTED_EOF_WHILE_READING). */
export function unexpectedEof(): SSLEOFError {
  return sslError('SSL', 'UNEXPECTED_EOF_WHILE_READING', 'EOF occurred in violation of protocol', SSL_ERROR_EOF, SSLEOFError) as SSLEOFError;
}

/** Writing after our close_notify (or on a connection that already ended). */
export function protocolIsShutdown(): SSLError {
  return sslError('SSL', 'PROTOCOL_IS_SHUTDOWN', 'protocol is shutdown');
}
