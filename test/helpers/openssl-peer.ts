/**
 * The `openssl` command-line tool as a live TLS peer: `s_server` on a free
 * port of 127.0.0.1 (the port it prints on its ACCEPT line) and `s_client`
 * against one of ours. Each process is a child whose stdin the test writes
 * and whose stdout/stderr it watches; every wait has a timeout, and
 * `killAllOpenssl()` (called from `afterEach`) ends whatever is still running.
 * @module
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { concatBytes } from '../../src/wire/bytes.ts';
import { DEFAULT_TIMEOUT_MS } from './net-pump.ts';

const running = new Set<OpensslProcess>();

export class OpensslProcess {
  readonly args: readonly string[];
  readonly #child: ChildProcessWithoutNullStreams;
  #stdout: Uint8Array[] = [];
  #stdoutLength = 0;
  #stderr = '';
  #exitCode: number | null | undefined = undefined;
  #listeners = new Set<() => void>();

  constructor(args: readonly string[], cwd?: string) {
    this.args = args;
    this.#child = spawn('openssl', args, { stdio: 'pipe', cwd });
    running.add(this);
    this.#child.stdout.on('data', (chunk: Buffer) => this.#changed(() => {
      this.#stdout.push(new Uint8Array(chunk));
      this.#stdoutLength += chunk.length;
    }));
    this.#child.stderr.on('data', (chunk: Buffer) => this.#changed(() => (this.#stderr += chunk.toString('latin1'))));
    // 'close', not 'exit': by then stdout and stderr have been read to the end.
    this.#child.on('close', (code, signal) => this.#changed(() => (this.#exitCode = code ?? (signal ? -1 : null))));
    this.#child.on('error', (error) => this.#changed(() => {
      this.#stderr += `spawn failed: ${error.message}\n`;
      this.#exitCode = -1;
    }));
    // A child that exits while we still write to it must not crash the test runner.
    this.#child.stdin.on('error', () => {});
  }

  /** Everything the process wrote to stdout so far. */
  get stdout(): Uint8Array {
    if (this.#stdout.length > 1) this.#stdout = [concatBytes(...this.#stdout)];
    return this.#stdout[0] ?? new Uint8Array(0);
  }

  /** How many bytes stdout has had, without joining them. */
  get stdoutLength(): number {
    return this.#stdoutLength;
  }

  /** stdout as Latin-1 text: every byte is one character, so binary data never breaks a match. */
  get stdoutText(): string {
    const out = this.stdout;
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('latin1');
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Both streams, for failure messages. */
  get output(): string {
    return `$ openssl ${this.args.join(' ')}\n--- stdout\n${this.stdoutText}\n--- stderr\n${this.#stderr}`;
  }

  get exited(): boolean {
    return this.#exitCode !== undefined;
  }

  write(data: Uint8Array | string): void {
    if (!this.#child.stdin.writableEnded) this.#child.stdin.write(data);
  }

  /** Closes stdin: `s_client` without -ign_eof answers with close_notify. */
  endInput(): void {
    this.#child.stdin.end();
  }

  /** Resolves when `ready` holds (checked on every output and at exit); rejects with the output on timeout or exit. */
  until(ready: (peer: this) => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let done: boolean;
        try {
          done = ready(this);
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        if (done) {
          finish();
          resolve();
        } else if (this.exited) {
          // All output has been read by now: what has not appeared never will.
          finish();
          reject(new Error(`openssl exited before ${what}\n${this.output}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.output}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(listener);
      };
      const listener = () => void check();
      this.#listeners.add(listener);
      check();
    });
  }

  /** Waits for `pattern` in stdout (or stderr, with `stream: 'stderr'`). */
  waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout', timeoutMs = DEFAULT_TIMEOUT_MS): Promise<RegExpMatchArray> {
    const text = () => (stream === 'stdout' ? this.stdoutText : this.#stderr);
    return this.until(() => pattern.test(text()), `${pattern} on ${stream}`, timeoutMs).then(() => text().match(pattern)!);
  }

  /** Resolves with the exit code (-1 for a signal). */
  async exit(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<number | null> {
    await this.until(() => this.exited, 'exit', timeoutMs);
    return this.#exitCode ?? null;
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    running.delete(this);
  }

  #changed(update: () => void): void {
    update();
    if (this.exited) running.delete(this);
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Ends every openssl process still running; for `afterEach`. */
export function killAllOpenssl(): void {
  for (const peer of [...running]) peer.kill();
}

/**
 * `openssl s_server` on a free port of 127.0.0.1, serving one connection; resolves once it listens.
 * `cwd` is where `-WWW` finds its files.
 */
export async function startServer(args: readonly string[], cwd?: string): Promise<{ server: OpensslProcess; port: number }> {
  const server = new OpensslProcess(['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', ...args], cwd);
  const match = await server.waitFor(/^ACCEPT 127\.0\.0\.1:(\d+)$/m);
  return { server, port: Number(match[1]) };
}

/** `openssl s_client` connecting to our server on 127.0.0.1:`port`. */
export function startClient(port: number, args: readonly string[]): OpensslProcess {
  return new OpensslProcess(['s_client', '-connect', `127.0.0.1:${port}`, ...args]);
}
