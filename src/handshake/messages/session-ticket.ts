/**
 * session_ticket (RFC 5077 §3.2): in a ClientHello, the ticket the client
 * resumes with, or nothing to ask for a new one; in a ServerHello, empty, the
 * server's promise of a NewSessionTicket. The extension data is the ticket
 * itself, with no length of its own.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';

export function sessionTicketExtension(ticket: Uint8Array): Extension {
  return { type: ExtensionType.session_ticket, data: ticket.slice() };
}

/** The ticket, possibly empty: any bytes are a well-formed SessionTicket. */
export function decodeSessionTicket(data: Uint8Array): Uint8Array {
  return data;
}
