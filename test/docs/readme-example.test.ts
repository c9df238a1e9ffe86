/**
 * The README's `ssl` example is code, not prose: this test takes the first
 * ```ts block under "## Using the ssl module", runs it as a user would (Node 24
 * strips the types; `puretls/ssl` resolves through package.json `exports`),
 * and checks what it prints, so a README that drifts from the API fails here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const HEADING = '## Using the ssl module';

/** The first ```ts fence after `heading`, or an error naming what is missing. */
function exampleUnder(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}" section`);
  const fence = /```ts\n([\s\S]*?)\n```/.exec(markdown.slice(start));
  if (fence === null) throw new Error(`no \`\`\`ts block under "${heading}"`);
  return fence[1]!;
}

describe('README', () => {
  it('finds the example block and refuses a README without one', () => {
    expect(exampleUnder(`intro\n${HEADING}\n\n\`\`\`ts\nconst a = 1;\n\`\`\`\n`, HEADING)).toBe('const a = 1;');
    expect(() => exampleUnder('# no such section\n', HEADING)).toThrow(/no "## Using the ssl module" section/);
    expect(() => exampleUnder(`intro\n${HEADING}\n\`\`\`python\nx\n\`\`\`\n`, HEADING)).toThrow(/no ```ts block/);
  });

  it('runs the SSLObject example: a verified TLS 1.3 handshake and "ping" through MemoryBIOs', () => {
    const code = exampleUnder(readFileSync(join(root, 'README.md'), 'utf8'), HEADING);
    // Beside package.json, so the self-reference 'puretls/ssl' and the fixture paths resolve as they do for a reader in a clone.
    const file = join(root, `.readme-example-${process.pid}.ts`);
    writeFileSync(file, code);
    try {
      const output = execFileSync(join(root, 'node_modules/.bin/node'), [file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      const lines = output.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^TLSv1\.3 TLS_AES_(128|256)_GCM_SHA(256|384)$|^TLSv1\.3 TLS_CHACHA20_POLY1305_SHA256$/);
      expect(output).toContain('"subject":[[["commonName","localhost"]]]');
      expect(lines.at(-1)).toBe('ping');
    } finally {
      rmSync(file, { force: true });
    }
  });
});
