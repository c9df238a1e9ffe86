/**
 * How `puretls serve` takes its clients: each handshake in its own task (a
 * client that opens a TCP connection and sends nothing must not keep the
 * next one from being served), and IPv6 addresses in brackets.
 */
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { OpensslProcess, killAllOpenssl, startClient } from '../helpers/openssl-peer.ts';
import { startCli } from './run-cli.ts';

const server = credential('p256');

afterEach(killAllOpenssl);

it('a client that never sends its ClientHello holds up nobody: the next one is echoed to', async () => {
  const serve = await startCli(['serve', '--cert', server.certFile, '--key', server.keyFile, '--port', '0']);
  const stalled = connect(serve.port, '127.0.0.1');
  try {
    await new Promise((resolve) => stalled.once('connect', resolve));
    const peer = startClient(serve.port, ['-quiet', '-CAfile', server.caFile]);
    peer.write('served while another client stalls\n');
    await peer.waitFor(/^served while another client stalls$/m, 'stdout', 5_000);
    expect(stalled.destroyed).toBe(false);
  } finally {
    stalled.destroy();
    serve.child.kill();
  }
});

it('listens on and reports IPv6 addresses in brackets ([::1]:PORT), as it takes them', async () => {
  const serve = await startCli(['serve', '--cert', server.certFile, '--key', server.keyFile, '--host', '::1', '--port', '0']);
  try {
    expect(serve.stderr()).toMatch(/^listening on \[::1\]:\d+\n$/);
    const peer = new OpensslProcess(['s_client', '-connect', `[::1]:${serve.port}`, '-quiet', '-CAfile', server.caFile]);
    peer.write('over IPv6\n');
    await peer.waitFor(/^over IPv6$/m);
    expect(serve.stderr()).toMatch(/\n\[::1\]:\d+: TLSv1\.3 TLS_AES_256_GCM_SHA384 ALPN \(none\)\n/);
  } finally {
    serve.child.kill();
  }
});
