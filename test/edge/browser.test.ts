/**
 * Issue 15's proof for browsers: headless Chromium (Debian's `chromium`,
 * driven by `playwright-core`) loads a page whose module imports the bundled
 * library (`puretls.js`), opens a WebSocket to the test tunnel, and speaks TLS
 * through it to `openssl s_server`, verifying the server against a CA given
 * as PEM. 1 MiB goes there and comes back byte for byte (s_server echoes it
 * through the test), in TLS 1.3 and in TLS 1.2; a wrong hostname fails with
 * verify code 62.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl } from '../helpers/openssl-peer.ts';
import type { EchoAnswer, EchoRequest, PageApi } from './browser/page.ts';
import { bundleLibrary, bundleModule } from './bundle.ts';
import { startEchoServer } from './echo-server.ts';
import { type TunnelServer, startTunnelServer } from './tunnel.ts';

/** Debian's binary (/usr/bin/chromium is a shell wrapper around it); `.ci/run` installs the package when absent. */
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));
const MiB = 1 << 20;
const MARKER = 'plaintext the tunnel must not see';

const serverCredential = credential('p256', 'localhost');
const caPem = readFileSync(serverCredential.caFile, 'utf8');
const serverArgs = (version: string) => ['-cert', serverCredential.certFile, '-key', serverCredential.keyFile, version === 'TLSv1.3' ? '-tls1_3' : '-tls1_2'];

/** One row per TLS version: the page pins minimum and maximum to it, s_server speaks only it. */
const VERSIONS: readonly EchoRequest['version'][] = ['TLSv1.3', 'TLSv1.2'];

const title = CHROMIUM ? 'puretls in headless Chromium through a WebSocket tunnel' : 'puretls in headless Chromium (skipped: no chromium binary; .ci/run installs Debian\'s chromium)';

describe.skipIf(!CHROMIUM)(title, () => {
  let browser: Browser;
  let page: Page;
  let tunnel: TunnelServer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-browser-'));
    const library = await bundleLibrary(dir);
    const pageModule = await bundleModule('browser/page.ts', dir, 'page.js');
    const js = 'text/javascript';
    tunnel = await startTunnelServer({
      '/': { type: 'text/html', body: readFileSync(new URL('browser/index.html', import.meta.url)) },
      '/page.js': { type: js, body: readFileSync(pageModule.file) },
      '/puretls.js': { type: js, body: readFileSync(library.file) },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${tunnel.origin}/`);
    await page.waitForFunction(() => 'puretlsTest' in globalThis, null, { timeout: 10_000 }).catch(() => {
      throw new Error(`the page did not load: ${errors.join('\n')}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await tunnel?.close();
  });
  afterEach(() => killAllOpenssl());

  const echo = (request: EchoRequest) => page.evaluate((r) => (globalThis as unknown as { puretlsTest: PageApi }).puretlsTest.echo(r), request) as Promise<EchoAnswer>;

  it('the page sees no Node globals, and takes the WebSocketStream way', async () => {
    const facts = await page.evaluate(() => {
      const api = (globalThis as unknown as { puretlsTest: PageApi }).puretlsTest;
      return { nodeGlobals: api.nodeGlobals, webSocketStream: api.webSocketStream };
    });
    expect(facts).toEqual({ nodeGlobals: { process: 'undefined', Buffer: 'undefined', require: 'undefined' }, webSocketStream: true });
  });

  for (const version of VERSIONS) {
    it(`${version}: 1 MiB echoed byte for byte through the tunnel`, async () => {
      const server = await startEchoServer(serverArgs(version));
      const serverReceived = server.echoed(MiB);
      const answer = await echo({ url: tunnel.tunnelUrl(server.port), caPem, hostname: 'localhost', version, size: MiB, marker: MARKER });
      expect(answer, server.server.output).toMatchObject({ version, subject: [[['commonName', 'localhost']]], receivedLength: MiB, identical: true });
      expect(answer.cipher?.[1]).toBe(version);
      // What s_server received is what the page sent.
      expect(createHash('sha256').update(await serverReceived).digest('hex')).toBe(answer.sentSha256);
      const seen = tunnel.seen.at(-1)!;
      expect(seen.toServer.includes('localhost')).toBe(true);
      expect(seen.toServer.includes(MARKER)).toBe(false);
    });
  }

  it('the plain WebSocket way (no WebSocketStream, as in Firefox and Safari): 64 KiB echoed', async () => {
    const server = await startEchoServer(serverArgs('TLSv1.3'));
    const serverReceived = server.echoed(64 * 1024);
    const answer = await echo({ url: tunnel.tunnelUrl(server.port), caPem, hostname: 'localhost', version: 'TLSv1.3', size: 64 * 1024, marker: MARKER, plainWebSocket: true });
    expect(answer, server.server.output).toMatchObject({ version: 'TLSv1.3', receivedLength: 64 * 1024, identical: true });
    expect(createHash('sha256').update(await serverReceived).digest('hex')).toBe(answer.sentSha256);
  });

  it('a wrong hostname fails with SSLCertVerificationError, verify code 62', async () => {
    const server = await startEchoServer(serverArgs('TLSv1.3'));
    const answer = await echo({ url: tunnel.tunnelUrl(server.port), caPem, hostname: 'wrong.example', version: 'TLSv1.3', size: 0, marker: '' });
    expect(answer).toEqual({
      error: {
        name: 'SSLCertVerificationError',
        message: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'wrong.example'. (_ssl.c:1006)",
        verify_code: 62,
        verify_message: "Hostname mismatch, certificate is not valid for 'wrong.example'.",
      },
    });
  });
});
