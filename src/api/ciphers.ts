/**
 * The cipher suites as CPython's `ssl` module shows them: OpenSSL's names,
 * `SSLContext.get_ciphers()` dictionaries, the `(name, protocol, bits)` tuple
 * of `SSLObject.cipher()`, and `SSLContext.set_ciphersuites()` (CPython 3.15,
 * OpenSSL's `SSL_CTX_set_ciphersuites`) for TLS 1.3.
 *
 * The context keeps the TLS 1.2 list that `set_ciphers()` selects exactly
 * as CPython does, and the engine receives both lists, TLS 1.3's first.
 * @module
 */
import type { AeadName } from '../crypto/provider.ts';
import { SUITES12, SUITES13 } from '../handshake/suites.ts';
import type { Suite12 } from '../handshake/suites.ts';
import { CipherSuite } from '../wire/registry.ts';
import { SSLError, withSslLine } from './exceptions.ts';
import { opensslListElements, refuseEmbeddedNul } from './openssl-list.ts';

export interface Cipher {
  /** IANA number. */
  readonly id: number;
  /** OpenSSL's name (the IANA name for TLS 1.3 suites). */
  readonly name: string;
  readonly protocol: 'TLSv1.2' | 'TLSv1.3';
  readonly aead: AeadName;
  /** Secret bits of the AEAD key. */
  readonly bits: number;
  /** TLS 1.2 server authentication; TLS 1.3 suites leave it to the signature scheme. */
  readonly auth: 'ECDSA' | 'RSA' | null;
}

/** OpenSSL's name for a TLS 1.2 suite: `ECDHE-<auth>-<cipher>`, the cipher named as OpenSSL does. */
function opensslName12(suite: Suite12): string {
  const cipher = { 'AES-128-GCM': 'AES128-GCM-SHA256', 'AES-256-GCM': 'AES256-GCM-SHA384', 'CHACHA20-POLY1305': 'CHACHA20-POLY1305' }[suite.aead];
  return `ECDHE-${suite.auth}-${cipher}`;
}

/** The TLS 1.2 suites of DESIGN §2.4 (ECDHE with AES-GCM or ChaCha20-Poly1305), with OpenSSL's names (RFC 5289, RFC 7905). */
const CIPHERS12: readonly Cipher[] = SUITES12.map((s) => ({ id: s.id, name: opensslName12(s), protocol: 'TLSv1.2', aead: s.aead, bits: s.bits, auth: s.auth }));

const CIPHERS13: readonly Cipher[] = SUITES13.map((s) => ({ id: s.id, name: s.name, protocol: 'TLSv1.3', aead: s.aead, bits: s.bits, auth: null }));

/** TLS 1.2 suites in the order OpenSSL's cipher-string rules start from ("ALL"), which is `SUITES12`'s. */
export const TLS12_CIPHERS: readonly Cipher[] = CIPHERS12;

/** OpenSSL's default `SSL_CTX_set_ciphersuites` order, which CPython keeps. */
export const DEFAULT_CIPHERSUITES: readonly number[] = [
  CipherSuite.TLS_AES_256_GCM_SHA384,
  CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
  CipherSuite.TLS_AES_128_GCM_SHA256,
];

/** `_ssl._DEFAULT_CIPHERS`: the string CPython 3.10+ gives `set_ciphers` in every new `SSLContext`. */
export const DEFAULT_CIPHER_STRING = '@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM';

/** The suite with this IANA number, TLS 1.3 or 1.2, or undefined. */
export function cipherById(id: number): Cipher | undefined {
  return CIPHERS13.find((c) => c.id === id) ?? CIPHERS12.find((c) => c.id === id);
}

function known(id: number): Cipher {
  const cipher = cipherById(id);
  if (cipher === undefined) throw new RangeError(`no cipher suite 0x${id.toString(16)}`);
  return cipher;
}

