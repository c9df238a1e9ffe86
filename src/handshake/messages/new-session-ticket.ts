/**
 * NewSessionTicket (RFC 8446 §4.6.1): a ticket the client may use to resume,
 * with its lifetime, age obfuscation, nonce and extensions (early_data's
 * max_early_data_size). Raw form and a typed view.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import { decodeEarlyDataTicket } from './early-data.ts';
import type { Extension } from './extensions.ts';
import { decodeExtension, decodeExtensions, encodeExtensions } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** RFC 8446 §4.6.1: seven days, the longest lifetime a ticket may claim. */
export const MAX_TICKET_LIFETIME = 604800;

export interface NewSessionTicket {
  /** Seconds, at most `MAX_TICKET_LIFETIME`. */
  readonly ticketLifetime: number;
  /** Added (mod 2^32) to the ticket age the client reports (RFC 8446 §4.2.11.1). */
  readonly ticketAgeAdd: number;
  /** `opaque ticket_nonce<0..255>`, input to the resumption PSK (§4.6.1). */
  readonly ticketNonce: Uint8Array;
  /** `opaque ticket<1..2^16-1>`. */
  readonly ticket: Uint8Array;
  /** `Extension extensions<0..2^16-2>`. */
  readonly extensions: readonly Extension[];
}

export function encodeNewSessionTicket(message: NewSessionTicket): Uint8Array {
  return encode((w) => {
    w.u32(message.ticketLifetime).u32(message.ticketAgeAdd).opaque(1, message.ticketNonce).opaque(2, message.ticket);
    encodeExtensions(w, message.extensions);
  });
}

/** RFC 8446 §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds" (illegal_parameter). */
export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const message = decodeExact(body, 'NewSessionTicket', (r) => ({
    ticketLifetime: r.u32('NewSessionTicket.ticket_lifetime'),
    ticketAgeAdd: r.u32('NewSessionTicket.ticket_age_add'),
    ticketNonce: r.opaque(1, 'NewSessionTicket.ticket_nonce'),
    ticket: r.opaque(2, 'NewSessionTicket.ticket', 1),
    extensions: decodeExtensions(r, 'NewSessionTicket.extensions', 0, 2 ** 16 - 2),
  }));
  if (message.ticketLifetime > MAX_TICKET_LIFETIME) {
    throw new ProtocolError('TicketLifetimeTooLong', `ticket_lifetime ${message.ticketLifetime} > ${MAX_TICKET_LIFETIME}`);
  }
  return message;
}

/** The NewSessionTicket extensions TLS 1.3 uses, decoded (call `checkAllowed('NST', ...)` first). */
export interface NewSessionTicketView {
  readonly types: readonly number[];
  /** The most 0-RTT data the server accepts with this ticket; undefined: no 0-RTT (RFC 8446 §4.6.1). */
  readonly maxEarlyDataSize: number | undefined;
}

export function newSessionTicketView(message: NewSessionTicket): NewSessionTicketView {
  return {
    types: message.extensions.map((e) => e.type),
    maxEarlyDataSize: decodeExtension(message.extensions, ExtensionType.early_data, decodeEarlyDataTicket),
  };
}
