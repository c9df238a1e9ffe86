/**
 * The package.json that `npm pack` ships, derived from the repository's own.
 *
 * In the repository every `exports` target and `bin` is a TypeScript source, so
 * Node 24, Deno and Bun run them unbuilt. Node refuses to strip types under
 * `node_modules` (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), so the packed
 * manifest points at the JavaScript and declarations that `tsconfig.build.json`
 * emits into `dist/`, mirroring the source tree: `./src/X.ts` → `./dist/src/X.js`
 * with `./dist/src/X.d.ts` as its `types` condition (listed first, as
 * TypeScript reads conditions in order).
 */

export const outDir = 'dist';

/** The subset of package.json this module reads or writes; the rest passes through untouched. */
export interface Manifest {
  exports?: Record<string, unknown>;
  bin?: string | Record<string, string>;
  [field: string]: unknown;
}

/** Fields that only mean something inside the repository (its scripts, dev tools, workspaces). */
const repositoryOnlyFields = ['scripts', 'devDependencies', 'workspaces', 'allowScripts'] as const;

/** `./src/api/ssl.ts` → `./dist/src/api/ssl` (no extension): the emitted file's path without its suffix. */
function emittedStem(source: string, field: string): string {
  const match = /^\.\/(.+)\.ts$/.exec(source);
  if (match === null) throw new Error(`package.json ${field}: "${source}" is not a relative .ts source (./path/file.ts)`);
  return `./${outDir}/${match[1]}`;
}

/** Every `.ts` source the package's entry points name: the roots of the emitted program. */
export function entrySources(manifest: Manifest): string[] {
  return [...Object.values(exportTargets(manifest)), ...Object.values(binTargets(manifest))];
}

function exportTargets(manifest: Manifest): Record<string, string> {
  const targets: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    // Conditional targets would need a rule per condition; none exist, so refuse rather than guess.
    if (typeof target !== 'string') throw new Error(`package.json exports["${subpath}"]: only a plain "./path/file.ts" target is supported`);
    targets[subpath] = target;
  }
  return targets;
}

function binTargets(manifest: Manifest): Record<string, string> {
  const { bin } = manifest;
  if (bin === undefined) return {};
  if (typeof bin === 'string') throw new Error('package.json bin: use the object form { "name": "./path/file.ts" }');
  return bin;
}

/** The manifest `npm pack` ships: exports and bin on `dist/`, repository-only fields dropped. */
export function packedManifest(source: Manifest): Manifest {
  const packed: Manifest = { ...source };
  for (const field of repositoryOnlyFields) delete packed[field];
  if (source.exports !== undefined) {
    packed.exports = Object.fromEntries(
      Object.entries(exportTargets(source)).map(([subpath, target]) => {
        const stem = emittedStem(target, `exports["${subpath}"]`);
        return [subpath, { types: `${stem}.d.ts`, default: `${stem}.js` }];
      }),
    );
  }
  if (source.bin !== undefined) {
    packed.bin = Object.fromEntries(Object.entries(binTargets(source)).map(([name, target]) => [name, `${emittedStem(target, `bin["${name}"]`)}.js`]));
  }
  return packed;
}

/** Every file the packed manifest names, relative to the package root: all must exist before packing. */
export function packedFiles(packed: Manifest): string[] {
  const files: string[] = [];
  for (const target of Object.values(packed.exports ?? {})) files.push(...Object.values(target as Record<string, string>));
  if (typeof packed.bin === 'object') files.push(...Object.values(packed.bin));
  return files;
}
