/**
 * RFC 5077 session tickets as our server makes them: the session state
 * (`session-state12.ts`) sealed with AES-256-GCM under a key the server alone
 * knows, prefixed by that key's name so keys can rotate (RFC 5077 §4's
 * recommended construction, with an AEAD in place of AES-CBC + HMAC):
 *
 *   ticket = key_name[16] || nonce[12] || AES-256-GCM(key, nonce, aad = key_name, state)
 *
 * A ticket that does not open (unknown key name, forged, truncated) is not an
 * error: the server just performs a full handshake (RFC 5077 §3.1).
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { concatBytes } from '../wire/bytes.ts';
import { decodeServerSession12, encodeServerSession12 } from './session-state12.ts';
import type { ServerSession12 } from './session-state12.ts';

export const TICKET_KEY_NAME_LENGTH = 16;
export const TICKET_KEY_LENGTH = 32;
const NONCE_LENGTH = 12;

export interface TicketKey {
  readonly name: Uint8Array;
  readonly key: Uint8Array;
}

/**
 * The server's ticket keys: `current` seals new tickets; `find` opens tickets
 * sealed by any key still accepted (the current one and those it replaced,
 * until they expire). The `ssl` module rotates them; tests may pin one.
 */
export interface TicketKeys {
  current(): TicketKey;
  find(name: Uint8Array): TicketKey | undefined;
}

export function sealTicket(provider: CryptoProvider, key: TicketKey, session: ServerSession12): Uint8Array {
  const nonce = provider.randomBytes(NONCE_LENGTH);
  const sealed = provider.aead('AES-256-GCM', key.key).seal(nonce, key.name, encodeServerSession12(session));
  return concatBytes(key.name, nonce, sealed);
}

/** The session in `ticket`, or null when it is not one of ours or no longer accepted. */
export function openTicket(provider: CryptoProvider, keys: TicketKeys, ticket: Uint8Array): ServerSession12 | null {
  if (ticket.length < TICKET_KEY_NAME_LENGTH + NONCE_LENGTH) return null;
  const name = ticket.subarray(0, TICKET_KEY_NAME_LENGTH);
  const key = keys.find(name);
  if (!key) return null;
  const nonce = ticket.subarray(TICKET_KEY_NAME_LENGTH, TICKET_KEY_NAME_LENGTH + NONCE_LENGTH);
  const state = provider.aead('AES-256-GCM', key.key).open(nonce, name, ticket.subarray(TICKET_KEY_NAME_LENGTH + NONCE_LENGTH));
  return state === null ? null : decodeServerSession12(state);
}
