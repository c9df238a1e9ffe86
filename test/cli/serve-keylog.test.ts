/** `puretls serve --keylog F` writes the key log `openssl s_client -keylogfile` writes for the same connection, in TLS 1.3 and TLS 1.2. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient } from '../helpers/openssl-peer.ts';
import { TLS13_LABELS, readKeyLog } from './key-log.ts';
import { startCli } from './run-cli.ts';

const server = credential('p256');

afterEach(killAllOpenssl);

it('serve --keylog: the same labels, client random and secrets as openssl s_client -keylogfile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-keylog-'));
  const [ours, theirs] = [join(dir, 'puretls.log'), join(dir, 'openssl.log')];
  const serve = await startCli(['serve', '--cert', server.certFile, '--key', server.keyFile, '--port', '0', '--keylog', ours]);
  try {
    const peer = startClient(serve.port, ['-quiet', '-CAfile', server.caFile, '-keylogfile', theirs]);
    peer.write('ping\n');
    await peer.waitFor(/^ping$/m);
    // -quiet implies -ign_eof: s_client stays until it is ended.
    peer.kill();
    // The server logs its application secrets after the client's Finished; the echo came after that.
    await vi.waitFor(() => expect([...readKeyLog(ours).keys()].sort()).toEqual(TLS13_LABELS), { timeout: 10_000 });
    const ourLog = readKeyLog(ours);
    expect(new Set([...ourLog.values()].map(([random]) => random)).size).toBe(1);
    expect(ourLog).toEqual(readKeyLog(theirs));
  } finally {
    serve.child.kill();
  }
});

it('serve answers TLS 1.2 (s_client -tls1_2) and logs the CLIENT_RANDOM line s_client -keylogfile writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-keylog12-'));
  const [ours, theirs] = [join(dir, 'puretls.log'), join(dir, 'openssl.log')];
  const serve = await startCli(['serve', '--cert', server.certFile, '--key', server.keyFile, '--port', '0', '--keylog', ours]);
  try {
    const peer = startClient(serve.port, ['-tls1_2', '-CAfile', server.caFile, '-keylogfile', theirs, '-ign_eof']);
    await peer.waitFor(/^New, TLSv1\.2, Cipher is ECDHE-ECDSA-AES256-GCM-SHA384$/m);
    peer.write('ping\n');
    await peer.waitFor(/^ping$/m);
    peer.kill();
    await vi.waitFor(() => expect([...readKeyLog(ours).keys()]).toEqual(['CLIENT_RANDOM']), { timeout: 10_000 });
    expect(readKeyLog(ours)).toEqual(readKeyLog(theirs));
  } finally {
    serve.child.kill();
  }
});
