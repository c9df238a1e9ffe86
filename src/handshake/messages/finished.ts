/**
 * Finished (RFC 8446 §4.4.4): the body is verify_data itself, an HMAC as long
 * as the handshake hash, so its length is fixed by the cipher suite.
 * @module
 */
import { DecodeError } from '../../wire/errors.ts';

/** `struct { opaque verify_data[Hash.length]; } Finished`: the body is the verify_data. */
export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return verifyData.slice();
}

/** The verify_data; a body of any other length than `hashLength` is a decode_error. */
export function decodeFinished(body: Uint8Array, hashLength: number): Uint8Array {
  if (body.length !== hashLength) throw new DecodeError('Finished.verify_data', `${body.length} bytes, expected ${hashLength}`);
  return body;
}
