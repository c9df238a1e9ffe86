/**
 * TLS 1.2 resumption against the `openssl` binary on 127.0.0.1, through the
 * public `ssl` API (SSLObject over sockets): our client resuming with
 * `openssl s_server` by ticket and by session ID (its own report, "Reused
 * session-id", is the independent check), and `openssl s_client` resuming
 * with our server from `-sess_out`/`-sess_in` and with `-reconnect`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { BioSocketPump, listenBio } from '../api/bio-socket-pump.ts';
import type { BioPumpServer } from '../api/bio-socket-pump.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';

const server = credential('p256');
const TIMEOUT_MS = 30_000;

const pumps: BioSocketPump[] = [];
const servers: BioPumpServer[] = [];
afterEach(async () => {
  killAllOpenssl();
  for (const pump of pumps.splice(0)) pump.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function clientContext(noTicket: boolean): ssl.SSLContext {
  const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: server.caFile });
  context.maximum_version = ssl.TLSVersion.TLSv1_2;
  if (noTicket) context.options |= ssl.OP_NO_TICKET;
  return context;
}

async function connect(context: ssl.SSLContext, port: number, session: ssl.SSLSession | null): Promise<BioSocketPump> {
  const pump = await BioSocketPump.connect(context, port, 'localhost');
  pumps.push(pump);
  if (session) pump.tls.session = session;
  await pump.do_handshake();
  return pump;
}

describe('TLS 1.2 resumption with openssl', () => {
  for (const [how, noTicket] of [['a ticket', false], ['a session ID', true]] as const) {
    it(`our client resumes with s_server by ${how}; s_server reports the reuse`, { timeout: TIMEOUT_MS }, async () => {
      const { server: peer, port } = await startServer(['-cert', server.certFile, '-key', server.keyFile, '-tls1_2', '-naccept', '2', ...(noTicket ? ['-no_ticket'] : [])]);
      const context = clientContext(noTicket);
      const first = await connect(context, port, null);
      expect(first.tls.session_reused).toBe(false);
      await first.sendAll(new TextEncoder().encode('one\n'));
      await peer.waitFor(/^one$/m);
      const session = first.tls.session!;
      expect(session.has_ticket).toBe(!noTicket);
      await first.unwrap();
      const second = await connect(context, port, session);
      expect(second.tls.session_reused).toBe(true);
      expect(second.tls.version()).toBe('TLSv1.2');
      await second.sendAll(new TextEncoder().encode('two\n'));
      await peer.waitFor(/^two$/m);
      expect(peer.stdoutText.match(/Reused session-id/g)).toHaveLength(1);
      expect(context.session_stats().hits).toBe(1);
    });
  }

  it('s_client -sess_out, then -sess_in: our server resumes the ticket s_client kept', { timeout: TIMEOUT_MS }, async () => {
    const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    context.load_cert_chain(server.certFile, server.keyFile);
    const listener = await listenBio(context);
    servers.push(listener);
    const file = join(mkdtempSync(join(tmpdir(), 'puretls-sess-')), 'session.pem');
    const args = ['-tls1_2', '-CAfile', server.caFile, '-verify_return_error', '-servername', 'localhost'];
    const first = startClient(listener.port, [...args, '-sess_out', file]);
    const pumpOne = await listener.accepted();
    await pumpOne.do_handshake();
    await first.waitFor(/^\s+Session-ID: [0-9A-F]{64}$/m);
    first.write('Q\n');
    await first.exit();
    const second = startClient(listener.port, [...args, '-sess_in', file]);
    const pumpTwo = await listener.accepted();
    await pumpTwo.do_handshake();
    expect(pumpTwo.tls.session_reused).toBe(true);
    await second.waitFor(/^Reused, TLSv1\.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384$/m);
    second.write('Q\n');
    await second.exit();
    expect(context.session_stats()).toMatchObject({ hits: 1, accept_good: 2 });
  });

  it('s_client -no_ticket -reconnect: five resumptions by session ID from our cache', { timeout: TIMEOUT_MS }, async () => {
    const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    context.load_cert_chain(server.certFile, server.keyFile);
    const listener = await listenBio(context);
    servers.push(listener);
    const client = startClient(listener.port, ['-tls1_2', '-no_ticket', '-CAfile', server.caFile, '-verify_return_error', '-reconnect']);
    // s_client -reconnect: one full handshake, then five reconnections offering the same session ID.
    for (let i = 0; i < 6; i++) {
      const pump = await listener.accepted();
      await pump.do_handshake();
      expect(pump.tls.session_reused, `connection ${i}`).toBe(i > 0);
    }
    await client.waitFor(/(^Reused, TLSv1\.2[^\n]*\n[\s\S]*){5}/m);
    expect(context.session_stats()).toMatchObject({ number: 1, hits: 5, misses: 0, accept_good: 6 });
  });
});
