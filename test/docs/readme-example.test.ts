/**
 * The README's code is code, not prose. The `ssl` example (the first ```ts
 * block under "## Using the ssl module") is run as a user would (Node 24
 * strips the types; `puretls/ssl` resolves through package.json `exports`)
 * and what it prints is checked. The client and server blocks must be the
 * seeds' examples in `examples/` (which test/socket/examples.test.ts runs on
 * three runtimes): every line of the block is a line of the file, in the
 * file's order, a `// …` line standing for lines left out.
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

const ELISION = '// …';

/** Why `block` is not an excerpt of `file` (its lines, in order, each exactly a line of the file), or null when it is. */
function excerptMismatch(block: string, file: string): string | null {
  const fileLines = file.split('\n');
  let at = 0;
  for (const line of block.split('\n')) {
    if (line.trim() === '' || line === ELISION) continue;
    const found = fileLines.indexOf(line, at);
    if (found < 0) return `not in the file (or out of order): ${JSON.stringify(line)}`;
    at = found + 1;
  }
  return null;
}

const EXCERPTS: readonly (readonly [heading: string, file: string])[] = [
  ["## A client, as in Python's documentation", 'examples/client-default-context.ts'],
  ['## A server', 'examples/server.ts'],
];

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

  it('tells an excerpt from a block that drifted', () => {
    const file = 'import a;\n\nconst x = 1;\nconst y = 2;\nconsole.log(x, y);\n';
    expect(excerptMismatch('const x = 1;\n// …\nconsole.log(x, y);', file)).toBeNull();
    expect(excerptMismatch('const y = 2;\nconst x = 1;', file)).toBe('not in the file (or out of order): "const x = 1;"');
    expect(excerptMismatch('const x = 3;', file)).toMatch(/not in the file/);
    expect(excerptMismatch('  const x = 1;', file)).toMatch(/not in the file/); // indentation counts
  });

  for (const [heading, path] of EXCERPTS) {
    it(`shows ${path} under "${heading}", line for line`, () => {
      const block = exampleUnder(readFileSync(join(root, 'README.md'), 'utf8'), heading);
      expect(excerptMismatch(block, readFileSync(join(root, path), 'utf8'))).toBeNull();
      // The calls the seeds' example is about are shown, not elided.
      expect(block).toContain('.wrap_socket(sock, ');
    });
  }

  it('shows the whole of the default-context client, from its imports on', () => {
    const block = exampleUnder(readFileSync(join(root, 'README.md'), 'utf8'), EXCERPTS[0]![0]);
    const file = readFileSync(join(root, EXCERPTS[0]![1]), 'utf8');
    expect(file.slice(file.indexOf('import ')).trimEnd()).toBe(block);
  });
});
