/**
 * The seeds' examples in examples/ run as they are, on Node, Deno and Bun:
 * the default-context client against `openssl s_server -www` (trusting the
 * test CA through SSL_CERT_FILE, as CPython's default context does), the
 * custom-context client against our server example, and the server example
 * against `openssl s_client`, which it echoes. Every process is bounded by
 * a timeout.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';

const root = join(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath],
  deno: [bin('deno'), 'run', '-A'],
  bun: [bin('bun')],
};
const TIMEOUT_MS = 20_000;
const server = credential('p256');

interface Run {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  readonly waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

const running = new Set<() => void>();
afterEach(() => {
  killAllOpenssl();
  for (const kill of running) kill();
  running.clear();
});

function runExample(runtime: string, example: string, args: string[], env: Record<string, string> = {}): Run {
  const [command, ...prefix] = RUNTIMES[runtime]!;
  const child = spawn(command!, [...prefix, join(root, 'examples', example), ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1', ...env } });
  let output = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  child.stdout.on('data', (chunk: Buffer) => ((output += chunk.toString()), changed()));
  child.stderr.on('data', (chunk: Buffer) => ((output += chunk.toString()), changed()));
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => (clearTimeout(timer), changed(), resolve(code))));
  running.add(() => child.kill('SIGKILL'));
  return {
    output: () => output,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) resolve(match), listeners.delete(check);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`${example} ended before ${pattern}:\n${output}`));
        };
        listeners.add(check);
        check();
      }),
  };
}

describe.each(Object.keys(RUNTIMES))('examples on %s', (runtime) => {
  it('client-default-context.ts fetches / from openssl s_server -www', async () => {
    const { port } = await startServer(['-cert', server.certFile, '-key', server.keyFile, '-www']);
    const client = runExample(runtime, 'client-default-context.ts', ['localhost', String(port)], { SSL_CERT_FILE: server.caFile });
    expect(await client.exited, client.output()).toBe(0);
    expect(client.output()).toBe('TLSv1.3\nHTTP/1.0 200 ok\n');
  });

  it('client-custom-context.ts (load_verify_locations) against server.ts', async () => {
    const service = runExample(runtime, 'server.ts', [server.certFile, server.keyFile, '127.0.0.1', '0'], { MAX_CLIENTS: '1' });
    const [, port] = await service.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
    const client = runExample(runtime, 'client-custom-context.ts', [server.caFile, 'localhost', port!]);
    expect(await client.exited, client.output()).toBe(0);
    expect(client.output()).toBe('TLSv1.3\nHTTP/1.0 200 OK\n');
    expect(await service.exited, service.output()).toBe(0);
  });

  it('server.ts echoes what openssl s_client sends, and ends when it closes', async () => {
    const service = runExample(runtime, 'server.ts', [server.certFile, server.keyFile, '127.0.0.1', '0'], { MAX_CLIENTS: '1' });
    const [, port] = await service.waitFor(/listening on 127\.0\.0\.1:(\d+)/);
    const client = startClient(Number(port), ['-CAfile', server.caFile, '-servername', 'localhost', '-verify_return_error']);
    client.write('echo me, byte for byte\n');
    await client.waitFor(/echo me, byte for byte\n/);
    client.endInput();
    expect(await service.exited, service.output()).toBe(0);
    expect(service.output()).toMatch(/^listening on 127\.0\.0\.1:\d+\n$/);
  });
});
