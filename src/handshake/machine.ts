/**
 * What the connection needs from a handshake state machine, whichever the
 * protocol version and side: feed it handshake messages and ChangeCipherSpecs,
 * and — once it is connected — reach the traffic keys (KeyUpdate) and the
 * exporter. The connection holds one machine and never looks at the states
 * inside it; `StateMachine` runs any version's states-as-values machine
 * behind this interface, and the hello fronts (`client-front.ts`,
 * `server-front.ts`) pick the version.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import type { Negotiated } from './negotiated.ts';

export interface HandshakeMachine {
  /** What was negotiated; fields fill in as the handshake goes. */
  readonly negotiated: Negotiated;
  /** The completed handshake's keys, or null while it runs. */
  readonly connected: ConnectedMachine | null;
  /**
   * A ChangeCipherSpec arrived: in TLS 1.3 a compatibility record dropped
   * inside the handshake (RFC 8446 §5), in TLS 1.2 the switch to the peer's
   * next read epoch (RFC 5246 §7.1). Throws UnexpectedChangeCipherSpec where none may come.
   */
  changeCipherSpec(io: HandshakeIO): void;
  /** Moves on by one handshake message; a message that fails leaves the machine where it was. */
  step(message: Incoming, io: HandshakeIO): void;
  /** The connection is over: zero the secrets the current state holds; the machine is not used again. */
  retire(): void;
}

/** A client machine speaks first (RFC 8446 §4.1.2). */
export interface ClientHandshakeMachine extends HandshakeMachine {
  start(io: HandshakeIO): void;
}

export interface ConnectedMachine {
  /**
   * Sends KeyUpdate and moves to the next write secret; `requestPeer` asks the
   * peer to do the same (RFC 8446 §4.6.3). Null in TLS 1.2, which has no KeyUpdate.
   */
  readonly keyUpdate: ((requestPeer: boolean, io: HandshakeIO) => void) | null;
  /** TLS-Exporter (RFC 8446 §7.5, where no context is an empty one; RFC 5705 §4 in TLS 1.2, where they differ). */
  exportKeyingMaterial(label: string, context: Uint8Array | null, length: number): Uint8Array;
}

/** One version's and side's machine as functions over its states (values). */
export interface MachineRules<S extends { readonly negotiated: Negotiated }> {
  step(state: S, message: Incoming, io: HandshakeIO): S;
  changeCipherSpec(state: S, io: HandshakeIO): S;
  /** The keys of a connected state, or null; `advance` is how a key change replaces the state. */
  connectedIn(state: S, advance: (transition: () => S) => void): ConnectedMachine | null;
}

export class StateMachine<S extends { readonly negotiated: Negotiated }> implements HandshakeMachine {
  readonly #rules: MachineRules<S>;
  #state: S;
  #connected: ConnectedMachine | null;

  constructor(rules: MachineRules<S>, state: S) {
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

  changeCipherSpec(io: HandshakeIO): void {
    this.#advance(() => this.#rules.changeCipherSpec(this.#state, io));
  }

  step(message: Incoming, io: HandshakeIO): void {
    this.#advance(() => this.#rules.step(this.#state, message, io));
  }

  retire(): void {
    wipeSecrets(this.#state);
    this.#connected = null;
  }

  /** The one way the state changes: `transition` either returns the next state or throws, and then nothing changed. */
  #advance(transition: () => S): void {
    const next = transition();
    this.#state = next;
    this.#connected = this.#connectedIn(next);
  }

  /** Built once per state, so `connected` is cheap to ask for on every record. */
  #connectedIn(state: S): ConnectedMachine | null {
    return this.#rules.connectedIn(state, (transition) => this.#advance(transition));
  }
}

/**
 * Zeroes what a state holds of the connection's secrets: every byte array
 * field named `…Secret` and every key schedule (`wipe()`). The ephemeral
 * ECDHE private keys live inside the crypto provider's objects and are only
 * dropped, as are copies a garbage collector may have made (SECURITY.md).
 */
function wipeSecrets(state: object): void {
  for (const [name, value] of Object.entries(state)) {
    if (value instanceof Uint8Array && name.endsWith('Secret')) value.fill(0);
    else if (typeof (value as { wipe?: unknown } | null)?.wipe === 'function') (value as { wipe(): void }).wipe();
  }
}

/** What the connection keeps once it is over: what was negotiated, and nothing that could protect a record. */
export function retiredMachine(negotiated: Negotiated): HandshakeMachine {
  const closed = (): never => {
    throw new ProtocolError('InternalError', 'handshake machine used after the connection closed');
  };
  return { negotiated, connected: null, changeCipherSpec: closed, step: closed, retire: () => {} };
}
