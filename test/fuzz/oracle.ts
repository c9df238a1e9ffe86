/**
 * The fuzzer's oracle (issue 14): every input ends either in a typed error
 * with one alert, or in the same state as the unmutated run; never another
 * exception, a hang, or a second alert. Concretely, for a replay `outcome`
 * against the unmutated `baseline`:
 * - a failure is a `TlsError` other than the internal_error that wraps an
 *   exception the engine did not expect (a provider's call budget running
 *   out — a loop — lands there too); `failed` reports it; it is the only
 *   exception the connection raises; one more `receive` raises it again and
 *   writes nothing;
 * - alerts, as the message trace shows them: at most one fatal alert, nothing
 *   after it, and for a failure of our own exactly one, fatal, with the
 *   failure's description (none for an alert received); on the wire, the
 *   failing call wrote at most one alert record and it was its last record;
 * - without a failure: a neutral mutation (re-chunked, re-fragmented) ends
 *   exactly as the baseline did — messages sent and received, data read,
 *   completion, close; under the real provider, whose AEAD and Finished checks
 *   are real, any other mutation reads only a prefix of the baseline's data,
 *   and completes the handshake only on the messages the peer sent (it may
 *   stall: a peer that stops sending is legal).
 * @module
 */
import { AlertReceived, ProtocolError, TlsError, fatalAlertFor } from '../../src/wire/errors.ts';
import { AlertLevel, ContentType } from '../../src/wire/registry.ts';
import { toHex } from '../../src/wire/bytes.ts';
import type { Mode } from './scenarios.ts';
import type { Outcome, TraceEntry } from './session.ts';
import type { Framing } from './wire-records.ts';
import { parseStream } from './wire-records.ts';

export interface Judgement {
  readonly neutral: boolean;
  readonly mode: Mode;
  /** How the target seals its records, to read its own output. */
  readonly framing: Framing;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

const key = (e: TraceEntry) => `${e.direction} ${e.contentType} ${toHex(e.message)}`;

/** The violations of the oracle (empty: the outcome is acceptable). */
export function judge(outcome: Outcome, baseline: Outcome, how: Judgement): string[] {
  const violations: string[] = [];
  const alerts = outcome.trace.filter((e) => e.direction === 'sent' && e.contentType === ContentType.alert);
  const firstFatal = alerts.findIndex((e) => e.message[0] === AlertLevel.fatal);
  if (firstFatal !== -1 && firstFatal < alerts.length - 1) violations.push(`an alert was sent after the fatal alert (${alerts.length} alerts)`);
  for (const stray of outcome.stray) violations.push(`a second exception after the failure: ${describe(stray)}`);

  if (outcome.error === undefined) {
    if (outcome.failed !== undefined) violations.push(`failed is set without any call raising: ${describe(outcome.failed)}`);
    if (firstFatal !== -1) violations.push('a fatal alert was sent without any call raising');
    violations.push(...judgeSurvivor(outcome, baseline, how));
    return violations;
  }

  const error = outcome.error;
  if (!(error instanceof TlsError)) violations.push(`untyped exception ${describe(error)}`);
  else if (error instanceof ProtocolError && error.cause === 'InternalError') violations.push(`internal_error: ${error.message}`);
  if (outcome.failed !== error) violations.push(`failed does not report the error raised (${describe(outcome.failed)})`);
  if (outcome.probe?.threw !== error) violations.push(`after the failure, receive raised ${describe(outcome.probe?.threw)} instead of the same error`);
  if (outcome.probe && outcome.probe.wrote.length > 0) violations.push(`after the failure, receive wrote ${outcome.probe.wrote.length} bytes`);

  const alertsSince = alerts.filter((e) => e.call >= outcome.errorCall);
  if (error instanceof AlertReceived) {
    if (alertsSince.length > 0) violations.push(`answered the peer's alert with ${alertsSince.length} alert(s)`);
  } else if (alertsSince.length !== 1) {
    violations.push(`${alertsSince.length} alerts sent for the failure, not one`);
  } else if (alertsSince[0]!.message[0] !== AlertLevel.fatal || alertsSince[0]!.message[1] !== fatalAlertFor(error)) {
    violations.push(`alert ${toHex(alertsSince[0]!.message)} sent for a failure whose alert is ${fatalAlertFor(error)}`);
  }
  violations.push(...judgeWire(outcome, how.framing));
  return violations;
}

/** The failing call's output: at most one alert record, and it is the last. */
function judgeWire(outcome: Outcome, framing: Framing): string[] {
  const records = parseStream(outcome.outputs, framing)[outcome.errorCall] ?? [];
  const alertAt = records.map((r) => r.contentType).flatMap((type, i) => (type === ContentType.alert ? [i] : []));
  if (alertAt.length > 1) return [`the failing call wrote ${alertAt.length} alert records`];
  if (alertAt.length === 1 && alertAt[0] !== records.length - 1) return ['the failing call wrote records after its alert'];
  return [];
}

function judgeSurvivor(outcome: Outcome, baseline: Outcome, how: Judgement): string[] {
  const violations: string[] = [];
  if (how.neutral) {
    // Each direction on its own: delivering two flights at once may interleave them differently with our answers.
    for (const direction of ['sent', 'received'] as const) {
      const actual = outcome.trace.filter((e) => e.direction === direction).map(key);
      const expected = baseline.trace.filter((e) => e.direction === direction).map(key);
      if (actual.join('\n') !== expected.join('\n')) violations.push(`a neutral change altered the messages ${direction}: ${firstDifference(actual, expected)}`);
    }
    if (toHex(outcome.data) !== toHex(baseline.data)) violations.push('a neutral change altered the data read');
    if (outcome.handshakeComplete !== baseline.handshakeComplete || outcome.peerClosed !== baseline.peerClosed) violations.push('a neutral change altered the state');
  } else if (how.mode === 'real') {
    if (!toHex(baseline.data).startsWith(toHex(outcome.data))) violations.push('read data the peer never sent');
    const received = outcome.trace.filter((e) => e.direction === 'received' && e.contentType === ContentType.handshake).map(key);
    const expected = baseline.trace.filter((e) => e.direction === 'received' && e.contentType === ContentType.handshake).map(key);
    // A mutated hello is read before anything can tell (a stalled run may hold one); completing proves the transcript.
    if (outcome.handshakeComplete && received.some((m, i) => m !== expected[i])) {
      violations.push(`completed with a handshake message the peer never sent: ${firstDifference(received, expected)}`);
    }
  }
  return violations;
}

function firstDifference(actual: readonly string[], expected: readonly string[]): string {
  const i = actual.findIndex((a, n) => a !== expected[n]);
  const at = i === -1 ? actual.length : i;
  return `#${at}: ${actual[at]?.slice(0, 80) ?? '(none)'} instead of ${expected[at]?.slice(0, 80) ?? '(none)'}`;
}
