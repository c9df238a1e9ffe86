/**
 * The TLS 1.2 handshake messages with an empty body: HelloRequest
 * (RFC 5246 §7.4.1.1) and ServerHelloDone (§7.4.5), both `struct { }`.
 * @module
 */
import { DecodeError } from '../../wire/errors.ts';

/** Any byte in the body is a decode_error; `name` (HelloRequest, ServerHelloDone) is for the error. */
export function decodeEmptyMessage(body: Uint8Array, name: string): void {
  if (body.length !== 0) throw new DecodeError(name, `${body.length} bytes in an empty message`);
}
