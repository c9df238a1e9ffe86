/**
 * Issue 15's proof for Cloudflare Workers: the real `workerd` runtime (the
 * `workerd` devDependency) runs a worker that opens a TCP socket with
 * `cloudflare:sockets` and speaks TLS 1.3 (and 1.2) over it with puretls, to
 * `openssl s_server -Verify 1`, which demands a client certificate from a
 * private CA. The server's CA is a text binding, the client certificate and
 * key are secrets; the worker answers with what was negotiated and what the
 * server sent. A worker given the wrong CA answers with CPython's
 * SSLCertVerificationError, verify code 20.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';
import { WORKERD, type Workerd, runWorkerd } from './workerd.ts';

const workerdRuns = spawnSync(WORKERD, ['--version']).status === 0;

const serverCredential = credential('p256', 'localhost');
const clientCredential = credential('p256', 'worker-client');
const HELLO = 'hello from s_server behind a private CA\n';
const www = mkdtempSync(join(tmpdir(), 'puretls-workerd-www-'));
writeFileSync(join(www, 'hello.txt'), HELLO);

/** s_server for one connection: our server certificate, and a client certificate required from the client CA. */
function requireClientCertificate() {
  return startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile, '-Verify', '1', '-verify_return_error', '-CAfile', clientCredential.caFile, '-WWW'], www);
}

async function ask(port: number, query: Record<string, string>): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}/tls?${new URLSearchParams(query)}`);
  return (await response.json()) as Record<string, unknown>;
}

const title = workerdRuns ? 'puretls inside workerd' : `puretls inside workerd (skipped: ${WORKERD} does not run on this machine)`;

describe.skipIf(!workerdRuns)(title, () => {
  let workerd: Workerd;

  beforeAll(async () => {
    workerd = await runWorkerd({
      caPem: readFileSync(serverCredential.caFile, 'utf8'),
      otherCaPem: readFileSync(clientCredential.caFile, 'utf8'),
      clientCert: readFileSync(clientCredential.certFile, 'utf8'),
      clientKey: readFileSync(clientCredential.keyFile, 'utf8'),
    });
  });
  afterAll(() => workerd?.stop());
  afterEach(() => killAllOpenssl());

  it('the library bundle imports nothing from the platform (no node:*), the worker only cloudflare:sockets', () => {
    expect(workerd.library.imports).toEqual([]);
    expect([...new Set(workerd.worker.imports)].sort()).toEqual(['./puretls.js', 'cloudflare:sockets']);
  });

  /** Each version with the suite OpenSSL picks from our offer (AES-256-GCM first, as OpenSSL's own client). */
  const VERSIONS = [
    ['TLSv1.3', 'TLS_AES_256_GCM_SHA384'],
    ['TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ] as const;

  for (const [version, cipher] of VERSIONS) {
    it(`${version}: a client certificate from secrets, the server verified against a CA from a binding, and the server's response`, async () => {
      const { server, port } = await requireClientCertificate();
      const answer = await ask(workerd.ports['right-ca']!, { port: String(port), hostname: 'localhost', path: '/hello.txt', ...(version === 'TLSv1.2' ? { version } : {}) });
      expect(answer, workerd.output() + server.output).toMatchObject({
        version,
        cipher: [cipher, version, 256],
        subject: [[['commonName', 'localhost']]],
        peer: ['127.0.0.1', port],
        processGlobal: 'undefined',
      });
      expect(answer.response).toBe(`HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n${HELLO}`);
    });
  }

  it('a worker with the wrong CA fails with SSLCertVerificationError, verify code 20', async () => {
    const { port } = await requireClientCertificate();
    const answer = await ask(workerd.ports['wrong-ca']!, { port: String(port), hostname: 'localhost', path: '/hello.txt' });
    expect(answer).toEqual({
      error: {
        name: 'SSLCertVerificationError',
        message: expect.stringMatching(/^\[SSL: CERTIFICATE_VERIFY_FAILED\] certificate verify failed: unable to get local issuer certificate/),
        verify_code: 20,
        verify_message: 'unable to get local issuer certificate',
      },
    });
  });

  it('without cadata a worker trusts no CA at all (no files, no runtime root store): verify code 20', async () => {
    const { port } = await requireClientCertificate();
    const answer = await ask(workerd.ports['right-ca']!, { port: String(port), trust: 'default' });
    expect(answer).toMatchObject({ error: { name: 'SSLCertVerificationError', verify_code: 20 } });
  });

  it('a port nobody listens on: the platform\'s refusal as ConnectionError', async () => {
    const { server, port } = await requireClientCertificate();
    server.kill();
    await server.exit();
    const answer = await ask(workerd.ports['right-ca']!, { port: String(port) });
    expect(answer).toMatchObject({ error: { name: 'ConnectionError', verify_code: null } });
  });
});
