/**
 * Runs Python 3.11's `ssl` module on this machine as the oracle: a script
 * prints one JSON value, which the test compares with what puretls did on the
 * same input. Exceptions are described the same way on both sides
 * (`describeError`), with CPython's `(_ssl.c:NNN)` tail removed (see
 * src/api/exceptions.ts for why the numbers differ).
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

/** No oracle run may hang the suite. */
const PYTHON_TIMEOUT_MS = 60_000;

export interface ErrorShape {
  readonly type: string;
  readonly errno: number | null;
  readonly library: string | null;
  readonly reason: string | null;
  readonly text: string;
  readonly verify_code?: number | null;
}

const WITHOUT_LINE = / \(_ssl\.c:\d+\)$/;

/** Python helpers the scripts use: `describe(e)` gives an ErrorShape, `attempt(f)` runs f and describes what it raised or returned. */
const PRELUDE = `
import json, re, ssl, sys, warnings
warnings.simplefilter('ignore')
def describe(e):
    return {'type': type(e).__name__, 'errno': getattr(e, 'errno', None), 'library': getattr(e, 'library', None),
            'reason': getattr(e, 'reason', None), 'text': re.sub(r' \\(_ssl\\.c:\\d+\\)$', '', str(e)),
            **({'verify_code': e.verify_code} if isinstance(e, ssl.SSLCertVerificationError) else {})}
def attempt(f):
    try:
        return {'ok': repr(f())}
    except Exception as e:
        return {'error': describe(e)}
`;

export function runPython<T>(script: string, cwd?: string): T {
  const out = execFileSync('python3', ['-c', PRELUDE + script], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: PYTHON_TIMEOUT_MS });
  return JSON.parse(out) as T;
}

/**
 * `runPython` without blocking the event loop: for scripts that talk to a
 * peer this process serves (or whose pipes it must drain), which a
 * synchronous run would deadlock.
 */
export async function runPythonAsync<T>(script: string, cwd?: string): Promise<T> {
  const { stdout } = await promisify(execFile)('python3', ['-c', PRELUDE + script], { cwd, encoding: 'utf8', timeout: PYTHON_TIMEOUT_MS });
  return JSON.parse(stdout) as T;
}

/** An exception as `describe` does it in Python. */
export function describeError(error: unknown): ErrorShape {
  const e = error as { name?: string; errno?: number | null; library?: string | null; reason?: string | null; message?: string; verify_code?: number | null };
  return {
    type: e.name ?? typeof error,
    errno: e.errno ?? null,
    library: e.library ?? null,
    reason: e.reason ?? null,
    text: String(e.message ?? error).replace(WITHOUT_LINE, ''),
    ...(e.name === 'SSLCertVerificationError' ? { verify_code: e.verify_code ?? null } : {}),
  };
}

/** What `attempt` gives for a call: the error's shape, or that it returned. */
export function attempt(f: () => unknown): { error: ErrorShape } | { ok: true } {
  try {
    f();
    return { ok: true };
  } catch (error) {
    return { error: describeError(error) };
  }
}
