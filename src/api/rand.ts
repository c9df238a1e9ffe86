/**
 * The `ssl` module's `RAND_*` functions. OpenSSL keeps its own generator that
 * callers may seed; puretls draws every random byte from the platform's
 * cryptographically secure generator through the crypto provider
 * (`crypto.getRandomValues`), which the platform seeds and which cannot be
 * fed. So `RAND_status()` is always true and `RAND_add()` checks its
 * arguments as CPython does and then has nothing to do, which is also all it
 * changes for OpenSSL 3's default generator.
 *
 * Not here, as in CPython on Linux with OpenSSL 1.1 or later: `RAND_egd`
 * (OpenSSL 1.1 dropped entropy-gathering daemons, and CPython 3.7 the function).
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import { ValueError } from './exceptions.ts';
import { pythonTypeName } from './python-text.ts';

/** `num` cryptographically strong random bytes. */
export function RAND_bytes(num: number): Uint8Array {
  return nobleProvider.randomBytes(byteCount(num));
}

/**
 * `[bytes, is_cryptographic]`: `num` random bytes, and whether they are
 * cryptographically strong (always: they come from the same generator as
 * `RAND_bytes`). Deprecated since Python 3.6 and removed in 3.12; kept
 * because the documentation this module follows lists it, for code ported
 * from older Python. Use `RAND_bytes`.
 * @deprecated
 */
export function RAND_pseudo_bytes(num: number): [Uint8Array, boolean] {
  return [RAND_bytes(num), true];
}

/** True: the platform generator is always seeded. */
export function RAND_status(): boolean {
  return true;
}

/**
 * Would mix `string` (str or bytes) into the generator, crediting `entropy`
 * bits; the platform generator takes no input, so this only validates.
 */
export function RAND_add(string: string | Uint8Array, entropy: number): void {
  if (typeof string !== 'string' && !(string instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${pythonTypeName(string)}'`);
  if (typeof entropy !== 'number') throw new TypeError(`must be real number, not ${pythonTypeName(entropy)}`);
}

/** CPython converts `num` to a C `int` (argument clinic) and then refuses a negative one. */
function byteCount(num: number): number {
  if (typeof num !== 'number' || !Number.isInteger(num)) throw new TypeError(`'${pythonTypeName(num)}' object cannot be interpreted as an integer`);
  // Python's OverflowError; JavaScript's RangeError is its counterpart (DESIGN §5 maps TypeError the same way).
  if (num > 0x7fffffff || num < -0x80000000) throw new RangeError('Python int too large to convert to C int');
  if (num < 0) throw new ValueError('num must be positive');
  return num;
}
