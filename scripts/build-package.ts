/**
 * The npm package's build, run by npm around `npm pack` / `npm publish`:
 *
 *   node scripts/build-package.ts build     emit dist/ (JavaScript + .d.ts) for every exports/bin entry
 *   node scripts/build-package.ts prepack   build, then swap package.json for the packed manifest
 *   node scripts/build-package.ts postpack  put the repository's package.json back
 *
 * npm reads the package.json on disk after `prepack` for both the packed file
 * list and the manifest inside the tarball, so swapping it for the duration of
 * the pack is what makes the tarball point at dist/ while the repository keeps
 * pointing at the TypeScript sources. The original is kept byte for byte in
 * package.source.json; a leftover one means an interrupted pack, and prepack
 * refuses to run over it rather than lose the repository's manifest.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { entrySources, outDir, packedFiles, packedManifest } from './package-manifest.ts';
import type { Manifest } from './package-manifest.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestPath = join(root, 'package.json');
const backupPath = join(root, 'package.source.json');

function fail(message: string): never {
  console.error(`build-package: ${message}`);
  process.exit(1);
}

const readManifest = (): Manifest => JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;

/** tsc on tsconfig.build.json's options, rooted at the entry points only, into a fresh dist/. */
function emit(manifest: Manifest): void {
  const configHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic: ts.Diagnostic) => fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')) };
  const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.build.json'), {}, configHost);
  if (config === undefined) fail('tsconfig.build.json could not be read');
  rmSync(join(root, outDir), { recursive: true, force: true });
  const program = ts.createProgram({ rootNames: entrySources(manifest).map((source) => join(root, source)), options: config.options });
  const result = program.emit();
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0 || result.emitSkipped) {
    const formatHost = { getCanonicalFileName: (name: string) => name, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    fail(`tsc reported errors:\n${ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost)}`);
  }
}

/** What the packed manifest names must exist, and a bin must be runnable as a command (npm links it as is). */
function checkEmitted(packed: Manifest): void {
  for (const file of packedFiles(packed)) {
    if (!existsSync(join(root, file))) fail(`${file} was not emitted`);
  }
  for (const file of typeof packed.bin === 'object' ? Object.values(packed.bin) : []) {
    if (!readFileSync(join(root, file), 'utf8').startsWith('#!')) fail(`${file} has no #! line: start its source with #!/usr/bin/env node`);
  }
}

function build(): Manifest {
  const manifest = readManifest();
  const packed = packedManifest(manifest);
  emit(manifest);
  checkEmitted(packed);
  return packed;
}

function prepack(): void {
  if (existsSync(backupPath)) fail('package.source.json exists: an earlier pack was interrupted. Run `node scripts/build-package.ts postpack` to restore package.json first.');
  const packed = build();
  copyFileSync(manifestPath, backupPath);
  writeFileSync(manifestPath, `${JSON.stringify(packed, null, 2)}\n`);
}

function postpack(): void {
  if (!existsSync(backupPath)) fail('package.source.json is missing: nothing to restore');
  renameSync(backupPath, manifestPath);
}

const commands: Record<string, () => unknown> = { build, prepack, postpack };
const command = commands[process.argv[2] ?? ''];
if (command === undefined) fail(`usage: node scripts/build-package.ts ${Object.keys(commands).join('|')}`);
command();
