/**
 * `puretls/edge` on Node, without a platform: `from_platform_socket` over a
 * stand-in for Cloudflare's `Socket` (a `node:net` connection as a WHATWG
 * pair, with `opened` and `close()`), and `open_websocket` through the test
 * tunnel with Node's own `WebSocket` (Node has no `WebSocketStream`, so this
 * is the plain-WebSocket way the browser test does not take by default).
 */
import { connect } from 'node:net';
import { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { from_platform_socket, open_websocket, type PlatformSocket } from '../../src/api/edge.ts';
import { parseSocketAddress } from '../../src/api/runtime/platform-socket.ts';
import * as ssl from '../../src/api/ssl.ts';
import { ConnectionError } from '../../src/api/socket/errors.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';
import { startEchoServer } from './echo-server.ts';
import { type TunnelServer, startTunnelServer } from './tunnel.ts';

const serverCredential = credential('p256', 'localhost');
const serverArgs = ['-cert', serverCredential.certFile, '-key', serverCredential.keyFile];
const clientContext = () => ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: readFileSync(serverCredential.caFile, 'utf8') });
const text = (s: string) => new TextEncoder().encode(s);

afterEach(() => killAllOpenssl());

/** Cloudflare's `Socket` shape over a Node connection; counts `close()` calls. */
function platformSocket(port: number): PlatformSocket & { closes: number } {
  const tcp = connect({ host: '127.0.0.1', port });
  const opened = new Promise<{ remoteAddress: string }>((resolve, reject) => {
    tcp.once('connect', () => resolve({ remoteAddress: `${tcp.remoteAddress}:${tcp.remotePort}` }));
    tcp.once('error', reject);
  });
  const pair = Duplex.toWeb(tcp) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
  const socket = {
    ...pair,
    opened,
    closes: 0,
    close() {
      socket.closes++;
      tcp.destroy();
    },
  };
  return socket;
}

describe('parseSocketAddress (Cloudflare SocketInfo addresses)', () => {
  it('reads IPv4, bracketed IPv6 and names, and nothing else', () => {
    expect(parseSocketAddress('127.0.0.1:8443')).toEqual(['127.0.0.1', 8443]);
    expect(parseSocketAddress('[::1]:443')).toEqual(['::1', 443, 0, 0]);
    expect(parseSocketAddress('db.internal:5432')).toEqual(['db.internal', 5432]);
    expect(parseSocketAddress('::1:443')).toBeNull();
    expect(parseSocketAddress(undefined)).toBeNull();
  });
});

describe('from_platform_socket', () => {
  it('a TLS 1.3 connection over the platform socket; the peer address from opened; close() closes the platform socket', async () => {
    const { port } = await startServer([...serverArgs, '-rev']);
    const platform = platformSocket(port);
    const sock = await from_platform_socket(platform);
    expect(sock.getpeername()).toEqual(['127.0.0.1', port]);
    const tls = await clientContext().wrap_socket(sock, { server_hostname: 'localhost' });
    expect(tls.version()).toBe('TLSv1.3');
    await tls.sendall(text('platform\n'));
    expect(new TextDecoder().decode(await tls.recv(100))).toBe('mroftalp\n');
    expect(platform.closes).toBe(0);
    await tls.close();
    expect(platform.closes).toBe(1);
  });

  it('a connection the platform could not open is ConnectionError with its reason', async () => {
    const failing: PlatformSocket = {
      readable: new ReadableStream(),
      writable: new WritableStream(),
      opened: Promise.reject(new Error('proxy request failed, cannot connect to the specified address')),
    };
    const error = await from_platform_socket(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe('proxy request failed, cannot connect to the specified address');
  });
});

describe('open_websocket through a WebSocket-to-TCP tunnel (Node\'s WebSocket)', () => {
  let tunnel: TunnelServer;
  beforeAll(async () => {
    tunnel = await startTunnelServer({});
  });
  afterAll(() => tunnel?.close());

  it('TLS 1.3 to s_server, 256 KiB echoed byte for byte; the tunnel sees the SNI, not the data', async () => {
    const echo = await startEchoServer(serverArgs);
    const tls = await clientContext().wrap_socket(await open_websocket(tunnel.tunnelUrl(echo.port)), { server_hostname: 'localhost' });
    const sent = new Uint8Array(256 * 1024).map((_, i) => (i * 7) & 0xff);
    sent.set(text('a marker the tunnel never sees'));
    const serverReceived = echo.echoed(sent.length);
    const [received] = await Promise.all([tls.makefile('rb').read(sent.length), tls.sendall(sent)]);
    expect(Buffer.compare(received, sent)).toBe(0);
    expect(Buffer.compare(await serverReceived, sent)).toBe(0);
    await tls.close();
    const seen = tunnel.seen.at(-1)!;
    expect(seen.toServer.includes('localhost')).toBe(true);
    expect(seen.toServer.includes('a marker the tunnel never sees')).toBe(false);
    expect(seen.toServer.length).toBeGreaterThan(64 * 1024 - 1);
  });

  it('a tunnel that cannot reach its server fails to open: ConnectionError', async () => {
    const { server, port } = await startServer(serverArgs);
    server.kill();
    await server.exit();
    const error = await open_websocket(tunnel.tunnelUrl(port)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`^WebSocket connection to ws://127\\.0\\.0\\.1:\\d+/tcp/${port} failed`));
  });
});
