/**
 * jsr.json serves Deno users the TypeScript sources: it must name the same
 * version and the same subpaths → sources as package.json's exports, publish
 * every source those reach, and pass `deno publish --dry-run` (which resolves
 * the bare npm imports through package.json and type-checks the public API).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, root), 'utf8'));
const pkg = readJson('package.json') as { version: string; license: string; exports: Record<string, string> };
const jsr = readJson('jsr.json') as { version: string; license: string; exports: Record<string, string>; publish: { include: string[] } };

describe('jsr.json', () => {
  it('has package.json version, license and exports', () => {
    expect([jsr.version, jsr.license, jsr.exports]).toEqual([pkg.version, pkg.license, pkg.exports]);
  });

  it('publishes the folder of every export target', () => {
    const unpublished = Object.values(jsr.exports).filter((target) => !jsr.publish.include.some((included) => target.startsWith(`./${included}`)));
    expect(unpublished).toEqual([]);
  });

  it('passes deno publish --dry-run', () => {
    // --allow-slow-types: src/api/constants.ts, version.ts and x509.ts export
    // constants without explicit types (JSR's "fast check"); JSR then generates
    // no .d.ts for Node users of the JSR package, which npm users don't need.
    const run = spawnSync(new URL('node_modules/.bin/deno', root).pathname, ['publish', '--dry-run', '--allow-dirty', '--allow-slow-types'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    // deno reports on stderr, the problems it found included.
    expect([run.status, run.stderr.split('\n').filter((line) => /^(error|Success)/.test(line))]).toEqual([0, ['Success Dry run complete']]);
  });
});
