/**
 * `puretls verify` against `openssl verify` on the same files: the same
 * verdict, verify code, depth, subject line and exit status.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { makePki, runCli } from './run-cli.ts';

const pki = makePki();

function openssl(args: readonly string[]) {
  const run = spawnSync('openssl', ['verify', '-purpose', 'sslserver', ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The lines both print for a failure: the subject at fault and `error N at D depth lookup: ...`. */
const failureLines = (stderr: string) => stderr.split('\n').filter((l) => l !== '' && !l.startsWith('error /'));

describe('puretls verify (compared with openssl verify)', () => {
  it('accepts a good chain: "FILE: OK", exit 0', () => {
    const args = ['-CAfile', pki.ca, '-untrusted', pki.intermediate, pki.chainedLeaf];
    const ours = runCli(['verify', '--cafile', pki.ca, '--untrusted', pki.intermediate, pki.chainedLeaf]);
    expect(openssl(args)).toMatchObject({ status: 0, stdout: `${pki.chainedLeaf}: OK\n` });
    expect(ours).toMatchObject({ status: 0, stdout: `${pki.chainedLeaf}: OK\n`, stderr: '' });
  });

  const failures: [string, string[], string[], RegExp][] = [
    ['an unrelated CA', ['--cafile', pki.otherCa, pki.cert], ['-CAfile', pki.otherCa, pki.cert], /^error 20 at 0 depth lookup: unable to get local issuer certificate$/m],
    ['a missing intermediate', ['--cafile', pki.ca, pki.chainedLeaf], ['-CAfile', pki.ca, pki.chainedLeaf], /^error 20 at 0 depth lookup/m],
    ['a wrong host name', ['--cafile', pki.ca, '--host', 'example.org', pki.cert], ['-CAfile', pki.ca, '-verify_hostname', 'example.org', pki.cert], /^error 62 at 0 depth lookup: hostname mismatch$/m],
    ['an expired leaf', ['--cafile', pki.ca, '--untrusted', pki.intermediate, pki.expiredLeaf], ['-CAfile', pki.ca, '-untrusted', pki.intermediate, pki.expiredLeaf], /^error 10 at 0 depth lookup: certificate has expired$/m],
  ];
  for (const [what, ourArgs, theirArgs, line] of failures) {
    it(`rejects ${what} with openssl's code, depth, subject line and exit status 2`, () => {
      const theirs = openssl(theirArgs);
      const ours = runCli(['verify', ...ourArgs]);
      expect(theirs.status).toBe(2);
      expect(ours.status).toBe(2);
      expect(ours.stdout).toBe('');
      expect(ours.stderr).toMatch(line);
      expect(failureLines(ours.stderr)).toEqual(failureLines(theirs.stderr + theirs.stdout));
      expect(ours.stderr).toContain(`error ${ourArgs.at(-1)}: verification failed\n`);
    });
  }

  it('a file that cannot be read is one OSError line and exit status 1, as openssl exits 1', () => {
    const ours = runCli(['verify', '--cafile', `${pki.dir}/missing.pem`, pki.cert]);
    expect(openssl(['-CAfile', `${pki.dir}/missing.pem`, pki.cert]).status).toBe(1);
    expect(ours.status).toBe(1);
    expect(ours.stderr).toBe(`puretls: OSError: [Errno 2] No such file or directory: '${pki.dir}/missing.pem'\n`);
  });
});
