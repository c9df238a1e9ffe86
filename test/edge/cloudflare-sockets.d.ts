/** The part of workerd's `cloudflare:sockets` the test worker uses (Cloudflare's types are not a dependency). */
declare module 'cloudflare:sockets' {
  export interface SocketInfo {
    readonly remoteAddress?: string;
    readonly localAddress?: string;
  }
  export interface Socket {
    readonly readable: ReadableStream<Uint8Array>;
    readonly writable: WritableStream<Uint8Array>;
    readonly opened: Promise<SocketInfo>;
    readonly closed: Promise<void>;
    close(): Promise<void>;
  }
  export function connect(address: { hostname: string; port: number }, options?: { secureTransport?: 'off' | 'on' | 'starttls'; allowHalfOpen?: boolean }): Socket;
}
