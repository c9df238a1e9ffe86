/**
 * How long the fuzzing runs: a bounded count in `npm test`, and about a hundred
 * times more under `npm run fuzz` (PURETLS_FUZZ_LONG=1). Seeds are fixed so a
 * failure replays; PURETLS_FUZZ_SEED explores another sequence. fast-check
 * prints the seed, the path and the counterexample of a failure, and
 * `fc.assert(..., { seed, path })` replays exactly that case.
 * @module
 */
import type { Parameters } from 'fast-check';

export const LONG = process.env.PURETLS_FUZZ_LONG === '1';

/** The seed of every property in test/fuzz/, unless PURETLS_FUZZ_SEED names another. */
export const SEED = process.env.PURETLS_FUZZ_SEED === undefined ? 0x14f022 : Number(process.env.PURETLS_FUZZ_SEED);

/** Runs for one property: `short` in `npm test`, `long` in `npm run fuzz`. */
export function runs(short: number, long: number): number {
  return LONG ? long : short;
}

/**
 * fast-check parameters: the fixed seed and a count (counts, not time limits,
 * keep runs reproducible); the report carries the failing check's own message.
 */
export function fuzzParameters<T>(short: number, long: number): Parameters<T> {
  return { seed: SEED, numRuns: runs(short, long), includeErrorInReport: true };
}

/** The test timeout for a fuzz test: generous, since the long runs take minutes on a loaded machine. */
export const FUZZ_TIMEOUT_MS = LONG ? 900_000 : 120_000;
