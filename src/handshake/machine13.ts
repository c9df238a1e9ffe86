/**
 * The TLS 1.3 client and server (`client13.ts`, `server13.ts`, states as
 * values) as `MachineRules` for the version-neutral `StateMachine`: the
 * compatibility ChangeCipherSpec rule of RFC 8446 §5, and the KeyUpdate and
 * exporter of a connected state.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import type { ServerConfig } from './config.ts';
import { sendKeyUpdate } from './key-update13.ts';
import type { Side, Traffic } from './key-update13.ts';
import type { HandshakeMachine, MachineRules } from './machine.ts';
import { StateMachine } from './machine.ts';
import type { Negotiated } from './negotiated.ts';
import type { ClientOffer } from './client-offer.ts';
import * as client from './client13.ts';
import * as server from './server13.ts';

interface Connected13 extends Traffic {
  readonly exporterSecret: Uint8Array;
}

/** One side's TLS 1.3 states; `C` is its Connected state. */
interface Side13<S extends { readonly negotiated: Negotiated }, C extends S & Connected13> {
  readonly side: Side;
  step: MachineRules<S>['step'];
  /** Whether the handshake is between the first ClientHello and the peer's Finished, where §5 lets a CCS arrive. */
  inChangeCipherSpecWindow(state: S): boolean;
  isConnected(state: S): state is C;
}

function rules13<S extends { readonly negotiated: Negotiated }, C extends S & Connected13>(side: Side13<S, C>): MachineRules<S> {
  return {
    step: side.step,
    // RFC 8446 §5: an unprotected change_cipher_spec inside the handshake window is dropped; anywhere else it is fatal.
    changeCipherSpec(state) {
      if (!side.inChangeCipherSpecWindow(state)) {
        throw new ProtocolError('UnexpectedChangeCipherSpec', 'change_cipher_spec outside the TLS 1.3 handshake window');
      }
      return state;
    },
    connectedIn(state, advance) {
      if (!side.isConnected(state)) return null;
      return {
        keyUpdate: (requestPeer, io) => advance(() => sendKeyUpdate(state, side.side, requestPeer, io)),
        exportKeyingMaterial: (label, context, length) => state.schedule.exporter(state.exporterSecret, label, context ?? new Uint8Array(0), length),
      };
    },
  };
}

const CLIENT13 = rules13<client.ClientState, client.ClientConnected>({
  side: 'client',
  step: client.step,
  inChangeCipherSpecWindow: client.acceptsChangeCipherSpec,
  isConnected: (state): state is client.ClientConnected => state.kind === 'client13/Connected',
});

const SERVER13 = rules13<server.ServerState, server.ServerConnected>({
  side: 'server',
  step: server.step,
  inChangeCipherSpecWindow: server.acceptsChangeCipherSpec,
  isConnected: (state): state is server.ServerConnected => state.kind === 'server13/Connected',
});

/** The TLS 1.3 client once its ClientHello is out, waiting for the ServerHello or HelloRetryRequest. */
export function client13Machine(offer: ClientOffer): HandshakeMachine {
  return new StateMachine(CLIENT13, client.afterClientHello(offer));
}

export function server13Machine(config: ServerConfig): HandshakeMachine {
  return new StateMachine(SERVER13, server.initialState(config));
}
