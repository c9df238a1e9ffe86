/**
 * Alerts received (RFC 8446 §6): a fatal alert ends the connection with
 * AlertReceived and no alert back; close_notify and a few user_canceled are
 * not errors; and when one side fails, the alert it sends reaches the other
 * side as the reason.
 */
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { AlertReceived } from '../../src/wire/errors.ts';
import { AlertDescription as A, AlertLevel, ContentType, HandshakeType } from '../../src/wire/registry.ts';
import { encodeRecordHeader } from '../../src/record/framing.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { onMessage, pair } from '../helpers/tamper.ts';
import type { Failure, Item, Side, Wire } from '../helpers/tamper.ts';
import { editServerHello, flipBit } from './edits.ts';
import { expectFatal } from './fatal.ts';

function connected(): Wire {
  const wire = pair();
  expect(wire.pump()).toBeNull();
  return wire;
}

function alert(wire: Wire, from: Side, level: number, description: number): Item {
  return { kind: 'record', contentType: ContentType.alert, content: Uint8Array.of(level, description), epoch: wire.epoch(from) };
}

function plainAlert(level: number, description: number): Uint8Array {
  return concatBytes(encodeRecordHeader(ContentType.alert, 0x0303, 2), Uint8Array.of(level, description));
}

/** Gives the failing side's alert to its peer, which must report it as AlertReceived. */
function forward(wire: Wire, failure: Failure | null, description: number): void {
  expect(failure?.alert?.description).toBe(description);
  const peer: Side = failure!.side === 'client' ? 'server' : 'client';
  const second = wire.send(failure!.side, failure!.sent);
  expectFatal(wire, second, { side: peer, type: AlertReceived, alert: null, received: description });
}

describe('receiving an alert', () => {
  it('handshake_failure in answer to the ClientHello → AlertReceived, nothing sent back', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('client', plainAlert(AlertLevel.fatal, A.handshake_failure));
    const error = expectFatal(wire, failure, { side: 'client', type: AlertReceived, alert: null, received: A.handshake_failure });
    expect(error.message).toContain('handshake_failure');
  });

  it('a fatal alert from the client before any ServerHello → AlertReceived', () => {
    const wire = pair();
    wire.take('client');
    const failure = wire.deliver('server', plainAlert(AlertLevel.fatal, A.protocol_version));
    expectFatal(wire, failure, { side: 'server', type: AlertReceived, alert: null, received: A.protocol_version });
  });

  // RFC 8446 §6: after the handshake every alert but close_notify (and a warning user_canceled) is an error.
  for (const [name, from, level, description] of [
    ['a protected fatal alert from the server', 'server', AlertLevel.fatal, A.internal_error],
    ['a protected fatal alert from the client', 'client', AlertLevel.fatal, A.internal_error],
    ['a warning-level alert other than close_notify/user_canceled', 'server', AlertLevel.warning, A.unrecognized_name],
    ['an unknown alert description', 'client', AlertLevel.warning, 200],
    ['a fatal user_canceled', 'client', AlertLevel.fatal, A.user_canceled],
  ] as const) {
    it(`${name} after the handshake → AlertReceived`, () => {
      const wire = connected();
      const side: Side = from === 'client' ? 'server' : 'client';
      const failure = wire.send(from, [alert(wire, from, level, description)]);
      expectFatal(wire, failure, { side, type: AlertReceived, alert: null, received: description });
    });
  }

  it('a few warning user_canceled alerts are ignored; a fifth in a row → unexpected_message', () => {
    const wire = connected();
    const canceled = () => alert(wire, 'client', AlertLevel.warning, A.user_canceled);
    expect(wire.send('client', [canceled(), canceled(), canceled(), canceled()])).toBeNull();
    expect(wire.server.failed).toBeUndefined();
    expectFatal(wire, wire.send('client', [canceled()]), { side: 'server', cause: 'TooManyWarningAlerts', alert: A.unexpected_message });
  });

  it('an alert record of three bytes → decode_error', () => {
    const wire = connected();
    const failure = wire.send('client', [{ kind: 'record', contentType: ContentType.alert, content: Uint8Array.of(2, 40, 0), epoch: wire.epoch('client') }]);
    expectFatal(wire, failure, { side: 'server', cause: 'MalformedAlert', alert: A.decode_error });
  });

  it('close_notify is not an error: read() returns null, nothing is sent back', () => {
    const wire = connected();
    expect(wire.send('server', [alert(wire, 'server', AlertLevel.warning, A.close_notify)])).toBeNull();
    expect(wire.client.read()).toBeNull();
    expect(wire.client.failed).toBeUndefined();
    expect(wire.client.takeOutgoing()).toHaveLength(0);
  });
});


describe('the peer learns why', () => {
  it('the server fails on the client Finished; the client receives decrypt_error', () => {
    const wire = pair();
    const failure = wire.pump({ client: onMessage(HandshakeType.finished, (item) => flipBit(item.body, 0)) });
    expect(failure?.side).toBe('server');
    forward(wire, failure, A.decrypt_error);
  });

  it('the server fails on the ClientHello; the client receives handshake_failure', () => {
    const wire = pair({ client: { groups: [0x001d] }, server: { groups: [0x0018] } });
    const failure = wire.pump();
    forward(wire, failure, A.handshake_failure);
  });

  // The client has no keys yet and alerts in the clear; the server accepts that until its first protected record.
  it('the client rejects the ServerHello; the server (waiting for Finished) receives illegal_parameter', () => {
    const wire = pair();
    const failure = wire.pump({ server: editServerHello((h) => ({ ...h, cipherSuite: 0x0a0a })) });
    expect(failure?.side).toBe('client');
    forward(wire, failure, A.illegal_parameter);
  });

  it('the client rejects the certificate; the server receives unknown_ca', () => {
    const wire = pair({ client: { verifier: pinnedVerifier(credential('p384').chain[0]!) } });
    const failure = wire.pump();
    expect(failure?.side).toBe('client');
    forward(wire, failure, A.unknown_ca);
  });

  it('the client fails on the server Finished; the server receives decrypt_error', () => {
    const wire = pair();
    const failure = wire.pump({ server: onMessage(HandshakeType.finished, (item) => flipBit(item.body, 0)) });
    expect(failure?.side).toBe('client');
    forward(wire, failure, A.decrypt_error);
  });

  it('after the handshake, a bad record at the client; the server receives bad_record_mac', () => {
    const wire = connected();
    wire.server.write(utf8('data'));
    const bytes = wire.encode('server', wire.take('server'));
    bytes[6]! ^= 1;
    const failure = wire.deliver('client', bytes);
    forward(wire, failure, A.bad_record_mac);
  });
});
