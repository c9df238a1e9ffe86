/**
 * `puretls/edge`: Python-shaped sockets where the platform gives only a byte
 * stream, for `SSLContext.wrap_socket` to run TLS over — with a private CA
 * and a client certificate, which the platforms' own TLS (`startTls()`)
 * cannot do. Nothing here, nor in what it imports, reaches `node:*`: it runs
 * in workerd (Cloudflare Workers), in browsers and in any ES module host.
 * `docs/edge-and-browser.md` has the recipes and their limits.
 *
 *   import { connect } from 'cloudflare:sockets';
 *   import * as ssl from 'puretls/ssl';
 *   import { from_platform_socket } from 'puretls/edge';
 *
 *   const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: env.CA_PEM });
 *   context.load_cert_chain_data(env.CLIENT_CERT, env.CLIENT_KEY);
 *   const sock = await from_platform_socket(connect({ hostname: 'db.internal', port: 5432 }));
 *   const tls = await context.wrap_socket(sock, { server_hostname: 'db.internal' });
 * @module
 */
import { type PlatformSocket, type PlatformSocketInfo, platformSocketTransport } from './runtime/platform-socket.ts';
import { openWebSocket } from './runtime/websocket.ts';
import { streamTransport } from './runtime/web-streams.ts';
import { AF_INET, AF_INET6 } from './socket/constants.ts';
import { socket } from './socket/socket.ts';

export type { PlatformSocket, PlatformSocketInfo };

/**
 * A connected `socket.socket` over an edge platform's TCP socket (the object
 * Cloudflare's `connect()` returns). Resolves once the platform has opened
 * the connection; a failure to connect rejects with `ConnectionError` and the
 * platform's reason. `close()` on the socket (or on the `SSLSocket` made from
 * it) also closes the platform's socket.
 */
export async function from_platform_socket(platformSocket: PlatformSocket): Promise<socket> {
  const transport = await platformSocketTransport(platformSocket);
  return socket._fromTransport(transport, transport.remoteAddress?.length === 4 ? AF_INET6 : AF_INET, null);
}

/**
 * A connected `socket.socket` over a WebSocket whose binary messages carry a
 * TCP connection (a WebSocket-to-TCP tunnel: the way a browser reaches a TCP
 * server). Uses `WebSocketStream` where the runtime has it (back-pressure
 * both ways), `WebSocket` elsewhere. Failing to open rejects with
 * `ConnectionError`. A WebSocket cannot half-close: `shutdown(SHUT_WR)`
 * closes the whole tunnel.
 */
export async function open_websocket(url: string | URL, protocols: readonly string[] = []): Promise<socket> {
  const pair = await openWebSocket(String(url), [...protocols]);
  return socket._fromTransport(streamTransport(pair), AF_INET, null);
}
