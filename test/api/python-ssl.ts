/**
 * Python 3.11's `ssl` module as a test oracle: one `python3` process answers a
 * batch of calls `ssl.<fn>(*args)`, each with its return value or its
 * exception's class and `str()`. Bytes travel as `{ $bytes: hex }` both ways,
 * tuples come back as arrays, `None` as null; deprecation warnings are muted.
 * `constantsOfPythonSsl()` dumps the module's constants and enums.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { fromHex, toHex } from '../../src/wire/bytes.ts';

export interface PythonCall {
  readonly fn: string;
  readonly args: readonly unknown[];
}

/** A call's outcome: its value, or the Python exception class (the nearest of the ones the ssl module documents) and text. */
export type Outcome = { readonly ok: unknown } | { readonly error: string; readonly message: string };

const CALLS_PY = String.raw`
import json, sys, ssl, warnings
warnings.simplefilter('ignore')
def dec(v):
    if isinstance(v, dict) and set(v) == {'$bytes'}: return bytes.fromhex(v['$bytes'])
    if isinstance(v, dict): return {k: dec(x) for k, x in v.items()}
    if isinstance(v, list): return [dec(x) for x in v]
    return v
def enc(v):
    if isinstance(v, (bytes, bytearray)): return {'$bytes': v.hex()}
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    return v
def kind(e):
    for c in (ssl.SSLCertVerificationError, ValueError, TypeError, OverflowError):
        if isinstance(e, c): return c.__name__
    return type(e).__name__
out = []
for call in json.load(sys.stdin):
    try: out.append({'ok': enc(getattr(ssl, call['fn'])(*dec(call['args'])))})
    except Exception as e: out.append({'error': kind(e), 'message': str(e)})
json.dump(out, sys.stdout)
`;

/** Runs a Python script with `input` on stdin and returns its stdout. */
export function runPython(script: string, input = ''): string {
  const run = spawnSync('python3', ['-c', script], { input, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  return run.stdout;
}

/** What Python's ssl module does for each call. */
export function pythonOutcomes(calls: readonly PythonCall[]): Outcome[] {
  return JSON.parse(runPython(CALLS_PY, JSON.stringify(calls, (_key, value: unknown) => encodeBytes(value)))) as Outcome[];
}

/** JavaScript's counterparts of the Python exceptions (DESIGN §5); any other name is Python's own. */
const PYTHON_EXCEPTION: Readonly<Record<string, string>> = { RangeError: 'OverflowError' };

/** What `fn(...args)` does here, in the same shape (values JSON-normalised as Python's come back). */
export function ourOutcome(fn: (...args: never[]) => unknown, args: readonly unknown[]): Outcome {
  try {
    return { ok: JSON.parse(JSON.stringify(fn(...(args.map(decodeBytes) as never[])) ?? null, (_key, value: unknown) => encodeBytes(value))) as unknown };
  } catch (error) {
    const name = (error as Error).name;
    return { error: PYTHON_EXCEPTION[name] ?? name, message: (error as Error).message };
  }
}

function encodeBytes(value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: toHex(value) } : value;
}

function decodeBytes(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '$bytes' in value) return fromHex((value as { $bytes: string }).$bytes);
  return value;
}

const CONSTANTS_PY = String.raw`
import enum, json, ssl
out = {}
for name in dir(ssl):
    v = getattr(ssl, name)
    if isinstance(v, type) and issubclass(v, enum.Enum):
        out[name] = {k: int(m.value) for k, m in v.__members__.items() if isinstance(m.value, int)}
    elif isinstance(v, (bool, int, str)) and not name.startswith('__'):
        out[name] = v if isinstance(v, (bool, str)) else int(v)
    elif isinstance(v, list) and all(isinstance(x, str) for x in v):
        out[name] = v
print(json.dumps(out))
`;

/** Every int, bool and str constant of Python's ssl module, every list of strings, and each enum as `{member: value}`. */
export function constantsOfPythonSsl(): Record<string, unknown> {
  return JSON.parse(runPython(CONSTANTS_PY)) as Record<string, unknown>;
}

/** `hasattr(ssl, name)` for each name. */
export function pythonSslHas(names: readonly string[]): Record<string, boolean> {
  return JSON.parse(runPython(`import json, ssl, sys\nprint(json.dumps({n: hasattr(ssl, n) for n in json.load(sys.stdin)}))`, JSON.stringify(names))) as Record<string, boolean>;
}
