/**
 * Reading the files named on the command line. A file that cannot be read
 * is Python's `OSError(errno, strerror, filename)`, so the one-line report
 * reads as Python's (`OSError: [Errno 2] No such file or directory: 'ca.pem'`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { OSError } from 'puretls/x509';

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
};

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const errno = (constants.errno as Record<string, number>)[code];
    if (errno === undefined) throw error;
    throw new OSError(errno, STRERROR[code] ?? code, path);
  }
}
