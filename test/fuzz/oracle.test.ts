/**
 * The oracle can fail: outcomes that break each of its rules, built by hand,
 * are reported; and end to end, a verifier that throws an untyped exception on
 * certificates it did not expect is found by the fuzzer.
 */
import { describe, expect, it } from 'vitest';
import { AlertReceived, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, ContentType, ProtocolVersion } from '../../src/wire/registry.ts';
import { bytesEqual, utf8 } from '../../src/wire/bytes.ts';
import { credential } from '../helpers/credentials.ts';
import { fuzzTarget, newTally } from './engine-fuzz.ts';
import type { Judgement } from './oracle.ts';
import { judge } from './oracle.ts';
import { SCENARIOS13 } from './scenarios.ts';
import type { Outcome, TraceEntry } from './session.ts';
import { record } from './session.ts';

const framing = { version: ProtocolVersion.TLSv1_3, explicitNonceLength: 0, transparent: true } as const;
const hostile: Judgement = { neutral: false, mode: 'no-security', framing };

const plainAlert = (level: number, description: number) => Uint8Array.of(ContentType.alert, 3, 3, 0, 2, level, description);
const alertSent = (level: number, description: number, call: number): TraceEntry => ({ direction: 'sent', contentType: ContentType.alert, message: Uint8Array.of(level, description), call });

const baseline: Outcome = {
  error: undefined,
  errorCall: -1,
  stray: [],
  failed: undefined,
  outputs: [new Uint8Array(0)],
  trace: [{ direction: 'received', contentType: ContentType.handshake, message: Uint8Array.of(1, 0, 0, 0), call: 1 }],
  data: utf8('hello'),
  handshakeComplete: true,
  peerClosed: true,
  probe: undefined,
};

/** A failure handled as the oracle wants: one fatal decode_error alert, sticky. */
function failedWith(error: unknown, changes: Partial<Outcome> = {}): Outcome {
  return {
    ...baseline,
    error,
    errorCall: 1,
    failed: error,
    outputs: [new Uint8Array(0), plainAlert(2, AlertDescription.decode_error)],
    trace: [alertSent(2, AlertDescription.decode_error, 1)],
    handshakeComplete: false,
    peerClosed: false,
    probe: { threw: error, wrote: new Uint8Array(0) },
    ...changes,
  };
}

const decodeError = new ProtocolError('MalformedMessage', 'test');

describe('the oracle', () => {
  it('accepts a typed failure with its one alert, and an alert received answered by none', () => {
    expect(judge(failedWith(decodeError), baseline, hostile)).toEqual([]);
    const received = new AlertReceived(AlertDescription.handshake_failure);
    expect(judge(failedWith(received, { outputs: [new Uint8Array(0), new Uint8Array(0)], trace: [] }), baseline, hostile)).toEqual([]);
  });

  it('reports an untyped exception and an internal_error', () => {
    expect(judge(failedWith(new TypeError('x is undefined')), baseline, hostile).join()).toMatch(/untyped exception TypeError/);
    expect(judge(failedWith(new ProtocolError('InternalError', 'RangeError: 70000 does not fit')), baseline, hostile).join()).toMatch(/internal_error/);
  });

  it('reports a second alert, an alert after the fatal one, and the wrong alert', () => {
    const two = [alertSent(2, AlertDescription.decode_error, 1), alertSent(2, AlertDescription.internal_error, 1)];
    expect(judge(failedWith(decodeError, { trace: two }), baseline, hostile).join()).toMatch(/after the fatal alert.*2 alerts sent/);
    expect(judge(failedWith(decodeError, { trace: [alertSent(2, AlertDescription.illegal_parameter, 1)] }), baseline, hostile).join()).toMatch(/whose alert is 50/);
    expect(judge(failedWith(decodeError, { trace: [] }), baseline, hostile).join()).toMatch(/0 alerts sent/);
    const wire = [new Uint8Array(0), Uint8Array.of(...plainAlert(2, 50), ...plainAlert(2, 50))];
    expect(judge(failedWith(decodeError, { outputs: wire }), baseline, hostile).join()).toMatch(/wrote 2 alert records/);
  });

  it('reports a failure that is not sticky', () => {
    expect(judge(failedWith(decodeError, { probe: { threw: undefined, wrote: new Uint8Array(0) } }), baseline, hostile).join()).toMatch(/instead of the same error/);
    expect(judge(failedWith(decodeError, { probe: { threw: decodeError, wrote: Uint8Array.of(1) } }), baseline, hostile).join()).toMatch(/wrote 1 bytes/);
    expect(judge(failedWith(decodeError, { failed: undefined }), baseline, hostile).join()).toMatch(/failed does not report/);
    expect(judge(failedWith(decodeError, { stray: [new RangeError('later')] }), baseline, hostile).join()).toMatch(/second exception/);
  });

  it('holds a neutral change to the unmutated run, and the real provider to data the peer sent', () => {
    expect(judge(baseline, baseline, { ...hostile, neutral: true })).toEqual([]);
    expect(judge({ ...baseline, data: utf8('hellO') }, baseline, { ...hostile, neutral: true }).join()).toMatch(/altered the data/);
    expect(judge({ ...baseline, trace: [] }, baseline, { ...hostile, neutral: true }).join()).toMatch(/altered the messages received/);
    expect(judge({ ...baseline, data: utf8('help') }, baseline, { ...hostile, mode: 'real' }).join()).toMatch(/never sent/);
    expect(judge({ ...baseline, data: utf8('hel') }, baseline, { ...hostile, mode: 'real' })).toEqual([]);
    const forged: TraceEntry = { direction: 'received', contentType: ContentType.handshake, message: Uint8Array.of(1, 0, 0, 1, 0), call: 1 };
    expect(judge({ ...baseline, trace: [forged] }, baseline, { ...hostile, mode: 'real' }).join()).toMatch(/completed with a handshake message/);
  });
});

describe('the fuzzer, end to end', () => {
  it('finds a verifier that throws a TypeError on a certificate it did not expect', () => {
    const scenario = SCENARIOS13[0]!;
    const expected = credential('p256').chain[0]!;
    const careless = {
      ...scenario,
      name: `${scenario.name}, careless verifier`,
      client: (...args: Parameters<typeof scenario.client>) => ({
        ...scenario.client(...args),
        verifier: {
          verify(chain: readonly Uint8Array[]) {
            if (!bytesEqual(chain[0]!, expected)) throw new TypeError('this verifier only knows one certificate');
            return chain;
          },
        },
      }),
    };
    expect(() => fuzzTarget(record(careless, 'no-security'), 'client', { short: 400, long: 400 }, newTally())).toThrow(/internal_error: .*this verifier only knows one certificate/);
  });
});
