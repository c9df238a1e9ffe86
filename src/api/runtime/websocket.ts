/**
 * A byte stream over a WebSocket whose binary messages carry a TCP
 * connection: what a browser has instead of a socket, with a WebSocket-to-TCP
 * tunnel (websockify and the like) on the server side. Message boundaries
 * mean nothing; text messages are a protocol error.
 *
 * Two ways in, by what the runtime has:
 * - `WebSocketStream` (Chromium): its streams carry back-pressure both ways,
 *   so a reader that stops makes the tunnel stop reading TCP;
 * - `WebSocket` (every browser, Deno, Bun, workerd): writes wait while
 *   `bufferedAmount` is above the high-water mark, but reads cannot be
 *   paused (the API has no way to), so messages a reader does not take
 *   queue in memory; the tunnel's own limits are what bound them.
 * A WebSocket has no half-close: ending our side closes the whole tunnel.
 * @module
 */
import { ConnectionError } from '../socket/errors.ts';
import type { StreamPair } from './web-streams.ts';

/** Chromium's WebSocketStream (WICG), reduced to what is used; TypeScript's DOM library lacks it. */
interface WebSocketStreamLike {
  readonly opened: Promise<{ readable: ReadableStream<ArrayBuffer | Uint8Array | string>; writable: WritableStream<Uint8Array> }>;
}

type WebSocketStreamClass = new (url: string, options?: { protocols?: string[] }) => WebSocketStreamLike;

/** Writes wait while more than this is buffered in the WebSocket (the `WebSocket` way only). */
const WRITE_HIGH_WATER_MARK = 256 * 1024;
/** How often a waiting write looks at `bufferedAmount` again: the API has no event for it draining. */
const DRAIN_POLL_MS = 5;

function binary(chunk: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('the tunnel sent a text message; a byte stream takes binary messages only');
}

function failed(url: string, reason: unknown): ConnectionError {
  const detail = (reason as Error)?.message;
  return Object.assign(new ConnectionError(`WebSocket connection to ${url} failed${detail ? `: ${detail}` : ''}`), { cause: reason });
}

/** The stream pair over a `WebSocketStream`, after it opened. */
async function overWebSocketStream(Class: WebSocketStreamClass, url: string, protocols: string[]): Promise<StreamPair> {
  let streams: Awaited<WebSocketStreamLike['opened']>;
  try {
    streams = await new Class(url, { protocols }).opened;
  } catch (error) {
    throw failed(url, error);
  }
  const bytes = new TransformStream<ArrayBuffer | Uint8Array | string, Uint8Array>({ transform: (chunk, controller) => controller.enqueue(binary(chunk)) });
  return { readable: streams.readable.pipeThrough(bytes), writable: streams.writable };
}

/** The stream pair over a plain `WebSocket`, after it opened. */
async function overWebSocket(url: string, protocols: string[]): Promise<StreamPair> {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = (event) => reject(failed(url, event));
    ws.onclose = (event) => reject(failed(url, new Error(`closed with code ${event.code}`)));
  });
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      ws.onmessage = (event: MessageEvent) => {
        try {
          controller.enqueue(binary(event.data as ArrayBuffer | string));
        } catch (error) {
          controller.error(error);
          ws.close(1003);
        }
      };
      // A clean close (1000) is the peer's end of stream; anything else resets the connection.
      ws.onclose = (event) => (event.code === 1000 ? controller.close() : controller.error(failed(url, new Error(`closed with code ${event.code}`))));
      ws.onerror = () => {};
    },
    cancel: () => {
      // The reader is gone: nothing more may reach the closed stream.
      ws.onmessage = ws.onclose = null;
      ws.close(1000);
    },
  });
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      if (ws.readyState !== WebSocket.OPEN) throw failed(url, new Error('the WebSocket is closed'));
      // Records the SSLObject encrypted: never on a SharedArrayBuffer, which send() refuses.
      ws.send(chunk as Uint8Array<ArrayBuffer>);
      while (ws.bufferedAmount > WRITE_HIGH_WATER_MARK && ws.readyState === WebSocket.OPEN) {
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    },
    close: () => ws.close(1000),
    abort: () => ws.close(1000),
  });
  return { readable, writable };
}

/** Opens `url` and gives its binary messages as a stream pair, through `WebSocketStream` where the runtime has it. */
export function openWebSocket(url: string, protocols: string[] = []): Promise<StreamPair> {
  const Class = (globalThis as { WebSocketStream?: WebSocketStreamClass }).WebSocketStream;
  return Class !== undefined ? overWebSocketStream(Class, url, protocols) : overWebSocket(url, protocols);
}
