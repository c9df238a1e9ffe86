/**
 * KeyUpdate (RFC 8446 §4.6.3): one byte saying whether the sender wants the
 * peer to update its keys too.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { KeyUpdateRequest } from '../../wire/registry.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { KeyUpdateRequest request_update; } KeyUpdate`. */
export function encodeKeyUpdate(requestUpdate: number): Uint8Array {
  return encode((w) => w.u8(requestUpdate));
}

/**
 * RFC 8446 §4.6.3: "If an implementation receives any other value [than 0 or
 * 1], it MUST terminate the connection with an "illegal_parameter" alert."
 */
export function decodeKeyUpdate(body: Uint8Array): number {
  const request = decodeExact(body, 'KeyUpdate', (r) => r.u8('KeyUpdate.request_update'));
  if (request !== KeyUpdateRequest.update_not_requested && request !== KeyUpdateRequest.update_requested) {
    throw new ProtocolError('BadKeyUpdate', `request_update ${request} is neither 0 nor 1`);
  }
  return request;
}
