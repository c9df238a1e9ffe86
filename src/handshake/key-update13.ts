/**
 * KeyUpdate (RFC 8446 §4.6.3), the same for both sides: announce and move to
 * the next traffic secret of our direction (§7.2); on receipt, move the peer's,
 * and have the connection answer update_requested with one update_not_requested of our own.
 * @module
 */
import { HandshakeType, KeyUpdateRequest } from '../wire/registry.ts';
import type { HandshakeIO } from './flight.ts';
import type { KeySchedule13 } from './key-schedule13.ts';
import { decodeKeyUpdate, encodeKeyUpdate } from './messages/key-update.ts';
import type { Suite13 } from './suites.ts';
import { protection13ForSecret } from './traffic-protection13.ts';

/** The traffic keys of a connected state, which KeyUpdate moves forward. */
export interface Traffic {
  readonly suite: Suite13;
  readonly schedule: KeySchedule13;
  readonly clientTrafficSecret: Uint8Array;
  readonly serverTrafficSecret: Uint8Array;
}

export type Side = 'client' | 'server';

const SECRET = { client: 'clientTrafficSecret', server: 'serverTrafficSecret' } as const;
const PEER = { client: 'server', server: 'client' } as const;

export function sendKeyUpdate<S extends Traffic>(state: S, side: Side, requestPeer: boolean, io: HandshakeIO): S {
  const request = requestPeer ? KeyUpdateRequest.update_requested : KeyUpdateRequest.update_not_requested;
  io.sendPostHandshake(HandshakeType.key_update, encodeKeyUpdate(request));
  const secret = state.schedule.nextTrafficSecret(state[SECRET[side]]);
  io.setWriteProtection(protection13ForSecret(state.schedule, secret));
  return { ...state, [SECRET[side]]: secret };
}

export function receiveKeyUpdate<S extends Traffic>(state: S, side: Side, body: Uint8Array, io: HandshakeIO): S {
  const request = decodeKeyUpdate(body);
  const peer = SECRET[PEER[side]];
  const secret = state.schedule.nextTrafficSecret(state[peer]);
  io.setReadProtection(protection13ForSecret(state.schedule, secret));
  // §4.6.3: the answer must precede our next application data; the connection sends one for all the
  // requests of a burst (coalesced), so a flood of requests cannot make us write a flood of answers.
  if (request === KeyUpdateRequest.update_requested) io.keyUpdateRequested();
  return { ...state, [peer]: secret };
}
