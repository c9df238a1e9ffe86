/**
 * The TLS 1.2 client and server (`client12.ts`, `server12.ts`, states as
 * values) as `MachineRules` for the version-neutral `StateMachine`: their
 * ChangeCipherSpec steps, and the exporter of a connected state (RFC 5705 §4).
 * TLS 1.2 has no KeyUpdate.
 * @module
 */
import type { ClientOffer } from './client-offer.ts';
import type { ServerConfig } from './config.ts';
import type { KeySchedule12 } from './key-schedule12.ts';
import type { ConnectedMachine, HandshakeMachine, MachineRules } from './machine.ts';
import { StateMachine } from './machine.ts';
import * as client from './client12.ts';
import * as server from './server12.ts';

function connected12(schedule: KeySchedule12): ConnectedMachine {
  return {
    keyUpdate: null,
    exportKeyingMaterial: (label, context, length) => schedule.exporter(label, context, length),
  };
}

const CLIENT12: MachineRules<client.Client12State> = {
  step: client.step,
  changeCipherSpec: client.changeCipherSpec,
  connectedIn: (state) => (state.kind === 'client12/Connected' ? connected12(state.schedule) : null),
};

const SERVER12: MachineRules<server.Server12State> = {
  step: server.step,
  changeCipherSpec: server.changeCipherSpec,
  connectedIn: (state) => (state.kind === 'server12/Connected' ? connected12(state.schedule) : null),
};

/** The TLS 1.2 client once its ClientHello is out, when the ServerHello picks TLS 1.2. */
export function client12Machine(offer: ClientOffer): HandshakeMachine {
  return new StateMachine(CLIENT12, client.afterClientHello(offer));
}

export function server12Machine(config: ServerConfig): HandshakeMachine {
  return new StateMachine(SERVER12, server.initialState(config));
}
