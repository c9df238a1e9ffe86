/**
 * DESIGN §2–3 as a test: imports only go down the layers, record and x509 never
 * import each other, noble is imported by exactly one file of src/crypto/, and
 * nothing outside src/api/runtime/ touches node:* or a runtime global.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

const ALLOWED: Record<string, readonly string[]> = {
  wire: ['wire'],
  crypto: ['wire', 'crypto'],
  record: ['wire', 'crypto', 'record'],
  x509: ['wire', 'crypto', 'x509'],
  handshake: ['wire', 'crypto', 'record', 'x509', 'handshake'],
  api: ['wire', 'crypto', 'record', 'x509', 'handshake', 'api'],
};

/** Packages each layer may import (the noble ones only through src/crypto/noble.ts). */
const PACKAGES: Record<string, RegExp> = {
  crypto: /^@noble\//,
  x509: /^(@peculiar\/asn1-|asn1js$)/,
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
}

const files = sources(SRC).map((path) => ({ path, rel: relative(SRC, path), layer: relative(SRC, path).split('/')[0]! }));

describe('architecture (DESIGN §2–3)', () => {
  it('every file is in a known layer', () => {
    expect(files.filter((f) => !(f.layer in ALLOWED)).map((f) => f.rel)).toEqual([]);
  });

  it('relative imports only go down the layers', () => {
    const violations: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(f.path).filter((s) => s.startsWith('.'))) {
        const target = relative(SRC, join(f.path, '..', spec)).split('/')[0]!;
        if (!ALLOWED[f.layer]?.includes(target)) violations.push(`${f.rel} imports ${spec} (${f.layer} → ${target})`);
        if (!spec.endsWith('.ts')) violations.push(`${f.rel} imports ${spec} without its .ts extension`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('packages are imported only where the design allows', () => {
    const violations: string[] = [];
    for (const f of files) {
      for (const spec of importsOf(f.path).filter((s) => !s.startsWith('.'))) {
        const runtimeFile = f.rel.startsWith('api/runtime/');
        if (spec.startsWith('node:')) {
          if (!runtimeFile) violations.push(`${f.rel} imports ${spec}`);
        } else if (/^@noble\//.test(spec)) {
          if (f.rel !== 'crypto/noble.ts') violations.push(`${f.rel} imports ${spec}: only crypto/noble.ts may`);
        } else if (!(PACKAGES[f.layer]?.test(spec) || f.layer === 'api')) {
          violations.push(`${f.rel} imports ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('no runtime globals outside src/api/runtime/', () => {
    const pattern = /\b(Deno|Bun|process|Buffer|require|setTimeout|setInterval|fetch)\b(?=\s*[.(])/;
    const violations = files
      .filter((f) => !f.rel.startsWith('api/runtime/'))
      .flatMap((f) =>
        readFileSync(f.path, 'utf8')
          .split('\n')
          .map((line, i) => ({ line: line.replace(/\/\*.*?\*\/|\/\/.*$|^\s*\*.*$/g, ''), i }))
          .filter(({ line }) => pattern.test(line))
          .map(({ i }) => `${f.rel}:${i + 1}`),
      );
    expect(violations).toEqual([]);
  });

  it('puretls/ssl and puretls/edge reach no node:* module except as types (they load in workerd and browsers, issue 15)', () => {
    const valueImport = /^\s*(?:import(?!\s+type\b)|export(?!\s+type\b))[^'"]*?from\s+['"](node:[^'"]+)['"]|\bimport\(\s*['"](node:[^'"]+)['"]\s*\)/gm;
    const reached = new Set<string>();
    const visit = (path: string) => {
      if (reached.has(path)) return;
      reached.add(path);
      for (const spec of importsOf(path).filter((s) => s.startsWith('.'))) visit(join(path, '..', spec));
    };
    visit(join(SRC, 'api/ssl.ts'));
    visit(join(SRC, 'api/edge.ts'));
    const violations = [...reached].flatMap((path) => [...readFileSync(path, 'utf8').matchAll(valueImport)].map((m) => `${relative(SRC, path)} imports ${m[1] ?? m[2]}`));
    expect(reached.size).toBeGreaterThan(50);
    expect(violations).toEqual([]);
  });

  it('the sans-I/O layers read no clock: time is a parameter (DESIGN §2.2)', () => {
    const clock = /\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)|\bperformance\.now\s*\(/;
    const violations = files
      .filter((f) => f.layer !== 'api')
      .flatMap((f) =>
        readFileSync(f.path, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, i }))
          .filter(({ line }) => clock.test(line))
          .map(({ i }) => `${f.rel}:${i + 1}`),
      );
    expect(violations).toEqual([]);
  });
});
