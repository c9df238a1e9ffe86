/**
 * The CLI as a running child process a test talks to: it writes stdin while
 * the command runs and waits for what appears on stdout/stderr (for
 * `connect` against a live `openssl s_server`, where `runCli`'s synchronous
 * spawn would block the test's own event loop). Every wait has a timeout;
 * `killAllCli()` (from `afterEach`) ends whatever is still running.
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { CLI } from './run-cli.ts';

const TIMEOUT_MS = 20_000;
const running = new Set<CliProcess>();

export class CliProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  #stdout = '';
  #stderr = '';
  #status: number | null | undefined = undefined;
  #listeners = new Set<() => void>();

  constructor(args: readonly string[]) {
    this.#child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    running.add(this);
    this.#child.stdout.on('data', (chunk: Buffer) => this.#changed(() => (this.#stdout += chunk.toString('latin1'))));
    this.#child.stderr.on('data', (chunk: Buffer) => this.#changed(() => (this.#stderr += chunk.toString('latin1'))));
    // 'close', not 'exit': both streams have been read to the end by then.
    this.#child.on('close', (code) => this.#changed(() => (this.#status = code)));
    this.#child.stdin.on('error', () => {});
  }

  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  write(data: string): void {
    this.#child.stdin.write(data);
  }

  endInput(): void {
    this.#child.stdin.end();
  }

  /** Resolves with the match once `pattern` appears on `stream`; rejects with both streams on timeout or exit. */
  waitFor(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpMatchArray> {
    const text = () => (stream === 'stdout' ? this.#stdout : this.#stderr);
    return this.#until(() => text().match(pattern), `${pattern} on ${stream}`);
  }

  /** Resolves with the exit status (null for a signal). */
  async exit(): Promise<number | null> {
    await this.#until(() => (this.#status === undefined ? null : true), 'exit');
    return this.#status ?? null;
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    running.delete(this);
  }

  #until<T>(ready: () => T | null, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      const check = () => {
        const value = ready();
        if (value !== null) {
          finish();
          resolve(value);
        } else if (this.#status !== undefined) {
          finish();
          reject(new Error(`puretls exited (${this.#status}) before ${what}\n--- stdout\n${this.#stdout}\n--- stderr\n${this.#stderr}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}\n--- stdout\n${this.#stdout}\n--- stderr\n${this.#stderr}`));
      }, TIMEOUT_MS);
      this.#listeners.add(check);
      check();
    });
  }

  #changed(update: () => void): void {
    update();
    if (this.#status !== undefined) running.delete(this);
    for (const listener of [...this.#listeners]) listener();
  }
}

/** Ends every CLI process still running; for `afterEach`. */
export function killAllCli(): void {
  for (const cli of [...running]) cli.kill();
}
