/**
 * The assertion every rejection test of the x509 parsers makes: the error is
 * an `X509ParseError` with the expected cause, hence the expected alert, and a
 * message naming what was wrong.
 * @module
 */
import { expect } from 'vitest';
import { AlertDescription } from '../../src/wire/registry.ts';
import { type X509Cause, X509ParseError } from '../../src/x509/errors.ts';

export function expectX509Error(fn: () => unknown, cause: X509Cause, detail: RegExp): X509ParseError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(X509ParseError);
  const e = caught as X509ParseError;
  expect(e.cause).toBe(cause);
  expect(e.alert).toBe(cause === 'BadCertificate' ? AlertDescription.bad_certificate : AlertDescription.unsupported_certificate);
  expect(e.message).toMatch(detail);
  return e;
}
