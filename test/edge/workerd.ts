/**
 * `workerd` (the npm package's binary) serving `workerd/config.capnp` from a
 * temporary folder: the test worker and the library bundled next to it, the
 * CA files as text bindings, the client certificate and key as secrets in
 * workerd's environment. The ports come from `--control-fd`.
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bundle, bundleLibrary, bundleModule } from './bundle.ts';

const here = new URL('.', import.meta.url).pathname;
/** The binary the `workerd` package installed for this platform. */
export const WORKERD = createRequire(import.meta.url).resolve('workerd/bin/workerd');

export interface WorkerdFiles {
  readonly caPem: string;
  readonly otherCaPem: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

export interface Workerd {
  /** The port of each socket of the config (`right-ca`, `wrong-ca`). */
  readonly ports: Readonly<Record<string, number>>;
  readonly library: Bundle;
  readonly worker: Bundle;
  /** Everything workerd wrote, for failure messages. */
  readonly output: () => string;
  stop(): void;
}

/** Bundles the worker and the library into a new folder with the config and the CA files. */
export async function prepareWorkerd(files: Pick<WorkerdFiles, 'caPem' | 'otherCaPem'>): Promise<{ dir: string; library: Bundle; worker: Bundle }> {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-workerd-'));
  const library = await bundleLibrary(dir);
  const worker = await bundleModule('workerd/worker.ts', dir, 'worker.js', ['cloudflare:sockets']);
  copyFileSync(join(here, 'workerd/config.capnp'), join(dir, 'config.capnp'));
  writeFileSync(join(dir, 'ca.pem'), files.caPem);
  writeFileSync(join(dir, 'other-ca.pem'), files.otherCaPem);
  return { dir, library, worker };
}

/** Starts workerd in `dir` (from `prepareWorkerd`) on `config`; resolves once each of `sockets` listens. */
export function startWorkerd(
  dir: string,
  secrets: Pick<WorkerdFiles, 'clientCert' | 'clientKey'>,
  sockets = ['right-ca', 'wrong-ca'],
  config = 'config.capnp',
): Promise<{ child: ChildProcess; ports: Record<string, number>; output: () => string }> {
  const child = spawn(WORKERD, ['serve', config, '--control-fd', '3'], {
    cwd: dir,
    env: { PATH: process.env.PATH, CLIENT_CERT: secrets.clientCert, CLIENT_KEY: secrets.clientKey },
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const ports: Record<string, number> = {};
  let control = '';
  return new Promise((resolve, reject) => {
    const failed = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`workerd ${why}\n${output}`));
    };
    const timer = setTimeout(() => failed('did not listen within 20 s'), 20_000);
    child.on('exit', (code) => failed(`exited with ${code}`));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      control += chunk.toString();
      for (const line of control.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; socket: string; port: number };
        if (event.event === 'listen') ports[event.socket] = event.port;
      }
      control = control.slice(control.lastIndexOf('\n') + 1);
      if (sockets.every((name) => name in ports)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, ports, output: () => output });
      }
    });
  });
}

/** Prepares and starts workerd for the test. */
export async function runWorkerd(files: WorkerdFiles): Promise<Workerd> {
  const { dir, library, worker } = await prepareWorkerd(files);
  const { child, ports, output } = await startWorkerd(dir, files);
  return { ports, library, worker, output, stop: () => child.kill('SIGKILL') };
}
