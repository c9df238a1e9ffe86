/**
 * `SSLContext.load_dh_params(path)`: puretls never negotiates finite-field
 * Diffie-Hellman (DESIGN §2.4: ECDHE only, and TLS 1.3 servers rarely use
 * FFDHE), so the file is only read and checked the way OpenSSL's PEM reader
 * does before CPython hands it over: a missing file is `FileNotFoundError`,
 * a file without a DH PARAMETERS block is `[PEM: NO_START_LINE]`.
 * @module
 */
import { osError, sslError } from './exceptions.ts';
import { isHostError, readFileBytes } from './runtime/host.ts';

/** OpenSSL's reason number for PEM_R_NO_START_LINE, which CPython reports as errno. */
const PEM_R_NO_START_LINE = 108;
const DH_BLOCK = /-----BEGIN (X9\.42 )?DH PARAMETERS-----/;

export function loadDhParams(path: string): void {
  if (typeof path !== 'string') throw new TypeError('expected str, bytes or os.PathLike object');
  const bytes = readFileBytes(path);
  // CPython names the file here (PyErr_SetFromErrnoWithFilenameObject).
  if (isHostError(bytes)) throw osError(bytes.errno, bytes.strerror, path);
  if (!DH_BLOCK.test(new TextDecoder('latin1').decode(bytes))) throw sslError('PEM', 'NO_START_LINE', 'no start line', PEM_R_NO_START_LINE);
}
