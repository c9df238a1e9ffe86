/**
 * `puretls serve --verify-client --cafile CA` against `openssl s_client`: a
 * client certificate from CA is accepted and echoed to; a client without one
 * fails its handshake (RFC 8446 §4.4.2.4: certificate_required) and the
 * server goes on to serve the next client.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { type OpensslProcess, killAllOpenssl, startClient } from '../helpers/openssl-peer.ts';
import { startCli } from './run-cli.ts';

const server = credential('p256');
const client = credential('p256', 'client.example');

afterEach(killAllOpenssl);

/** Sends a line through `peer` and waits for serve's echo of it. */
async function echoes(peer: OpensslProcess, line: string): Promise<void> {
  peer.write(`${line}\n`);
  await peer.waitFor(new RegExp(`^${line}$`, 'm'));
}

describe('puretls serve --verify-client', async () => {
  const serve = await startCli(['serve', '--cert', server.certFile, '--key', server.keyFile, '--port', '0', '--verify-client', '--cafile', client.caFile]);
  afterAll(() => serve.child.kill());
  const withCertificate = ['-quiet', '-CAfile', server.caFile, '-cert', client.certFile, '-key', client.keyFile];

  it('accepts openssl s_client with a certificate from --cafile and echoes', async () => {
    const peer = startClient(serve.port, withCertificate);
    await echoes(peer, 'first client');
    expect(serve.stderr()).toMatch(/\n127\.0\.0\.1:\d+: TLSv1\.3 TLS_AES_256_GCM_SHA384 ALPN \(none\)\n/);
  });

  it('refuses a client without a certificate (certificate_required), then serves the next one', async () => {
    const before = serve.stderr().length;
    const anonymous = startClient(serve.port, ['-CAfile', server.caFile, '-ign_eof']);
    anonymous.write('never echoed\n');
    // TLS 1.3: the client finishes first and learns of the refusal from the alert (RFC 8446 §4.4.2.4, alert 116).
    await anonymous.waitFor(/alert certificate required/, 'stderr');
    expect(await anonymous.exit()).not.toBe(0);
    expect(anonymous.stdoutText).not.toMatch(/^never echoed$/m);
    // CPython's server-side text for this failure, as serve's one line for a failed client.
    await vi.waitFor(() => expect(serve.stderr().slice(before)).toMatch(/^127\.0\.0\.1:\d+: SSLError: \[SSL: PEER_DID_NOT_RETURN_A_CERTIFICATE\] peer did not return a certificate \(_ssl\.c:\d+\)\n$/), { timeout: 10_000 });

    const next = startClient(serve.port, withCertificate);
    await echoes(next, 'next client');
    expect(serve.child.exitCode).toBeNull();
  });
});
