/** scripts/package-manifest.ts: the mapping from the repository's package.json to the packed one. */
import { describe, expect, it } from 'vitest';
import { entrySources, packedFiles, packedManifest } from '../../scripts/package-manifest.ts';

const source = {
  name: 'puretls',
  scripts: { test: 'vitest' },
  devDependencies: { vitest: '*' },
  workspaces: ['test/package/node22'],
  allowScripts: { node: true },
  dependencies: { asn1js: '^3' },
  exports: { './ssl': './src/api/ssl.ts', './x509': './src/api/x509.ts' },
  bin: { puretls: './cli/puretls.ts' },
};

describe('packedManifest', () => {
  it('maps each ./X.ts export to ./dist/X.js with ./dist/X.d.ts as its types condition, first', () => {
    const packed = packedManifest(source);
    expect(packed.exports).toEqual({
      './ssl': { types: './dist/src/api/ssl.d.ts', default: './dist/src/api/ssl.js' },
      './x509': { types: './dist/src/api/x509.d.ts', default: './dist/src/api/x509.js' },
    });
    expect(Object.keys((packed.exports as Record<string, object>)['./ssl']!)).toEqual(['types', 'default']);
  });

  it('maps each bin to its emitted .js and keeps everything else but the repository-only fields', () => {
    expect(packedManifest(source)).toEqual({
      name: 'puretls',
      dependencies: { asn1js: '^3' },
      exports: expect.any(Object),
      bin: { puretls: './dist/cli/puretls.js' },
    });
  });

  it('names the entry sources as the program roots and the emitted files to check', () => {
    expect(entrySources(source)).toEqual(['./src/api/ssl.ts', './src/api/x509.ts', './cli/puretls.ts']);
    expect(packedFiles(packedManifest(source))).toEqual([
      './dist/src/api/ssl.d.ts',
      './dist/src/api/ssl.js',
      './dist/src/api/x509.d.ts',
      './dist/src/api/x509.js',
      './dist/cli/puretls.js',
    ]);
  });

  it('refuses targets it has no rule for', () => {
    expect(() => packedManifest({ exports: { './ssl': './src/api/ssl.js' } })).toThrow('package.json exports["./ssl"]: "./src/api/ssl.js" is not a relative .ts source (./path/file.ts)');
    expect(() => packedManifest({ exports: { './ssl': { import: './src/api/ssl.ts' } } })).toThrow('package.json exports["./ssl"]: only a plain "./path/file.ts" target is supported');
    expect(() => packedManifest({ bin: './cli/puretls.ts' })).toThrow('package.json bin: use the object form { "name": "./path/file.ts" }');
    expect(() => packedManifest({ bin: { puretls: 'cli/puretls.ts' } })).toThrow('package.json bin["puretls"]: "cli/puretls.ts" is not a relative .ts source (./path/file.ts)');
  });
});
