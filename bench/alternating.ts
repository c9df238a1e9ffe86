/**
 * How the benchmarks compare two pieces of work: called in turn, one call
 * each, so that machine noise (another process, a GC, a cold cache) falls on
 * both alike; reported as medians over rounds of the per-round means and of
 * their ratio, which is the figure to compare across runs and machines.
 * @module
 */

/** Rounds of alternating calls; the median of an odd count is one round's value. */
export const ROUNDS = 7;

export const median = (xs: readonly number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** Milliseconds per call of `measured` and of `reference` (medians over `ROUNDS`), and their ratio. */
export function compare(n: number, measured: () => void, reference: () => void): { measured: number; reference: number; ratio: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let ta = 0;
    let tb = 0;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      measured();
      const t1 = performance.now();
      reference();
      tb += performance.now() - t1;
      ta += t1 - t0;
    }
    a.push(ta / n);
    b.push(tb / n);
  }
  return { measured: median(a), reference: median(b), ratio: median(a.map((x, i) => x / b[i]!)) };
}
