/**
 * `puretls/socket`: the part of Python's `socket` module that TLS needs, on
 * Node, Deno and Bun (over `node:net`) and over any WHATWG stream pair
 * (`from_streams`). Blocking calls return Promises and reject with Python's
 * exceptions (DESIGN §5); `socket/socket.ts` lists where it differs.
 *
 *   import * as socket from 'puretls/socket';
 *   const sock = await socket.create_connection(['example.com', 80]);
 *   await sock.sendall(new TextEncoder().encode('HEAD / HTTP/1.0\r\n\r\n'));
 *   console.log(await sock.recv(1024));
 *   await sock.close();
 * @module
 */
export * from './socket/constants.ts';
export { socket, getdefaulttimeout, setdefaulttimeout, type SendableFile, type SocketAddress } from './socket/socket.ts';
export { create_connection, create_server, from_streams, getaddrinfo, has_dualstack_ipv6, type AddrInfo, type CreateServerOptions } from './socket/functions.ts';
export { SocketFile, UnsupportedOperation } from './socket/makefile.ts';
export type { StreamAddresses, StreamPair } from './runtime/web-streams.ts';
export { OSError } from './exceptions.ts';
export {
  BlockingIOError,
  BrokenPipeError,
  ConnectionAbortedError,
  ConnectionError,
  ConnectionRefusedError,
  ConnectionResetError,
  TimeoutError,
  TimeoutError as timeout,
  gaierror,
} from './socket/errors.ts';
/** Python 3.3+: `socket.error` is `OSError`. */
export { OSError as error } from './exceptions.ts';
