/**
 * Tiny fragments do not inflate memory (issue 14): 1.5 MB of one-byte
 * handshake records (one 256 KiB message all but complete) held 32 MB, and a
 * 16 KiB record fed one byte per receive() held 3.9 MB. Each scenario runs in
 * memory-probe.ts, in a Node process of its own started with --expose-gc, which
 * measures `process.memoryUsage()` after a full collection; here the memory
 * retained must stay within a small multiple of the bytes actually buffered.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('./memory-probe.ts', import.meta.url));

/** Allowed: twice what is buffered, plus what a collection leaves unsettled in a small process (measured: tens of KiB). */
const allowance = (buffered: number) => 2 * buffered + 64 * 1024;

interface Measurement {
  readonly scenario: string;
  readonly buffered: number;
  readonly retained: number;
  readonly kept: boolean;
}

function measure(): Measurement[] {
  const output = execFileSync(process.execPath, ['--expose-gc', PROBE], { encoding: 'utf8', timeout: 120_000 });
  return output.trim().split('\n').map((line) => JSON.parse(line) as Measurement);
}

describe('memory held for partial input stays near the bytes buffered', () => {
  let results: Measurement[] = [];
  beforeAll(() => {
    results = measure();
  });
  const scenarios = [
    // 262,146 bytes of a 262,143-byte Certificate in one-byte records (about 1.5 MB of records).
    'fragments-at-once',
    'fragments-one-record-per-call',
    'fragments-to-connection',
    // 16,388 of a 16,389-byte record, one receive() per byte.
    'partial-record-byte-per-call',
    // 15 bytes left over from a 1 MiB read: the read itself must not stay alive for them.
    'big-read-ending-in-a-partial-record',
  ];

  it('every scenario ran and kept its receiver until measured', () => {
    expect(results.map((r) => r.scenario)).toEqual(scenarios);
    for (const result of results) expect(result.kept).toBe(true);
  });

  for (const scenario of scenarios) {
    it(`${scenario}: retained ≤ 2 × buffered + 64 KiB`, () => {
      const { buffered, retained } = results.find((r) => r.scenario === scenario)!;
      expect(retained).toBeLessThanOrEqual(allowance(buffered));
    });
  }
});
