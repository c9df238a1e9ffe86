/**
 * Issue 15 asks for `Deno.connect` and `Bun.connect` adapters only where they
 * beat `node:net` (which puretls/socket already uses on both runtimes) in
 * speed or fidelity. This measures the three ways under the same socket and
 * TLS code, on the runtime that runs it:
 * - `node:net`: `socket.create_connection` as shipped;
 * - the native way: Deno's `Deno.connect` (a WHATWG pair, through
 *   `socket.from_streams`), or a prototype stream pair over `Bun.connect`'s
 *   callbacks with the same back-pressure (here in bench/, not in src/);
 * and reports plain TCP download (64 MiB through `recv`), TLS 1.3 download
 * (16 MiB from `openssl s_server -WWW`), and a connect + handshake + close,
 * as medians over rounds that alternate the order of the ways.
 *
 *   deno run -A bench/edge-transports.ts      bun bench/edge-transports.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as socket from '../src/api/socket.ts';
import * as ssl from '../src/api/ssl.ts';
import type { StreamPair } from '../src/api/runtime/web-streams.ts';
import { credential } from '../test/helpers/credentials.ts';

const runtime = 'Deno' in globalThis ? 'deno' : 'Bun' in globalThis ? 'bun' : 'node';
const MiB = 1 << 20;
const PLAIN_BYTES = 64 * MiB;
const TLS_BYTES = 16 * MiB;
const HANDSHAKES = 20;
const ROUNDS = 5;

interface DenoLike {
  connect(options: { hostname: string; port: number }): Promise<StreamPair>;
}
interface BunSocket {
  write(data: Uint8Array): number;
  end(): void;
  pause(): void;
  resume(): void;
}
interface BunLike {
  connect(options: { hostname: string; port: number; socket: Record<string, (socket: BunSocket, ...args: never[]) => void> }): Promise<BunSocket>;
}

/**
 * A stream pair over Bun.connect's callbacks, as faithful as node-net.ts: the
 * socket is paused while the readable's queue is full and resumed when the
 * reader pulls (no unbounded buffering); a short write waits for drain.
 */
async function bunPair(hostname: string, port: number): Promise<StreamPair> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let drained: (() => void) | null = null;
  let sock: BunSocket | null = null;
  const readable = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c), pull: () => sock?.resume() }, new ByteLengthQueuingStrategy({ highWaterMark: 256 * 1024 }));
  const bun = (globalThis as unknown as { Bun: BunLike }).Bun;
  sock = await bun.connect({
    hostname,
    port,
    socket: {
      data: (s: BunSocket, data: Uint8Array) => {
        controller.enqueue(new Uint8Array(data));
        if ((controller.desiredSize ?? 0) <= 0) s.pause();
      },
      drain: () => drained?.(),
      end: () => controller.close(),
      error: (_s: BunSocket, error: Error) => controller.error(error),
    },
  });
  const connected = sock;
  const writable = new WritableStream<Uint8Array>({
    async write(chunk) {
      for (let offset = connected.write(chunk); offset < chunk.length; offset += connected.write(chunk.subarray(offset))) {
        await new Promise<void>((resolve) => (drained = resolve));
      }
    },
    close: () => connected.end(),
  });
  return { readable, writable };
}

const ways: Record<string, (port: number) => Promise<socket.socket>> = {
  'node:net': (port) => socket.create_connection(['127.0.0.1', port]),
};
if (runtime === 'deno') ways['Deno.connect'] = async (port) => socket.from_streams(await (globalThis as unknown as { Deno: DenoLike }).Deno.connect({ hostname: '127.0.0.1', port }));
if (runtime === 'bun') ways['Bun.connect'] = async (port) => socket.from_streams(await bunPair('127.0.0.1', port));

function started(command: string, args: string[], cwd?: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Uint8Array) => {
      out += new TextDecoder().decode(chunk);
      const port = /^(?:ACCEPT 127\.0\.0\.1:)?(\d+)$/m.exec(out)?.[1];
      if (port) resolve({ child, port: Number(port) });
    });
    child.on('exit', (code) => reject(new Error(`${command} exited with ${code}: ${out}`)));
  });
}

async function drain(sock: { recv(n: number): Promise<Uint8Array> }): Promise<number> {
  let total = 0;
  for (let chunk = await sock.recv(256 * 1024); chunk.length > 0; chunk = await sock.recv(256 * 1024)) total += chunk.length;
  return total;
}

const seconds = (start: number) => (performance.now() - start) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const server = credential('p256', 'localhost');
const dir = mkdtempSync(join(tmpdir(), 'puretls-transports-'));
writeFileSync(join(dir, 'blob.bin'), new Uint8Array(TLS_BYTES));
const node = new URL('../node_modules/.bin/node', import.meta.url).pathname;
const blaster = await started(node, [new URL('edge-blaster.ts', import.meta.url).pathname, String(PLAIN_BYTES)]);
const www = await started('openssl', ['s_server', '-accept', '127.0.0.1:0', '-cert', server.certFile, '-key', server.keyFile, '-WWW'], dir);
const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: readFileSync(server.caFile, 'utf8') });

/** One round of the three measurements over `open`. */
async function round(open: (port: number) => Promise<socket.socket>, name: string): Promise<{ plain: number; tls: number; handshake: number }> {
  let start = performance.now();
  const sock = await open(blaster.port);
  if ((await drain(sock)) !== PLAIN_BYTES) throw new Error(`${name}: short plain read`);
  const plain = PLAIN_BYTES / MiB / seconds(start);
  await sock.close();
  start = performance.now();
  const secure = await context.wrap_socket(await open(www.port), { server_hostname: 'localhost' });
  await secure.sendall(new TextEncoder().encode('GET /blob.bin HTTP/1.0\r\n\r\n'));
  if ((await drain(secure)) < TLS_BYTES) throw new Error(`${name}: short TLS read`);
  const tls = TLS_BYTES / MiB / seconds(start);
  await secure.close();
  const handshakes: number[] = [];
  for (let i = 0; i < HANDSHAKES; i++) {
    start = performance.now();
    await (await context.wrap_socket(await open(www.port), { server_hostname: 'localhost' })).close();
    handshakes.push(seconds(start) * 1000);
  }
  return { plain, tls, handshake: median(handshakes) };
}

try {
  const results = new Map<string, { plain: number; tls: number; handshake: number }[]>(Object.keys(ways).map((name) => [name, []]));
  // Round 0 warms the JIT and is dropped; later rounds alternate the order, so neither way always runs on a warmer machine.
  for (let r = 0; r <= ROUNDS; r++) {
    const order = r % 2 === 0 ? Object.entries(ways) : Object.entries(ways).reverse();
    for (const [name, open] of order) {
      const result = await round(open, name);
      if (r > 0) results.get(name)!.push(result);
    }
  }
  console.log(`${runtime}: medians of ${ROUNDS} rounds (each handshake figure itself a median of ${HANDSHAKES})`);
  for (const [name, list] of results) {
    const m = (key: 'plain' | 'tls' | 'handshake') => median(list.map((x) => x[key]));
    console.log(`  ${name.padEnd(13)} plain TCP ${m('plain').toFixed(0)} MiB/s, TLS 1.3 ${m('tls').toFixed(1)} MiB/s, connect+handshake+close ${m('handshake').toFixed(1)} ms`);
  }
} finally {
  blaster.child.kill('SIGKILL');
  www.child.kill('SIGKILL');
}
process.exit(0);
