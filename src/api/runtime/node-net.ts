/**
 * The `node:net` / `node:dns` transport behind `puretls/socket` on Node, Deno
 * and Bun (all three implement these modules). The modules are fetched with
 * `process.getBuiltinModule`, so `puretls/socket` still loads where they do
 * not exist (an edge worker): there only the WHATWG adapter works, and
 * connecting raises `OSError(97, 'Address family not supported by protocol')`.
 *
 * Node errors become Python's: the libuv code names the Linux errno and
 * strerror (ECONNREFUSED → ConnectionRefusedError(111, 'Connection refused'),
 * ENOTFOUND → gaierror(-2, 'Name or service not known')).
 * @module
 */
import type * as net from 'node:net';
import type * as dns from 'node:dns';
import { OSError } from '../exceptions.ts';
import { EAI, ERRNO, errnoError, gaierror, socketError } from '../socket/errors.ts';
import type { Listener, SocketAddress, Transport } from './transport.ts';

interface ProcessLike {
  getBuiltinModule?(name: string): unknown;
}

function builtin<T>(name: string): T {
  const module = (globalThis as { process?: ProcessLike }).process?.getBuiltinModule?.(name) as T | undefined;
  if (module === undefined) throw new OSError(97, 'Address family not supported by protocol');
  return module;
}

/** A Node/libuv error as Python's exception. */
export function pythonError(error: unknown): OSError {
  if (error instanceof OSError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code in ERRNO) return errnoError(code as keyof typeof ERRNO);
  switch (code) {
    case 'ENOTFOUND':
      return new gaierror(...EAI.EAI_NONAME);
    case 'EAI_AGAIN':
      return new gaierror(...EAI.EAI_AGAIN);
    case 'ENODATA':
      return new gaierror(...EAI.EAI_NODATA);
    case 'ERR_STREAM_WRITE_AFTER_END':
    case 'ERR_STREAM_DESTROYED':
      return errnoError('EPIPE');
  }
  const errno = (error as { errno?: number }).errno;
  const message = String((error as Error)?.message ?? error);
  return typeof errno === 'number' ? socketError(Math.abs(errno), message) : new OSError(message);
}

function address(host: string | undefined, port: number | undefined, family: string | number | undefined): SocketAddress | null {
  if (host === undefined || port === undefined) return null;
  return family === 'IPv6' || family === 6 ? [host, port, 0, 0] : [host, port];
}

/** A connected `net.Socket` as a Transport (allowHalfOpen: Python sockets half-close). */
class NetTransport implements Transport {
  readonly #socket: net.Socket;
  #error: OSError | null = null;
  #ended = false;
  #closed = false;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    // Kept as state for the next read or write, as a kernel socket keeps its pending error.
    socket.on('error', (error) => (this.#error ??= pythonError(error)));
    socket.on('end', () => (this.#ended = true));
    socket.on('close', () => (this.#closed = true));
  }

  get localAddress(): SocketAddress | null {
    return address(this.#socket.localAddress, this.#socket.localPort, this.#socket.localFamily);
  }

  get remoteAddress(): SocketAddress | null {
    return address(this.#socket.remoteAddress, this.#socket.remotePort, this.#socket.remoteFamily);
  }

  read(): Promise<Uint8Array | null> {
    const socket = this.#socket;
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        // Only what the stream already holds (up to its highWaterMark): it reads more from the kernel once emptied.
        const chunk = socket.read() as Uint8Array | null;
        if (chunk !== null) return done(() => resolve(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
        if (this.#error !== null) return done(() => reject(this.#error));
        if (this.#ended || this.#closed) return done(() => resolve(null));
      };
      const done = (settle: () => void): void => {
        socket.off('readable', attempt).off('end', attempt).off('close', attempt).off('error', attempt);
        settle();
      };
      socket.on('readable', attempt).on('end', attempt).on('close', attempt).on('error', attempt);
      attempt();
    });
  }

  write(data: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (this.#error !== null) return Promise.reject(this.#error);
    if (socket.writableEnded || socket.destroyed) return Promise.reject(errnoError('EPIPE'));
    if (socket.write(data)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        socket.off('drain', settle).off('close', settle).off('error', settle);
        if (this.#error !== null) reject(this.#error);
        else if (socket.destroyed) reject(errnoError('EPIPE'));
        else resolve();
      };
      socket.on('drain', settle).on('close', settle).on('error', settle);
    });
  }

  end(): Promise<void> {
    const socket = this.#socket;
    if (socket.writableEnded || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.end(resolve);
      socket.once('close', resolve);
    });
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    // destroy() drops what Node still buffers: wait until the kernel has it all.
    if (socket.writableLength > 0 && !socket.destroyed) {
      await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    }
    socket.destroy();
  }
}

export interface ConnectOptions {
  readonly host: string;
  readonly port: number;
  /** 4 or 6, as the socket's family (AF_INET resolves IPv4 addresses only, as Python's does). */
  readonly family: 4 | 6;
  readonly localAddress?: string;
  readonly localPort?: number;
}

/**
 * A TCP connection. `cancel` (the caller's timeout) destroys the attempt;
 * failures reject with Python's exception.
 */
export function netConnect(options: ConnectOptions): { connected: Promise<Transport>; cancel: () => void } {
  const { createConnection } = builtin<typeof net>('node:net');
  const socket = createConnection({
    host: options.host,
    port: options.port,
    family: options.family,
    localAddress: options.localAddress,
    localPort: options.localPort,
    allowHalfOpen: true,
    noDelay: true,
  });
  const connected = new Promise<Transport>((resolve, reject) => {
    // A later error belongs to the transport (its own listener); rejecting a settled promise does nothing.
    socket.once('connect', () => resolve(new NetTransport(socket)));
    socket.once('error', (error) => reject(pythonError(error)));
  });
  return { connected, cancel: () => socket.destroy() };
}

export interface ListenOptions {
  readonly host: string;
  readonly port: number;
  readonly backlog: number;
  readonly reusePort: boolean;
  /** For an AF_INET6 socket: false accepts IPv4 too (dual stack), as `create_server(dualstack_ipv6=True)`. */
  readonly ipv6Only: boolean;
}

/** A listening TCP server; connections wait in arrival order until accepted (Node accepts them from the kernel at once). */
export async function netListen(options: ListenOptions): Promise<Listener> {
  const { createServer } = builtin<typeof net>('node:net');
  const waiting: Transport[] = [];
  const accepting: ((transport: Transport) => void)[] = [];
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    const transport = new NetTransport(socket);
    const take = accepting.shift();
    if (take) take(transport);
    else waiting.push(transport);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(pythonError(error)));
    server.listen({ host: options.host, port: options.port, backlog: options.backlog, ipv6Only: options.ipv6Only, reusePort: options.reusePort }, resolve);
  });
  const bound = server.address() as net.AddressInfo;
  return {
    address: address(bound.address, bound.port, bound.family)!,
    accept: () => {
      const ready = waiting.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => accepting.push(resolve));
    },
    close: () => {
      server.close();
      for (const transport of waiting.splice(0)) void transport.close();
    },
  };
}

/** `getaddrinfo` through `dns.lookup` (the system resolver, as CPython uses): the addresses and their family (4 or 6). */
export async function resolveHost(host: string, family: 0 | 4 | 6): Promise<{ address: string; family: 4 | 6 }[]> {
  const { lookup } = builtin<typeof dns>('node:dns').promises;
  try {
    return (await lookup(host, { all: true, family })) as { address: string; family: 4 | 6 }[];
  } catch (error) {
    throw pythonError(error);
  }
}
