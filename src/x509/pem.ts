/**
 * PEM (RFC 7468): the `-----BEGIN label-----` armour around base64 DER.
 * Decoding finds every block in a text and ignores whatever lies between
 * blocks (explanatory text, as OpenSSL and Python's `load_verify_locations`
 * do), but is strict inside a block: only base64 characters and whitespace,
 * padding only at the end, matching END label. Encoding writes 64-column lines,
 * byte for byte what Python's `ssl.DER_cert_to_PEM_cert` produces.
 * @module
 */
import { X509ParseError, unsupported } from './errors.ts';

/** The labels this project reads and writes (RFC 7468 §5–§13, and OpenSSL's traditional key labels). */
export const PemLabel = {
  CERTIFICATE: 'CERTIFICATE',
  CRL: 'X509 CRL',
  PRIVATE_KEY: 'PRIVATE KEY',
  ENCRYPTED_PRIVATE_KEY: 'ENCRYPTED PRIVATE KEY',
  EC_PRIVATE_KEY: 'EC PRIVATE KEY',
  RSA_PRIVATE_KEY: 'RSA PRIVATE KEY',
  PUBLIC_KEY: 'PUBLIC KEY',
} as const;

export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const BEGIN = /^-----BEGIN ([^-]*)-----\s*$/;
const END = /^-----END ([^-]*)-----\s*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Character code → sextet value, -1 for characters outside the alphabet. */
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/**
 * Every PEM block in `text`, in order; with `label`, only the blocks so
 * labelled. Throws `X509ParseError` on a malformed block (even one with
 * another label: a damaged file should not be half-read).
 */
export function pemDecode(text: string, label?: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]!);
    if (!begin) continue;
    const found = begin[1]!;
    const body: string[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      const line = lines[i]!;
      const end = END.exec(line);
      if (end) {
        if (end[1] !== found) throw new X509ParseError(`PEM ${found}`, `ends with END ${end[1]}`);
        closed = true;
        break;
      }
      if (BEGIN.test(line)) break;
      body.push(line);
    }
    if (!closed) throw new X509ParseError(`PEM ${found}`, 'no matching END line');
    if (label === undefined || found === label) blocks.push({ label: found, der: decodeBody(body, found) });
  }
  return blocks;
}

/** The DER of exactly one block labelled `label` (the first, if there are several). */
export function pemDecodeOne(text: string, label: string): Uint8Array {
  const block = pemDecode(text, label)[0];
  if (block === undefined) throw new X509ParseError(`PEM ${label}`, 'no such block');
  return block.der;
}

/** `-----BEGIN label-----`, base64 in 64-column lines, `-----END label-----`, each line ending in `\n`. */
export function pemEncode(label: string, der: Uint8Array): string {
  const b64 = base64Encode(der);
  const lines = [`-----BEGIN ${label}-----`];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`-----END ${label}-----`);
  return lines.join('\n') + '\n';
}

export const pemCertificates = (text: string): Uint8Array[] => derOf(pemDecode(text, PemLabel.CERTIFICATE));
export const pemCrls = (text: string): Uint8Array[] => derOf(pemDecode(text, PemLabel.CRL));
export const certificateToPem = (der: Uint8Array): string => pemEncode(PemLabel.CERTIFICATE, der);
export const crlToPem = (der: Uint8Array): string => pemEncode(PemLabel.CRL, der);
export const privateKeyToPem = (der: Uint8Array): string => pemEncode(PemLabel.PRIVATE_KEY, der);
export const publicKeyToPem = (der: Uint8Array): string => pemEncode(PemLabel.PUBLIC_KEY, der);

function derOf(blocks: readonly PemBlock[]): Uint8Array[] {
  return blocks.map((b) => b.der);
}

function decodeBody(lines: readonly string[], label: string): Uint8Array {
  const field = `PEM ${label}`;
  // RFC 1421 encapsulated headers: only OpenSSL's encrypted traditional keys use them.
  if (lines.some((l) => /^Proc-Type:\s*4,ENCRYPTED/.test(l))) {
    throw unsupported(field, 'encrypted PEM key (Proc-Type/DEK-Info): passwords are not supported yet');
  }
  const b64 = lines.join('').replace(/[ \t\r]/g, '');
  if (b64.length === 0) throw new X509ParseError(field, 'empty block');
  return base64Decode(b64, field);
}

/** Strict RFC 4648 §4 base64: whole quanta, padding only at the very end. */
function base64Decode(text: string, field: string): Uint8Array {
  if (text.length % 4 !== 0) throw new X509ParseError(field, 'base64 length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let bits = 0;
  let count = 0;
  let o = 0;
  for (let i = 0; i < text.length - pad; i++) {
    const v = SEXTET[text.charCodeAt(i)] ?? -1;
    if (v < 0) throw new X509ParseError(field, `invalid base64 character at offset ${i}`);
    bits = (bits << 6) | v;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[o++] = (bits >> count) & 0xff;
      bits &= (1 << count) - 1;
    }
  }
  return out;
}

function base64Encode(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let k = 0; k < 4; k++) s += k < chars ? ALPHABET[(n >> (18 - 6 * k)) & 63] : '=';
  }
  return s;
}
