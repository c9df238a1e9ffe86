/**
 * The npm package as a user gets it (DESIGN §2.1): `npm pack` (prepack emits
 * dist/ and swaps in the packed manifest, postpack restores package.json), the
 * tarball installed into an empty project, and from there, on Node 24 and on
 * Node 22: every package.json `exports` entry imported from plain JavaScript,
 * an SSLObject handshake through `puretls/ssl`, the seeds' client example
 * against `openssl s_server`, `npx puretls demo`, and tsc checking a TypeScript consumer against the shipped declarations.
 *
 * npm pack runs on a copy of the package's inputs, never on the work tree: the
 * manifest swap would otherwise be visible, for the seconds the pack takes, to
 * everything else reading package.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySources } from '../../scripts/package-manifest.ts';
import type { Manifest } from '../../scripts/package-manifest.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';

const serverCredential = credential('p256');

const repo = new URL('../../', import.meta.url).pathname;
const here = new URL('./', import.meta.url).pathname;
const manifestText = readFileSync(join(repo, 'package.json'), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest & { name: string; version: string; files: string[] };
const subpaths = Object.keys(manifest.exports ?? {});
const bins = Object.keys(typeof manifest.bin === 'object' ? manifest.bin : {});

/** The two Node versions the package supports (README): the root devDependency and the test/package/node22 workspace's. */
const nodes = {
  'Node 24': join(repo, 'node_modules/node/bin/node'),
  'Node 22': join(here, 'node22/node_modules/node/bin/node'),
};

// An `npm test` run exports npm_config_* (local_prefix among them) to its children;
// a nested npm would obey them and act on the repository instead of the temp folder.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv): string {
  return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
}

/** What prepack needs to build: the manifest, the tsconfigs, scripts/, the entries' top-level folders and the packed extras. */
function packageInputs(): string[] {
  const entryFolders = entrySources(manifest).map((source) => source.replace(/^\.\//, '').split('/')[0]!);
  const extras = manifest.files.filter((file) => !file.startsWith('dist'));
  return [...new Set(['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'README.md', 'LICENSE', ...extras, ...entryFolders])].filter((input) => existsSync(join(repo, input)));
}

let work: string;
let copy: string;
let app: string;
let tarball: string;
let tarEntries: string[];
let packed: Manifest;

beforeAll(() => {
  for (const [name, binary] of Object.entries(nodes)) {
    if (!existsSync(binary)) throw new Error(`${name} is missing at ${binary}: run npm install`);
  }
  work = mkdtempSync(join(tmpdir(), 'puretls-pack-'));
  copy = join(work, 'package');
  app = join(work, 'app');
  for (const input of packageInputs()) cpSync(join(repo, input), join(copy, input), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(copy, 'node_modules'));
  const [report] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], copy)) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, report.filename);
  tarEntries = report.files.map((file) => file.path);
  packed = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], work)) as Manifest;

  cpSync(join(here, 'consumer'), app, { recursive: true });
  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`);
  // The dependencies come from npm's cache when they are there (they are, once the repository is installed).
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
}, 180_000);

afterAll(() => {
  killAllOpenssl();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('leaves package.json as it was and no backup behind', () => {
    expect([readFileSync(join(copy, 'package.json'), 'utf8') === manifestText, existsSync(join(copy, 'package.source.json'))]).toEqual([true, false]);
  });

  it('ships JavaScript and declarations, no TypeScript sources', () => {
    // npm adds package.json, README and LICENSE whatever `files` says.
    const unexpected = tarEntries.filter((path) => !(/^dist\/.+\.(js|d\.ts)$/.test(path) || /^(package\.json|README\.md|LICENSE)$/.test(path) || manifest.files.includes(path)));
    expect(unexpected).toEqual([]);
  });

  it('points every exports entry and bin at emitted files inside the tarball', () => {
    expect(Object.keys(packed.exports ?? {})).toEqual(subpaths);
    const targets = [...Object.values(packed.exports ?? {}).flatMap((target) => Object.values(target as Record<string, string>)), ...Object.values(packed.bin ?? {})];
    expect(targets.filter((target) => !tarEntries.includes(target.replace(/^\.\//, '')))).toEqual([]);
    expect(Object.keys(packed.bin ?? {})).toEqual(bins);
  });

  it('drops what only the repository uses', () => {
    expect(['scripts', 'devDependencies', 'workspaces', 'allowScripts'].filter((field) => field in packed)).toEqual([]);
  });
});

describe.each(Object.entries(nodes))('the installed package on %s', (name, node) => {
  it('imports every exports entry from plain JavaScript and completes an SSLObject handshake', () => {
    const seen = JSON.parse(run(node, ['imports.mjs', join(repo, 'test/fixtures/smoke'), ...subpaths], app)) as Record<string, unknown>;
    expect(String(seen.node).split('.')[0]).toBe(name === 'Node 24' ? 'v24' : 'v22');
    expect(Object.entries(seen.exportCounts as Record<string, number>).filter(([, count]) => count === 0)).toEqual([]);
    expect(Object.keys(seen.exportCounts as object)).toEqual(subpaths);
    expect([seen.OPENSSL_VERSION, seen.version, seen.subject, seen.received]).toEqual([`puretls ${manifest.version}`, 'TLSv1.3', [[['commonName', 'localhost']]], 'ping']);
  });

  it("runs the seeds' default-context client example against openssl s_server -www", async () => {
    // The example as a user copies it into a project that installed the package: it imports puretls/socket and puretls/ssl.
    cpSync(join(repo, 'examples/client-default-context.ts'), join(app, 'client-default-context.ts'));
    const { port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile, '-www']);
    const { stdout } = await promisify(execFile)(node, ['client-default-context.ts', 'localhost', String(port)], {
      cwd: app,
      env: { ...cleanEnv, SSL_CERT_FILE: serverCredential.caFile },
      timeout: 60_000,
    });
    expect(stdout).toBe('TLSv1.3\nHTTP/1.0 200 ok\n');
  });

  it('runs `npx puretls demo`', () => {
    // npx puts the project's .bin first on PATH; the bin's #!/usr/bin/env node then finds this Node.
    const env = { ...cleanEnv, PATH: `${dirname(node)}:${cleanEnv.PATH}` };
    const output = run('npx', ['--no-install', 'puretls', 'demo'], app, env);
    expect(output).toMatch(/TLSv1\.3/);
  });
});

describe('the shipped declarations', () => {
  it('type-check a TypeScript consumer of every exports entry', () => {
    // Every entry's declarations, not only those consumer.ts uses, so skipLibCheck=false reaches them all.
    writeFileSync(join(app, 'entries.ts'), subpaths.map((subpath, i) => `export * as entry${i} from '${subpath === '.' ? 'puretls' : `puretls${subpath.slice(1)}`}';\n`).join(''));
    const compilerOptions = { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts', 'entries.ts'] }));
    expect(() => run(join(repo, 'node_modules/.bin/tsc'), ['-p', '.'], app)).not.toThrow();
  });
});
