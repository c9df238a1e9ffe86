/**
 * A transport over the TCP socket an edge platform's own `connect()` returns:
 * Cloudflare's `connect()` from `cloudflare:sockets` (workerd), and anything
 * of the same shape — a WHATWG `{readable, writable}` pair with an `opened`
 * promise that settles once the connection is made, and a `close()` that
 * releases it. The bytes go through `web-streams.ts`; this file adds what the
 * pair alone does not say: whether the connection was made, the peer's
 * address, and the platform's own close.
 * @module
 */
import { ConnectionError } from '../socket/errors.ts';
import type { SocketAddress, Transport } from './transport.ts';
import { type StreamPair, streamTransport } from './web-streams.ts';

/** What `opened` gives: Cloudflare's `SocketInfo` (`"127.0.0.1:443"`, `"[::1]:443"`). */
export interface PlatformSocketInfo {
  readonly remoteAddress?: string | null;
  readonly localAddress?: string | null;
}

/** Cloudflare's `Socket`, reduced to what puretls uses. */
export interface PlatformSocket extends StreamPair {
  readonly opened?: Promise<PlatformSocketInfo | undefined>;
  close?(): Promise<unknown> | void;
}

/** `host:port` or `[v6]:port` as Python's address tuple (null when absent or not of that form). */
export function parseSocketAddress(text: string | null | undefined): SocketAddress | null {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text ?? '');
  if (match === null) return null;
  const port = Number(match[3]);
  return match[1] !== undefined ? [match[1], port, 0, 0] : [match[2]!, port];
}

/**
 * Waits for the platform to open the connection, then carries its bytes. The
 * platform's failure reason is all it says (workerd: "proxy request failed,
 * cannot connect to the specified address", the same for a refused port and
 * a denied address), so it becomes Python's `ConnectionError` with that
 * text, not a guessed errno.
 */
export async function platformSocketTransport(platform: PlatformSocket): Promise<Transport> {
  let info: PlatformSocketInfo | undefined;
  try {
    info = await platform.opened;
  } catch (error) {
    throw Object.assign(new ConnectionError(String((error as Error)?.message ?? error)), { cause: error });
  }
  const streams = streamTransport(platform, { remoteAddress: parseSocketAddress(info?.remoteAddress), localAddress: parseSocketAddress(info?.localAddress) });
  return {
    read: () => streams.read(),
    write: (data) => streams.write(data),
    end: () => streams.end(),
    async close() {
      await streams.close();
      // The streams are done (the writer flushed); the platform's close releases the socket itself.
      await Promise.resolve(platform.close?.()).catch(() => {});
    },
    localAddress: streams.localAddress,
    remoteAddress: streams.remoteAddress,
  };
}
