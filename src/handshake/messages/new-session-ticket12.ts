/**
 * The TLS 1.2 NewSessionTicket (RFC 5077 §3.3): a ticket, opaque to the
 * client, and a hint of how long the server will accept it. The server sends
 * it just before its ChangeCipherSpec, when its ServerHello carried
 * session_ticket.
 * @module
 */
import { encode } from '../../wire/codec.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>; } NewSessionTicket`. */
export interface NewSessionTicket12 {
  /** Seconds; 0 means the lifetime is unspecified (RFC 5077 §3.3). */
  readonly ticketLifetimeHint: number;
  /** Empty when the server announced a ticket and then decided not to issue one (RFC 5077 §3.3). */
  readonly ticket: Uint8Array;
}

export function encodeNewSessionTicket12(message: NewSessionTicket12): Uint8Array {
  return encode((w) => w.u32(message.ticketLifetimeHint).opaque(2, message.ticket));
}

export function decodeNewSessionTicket12(body: Uint8Array): NewSessionTicket12 {
  return decodeExact(body, 'NewSessionTicket', (r) => ({
    ticketLifetimeHint: r.u32('NewSessionTicket.ticket_lifetime_hint'),
    ticket: r.opaque(2, 'NewSessionTicket.ticket'),
  }));
}
