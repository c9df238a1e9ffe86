/**
 * The byte stream a `socket` runs over, whatever carries it: a `node:net`
 * socket (Node, Deno, Bun: `node-net.ts`) or a WHATWG `{readable, writable}`
 * pair (edge runtimes, WebSocket tunnels: `web-streams.ts`). Reading is pull:
 * nothing more is taken from the network until `read()` is called again, so
 * a reader that stops calling it is the pause, and the peer's writes back up
 * into its own buffers instead of ours (no unbounded buffering).
 * @module
 */

/** Python's `(host, port)` for AF_INET, `(host, port, flowinfo, scope_id)` for AF_INET6. */
export type SocketAddress = readonly [host: string, port: number] | readonly [host: string, port: number, flowinfo: number, scope_id: number];

export interface Transport {
  /**
   * The next bytes the peer sent (at most what the adapter holds: one
   * buffer's worth), or null once the peer has ended its side. Rejects with
   * the `OSError` of the failure (`ConnectionResetError`…). One read at a time.
   */
  read(): Promise<Uint8Array | null>;
  /** Resolves when the transport has taken `data` without going above its high-water mark (the writer waits instead of queueing). */
  write(data: Uint8Array): Promise<void>;
  /** Half-close: the peer sees the end after every byte written before. */
  end(): Promise<void>;
  /**
   * Releases the connection once what was written has left (as the kernel's
   * close(): a FIN, or a reset when received bytes were never read).
   */
  close(): Promise<void>;
  readonly localAddress: SocketAddress | null;
  readonly remoteAddress: SocketAddress | null;
}

/** A listening endpoint: `accept()` hands over each connection as a Transport. */
export interface Listener {
  accept(): Promise<Transport>;
  readonly address: SocketAddress;
  close(): void;
}
