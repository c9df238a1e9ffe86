/**
 * esbuild bundles for the edge tests and the bench: the library alone
 * (`library.ts` → `puretls.js`, an ES module for the browser platform, so a
 * static `node:*` import anywhere on its path fails the build), and a module
 * (a worker, a page) that imports `puretls/ssl` and `puretls/edge` from that
 * file instead of carrying its own copy.
 * @module
 */
import { build, type Metafile, type Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const here = new URL('.', import.meta.url).pathname;

/** `puretls/*` resolves to the separately bundled library next to the module. */
const libraryAsFile: Plugin = {
  name: 'puretls-as-file',
  setup(b) {
    b.onResolve({ filter: /^puretls\// }, () => ({ path: './puretls.js', external: true }));
  },
};

export interface Bundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every import the output still makes (externals): the platform modules it needs. */
  readonly imports: readonly string[];
}

async function bundle(entry: string, outfile: string, plugins: Plugin[], external: string[]): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    external,
    plugins,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values((result.metafile as Metafile).outputs)[0]!;
  const code = readFileSync(outfile);
  return { file: outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, imports: output.imports.map((i) => i.path) };
}

/** `puretls.js` in `dir`: the library as one minified ES module. */
export function bundleLibrary(dir: string): Promise<Bundle> {
  return bundle(join(here, 'library.ts'), join(dir, 'puretls.js'), [], []);
}

/** `entry` as `name` in `dir`, importing the library from `./puretls.js`; `external` lists platform modules (`cloudflare:sockets`). */
export function bundleModule(entry: string, dir: string, name: string, external: string[] = []): Promise<Bundle> {
  return bundle(join(here, entry), join(dir, name), [libraryAsFile], external);
}
