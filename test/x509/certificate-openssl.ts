/**
 * Test helpers for the certificate and key parsers: run the `openssl` CLI (and
 * Python's `ssl`) in a scratch directory and hand back their outputs, so that
 * expected values come from OpenSSL, never from the code under test.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'puretls-x509-'));
  #n = 0;

  path(name: string): string {
    return join(this.dir, name);
  }

  /** A fresh file name in the scratch directory. */
  fresh(ext: string): string {
    return this.path(`f${this.#n++}.${ext}`);
  }

  write(name: string, data: string | Uint8Array): string {
    const p = this.path(name);
    writeFileSync(p, data);
    return p;
  }

  read(p: string): Buffer {
    return readFileSync(p);
  }

  text(p: string): string {
    return readFileSync(p, 'utf8');
  }

  /** Runs openssl; returns stdout. */
  openssl(args: readonly string[], input?: string | Uint8Array): Buffer {
    return execFileSync('openssl', args, { cwd: this.dir, input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** A new private key file (PKCS#8 PEM) for `alg`: 'rsa:2048', 'ec:P-256', 'ed25519', ... */
  key(alg: string): string {
    const out = this.fresh('key');
    const [kind, param] = alg.split(':');
    const args = ['genpkey', '-out', out, '-algorithm', kind!.toUpperCase() === 'EC' ? 'EC' : kind!];
    if (kind === 'rsa') args.push('-pkeyopt', `rsa_keygen_bits:${param}`);
    if (kind === 'ec') args.push('-pkeyopt', `ec_paramgen_curve:${param}`);
    this.openssl(args);
    return out;
  }

  /** A self-signed certificate (PEM path) from `openssl req -x509` with extra arguments. */
  selfSigned(key: string, subj: string, extra: readonly string[] = []): string {
    const out = this.fresh('pem');
    this.openssl(['req', '-x509', '-key', key, '-subj', subj, '-days', '30', '-out', out, ...extra]);
    return out;
  }

  /** DER bytes of a PEM certificate file. */
  der(pem: string): Uint8Array {
    return new Uint8Array(this.openssl(['x509', '-in', pem, '-outform', 'DER']));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export type PythonDecoded = { readonly ok: unknown } | { readonly error: string };

/**
 * `ssl._ssl._test_decode_cert` for each PEM path, in one Python process: the
 * dict as JSON (tuples become arrays), or the exception CPython raised.
 */
export function pythonDecodeCerts(paths: readonly string[]): PythonDecoded[] {
  const script = [
    'import ssl, json, sys',
    'out = []',
    'for p in sys.argv[1:]:',
    '    try: out.append({"ok": ssl._ssl._test_decode_cert(p)})',
    '    except Exception as e: out.append({"error": type(e).__name__ + ": " + str(e)})',
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, ...paths], { encoding: 'utf8' })) as PythonDecoded[];
}

/** Runs a Python snippet with `args`, returning stdout. */
export function python(script: string, args: readonly string[] = []): string {
  return execFileSync('python3', ['-c', script, ...args], { encoding: 'utf8' });
}

/** The colon-hex blocks OpenSSL's `-text` prints after a label (`priv:`, `modulus:`), as hex. */
export function textHex(text: string, label: string): string {
  const re = new RegExp(`^${label}:?\\s*\\n((?:\\s+[0-9a-f:]+\\n)+)`, 'm');
  const m = re.exec(text);
  if (!m) throw new Error(`no ${label} in openssl output`);
  return m[1]!.replace(/[\s:]/g, '');
}
