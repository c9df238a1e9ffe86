/**
 * The mutation fuzzer of the engine: one fast-check property per recorded
 * scenario, provider mode and target side. Each run mutates the peer's
 * recorded stream one to three times (`engine-mutations.ts`), replays it into a fresh
 * target (`session.ts`) and judges the outcome (`oracle.ts`); a violation
 * fails with the seed, the mutation and the mutated chunks in hex. Runs are
 * also tallied, so a test can check that the mutations reach deep.
 * @module
 */
import fc from 'fast-check';
import { toHex } from '../../src/wire/bytes.ts';
import { ProtocolError, TlsError } from '../../src/wire/errors.ts';
import { ContentType } from '../../src/wire/registry.ts';
import type { Delivery, EngineMutation } from './engine-mutations.ts';
import { applyMutations, engineMutations } from './engine-mutations.ts';
import { judge } from './oracle.ts';
import type { Side } from './scenarios.ts';
import type { Outcome, Recording } from './session.ts';
import { deliveriesTo, replay } from './session.ts';
import { fuzzParameters } from './settings.ts';

/** What a campaign of runs came to. */
export interface Tally {
  runs: number;
  neutral: number;
  /** Runs that ended in a failure, by cause (or error name). */
  readonly failures: Map<string, number>;
  /** Failures by how many handshake messages the target had received when it failed. */
  readonly depths: Map<number, number>;
  /** Runs that ended without a failure (stalled, or in the baseline's state). */
  survived: number;
}

export function newTally(): Tally {
  return { runs: 0, neutral: 0, failures: new Map(), depths: new Map(), survived: 0 };
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Handshake messages the target received up to and including call `call`. */
export function receivedMessages(outcome: Outcome, call = Infinity): number {
  return outcome.trace.filter((e) => e.direction === 'received' && e.contentType === ContentType.handshake && e.call <= call).length;
}

function causeOf(error: unknown): string {
  if (error instanceof ProtocolError) return error.cause;
  if (error instanceof TlsError) return error.name;
  return error instanceof Error ? `untyped ${error.name}` : 'untyped';
}

/** The deliveries a mutation changed, for the failure report. */
function changed(original: readonly Delivery[], mutated: readonly Delivery[]): string {
  const same = new Set(original.map((d) => `${d.phase}:${toHex(d.bytes)}`));
  return mutated
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => !same.has(`${d.phase}:${toHex(d.bytes)}`))
    .map(({ d, i }) => `delivery ${i} (phase ${d.phase}): ${toHex(d.bytes)}`)
    .join('\n');
}

/** Fuzzes `target` of `recording` for the configured number of runs; throws on the first violation. */
export function fuzzTarget(recording: Recording, target: Side, counts: { short: number; long: number }, tally: Tally): void {
  const original = deliveriesTo(recording, target);
  const baseline = replay(recording, target, original);
  const targetFraming = recording.framing;
  fc.assert(
    fc.property(engineMutations, (mutations: EngineMutation[]) => {
      const { deliveries, neutral } = applyMutations(original, mutations, recording.framing);
      const outcome = replay(recording, target, deliveries);
      tally.runs++;
      if (neutral) tally.neutral++;
      if (outcome.error === undefined) tally.survived++;
      else {
        bump(tally.failures, causeOf(outcome.error));
        bump(tally.depths, receivedMessages(outcome, outcome.errorCall));
      }
      const violations = judge(outcome, baseline, { neutral, mode: recording.mode, framing: targetFraming });
      if (violations.length > 0) {
        throw new Error(`${recording.scenario.name} (${recording.mode}), ${target}:\n${violations.join('\n')}\n${changed(original, deliveries)}`, { cause: outcome.error });
      }
    }),
    fuzzParameters(counts.short, counts.long),
  );
}
