/** RFC 8448 byte-for-byte replays (see `test/helpers/rfc8448-replay.ts` for what is taken from the trace). */
import type { TlsSession13 } from '../../src/handshake/session.ts';
import { describe, expect, it } from 'vitest';
import { KeySchedule13 } from '../../src/handshake/key-schedule13.ts';
import { parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeNewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import { suite13 } from '../../src/handshake/suites.ts';
import { toHex } from '../../src/wire/bytes.ts';
import { deterministicProvider } from '../helpers/deterministic-provider.ts';
import { replayClient, replayServer } from '../helpers/rfc8448-replay.ts';
import type { Replay } from '../helpers/rfc8448-replay.ts';
import { draft, published } from '../helpers/rfc8448-trace.ts';

const body = (message: Uint8Array) => parseHandshake(message).body;

function check(replay: Replay): Replay {
  expect(replay.records.ours).toEqual(replay.records.trace);
  expect(replay.data.ours).toEqual(replay.data.trace);
  expect(replay.secrets.ours).toEqual(replay.secrets.trace);
  return replay;
}

describe('RFC 8448 §3 (published values)', () => {
  it('our client writes the trace’s client records byte for byte', () => check(replayClient(published)));
  it('our server writes the trace’s server records byte for byte', () => check(replayServer(published)));

  it('the key schedule derives every listed secret, key and IV', () => {
    const t = published;
    const provider = deterministicProvider({});
    const ks = new KeySchedule13(provider, suite13(0x1301)!);
    const early = ks.earlySecret();
    expect(toHex(early)).toBe(toHex(t.field('{server}  extract secret "early"', 'secret')));
    const shared = provider.keyExchange('x25519', t.field('{server}  create an ephemeral', 'private key')).agree(t.field('{client}  create an ephemeral', 'public key'));
    const hs = ks.handshakeSecret(early, shared);
    expect(toHex(hs)).toBe(toHex(t.field('{server}  extract secret "handshake"', 'secret')));
    expect(toHex(ks.masterSecret(hs))).toBe(toHex(t.field('{server}  extract secret "master"', 'secret')));
    for (const [label, secretStep] of [
      ['{server}  derive write traffic keys for handshake data', '{server}  derive secret "tls13 s hs traffic"'],
      ['{server}  derive read traffic keys for handshake data', '{server}  derive secret "tls13 c hs traffic"'],
      ['{server}  derive write traffic keys for application data', '{server}  derive secret "tls13 s ap traffic"'],
      ['{client}  derive write traffic keys for application data', '{server}  derive secret "tls13 c ap traffic"'],
    ] as const) {
      const keys = ks.trafficKeys(t.field(secretStep, 'expanded'));
      expect(toHex(keys.key)).toBe(toHex(t.field(label, 'key expanded')));
      expect(toHex(keys.iv)).toBe(toHex(t.field(label, 'iv expanded')));
    }
    const resumption = t.field('{client}  derive secret "tls13 res master"', 'expanded');
    expect(toHex(ks.resumptionPsk(resumption, decodeNewSessionTicket(body(t.field('{server}  construct a NewSessionTicket', 'NewSessionTicket'))).ticketNonce)))
      .toBe(toHex(t.field('{server}  generate resumption secret', 'expanded')));
  });

  it('the client hands the ticket to its caller with the trace’s resumption PSK', () => {
    const client = check(replayClient(published)).connection;
    expect(client.peerClosed).toBe(true);
    const [ticket] = client.takeSessionTickets();
    expect(ticket?.version).toBe(0x0304);
    expect(toHex((ticket as TlsSession13).psk)).toBe(toHex(published.field('{server}  generate resumption secret', 'expanded')));
  });
});

describe('RFC 8448 draft trace scenarios', () => {
  it('§3 simple 1-RTT: client', () => check(replayClient(draft(3))));
  it('§3 simple 1-RTT: server', () => check(replayServer(draft(3))));
  it('§5 HelloRetryRequest: client', () => check(replayClient(draft(5))));
  it.skip('§5 HelloRetryRequest: server — NSS puts a cookie in its HelloRetryRequest; our server is stateful and sends none, so its HRR cannot match', () => {});
  it('§6 client authentication: client', () => check(replayClient(draft(6))));
  it('§6 client authentication: server', () => check(replayServer(draft(6))));
  it('§7 middlebox compatibility mode: client', () => check(replayClient(draft(7))));
  it('§7 middlebox compatibility mode: server', () => check(replayServer(draft(7))));
  it.skip('§4 resumed 0-RTT handshake — needs PSK resumption and 0-RTT, the resumption issue', () => {});
});
