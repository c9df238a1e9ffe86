/**
 * The TLS 1.3 client and server (`client13.ts`, `server13.ts`, states as
 * values) behind the version-neutral `HandshakeMachine`: each adapter keeps the
 * current state and replaces it only when a step succeeds.
 * @module
 */
import type { ClientConfig, ServerConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { sendKeyUpdate } from './key-update13.ts';
import type { Side, Traffic } from './key-update13.ts';
import type { ClientHandshakeMachine, ConnectedMachine, HandshakeMachine } from './machine.ts';
import type { Negotiated } from './negotiated.ts';
import * as client from './client13.ts';
import * as server from './server13.ts';

interface Connected13 extends Traffic {
  readonly exporterSecret: Uint8Array;
}

/** One side's state machine as functions over its states; `C` is its Connected state. */
interface Rules13<S extends { readonly negotiated: Negotiated }, C extends S & Connected13> {
  readonly side: Side;
  step(state: S, message: Incoming, io: HandshakeIO): S;
  acceptsChangeCipherSpec(state: S): boolean;
  isConnected(state: S): state is C;
}

class Machine13<S extends { readonly negotiated: Negotiated }, C extends S & Connected13> implements HandshakeMachine {
  readonly #rules: Rules13<S, C>;
  #state: S;
  #connected: ConnectedMachine | null;

  constructor(rules: Rules13<S, C>, state: S) {
    this.#rules = rules;
    this.#state = state;
    this.#connected = this.#connectedIn(state);
  }

  get negotiated(): Negotiated {
    return this.#state.negotiated;
  }

  get connected(): ConnectedMachine | null {
    return this.#connected;
  }

  acceptsChangeCipherSpec(): boolean {
    return this.#rules.acceptsChangeCipherSpec(this.#state);
  }

  step(message: Incoming, io: HandshakeIO): void {
    this.advance((state) => this.#rules.step(state, message, io));
  }

  /** The one way the state changes: `transition` either returns the next state or throws, and then nothing changed. */
  protected advance(transition: (state: S) => S): void {
    const next = transition(this.#state);
    this.#state = next;
    this.#connected = this.#connectedIn(next);
  }

  /** Built once per Connected state, so `connected` is cheap to ask for on every record. */
  #connectedIn(state: S): ConnectedMachine | null {
    if (!this.#rules.isConnected(state)) return null;
    return {
      keyUpdate: (requestPeer, io) => this.advance(() => sendKeyUpdate(state, this.#rules.side, requestPeer, io)),
      exportKeyingMaterial: (label, context, length) => state.schedule.exporter(state.exporterSecret, label, context, length),
    };
  }
}

const CLIENT13: Rules13<client.ClientState, client.ClientConnected> = {
  side: 'client',
  step: client.step,
  acceptsChangeCipherSpec: client.acceptsChangeCipherSpec,
  isConnected: (state): state is client.ClientConnected => state.kind === 'client13/Connected',
};

const SERVER13: Rules13<server.ServerState, server.ServerConnected> = {
  side: 'server',
  step: server.step,
  acceptsChangeCipherSpec: server.acceptsChangeCipherSpec,
  isConnected: (state): state is server.ServerConnected => state.kind === 'server13/Connected',
};

class Client13 extends Machine13<client.ClientState, client.ClientConnected> implements ClientHandshakeMachine {
  start(io: HandshakeIO): void {
    this.advance((state) => client.start(state, io));
  }
}

export function client13Machine(config: ClientConfig, serverName: string | null): ClientHandshakeMachine {
  return new Client13(CLIENT13, client.initialState(config, serverName));
}

export function server13Machine(config: ServerConfig): HandshakeMachine {
  return new Machine13(SERVER13, server.initialState(config));
}
