/**
 * Fuzzing both engines (issue 14), as the tests of a list of scenarios: each
 * scenario, recorded once per provider mode, has each side replayed under a
 * bounded number of mutations in `npm test` and many more under
 * `npm run fuzz`. The unmutated replay must
 * reproduce the recording byte for byte (otherwise "the same state as an
 * unmutated run" would mean nothing), and with the no-security provider the
 * mutations must reach deep: runs fail at the last message the target
 * receives, and at most of the others. One test file per protocol version,
 * so vitest runs them side by side.
 * @module
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../src/wire/bytes.ts';
import type { Tally } from './engine-fuzz.ts';
import { fuzzTarget, newTally, receivedMessages } from './engine-fuzz.ts';
import type { Mode, Scenario, Side } from './scenarios.ts';
import type { Recording } from './session.ts';
import { deliveriesTo, record, replay } from './session.ts';
import { FUZZ_TIMEOUT_MS, LONG } from './settings.ts';

const COUNTS: Record<Mode, { short: number; long: number }> = {
  'no-security': { short: 80, long: 12_000 },
  real: { short: 20, long: 3_000 },
};

function summary(tally: Tally): string {
  const sorted = (m: Map<string | number, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  return `${tally.runs} runs (${tally.neutral} neutral, ${tally.survived} without failure); failures: ${sorted(tally.failures)}; by messages received: ${sorted(tally.depths)}`;
}

export function describeEngineFuzz(scenarios: readonly Scenario[]): void {
  for (const mode of ['no-security', 'real'] as const) {
    for (const scenario of scenarios) {
      describe(`${scenario.name}, ${mode} provider`, () => {
        let recorded: Recording | undefined;
        const recording = () => (recorded ??= record(scenario, mode));

        for (const target of ['client', 'server'] as const satisfies readonly Side[]) {
          it(`the ${target}'s unmutated replay writes what was recorded and completes`, () => {
            const outcome = replay(recording(), target, deliveriesTo(recording(), target));
            expect(outcome.error).toBeUndefined();
            expect(outcome.handshakeComplete).toBe(true);
            expect(outcome.peerClosed).toBe(true);
            const written = recording().chunks.filter((c) => c.from === target).map((c) => c.bytes);
            expect(toHex(concatBytes(...outcome.outputs))).toBe(toHex(concatBytes(...written)));
          });

          it(`the ${target} ends every mutated replay in a typed error with one alert, or as the unmutated run`, { timeout: FUZZ_TIMEOUT_MS }, () => {
            const tally = newTally();
            fuzzTarget(recording(), target, COUNTS[mode], tally);
            if (LONG) console.log(`${scenario.name}, ${mode}, ${target}: ${summary(tally)}`);
            expect(tally.runs).toBeGreaterThan(0);
            if (mode === 'no-security') {
              // Mutations get past every check a real provider would stop them at: runs fail at the last message the
              // target receives, and at most of the others (not necessarily all: with signatures that always verify,
              // a CertificateVerify accepts nearly any bytes, so few mutations fail there).
              const baseline = replay(recording(), target, deliveriesTo(recording(), target));
              const messages = receivedMessages(baseline);
              const reached = Array.from({ length: messages }, (_, i) => i + 1).filter((depth) => tally.depths.has(depth));
              expect(reached, summary(tally)).toContain(messages);
              expect(reached.length, summary(tally)).toBeGreaterThanOrEqual(Math.ceil(messages * 0.75));
            }
          });
        }
      });
    }
  }
}
