/**
 * The one error class of the certificate and key parsers. Whatever goes wrong
 * while reading PEM, DER, a certificate, an extension or a key surfaces as an
 * `X509ParseError` naming the field (`'TBSCertificate.validity.notBefore'`),
 * never as a raw exception from the ASN.1 library. It is a `ProtocolError`, so
 * a certificate received from a peer that does not parse ends the handshake
 * with `bad_certificate` (RFC 8446 §6.2: "a certificate was corrupt"), and one
 * we can read but not use (an unknown key type or curve) with
 * `unsupported_certificate`.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';

export type X509Cause = 'BadCertificate' | 'UnsupportedCertificate';

export class X509ParseError extends ProtocolError {
  /** The ASN.1 / PEM field that could not be read, e.g. `'TBSCertificate.serialNumber'`. */
  readonly field: string;
  /** What was wrong with it, without the field name. */
  readonly detail: string;

  constructor(field: string, detail: string, cause: X509Cause = 'BadCertificate') {
    super(cause, `${field}: ${detail}`);
    this.name = 'X509ParseError';
    this.field = field;
    this.detail = detail;
  }
}

/** Shorthand for the "understood, but we do not support it" case. */
export function unsupported(field: string, detail: string): X509ParseError {
  return new X509ParseError(field, detail, 'UnsupportedCertificate');
}
