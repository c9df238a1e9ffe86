/**
 * `puretls serve` handshakes each client in its own task: a client that
 * opens a TCP connection and sends nothing must not keep the next client
 * from being served.
 */
import { connect } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient } from '../helpers/openssl-peer.ts';
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
