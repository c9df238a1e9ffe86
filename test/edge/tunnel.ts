/**
 * The browser test's server, in Node: an HTTP server that serves the page and
 * its bundles, and a WebSocket-to-TCP tunnel (RFC 6455, binary messages) at
 * `/tcp/<port>` to 127.0.0.1:<port> only — a test helper, not part of the
 * library, as websockify would be in production. Back-pressure is passed on
 * both ways (a full side pauses the other). The tunnel keeps the first bytes
 * each way, so a test can show what it can see (the ClientHello with its
 * SNI) and what it cannot (anything encrypted).
 * @module
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** RFC 6455 §1.3: the GUID the accept key is hashed with. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const Opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;
/** How much of each direction a tunnel keeps for `seen`. */
const KEPT_BYTES = 64 * 1024;
/** Frames larger than this are refused (close 1009): the test never sends one. */
const MAX_FRAME = 16 * 1024 * 1024;

export interface StaticFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

/** The first bytes a tunnel carried each way. */
export interface Seen {
  toServer: Buffer;
  toClient: Buffer;
}

export interface TunnelServer {
  readonly origin: string;
  /** `ws://` URL of the tunnel to 127.0.0.1:`port`. */
  tunnelUrl(port: number): string;
  /** What each tunnel opened so far carried (in order of opening). */
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** RFC 6455 §5.2: one unmasked frame from the server. */
function frame(opcode: number, payload: Uint8Array): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126) {
    header[0] = 0x80 | opcode;
    header[1] = length < 65536 ? 126 : 127;
    if (length < 65536) header.writeUInt16BE(length, 2);
    else header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

function closeFrame(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return frame(Opcode.close, payload);
}

/** Reads the client's masked frames (RFC 6455 §5.2–5.3) out of a byte stream. */
class FrameReader {
  #buffer = Buffer.alloc(0);

  /** Every complete frame in `chunk` and what came before; null when a frame breaks the protocol. */
  push(chunk: Buffer): { opcode: number; payload: Buffer }[] | null {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const frames: { opcode: number; payload: Buffer }[] = [];
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return frames;
      if ((b[1]! & 0x80) === 0) return null; // client frames must be masked (§5.1)
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return frames;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return frames;
        const long = b.readBigUInt64BE(2);
        if (long > BigInt(MAX_FRAME)) return null;
        length = Number(long);
        offset = 10;
      }
      if (b.length < offset + 4 + length) return frames;
      const mask = b.subarray(offset, offset + 4);
      const payload = Buffer.from(b.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
      frames.push({ opcode: b[0]! & 0x0f, payload });
      this.#buffer = b.subarray(offset + 4 + length);
    }
  }
}

function keep(seen: Seen, direction: keyof Seen, data: Buffer): void {
  if (seen[direction].length < KEPT_BYTES) seen[direction] = Buffer.concat([seen[direction], data.subarray(0, KEPT_BYTES - seen[direction].length)]);
}

/** Joins an upgraded WebSocket connection to a TCP connection, both ways, until either ends. */
function join(ws: Duplex, tcp: Socket, seen: Seen): void {
  const reader = new FrameReader();
  let closed = false;
  const finish = (code: number) => {
    if (closed) return;
    closed = true;
    ws.end(closeFrame(code));
    tcp.end();
  };
  tcp.on('data', (data: Buffer) => {
    keep(seen, 'toClient', data);
    if (!ws.write(frame(Opcode.binary, data))) tcp.pause();
  });
  ws.on('drain', () => tcp.resume());
  // The server's FIN is the end of the stream: a clean close; a reset is not (1011).
  tcp.on('end', () => finish(1000));
  tcp.on('error', () => finish(1011));
  ws.on('data', (chunk: Buffer) => {
    const frames = reader.push(chunk);
    if (frames === null) return finish(1002);
    for (const { opcode, payload } of frames) {
      if (opcode === Opcode.binary || opcode === Opcode.continuation) {
        keep(seen, 'toServer', payload);
        if (!tcp.write(payload)) ws.pause();
      } else if (opcode === Opcode.ping) {
        ws.write(frame(Opcode.pong, payload));
      } else if (opcode === Opcode.close) {
        finish(1000);
      } else if (opcode === Opcode.text) {
        finish(1003);
      }
    }
  });
  tcp.on('drain', () => ws.resume());
  ws.on('error', () => tcp.destroy());
  ws.on('close', () => tcp.destroy());
}

/** RFC 6455 §4.2.2: the answer to a valid upgrade request, once the TCP side is connected. */
function upgrade(request: IncomingMessage, ws: Duplex, seenList: Seen[]): void {
  const key = request.headers['sec-websocket-key'];
  const port = /^\/tcp\/(\d+)$/.exec(request.url ?? '')?.[1];
  if (request.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string' || port === undefined) {
    ws.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const tcp = connect({ host: '127.0.0.1', port: Number(port) });
  tcp.once('error', () => ws.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n'));
  tcp.once('connect', () => {
    tcp.removeAllListeners('error');
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    ws.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const seen: Seen = { toServer: Buffer.alloc(0), toClient: Buffer.alloc(0) };
    seenList.push(seen);
    join(ws, tcp, seen);
  });
}

/** Serves `files` (path → content) and the tunnel on a free port of 127.0.0.1. */
export async function startTunnelServer(files: Record<string, StaticFile>): Promise<TunnelServer> {
  const seen: Seen[] = [];
  const sockets = new Set<Duplex>();
  const server: Server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  server.on('upgrade', (request: IncomingMessage, ws: Duplex, head: Buffer) => {
    if (head.length > 0) ws.unshift(head);
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    upgrade(request, ws, seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    tunnelUrl: (target) => `ws://127.0.0.1:${port}/tcp/${target}`,
    seen,
    close: () => {
      for (const ws of sockets) ws.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
