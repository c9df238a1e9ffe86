/**
 * The one assertion every negative engine test makes (RFC 8446 §6.2): the
 * expected side failed with the expected error class and cause, queued exactly
 * one fatal alert with the expected description (or none, for an alert it
 * received), and is dead afterwards: `receive` and `write` throw the same error
 * object and nothing more goes out.
 * @module
 */
import { expect } from 'vitest';
import { AlertReceived, ProtocolError } from '../../src/wire/errors.ts';
import type { TlsError } from '../../src/wire/errors.ts';
import { AlertLevel, ContentType } from '../../src/wire/registry.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import type { Failure, Side, Wire } from '../helpers/tamper.ts';
import { thrown } from '../handshake/messages/support.ts';

export interface Expected {
  readonly side: Side;
  /** The error class; ProtocolError unless given (DecodeError, CertificateVerifyError, AlertReceived...). */
  readonly type?: abstract new (...args: never[]) => TlsError;
  /** `error.cause` (ProtocolError causes, 'CertificateVerifyFailed'); omit for AlertReceived. */
  readonly cause?: string;
  /** The alert the failing side queued; null when it must send none (it received one). */
  readonly alert: number | null;
  /** For AlertReceived: the description the peer sent. */
  readonly received?: number;
}

export function expectFatal(wire: Wire, failure: Failure | null, expected: Expected): TlsError {
  expect(failure, 'a side should have failed').not.toBeNull();
  const { side, error, sent } = failure!;
  expect(side).toBe(expected.side);
  expect(error).toBeInstanceOf(expected.type ?? ProtocolError);
  const tlsError = error as TlsError;
  if (expected.cause !== undefined) expect(tlsError.cause).toBe(expected.cause);
  if (expected.received !== undefined) expect((error as AlertReceived).description).toBe(expected.received);

  const alerts = sent.filter((i) => i.kind === 'record' && i.contentType === ContentType.alert);
  if (expected.alert === null) {
    expect(sent, 'nothing is sent after receiving an alert').toEqual([]);
  } else {
    expect(alerts).toHaveLength(1);
    expect(sent.at(-1), 'the alert is the last thing sent').toBe(alerts[0]);
    expect(failure!.alert).toEqual({ level: AlertLevel.fatal, description: expected.alert });
    if (error instanceof ProtocolError) expect(error.alert).toBe(expected.alert);
  }

  // RFC 8446 §6.2: after a fatal alert, nothing more is processed in either direction.
  const connection = wire.connection(side);
  expect(connection.failed).toBe(error);
  expect(thrown(() => connection.receive(Uint8Array.of(ContentType.application_data, 3, 3, 0, 1, 0)))).toBe(error);
  expect(thrown(() => connection.write(utf8('after')))).toBe(error);
  expect(thrown(() => connection.read())).toBe(error);
  expect(connection.takeOutgoing()).toHaveLength(0);
  return tlsError;
}
