/**
 * The Alert message body (RFC 8446 §6, RFC 5246 §7.2): a level byte and a
 * description byte. We require an alert record to hold exactly one alert, as
 * RFC 8446 §5.1 does for TLS 1.3 ("Alert messages MUST NOT be fragmented across
 * records, and multiple alert messages MUST NOT be coalesced"); for TLS 1.2 we
 * apply the same rule, as Go and rustls do, since no real peer fragments alerts.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';

export interface Alert {
  readonly level: number;
  readonly description: number;
}

export function encodeAlert(level: number, description: number): Uint8Array {
  return new Uint8Array([level, description]);
}

/** Decodes the body of one alert record; anything but 2 bytes is a decode_error. */
export function decodeAlert(body: Uint8Array): Alert {
  if (body.length !== 2) throw new ProtocolError('MalformedAlert', `alert record of ${body.length} bytes, not 2`);
  return { level: body[0] as number, description: body[1] as number };
}
