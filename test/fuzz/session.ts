/**
 * Recording a scenario, and replaying one side of it. The recording runs a
 * client and a server against each other and keeps every chunk each wrote,
 * with the phase it belongs to (the handshake, or the n-th application
 * action). A replay builds a fresh connection for the target side with the
 * same seed and hands it the peer's chunks — possibly mutated — one
 * `receive` per chunk, doing the target's own actions between phases, and
 * notes everything an oracle needs: the first error and the call it came
 * from, each call's output, the message trace, the data read, and what a
 * further `receive` does after a failure.
 * @module
 */
import type { ClientConfig, ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { ConnectionClosedError } from '../../src/wire/errors.ts';
import { ContentType, ProtocolVersion } from '../../src/wire/registry.ts';
import type { Delivery } from './engine-mutations.ts';
import type { Action, Mode, Scenario, Side } from './scenarios.ts';
import { providerFor } from './scenarios.ts';
import type { Framing } from './wire-records.ts';

const PEER: Record<Side, Side> = { client: 'server', server: 'client' };

export interface Chunk extends Delivery {
  readonly from: Side;
}

export interface Recording {
  readonly scenario: Scenario;
  readonly mode: Mode;
  readonly chunks: readonly Chunk[];
  /** How each side sealed its records (the same for both: one version and suite). */
  readonly framing: Framing;
}

/** Pump rounds one phase may take; a scenario settles in a handful. */
const MAX_ROUNDS = 50;

function connect(recording: Pick<Recording, 'scenario' | 'mode'>, side: Side, overrides: Partial<ClientConfig & ServerConfig> = {}): TlsConnection {
  const { scenario, mode } = recording;
  const provider = providerFor(mode, scenario, side);
  return side === 'client'
    ? TlsConnection.client({ ...scenario.client(provider, mode), ...overrides }, scenario.serverName)
    : TlsConnection.server({ ...scenario.server(provider, mode), ...overrides });
}

function act(connection: TlsConnection, action: Action): void {
  if (action.kind === 'write') connection.write(action.data);
  else if (action.kind === 'keyUpdate') connection.keyUpdate(action.requestPeer);
  else connection.close();
}

/** Runs `scenario` between a fresh client and server; throws if it does not complete cleanly. */
export function record(scenario: Scenario, mode: Mode): Recording {
  const sides = { client: connect({ scenario, mode }, 'client'), server: connect({ scenario, mode }, 'server') };
  const chunks: Chunk[] = [];
  const settle = (phase: number) => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let moved = false;
      for (const from of ['client', 'server'] as const) {
        const bytes = sides[from].takeOutgoing();
        if (bytes.length === 0) continue;
        moved = true;
        chunks.push({ from, phase, bytes });
        sides[PEER[from]].receive(bytes);
        sides[PEER[from]].read();
      }
      if (!moved) return;
    }
    throw new Error(`${scenario.name}: the recording did not settle`);
  };
  settle(0);
  scenario.actions.forEach((action, i) => {
    act(sides[action.side], action);
    settle(i + 1);
  });
  if (!sides.client.handshakeComplete || !sides.server.handshakeComplete) throw new Error(`${scenario.name}: the recorded handshake did not complete`);
  const suite = sides.client.negotiated.cipherSuite!;
  const version = suite.version === ProtocolVersion.TLSv1_2 ? ProtocolVersion.TLSv1_2 : ProtocolVersion.TLSv1_3;
  const explicitNonceLength = suite.version === ProtocolVersion.TLSv1_2 ? suite.explicitNonceLength : 0;
  return { scenario, mode, chunks, framing: { version, explicitNonceLength, transparent: mode === 'no-security' } };
}

/** What the peer of `target` sent, as it was recorded. */
export function deliveriesTo(recording: Recording, target: Side): Delivery[] {
  return recording.chunks.filter((c) => c.from !== target).map(({ phase, bytes }) => ({ phase, bytes }));
}

export interface TraceEntry {
  readonly direction: 'sent' | 'received';
  readonly contentType: number;
  readonly message: Uint8Array;
  /** The call (see `Outcome.outputs`) during which it happened. */
  readonly call: number;
}

export interface Outcome {
  /** The first exception any call raised, or undefined. */
  readonly error: unknown;
  /** The call that raised it (an index into `outputs`), or -1. */
  readonly errorCall: number;
  /** Exceptions raised after the first that are not it (the connection must keep raising the one error). */
  readonly stray: readonly unknown[];
  /** What `connection.failed` says at the end. */
  readonly failed: unknown;
  /** The bytes each call left in `takeOutgoing` (call 0 creates the connection). */
  readonly outputs: readonly Uint8Array[];
  readonly trace: readonly TraceEntry[];
  /** Application data read, in order. */
  readonly data: Uint8Array;
  readonly handshakeComplete: boolean;
  readonly peerClosed: boolean;
  /** After a failure: what one more `receive` threw, and what it wrote. */
  readonly probe: { readonly threw: unknown; readonly wrote: Uint8Array } | undefined;
}

/** Hands `deliveries` to a fresh `target`, as the recording's phases order them. */
export function replay(recording: Recording, target: Side, deliveries: readonly Delivery[]): Outcome {
  const trace: TraceEntry[] = [];
  const outputs: Uint8Array[] = [];
  const data: Uint8Array[] = [];
  const stray: unknown[] = [];
  let error: unknown;
  let errorCall = -1;
  const connection = connect(recording, target, {
    messageTrace: (direction, contentType, message) => trace.push({ direction, contentType, message: message.slice(), call: outputs.length }),
  });
  const fail = (e: unknown) => {
    if (error === undefined) {
      error = e;
      errorCall = outputs.length;
    } else if (e !== error) stray.push(e);
  };
  const call = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      fail(e);
    }
    // Data received before a failure is still read first (DESIGN §2.6).
    try {
      const chunk = connection.read();
      if (chunk && chunk.length > 0) data.push(chunk);
    } catch (e) {
      fail(e);
    }
    outputs.push(connection.takeOutgoing());
  };
  outputs.push(connection.takeOutgoing());
  const actions = recording.scenario.actions;
  for (let phase = 0; phase <= actions.length && error === undefined; phase++) {
    const action = actions[phase - 1];
    if (action?.side === target && connection.handshakeComplete && !connection.closeSent) call(() => actLocally(connection, action));
    for (const d of deliveries) if (d.phase === phase && error === undefined) call(() => connection.receive(d.bytes));
  }
  let probe: Outcome['probe'];
  if (error !== undefined) {
    let threw: unknown;
    try {
      // A ChangeCipherSpec record: anything at all must now be refused with the same error.
      connection.receive(Uint8Array.of(ContentType.change_cipher_spec, 3, 3, 0, 1, 1));
    } catch (e) {
      threw = e;
    }
    probe = { threw, wrote: connection.takeOutgoing() };
  }
  return {
    error,
    errorCall,
    stray,
    failed: connection.failed,
    outputs,
    trace,
    data: concatBytes(...data),
    handshakeComplete: connection.handshakeComplete,
    peerClosed: connection.peerClosed,
    probe,
  };
}

/**
 * A local action, which a mutated peer may have made impossible (writing after
 * the peer closed is still allowed; after our own close it is refused): the
 * engine refusing a call it cannot honour is not a failure of the connection.
 */
function actLocally(connection: TlsConnection, action: Action): void {
  try {
    act(connection, action);
  } catch (e) {
    if (!(e instanceof ConnectionClosedError && connection.failed === undefined)) throw e;
  }
}
