/**
 * The socket module's functions that the seeds' examples use:
 * `getaddrinfo`, `create_connection`, `create_server`, and `from_streams`
 * (a puretls addition: a connected socket over a WHATWG stream pair).
 * All of them wait, so they return Promises (DESIGN §5).
 * @module
 */
import { OSError, ValueError } from '../exceptions.ts';
import { resolveHost } from '../runtime/node-net.ts';
import { type StreamAddresses, type StreamPair, streamTransport } from '../runtime/web-streams.ts';
import type { SocketAddress } from '../runtime/transport.ts';
import { AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_TCP, SOCK_STREAM } from './constants.ts';
import { socket } from './socket.ts';

/** One `getaddrinfo` result: `[family, type, proto, canonname, sockaddr]`. */
export type AddrInfo = readonly [family: number, type: number, proto: number, canonname: string, sockaddr: SocketAddress];

/**
 * The addresses of `host` for TCP: IPv4 and IPv6 as the system resolver
 * orders them (AF_INET or AF_INET6 in `family` keeps one). Only SOCK_STREAM
 * results are produced; `port` may be a number or a decimal string.
 */
export async function getaddrinfo(host: string | null, port: number | string | null, family = AF_UNSPEC, type = 0, proto = 0, flags = 0): Promise<AddrInfo[]> {
  void flags; // AI_* flags change nothing the examples rely on.
  const portNumber = port === null ? 0 : Number(port);
  if (!Number.isInteger(portNumber)) throw new OSError(-8, 'Servname not supported for ai_socktype');
  if (type !== 0 && type !== SOCK_STREAM) return [];
  if (proto !== 0 && proto !== IPPROTO_TCP) return [];
  const addresses = await resolveHost(host ?? 'localhost', family === AF_INET ? 4 : family === AF_INET6 ? 6 : 0);
  return addresses.map(({ address, family: version }) =>
    version === 6 ? [AF_INET6, SOCK_STREAM, IPPROTO_TCP, '', [address, portNumber, 0, 0]] : [AF_INET, SOCK_STREAM, IPPROTO_TCP, '', [address, portNumber]],
  );
}

/**
 * A socket connected to `address` (`[host, port]`), trying each resolved
 * address in turn as CPython does and raising the last failure. `timeout`
 * is set on the socket before connecting (undefined: the default timeout);
 * `source_address` is bound first.
 */
export async function create_connection(address: readonly [host: string, port: number], timeout?: number | null, source_address: SocketAddress | null = null): Promise<socket> {
  const [host, port] = address;
  let last: unknown = new OSError('getaddrinfo returns an empty list');
  for (const [family, , , , sockaddr] of await getaddrinfo(host, port, AF_UNSPEC, SOCK_STREAM)) {
    const sock = new socket(family, SOCK_STREAM);
    try {
      if (timeout !== undefined) sock.settimeout(timeout);
      if (source_address !== null) sock.bind(source_address);
      await sock.connect(sockaddr);
      return sock;
    } catch (error) {
      last = error;
      await sock.close();
    }
  }
  throw last;
}

export interface CreateServerOptions {
  readonly family?: number;
  readonly backlog?: number | null;
  readonly reuse_port?: boolean;
  readonly dualstack_ipv6?: boolean;
}

/** A listening socket bound to `address`, ready for `accept()`. */
export async function create_server(address: SocketAddress, options: CreateServerOptions = {}): Promise<socket> {
  const family = options.family ?? AF_INET;
  if (options.dualstack_ipv6 && family !== AF_INET6) throw new ValueError('dualstack_ipv6 requires AF_INET6 family');
  const sock = new socket(family, SOCK_STREAM);
  try {
    sock.bind(address);
    await sock._listen({ backlog: options.backlog ?? 128, reusePort: options.reuse_port ?? false, ipv6Only: !options.dualstack_ipv6 });
  } catch (error) {
    await sock.close();
    throw error;
  }
  return sock;
}

/** CPython 3.8+: true, Node's listeners take both IPv4 and IPv6 on one AF_INET6 socket. */
export function has_dualstack_ipv6(): boolean {
  return true;
}

/**
 * A connected socket over a WHATWG `{readable, writable}` byte-stream pair
 * (a puretls addition, for edge runtimes and WebSocket tunnels);
 * `wrap_socket` runs TLS over it like over any socket.
 */
export function from_streams(pair: StreamPair, family = AF_INET, addresses: StreamAddresses = {}): socket {
  return socket._fromTransport(streamTransport(pair, addresses), family, null);
}