/** A `get_ciphers()` entry, keys and value shapes as CPython's `cipher_to_dict`. */
export interface CipherDict {
  readonly id: number;
  readonly name: string;
  readonly protocol: string;
  readonly description: string;
  readonly strength_bits: number;
  readonly alg_bits: number;
  readonly aead: boolean;
  readonly symmetric: string;
  readonly digest: string | null;
  readonly kea: string;
  readonly auth: string;
}

/** OpenSSL's `Enc=` text for an AEAD (`SSL_CIPHER_description`). */
function encText(cipher: Cipher): string {
  return `${cipher.aead === 'CHACHA20-POLY1305' ? 'CHACHA20/POLY1305' : 'AESGCM'}(${cipher.bits})`;
}

/** `SSL_CIPHER_description` without its newline, as CPython puts it in the dict. */
function description(cipher: Cipher): string {
  const kx = cipher.protocol === 'TLSv1.3' ? 'any' : 'ECDH';
  const au = cipher.auth ?? 'any';
  return `${cipher.name.padEnd(30)} ${cipher.protocol.padEnd(7)} Kx=${kx.padEnd(8)} Au=${au.padEnd(5)} Enc=${encText(cipher).padEnd(22)} Mac=AEAD`;
}

/** `get_ciphers()` for a context whose TLS 1.3 and TLS 1.2 lists are these (OpenSSL lists TLS 1.3 first). */
export function cipherDicts(ciphersuites13: readonly number[], ciphers12: readonly number[]): CipherDict[] {
  return [...ciphersuites13, ...ciphers12].map(known).map((cipher) => ({
    // SSL_CIPHER_get_id: the two IANA bytes under OpenSSL's 0x03000000 marker.
    id: 0x03000000 | cipher.id,
    name: cipher.name,
    protocol: cipher.protocol,
    description: description(cipher),
    strength_bits: cipher.bits,
    alg_bits: cipher.bits,
    aead: true,
    symmetric: cipher.aead.toLowerCase(),
    digest: null,
    kea: cipher.protocol === 'TLSv1.3' ? 'kx-any' : 'kx-ecdhe',
    auth: cipher.auth === null ? 'auth-any' : `auth-${cipher.auth.toLowerCase()}`,
  }));
}

/** `SSLObject.cipher()` (and each `shared_ciphers()` entry): `(name, protocol, secret_bits)`. */
export function cipherTuple(id: number): readonly [string, string, number] {
  const cipher = known(id);
  return [cipher.name, cipher.protocol, cipher.bits];
}

/**
 * Whether OpenSSL offers or accepts a suite at this security level: levels 1
 * to 5 require 80, 112, 128, 192 and 256 bits of symmetric strength
 * (`SSL_CTX_set_security_level(3)`); level 0 allows everything.
 */
export function cipherAllowedAtSecurityLevel(id: number, level: number): boolean {
  const minimumBits = [0, 80, 112, 128, 192, 256][Math.min(Math.max(level, 0), 5)] ?? 0;
  return known(id).bits >= minimumBits;
}

/**
 * `SSLContext.set_ciphersuites(text)` (CPython 3.15): OpenSSL's TLS 1.3 list,
 * exact names between colons. Unknown names are skipped, the empty string
 * empties the list (TLS 1.3 then has no suite), and a non-empty string naming
 * nothing raises. OpenSSL 3.0 keeps repeated names, and so do we. Names of
 * suites OpenSSL has and puretls lacks (`TLS_AES_128_CCM_SHA256`) count as
 * unknown.
 */
export function parseCiphersuites(text: string): number[] {
  refuseEmbeddedNul(text);
  if (text === '') return [];
  const ids = opensslListElements(text).flatMap((name) => CIPHERS13.filter((c) => c.name === name).map((c) => c.id));
  // CPython 3.15 raises through _setSSLError with its own text: errno 0, no library or reason.
  if (ids.length === 0) throw new SSLError(0, withSslLine('No cipher suite can be selected.'));
  return ids;
}
