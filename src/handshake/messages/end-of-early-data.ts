/**
 * EndOfEarlyData (RFC 8446 §4.5): the client's empty message closing 0-RTT
 * data, sent under the early traffic keys before its Finished.
 * @module
 */
import { DecodeError } from '../../wire/errors.ts';

/** `struct {} EndOfEarlyData`. */
export function encodeEndOfEarlyData(): Uint8Array {
  return new Uint8Array(0);
}

export function decodeEndOfEarlyData(body: Uint8Array): void {
  if (body.length !== 0) throw new DecodeError('EndOfEarlyData', `${body.length} bytes in an empty message`);
}
