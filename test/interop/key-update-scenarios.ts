/**
 * The KeyUpdate scenarios (RFC 8446 §4.6.3), the same in both directions:
 * our side updates its keys (requested or not), and the OpenSSL peer does so
 * on its `k`/`K` command lines, and application data flows after each. The
 * peer's `-msg` trace is the independent record of which KeyUpdate messages
 * crossed the wire and with which request_update value.
 * @module
 */
import { expect, it } from 'vitest';
import type { NetPump } from '../helpers/net-pump.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';

/** A connected pair: our pump and the OpenSSL process (run with `-msg`), with the two steps every test uses. */
export interface Session {
  readonly pump: NetPump;
  readonly peer: OpensslProcess;
  /** One line each way. */
  exchange(tag: string): Promise<void>;
  /** close_notify both ways, and the peer's exit. */
  closeBoth(): Promise<void>;
}

/** request_update of each KeyUpdate in a `-msg` trace that the peer received (`<<<`) or sent (`>>>`). */
function keyUpdates(trace: string, direction: '<<<' | '>>>'): string[] {
  const pattern = new RegExp(`${direction} TLS 1\\.3, Handshake \\[length 0005\\], KeyUpdate\\n\\s+18 00 00 01 0(\\d)`, 'g');
  return [...trace.matchAll(pattern)].map((m) => m[1]!);
}

export function keyUpdateScenarios(peerName: string, open: () => Promise<Session>): void {
  it('sends KeyUpdate, requested or not, and data still flows both ways', async () => {
    const { pump, peer, exchange, closeBoth } = await open();
    await exchange('before');
    pump.keyUpdate(false);
    await exchange('after-update');
    pump.keyUpdate(true);
    await exchange('after-request');
    await closeBoth();
    // Ours arrive as update_not_requested (0) then update_requested (1); OpenSSL answers the request with 0.
    expect(keyUpdates(peer.stdoutText, '<<<')).toEqual(['0', '1']);
    expect(keyUpdates(peer.stdoutText, '>>>')).toEqual(['0']);
  });

  it(`follows ${peerName}'s KeyUpdate (k), and answers a requested one (K)`, async () => {
    const { peer, exchange, closeBoth } = await open();
    await exchange('before');
    peer.write('k\n');
    await peer.until((p) => keyUpdates(p.stdoutText, '>>>').length === 1, 'KeyUpdate sent');
    await exchange('after-k');
    peer.write('K\n');
    await peer.until((p) => keyUpdates(p.stdoutText, '>>>').length === 2, 'KeyUpdate sent');
    await exchange('after-K');
    // Our answer may follow the ping, when the ping left before the update arrived.
    await peer.until((p) => keyUpdates(p.stdoutText, '<<<').length > 0, 'our KeyUpdate');
    await closeBoth();
    expect(keyUpdates(peer.stdoutText, '>>>')).toEqual(['0', '1']);
    // Only the requested update is answered, with update_not_requested.
    expect(keyUpdates(peer.stdoutText, '<<<')).toEqual(['0']);
  });
}
