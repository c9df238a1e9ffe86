/**
 * `ssl.DER_cert_to_PEM_cert` and `ssl.PEM_cert_to_DER_cert` as CPython's
 * `ssl.py` writes them. Encoding is `x509/pem.ts`'s (64-column lines, a final
 * newline: byte for byte Python's). Decoding is deliberately not: CPython only
 * checks that the text starts with the header and, once stripped, ends with
 * the footer, then gives everything between to `base64.decodebytes`, which
 * skips characters outside the alphabet and stops at the padding. A string
 * Python turns into bytes therefore turns into the same bytes here, and one it
 * refuses raises `ValueError` with its text (Python's `binascii.Error` and
 * `UnicodeEncodeError` are `ValueError` subclasses).
 * @module
 */
import { certificateToPem } from '../x509/pem.ts';
import { ValueError } from './exceptions.ts';
import { PEM_FOOTER, PEM_HEADER } from './constants.ts';
import { pythonCodePointEscape, pythonStrip } from './python-text.ts';

/** The certificate `der_cert_bytes` as PEM text. */
export function DER_cert_to_PEM_cert(der_cert_bytes: Uint8Array): string {
  if (!(der_cert_bytes instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof der_cert_bytes}'`);
  return certificateToPem(der_cert_bytes);
}

/** The DER bytes of the PEM certificate `pem_cert_string`. */
export function PEM_cert_to_DER_cert(pem_cert_string: string): Uint8Array {
  if (typeof pem_cert_string !== 'string') throw new TypeError(`PEM_cert_to_DER_cert() needs a str, not '${typeof pem_cert_string}'`);
  if (!pem_cert_string.startsWith(PEM_HEADER)) throw new ValueError(`Invalid PEM encoding; must start with ${PEM_HEADER}`);
  const stripped = pythonStrip(pem_cert_string);
  if (!stripped.endsWith(PEM_FOOTER)) throw new ValueError(`Invalid PEM encoding; must end with ${PEM_FOOTER}`);
  return a2bBase64(asciiOnly(stripped.slice(PEM_HEADER.length, stripped.length - PEM_FOOTER.length)));
}

/** `text.encode('ascii')`: the text itself, or the `UnicodeEncodeError` text for its first non-ASCII run. */
function asciiOnly(text: string): string {
  const codePoints = Array.from(text, (c) => c.codePointAt(0)!);
  const start = codePoints.findIndex((c) => c > 0x7f);
  if (start === -1) return text;
  let end = start + 1;
  while (end < codePoints.length && codePoints[end]! > 0x7f) end++;
  const what = end - start === 1 ? `character '${pythonCodePointEscape(codePoints[start]!)}' in position ${start}` : `characters in position ${start}-${end - 1}`;
  throw new ValueError(`'ascii' codec can't encode ${what}: ordinal not in range(128)`);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * `binascii.a2b_base64(text)` in its default, non-strict mode: characters
 * outside the alphabet are skipped, `=` ends the data once it completes a
 * quantum (a stray one earlier is skipped), and a final partial quantum is an
 * error.
 */
function a2bBase64(text: string): Uint8Array {
  const out: number[] = [];
  let quadPosition = 0;
  let leftover = 0;
  let pads = 0;
  for (const char of text) {
    if (char === '=') {
      if (quadPosition >= 2 && quadPosition + ++pads >= 4) return Uint8Array.from(out);
      continue;
    }
    const sextet = ALPHABET.indexOf(char);
    if (sextet === -1) continue;
    pads = 0;
    if (quadPosition > 0) out.push(((leftover << (2 * quadPosition)) | (sextet >> (6 - 2 * quadPosition))) & 0xff);
    leftover = sextet & ((1 << (6 - 2 * quadPosition)) - 1);
    quadPosition = (quadPosition + 1) % 4;
  }
  if (quadPosition === 1) {
    const dataCharacters = Math.floor(out.length / 3) * 4 + 1;
    throw new ValueError(`Invalid base64-encoded string: number of data characters (${dataCharacters}) cannot be 1 more than a multiple of 4`);
  }
  if (quadPosition !== 0) throw new ValueError('Incorrect padding');
  return Uint8Array.from(out);
}
