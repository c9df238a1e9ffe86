/**
 * early_data (RFC 8446 §4.2.10): empty in ClientHello (the client sends 0-RTT
 * data) and EncryptedExtensions (the server accepted it); in NewSessionTicket
 * it carries the most 0-RTT bytes the server will accept with that ticket.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { decodeEmpty, makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** ClientHello and EncryptedExtensions: empty `EarlyDataIndication`. */
export function earlyDataExtension(): Extension {
  return { type: ExtensionType.early_data, data: new Uint8Array(0) };
}

/** NewSessionTicket: `uint32 max_early_data_size`. */
export function earlyDataTicketExtension(maxEarlyDataSize: number): Extension {
  return makeExtension(ExtensionType.early_data, (w) => w.u32(maxEarlyDataSize));
}

export function decodeEarlyData(data: Uint8Array): true {
  return decodeEmpty(data, 'EarlyDataIndication');
}

export function decodeEarlyDataTicket(data: Uint8Array): number {
  return decodeExact(data, 'EarlyDataIndication', (r) => r.u32('EarlyDataIndication.max_early_data_size'));
}
