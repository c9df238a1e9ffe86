/**
 * `ssl.match_hostname(cert, hostname)` as CPython 3.7–3.11's `ssl.py` has it:
 * deprecated since 3.7 (the handshake checks the hostname itself when
 * `check_hostname` is on) and removed in 3.12, kept here for ported code.
 * It works on a `getpeercert()` dictionary, not on a certificate, with
 * `ssl.py`'s own rules, which differ from the handshake's OpenSSL rules
 * (`x509/hostname.ts`): a malformed wildcard raises instead of being an
 * ordinary character, and an IP address is recognised by glibc's
 * `inet_aton`/`inet_pton` (RFC 6125 §1.7.2 leaves IP matching out of scope).
 * Messages are CPython's, with `repr()` quoting.
 * @module
 */
import type { PeerCertName, SubjectAltNameEntry } from '../x509/decode-cert.ts';
import { bytesEqual } from '../wire/bytes.ts';
import { CertificateError, ValueError } from './exceptions.ts';
import { pythonRstrip, pythonStrRepr } from './python-text.ts';

/** The parts of a `getpeercert()` dictionary `match_hostname` reads. */
export interface MatchHostnameCert {
  readonly subject?: PeerCertName;
  readonly subjectAltName?: readonly SubjectAltNameEntry[];
}

/**
 * Returns if `cert` (a `getpeercert()` dictionary) is valid for `hostname`;
 * raises `CertificateError` if not, `ValueError` for an empty certificate.
 * The subject's commonName is consulted only when the subjectAltName has
 * neither a DNS name nor an IP address (RFC 6125 §6.4.4).
 * @deprecated Since Python 3.7: let the handshake check the name (`check_hostname`).
 */
export function match_hostname(cert: MatchHostnameCert | null | undefined, hostname: string): void {
  if (cert === null || cert === undefined || Object.keys(cert).length === 0) {
    throw new ValueError('empty or no certificate, match_hostname needs a SSL socket or SSL context with either CERT_OPTIONAL or CERT_REQUIRED');
  }
  if (typeof hostname !== 'string') throw new TypeError(`hostname must be str, not ${typeof hostname}`);
  const hostIp = hostnameAddress(hostname);
  const candidates: string[] = [];
  for (const [key, value] of cert.subjectAltName ?? []) {
    if (typeof value !== 'string') continue;
    if (key === 'DNS') {
      if (hostIp === null && dnsNameMatches(value, hostname)) return;
      candidates.push(value);
    } else if (key === 'IP Address') {
      if (hostIp !== null && bytesEqual(inetPaton(pythonRstrip(value)), hostIp)) return;
      candidates.push(value);
    }
  }
  if (candidates.length === 0) {
    for (const [key, value] of (cert.subject ?? []).flat()) {
      if (key !== 'commonName') continue;
      if (dnsNameMatches(value, hostname)) return;
      candidates.push(value);
    }
  }
  if (candidates.length > 1) throw new CertificateError(`hostname ${pythonStrRepr(hostname)} doesn't match either of ${candidates.map(pythonStrRepr).join(', ')}`);
  if (candidates.length === 1) throw new CertificateError(`hostname ${pythonStrRepr(hostname)} doesn't match ${pythonStrRepr(candidates[0]!)}`);
  throw new CertificateError('no appropriate commonName or subjectAltName fields were found');
}

/** The address `hostname` names, or null for a name (any ValueError of `_inet_paton` means "not an address"). */
function hostnameAddress(hostname: string): Uint8Array | null {
  try {
    return inetPaton(hostname);
  } catch (error) {
    if (error instanceof ValueError) return null;
    throw error;
  }
}

/**
 * `ssl._dnsname_match` (RFC 6125 §6.4.3): case-insensitive equality, or one
 * wildcard that is the whole leftmost label and stands for one non-empty
 * label. Any other use of `*` raises `CertificateError`.
 */
function dnsNameMatches(name: string, hostname: string): boolean {
  if (name === '') return false;
  const wildcards = name.split('*').length - 1;
  if (wildcards === 0) return name.toLowerCase() === hostname.toLowerCase();
  if (wildcards > 1) throw new CertificateError(`too many wildcards in certificate DNS name: ${pythonStrRepr(name)}.`);
  const [leftmost, remainder] = partition(name);
  if (remainder?.includes('*')) throw new CertificateError(`wildcard can only be present in the leftmost label: ${pythonStrRepr(name)}.`);
  if (remainder === undefined) throw new CertificateError(`sole wildcard without additional labels are not support: ${pythonStrRepr(name)}.`);
  if (leftmost !== '*') throw new CertificateError(`partial wildcards in leftmost label are not supported: ${pythonStrRepr(name)}.`);
  const [hostLeftmost, hostRemainder] = partition(hostname);
  if (hostLeftmost === '' || hostRemainder === undefined) return false;
  return remainder.toLowerCase() === hostRemainder.toLowerCase();
}

