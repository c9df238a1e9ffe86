/**
 * What the `ssl` module needs from the host, synchronously, as CPython's
 * `SSLContext` does it: read a file, list a directory, ask whether a path is a
 * file or a directory, read an environment variable. Node, Deno and Bun all
 * offer `node:fs` through `process.getBuiltinModule`, which keeps this file
 * free of a static `node:*` import, so `puretls/ssl` still loads where there
 * is no file system (an edge worker, a browser): there every file call raises
 * `FileNotFoundError`-shaped `OSError` (errno 2) and the environment is empty.
 * @module
 */

interface FsLike {
  readFileSync(path: string): Uint8Array;
  readdirSync(path: string): string[];
  statSync(path: string, options: { throwIfNoEntry: false }): { isFile(): boolean; isDirectory(): boolean } | undefined;
}

interface ProcessLike {
  readonly env?: Record<string, string | undefined>;
  getBuiltinModule?(name: string): unknown;
}

const hostProcess = (globalThis as { process?: ProcessLike }).process;
const fs = hostProcess?.getBuiltinModule?.('node:fs') as FsLike | undefined;

/** A host error with the errno and text Python's `OSError` carries (ENOENT when there is no file system). */
export interface HostError {
  readonly errno: number;
  readonly strerror: string;
}

const NO_FILE_SYSTEM: HostError = { errno: 2, strerror: 'No such file or directory' };

/** `errno` and text of a failed file call, in Python's words for the common codes. */
function hostError(error: unknown): HostError {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return { errno: 2, strerror: 'No such file or directory' };
    case 'EACCES':
      return { errno: 13, strerror: 'Permission denied' };
    case 'EISDIR':
      return { errno: 21, strerror: 'Is a directory' };
    case 'ENOTDIR':
      return { errno: 20, strerror: 'Not a directory' };
    default:
      return { errno: (error as { errno?: number }).errno !== undefined ? Math.abs((error as { errno: number }).errno) : 5, strerror: String((error as Error)?.message ?? error) };
  }
}

/** The bytes of a file, or the host error that prevented reading it. */
export function readFileBytes(path: string): Uint8Array | HostError {
  if (!fs) return NO_FILE_SYSTEM;
  try {
    return new Uint8Array(fs.readFileSync(path));
  } catch (error) {
    return hostError(error);
  }
}

/** The names in a directory, or the host error. */
export function listDirectory(path: string): string[] | HostError {
  if (!fs) return NO_FILE_SYSTEM;
  try {
    return fs.readdirSync(path);
  } catch (error) {
    return hostError(error);
  }
}

export function isFile(path: string): boolean {
  return fs?.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function isDirectory(path: string): boolean {
  return fs?.statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** An environment variable, or undefined (always undefined without a process environment). */
export function environment(name: string): string | undefined {
  return hostProcess?.env?.[name];
}

/** Seconds since the epoch (the clock lives in `api/`, DESIGN §2.2). */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

export function isHostError(value: unknown): value is HostError {
  return typeof value === 'object' && value !== null && 'errno' in value && 'strerror' in value && !(value instanceof Uint8Array);
}

/** Appends `text` to a file, creating it; returns the host error instead of throwing. */
export function appendFileText(path: string, text: string): HostError | null {
  if (!fs) return NO_FILE_SYSTEM;
  try {
    (fs as FsLike & { appendFileSync(path: string, data: string): void }).appendFileSync(path, text);
    return null;
  } catch (error) {
    return hostError(error);
  }
}

/**
 * The root certificates the runtime itself ships (Node's, Bun's and Deno's
 * `tls.rootCertificates`, Mozilla's list as PEM strings), empty where there
 * is none: the trust of last resort when the host has no CA bundle.
 */
export function runtimeRootCertificates(): readonly string[] {
  const tls = hostProcess?.getBuiltinModule?.('node:tls') as { rootCertificates?: readonly string[] } | undefined;
  return tls?.rootCertificates ?? [];
}
