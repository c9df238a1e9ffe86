/**
 * Runs `cli/puretls.ts` as a user would (a child process of this Node) and
 * makes the throwaway PKI the CLI tests share, written to a temporary folder.
 * @module
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make_certificate, make_test_ca } from '../../src/api/x509.ts';

export const CLI = new URL('../../cli/puretls.ts', import.meta.url).pathname;

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion with `input` on stdin. */
export function runCli(args: readonly string[], input = '', timeoutMs = 30_000): CliResult {
  const run = spawnSync(process.execPath, [CLI, ...args], { input, timeout: timeoutMs, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts a long-running CLI command (serve) and resolves with it and the port it printed. */
export async function startCli(args: readonly string[]): Promise<{ child: ReturnType<typeof spawn>; port: number; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line: ${stderr}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on [^\n]*:(\d+)\n/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
  });
  return { child, port, stderr: () => stderr };
}

export interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly otherCa: string;
  readonly cert: string;
  readonly key: string;
  readonly intermediate: string;
  readonly chainedLeaf: string;
  readonly expiredLeaf: string;
}

/** A CA, a server certificate for localhost/127.0.0.1, an unrelated CA, and an intermediate with a valid and an expired leaf. */
export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-cli-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const ca = make_test_ca({ organization: 'CLI tests' });
  const server = make_certificate(ca, ['localhost', '127.0.0.1']);
  const intermediate = make_certificate(ca, [], { ca: true, common_name: 'CLI intermediate' });
  const now = Math.floor(Date.now() / 1000);
  return {
    dir,
    ca: file('ca.pem', ca.cert_pem),
    otherCa: file('other-ca.pem', make_test_ca({ common_name: 'Unrelated CA' }).cert_pem),
    cert: file('cert.pem', server.cert_pem),
    key: file('key.pem', server.private_key_pem),
    intermediate: file('intermediate.pem', intermediate.cert_pem),
    chainedLeaf: file('chained.pem', make_certificate(intermediate, ['example.com']).cert_pem),
    expiredLeaf: file('expired.pem', make_certificate(intermediate, ['example.com'], { not_before: now - 10 * 86400, not_after: now - 86400 }).cert_pem),
  };
}

export const hasCommand = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