/** `text.partition('.')` without the separator: the part before the first dot, and the rest (undefined when there is no dot). */
function partition(text: string): [string, string | undefined] {
  const dot = text.indexOf('.');
  return dot === -1 ? [text, undefined] : [text.slice(0, dot), text.slice(dot + 1)];
}

/**
 * `ssl._inet_paton`: the packed address of a dotted-quad IPv4 address or an
 * IPv6 address. A string glibc's `inet_aton` takes in a shorter or looser form
 * (`'127.1'`, `'0x7f.1'`, `'1.2.3.4 junk'`) is refused as not quad-dotted.
 */
function inetPaton(text: string): Uint8Array {
  // CPython hands the text to C as a NUL-terminated string and refuses to cut it short.
  if (text.includes('\0')) throw new ValueError('embedded null character');
  if (inetAtonAccepts(text)) {
    const quad = canonicalDottedQuad(text);
    if (quad === null) throw new ValueError(`${pythonStrRepr(text)} is not a quad-dotted IPv4 address.`);
    return quad;
  }
  const v6 = inetPton6(text);
  if (v6 === null) throw new ValueError(`${pythonStrRepr(text)} is neither an IPv4 nor an IP6 address.`);
  return v6;
}

/** The bytes of `text` if it is exactly what `inet_ntoa` writes: four decimal parts 0–255, no leading zeros. */
function canonicalDottedQuad(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return Uint8Array.from(parts, Number);
}

/** C's `strtoul(text, &end, 0)` on text starting with a digit: hex after `0x`, octal after `0`, else decimal. */
const C_NUMBER = /^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/;

/**
 * Whether glibc's `inet_aton` accepts `text`: one to four numbers in C
 * notation separated by dots, all but the last at most 255 and the last
 * filling the remaining bytes, then the end or an ASCII space followed by anything.
 */
function inetAtonAccepts(text: string): boolean {
  const parts: number[] = [];
  let rest = text;
  for (;;) {
    const number = C_NUMBER.exec(rest);
    if (number === null) return false;
    const value = Number(number[0].startsWith('0') && number[0].length > 1 && !/^0[xX]/.test(number[0]) ? parseInt(number[0], 8) : number[0]);
    if (value > 0xffffffff) return false;
    parts.push(value);
    rest = rest.slice(number[0].length);
    if (!rest.startsWith('.')) break;
    if (parts.length > 3 || value > 0xff) return false;
    rest = rest.slice(1);
  }
  if (rest !== '' && !/^[\t-\r ]/.test(rest)) return false;
  return parts.at(-1)! <= 0xffffffff / 2 ** (8 * (parts.length - 1));
}

/**
 * glibc's `inet_pton(AF_INET6, ...)`: up to eight groups of one to four hex
 * digits, one `::`, and a dotted quad (strict, no leading zeros) in place of
 * the last two groups.
 */
function inetPton6(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  let at = 0;
  let gapAt = -1;
  let i = 0;
  if (text.startsWith(':')) {
    if (text[1] !== ':') return null;
    i = 1;
  }
  let token = i;
  let digits = 0;
  let value = 0;
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (/[0-9a-fA-F]/.test(char)) {
      if (digits === 4) return null;
      value = (value << 4) | parseInt(char, 16);
      digits++;
    } else if (char === ':') {
      token = i + 1;
      if (digits === 0) {
        if (gapAt !== -1) return null;
        gapAt = at;
        continue;
      }
      if (i + 1 === text.length || at + 2 > 16) return null;
      out[at++] = value >> 8;
      out[at++] = value & 0xff;
      digits = 0;
      value = 0;
    } else if (char === '.' && at + 4 <= 16) {
      // glibc's inet_pton4 takes exactly the canonical dotted quad.
      const quad = canonicalDottedQuad(text.slice(token));
      if (quad === null) return null;
      out.set(quad, at);
      at += 4;
      digits = 0;
      break;
    } else {
      return null;
    }
  }
  if (digits > 0) {
    if (at + 2 > 16) return null;
    out[at++] = value >> 8;
    out[at++] = value & 0xff;
  }
  if (gapAt !== -1) {
    // `::` stands for at least one zero group.
    if (at === 16) return null;
    const moved = out.slice(gapAt, at);
    out.fill(0, gapAt);
    out.set(moved, 16 - moved.length);
    at = 16;
  }
  return at === 16 ? out : null;
}

