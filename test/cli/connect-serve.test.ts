/** `connect` against `openssl s_server`, and `openssl s_client`/`curl` against `serve`. */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand, makePki, runCli, startCli } from './run-cli.ts';

const pki = makePki();

describe('puretls serve', async () => {
  const server = await startCli(['serve', '--cert', pki.cert, '--key', pki.key, '--port', '0', '--alpn', 'http/1.1']);
  const www = await startCli(['serve', '--cert', pki.cert, '--key', pki.key, '--port', '0', '--www', '--alpn', 'http/1.1']);
  afterAll(() => {
    server.child.kill();
    www.child.kill();
  });

  it('echoes 64 KiB to openssl s_client byte for byte', async () => {
    const data = randomBytes(65536);
    const client = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${server.port}`, '-quiet', '-CAfile', pki.ca, '-ign_eof'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    client.stdout.on('data', (c: Buffer) => {
      chunks.push(c);
      if (Buffer.concat(chunks).length >= data.length) client.kill();
    });
    client.stdin.write(data);
    await new Promise((resolve) => client.once('exit', resolve));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it.skipIf(!hasCommand('curl'))('--www answers curl (skipped without curl)', () => {
    const run = spawnSync('curl', ['-s', '--cacert', pki.ca, `https://localhost:${www.port}/`], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Hello from puretls');
    expect(run.stdout).toContain('TLSv1.3');
  });

  it('connect prints the certificate dict and pipes stdin to the server and back', () => {
    const run = runCli(['connect', `localhost:${www.port}`, '--cafile', pki.ca, '--alpn', 'http/1.1'], 'GET / HTTP/1.0\r\n\r\n');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*GET \/ HTTP\/1\.0/);
    expect(run.stderr).toMatch(/subject: +CN = localhost/);
    expect(run.stderr).toMatch(/ALPN: +http\/1\.1/);
    expect(run.stderr).toMatch(/verification: OK/);
  });
});

describe('puretls connect failures', () => {
  it('a CA that did not issue the certificate: one line, exit 1', async () => {
    const server = await startCli(['serve', '--cert', pki.cert, '--key', pki.key, '--port', '0']);
    try {
      const badCa = runCli(['connect', `localhost:${server.port}`, '--cafile', pki.otherCa]);
      expect(badCa.status).toBe(1);
      expect(badCa.stderr).toMatch(/^puretls: SSLCertVerificationError: \[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: unable to get local issuer certificate \(_ssl\.c:\d+\)\n$/);
      const wrongName = runCli(['connect', `127.0.0.1:${server.port}`, '--cafile', pki.ca, '--servername', 'example.com']);
      expect(wrongName.status).toBe(1);
      expect(wrongName.stderr).toMatch(/^puretls: SSLCertVerificationError: .*Hostname mismatch, certificate is not valid for 'example\.com'\. \(_ssl\.c:\d+\)\n$/);
    } finally {
      server.child.kill();
    }
  });
});
