/**
 * Shared assertions for the handshake message codec tests: rejections with
 * their cause and alert, decode errors on every truncation and on trailing
 * bytes, and access to the RFC 8448 traces (read at test time, never copied).
 * @module
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { concatBytes, fromHex } from '../../../src/wire/bytes.ts';
import type { Cause } from '../../../src/wire/errors.ts';
import { DecodeError, ProtocolError } from '../../../src/wire/errors.ts';

/** The error `fn` throws (fails the test if it returns). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception, none was thrown');
}

/** `fn` fails with a ProtocolError of `cause` that sends `alert` (given independently of the cause table). */
export function expectRejected(fn: () => unknown, cause: Cause, alert: number): ProtocolError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(ProtocolError);
  const e = error as ProtocolError;
  expect(e.cause).toBe(cause);
  expect(e.alert).toBe(alert);
  return e;
}

const DECODE_ERROR_ALERT = 50; // RFC 8446 §6: decode_error(50)

/** `fn` fails with a DecodeError (alert decode_error), naming `field` when given. */
export function expectDecodeError(fn: () => unknown, field?: string): DecodeError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DecodeError);
  const e = error as DecodeError;
  expect(e.alert).toBe(DECODE_ERROR_ALERT);
  if (field !== undefined) expect(e.field).toBe(field);
  return e;
}

/**
 * Every proper prefix of `bytes` is a DecodeError, except the lengths in
 * `valid` (where the structure legitimately ends early, e.g. a hello without
 * extensions), which must decode.
 */
export function expectTruncationsRejected(bytes: Uint8Array, decode: (b: Uint8Array) => unknown, valid: readonly number[] = []): void {
  for (let length = 0; length < bytes.length; length++) {
    const prefix = bytes.slice(0, length);
    if (valid.includes(length)) decode(prefix);
    else expectDecodeError(() => decode(prefix));
  }
}

/** One byte more than the structure is a DecodeError. */
export function expectTrailingRejected(bytes: Uint8Array, decode: (b: Uint8Array) => unknown): void {
  expectDecodeError(() => decode(concatBytes(bytes, new Uint8Array([0]))));
}

export const hex = fromHex;

interface TraceField {
  readonly name: string;
  readonly hex: string;
}
interface TraceStep {
  readonly label: string;
  readonly fields: readonly TraceField[];
}
interface Vectors {
  readonly rfc8448: {
    readonly section_3_simple_1rtt: { readonly steps: readonly TraceStep[] };
    readonly botan_transcripts: Record<string, Record<string, { readonly hex: string }>>;
  };
  readonly draft_trace: Record<string, { readonly steps: readonly TraceStep[] }>;
}

const vectors: Vectors = JSON.parse(
  readFileSync(new URL('../../../vectors/rfc8448/rfc8448.json', import.meta.url), 'utf8'),
) as Vectors;

/** The published RFC 8448 §3 steps, or a draft-trace scenario (`section_3` .. `section_7`). */
export function traceSteps(scenario: 'rfc8448' | string): readonly TraceStep[] {
  if (scenario === 'rfc8448') return vectors.rfc8448.section_3_simple_1rtt.steps;
  const section = vectors.draft_trace[scenario];
  if (!section) throw new Error(`no scenario ${scenario}`);
  return section.steps;
}

/** The `nth` (0-based) field named `name` in steps whose label contains `label`. */
export function traceField(scenario: string, label: string, name: string, nth = 0): Uint8Array {
  const found = traceSteps(scenario)
    .filter((s) => s.label.includes(label))
    .flatMap((s) => s.fields.filter((f) => f.name === name));
  const field = found[nth];
  if (!field) throw new Error(`${scenario}: no field ${name} #${nth} in a step "${label}"`);
  return fromHex(field.hex);
}

/** A value from Botan's RFC 8448 transcripts (`Simple_1RTT_Handshake`, ...). */
export function botanField(scenario: string, name: string): Uint8Array {
  const value = vectors.rfc8448.botan_transcripts[scenario]?.[name];
  if (!value) throw new Error(`no Botan field ${scenario}.${name}`);
  return fromHex(value.hex);
}

/** Every "construct a X handshake message" field of a scenario, as [X, bytes]. */
export function constructedMessages(scenario: string): [string, Uint8Array][] {
  return traceSteps(scenario)
    .filter((s) => /construct a \w+ handshake message/.test(s.label))
    .flatMap((s) => s.fields.map((f): [string, Uint8Array] => [f.name, fromHex(f.hex)]));
}
