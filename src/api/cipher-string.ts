/**
 * OpenSSL's cipher-string language (`openssl-ciphers(1)`,
 * `SSL_CTX_set_cipher_list`) as `SSLContext.set_ciphers()` applies it, over
 * the TLS 1.2 suites puretls has. TLS 1.3 suites are outside it, as in OpenSSL.
 *
 * The list starts with every suite inactive, in OpenSSL's preference order.
 * Each element (separated by `:`, `,`, `;` or space) is a word or words joined
 * by `+` (all must match), prefixed by nothing (append the matching inactive
 * suites), `-` (deactivate, keeping them at the front for a later re-add), `+`
 * (move matching active suites to the end), `!` (remove for good) or `@`
 * (`@STRENGTH` sorts by key length, `@SECLEVEL=n` sets the security level). A
 * word is an alias from OpenSSL 3.0's table or a suite name. Matching follows
 * OpenSSL's bit masks, modelled as sets of OpenSSL's symbols: a suite matches a
 * word when, in every category the word constrains, its symbol is in the
 * word's set; `A+B` intersects the sets, and an empty intersection makes the
 * element match nothing. An unknown word also matches nothing, and (as in
 * OpenSSL) the rest of its element up to the next separator is skipped.
 * Characters outside `[A-Za-z0-9._=-]` where a word should start make the
 * whole string invalid. Since every operation moves suites by their own
 * attributes, keeping their relative order, running the rules over our six
 * suites gives OpenSSL's full result restricted to them.
 *
 * Known difference: OpenSSL knows the names of suites puretls lacks
 * (`AES128-SHA`); here they are unknown words, which only matters when a rule
 * follows one without a separator (`AES128-SHA!aRSA`).
 * @module
 */
import { SSLError } from './exceptions.ts';
import { type Cipher, TLS12_CIPHERS } from './ciphers.ts';
import { refuseEmbeddedNul } from './openssl-list.ts';

type Category = 'kx' | 'au' | 'enc' | 'mac' | 'version' | 'strength' | 'notDefault';

/** What a word selects: per category, the allowed symbols; `id` pins an exact suite. */
interface Pattern {
  readonly sets: Partial<Record<Category, ReadonlySet<string>>>;
  readonly id?: number;
}

const set = (...symbols: string[]): ReadonlySet<string> => new Set(symbols);

// OpenSSL 3.0's symmetric ciphers that the default provider offers (ssl_ciph.c SSL_ENC_*).
const ENC = ['3DES', 'eNULL', 'AES128', 'AES256', 'CAMELLIA128', 'CAMELLIA256', 'AES128GCM', 'AES256GCM', 'AES128CCM', 'AES256CCM', 'AES128CCM8', 'AES256CCM8', 'CHACHA20', 'ARIA128GCM', 'ARIA256GCM'];
const AU = ['aRSA', 'aDSS', 'aNULL', 'aECDSA', 'aPSK', 'aSRP'];
const AES128 = ['AES128', 'AES128GCM', 'AES128CCM', 'AES128CCM8'];
const AES256 = ['AES256', 'AES256GCM', 'AES256CCM', 'AES256CCM8'];

/**
 * OpenSSL 3.0's `ssl_cipher_aliases`, less those whose algorithms its default
 * provider lacks (RC4, RC2, DES, IDEA, SEED, GOST): OpenSSL drops those from
 * the table, so they behave as unknown words.
 */
const ALIASES: ReadonlyMap<string, Pattern['sets']> = new Map<string, Pattern['sets']>([
  ['ALL', { enc: set(...ENC.filter((e) => e !== 'eNULL')) }],
  ['COMPLEMENTOFALL', { enc: set('eNULL') }],
  ['COMPLEMENTOFDEFAULT', { notDefault: set('NOT_DEFAULT') }],
  ['kRSA', { kx: set('kRSA') }],
  ['kEDH', { kx: set('kDHE') }],
  ['kDHE', { kx: set('kDHE') }],
  ['DH', { kx: set('kDHE') }],
  ['kEECDH', { kx: set('kECDHE') }],
  ['kECDHE', { kx: set('kECDHE') }],
  ['ECDH', { kx: set('kECDHE') }],
  ['kPSK', { kx: set('kPSK') }],
  ['kRSAPSK', { kx: set('kRSAPSK') }],
  ['kECDHEPSK', { kx: set('kECDHEPSK') }],
  ['kDHEPSK', { kx: set('kDHEPSK') }],
  ['kSRP', { kx: set('kSRP') }],
  ['aRSA', { au: set('aRSA') }],
  ['aDSS', { au: set('aDSS') }],
  ['DSS', { au: set('aDSS') }],
  ['aNULL', { au: set('aNULL') }],
  ['aECDSA', { au: set('aECDSA') }],
  ['ECDSA', { au: set('aECDSA') }],
  ['aPSK', { au: set('aPSK') }],
  ['aSRP', { au: set('aSRP') }],
  ['EDH', { kx: set('kDHE'), au: set(...AU.filter((a) => a !== 'aNULL')) }],
  ['DHE', { kx: set('kDHE'), au: set(...AU.filter((a) => a !== 'aNULL')) }],
  ['EECDH', { kx: set('kECDHE'), au: set(...AU.filter((a) => a !== 'aNULL')) }],
  ['ECDHE', { kx: set('kECDHE'), au: set(...AU.filter((a) => a !== 'aNULL')) }],
  ['NULL', { enc: set('eNULL') }],
  ['RSA', { kx: set('kRSA'), au: set('aRSA') }],
  ['ADH', { kx: set('kDHE'), au: set('aNULL') }],
  ['AECDH', { kx: set('kECDHE'), au: set('aNULL') }],
  ['PSK', { kx: set('kPSK', 'kRSAPSK', 'kECDHEPSK', 'kDHEPSK') }],
  ['SRP', { kx: set('kSRP') }],
  ['3DES', { enc: set('3DES') }],
  ['eNULL', { enc: set('eNULL') }],
  ['AES128', { enc: set(...AES128) }],
  ['AES256', { enc: set(...AES256) }],
  ['AES', { enc: set(...AES128, ...AES256) }],
  ['AESGCM', { enc: set('AES128GCM', 'AES256GCM') }],
  ['AESCCM', { enc: set('AES128CCM', 'AES256CCM', 'AES128CCM8', 'AES256CCM8') }],
  ['AESCCM8', { enc: set('AES128CCM8', 'AES256CCM8') }],
  ['CAMELLIA128', { enc: set('CAMELLIA128') }],
  ['CAMELLIA256', { enc: set('CAMELLIA256') }],
  ['CAMELLIA', { enc: set('CAMELLIA128', 'CAMELLIA256') }],
  ['CHACHA20', { enc: set('CHACHA20') }],
  ['ARIA', { enc: set('ARIA128GCM', 'ARIA256GCM') }],
  ['ARIAGCM', { enc: set('ARIA128GCM', 'ARIA256GCM') }],
  ['ARIA128', { enc: set('ARIA128GCM') }],
  ['ARIA256', { enc: set('ARIA256GCM') }],
  ['CBC', { enc: set('3DES', 'AES128', 'AES256', 'CAMELLIA128', 'CAMELLIA256') }],
  ['MD5', { mac: set('MD5') }],
  ['SHA1', { mac: set('SHA1') }],
  ['SHA', { mac: set('SHA1') }],
  // SHA256/SHA384 name the record MAC, so they select CBC suites, never AEAD ones.
  ['SHA256', { mac: set('SHA256') }],
  ['SHA384', { mac: set('SHA384') }],
  ['SSLv3', { version: set('SSLv3') }],
  ['TLSv1', { version: set('TLSv1') }],
  ['TLSv1.0', { version: set('TLSv1') }],
  ['TLSv1.2', { version: set('TLSv1.2') }],
  ['LOW', { strength: set('LOW') }],
  ['MEDIUM', { strength: set('MEDIUM') }],
  ['HIGH', { strength: set('HIGH') }],
  ['FIPS', { enc: set(...ENC.filter((e) => e !== 'eNULL')), strength: set('FIPS') }],
  // Backward-compatible "EDH-" names for DHE suites (OpenSSL keeps them as aliases).
  ['EDH-RSA-DES-CBC3-SHA', { kx: set('kDHE'), au: set('aRSA'), enc: set('3DES'), mac: set('SHA1') }],
  ['EDH-DSS-DES-CBC3-SHA', { kx: set('kDHE'), au: set('aDSS'), enc: set('3DES'), mac: set('SHA1') }],
]);

/** A suite's symbol in each category. */
function traits(cipher: Cipher): Record<Category, readonly string[]> {
  const enc = cipher.aead === 'CHACHA20-POLY1305' ? 'CHACHA20' : cipher.aead === 'AES-128-GCM' ? 'AES128GCM' : 'AES256GCM';
  return {
    kx: ['kECDHE'],
    au: [cipher.auth === 'RSA' ? 'aRSA' : 'aECDSA'],
    enc: [enc],
    mac: ['AEAD'],
    version: ['TLSv1.2'],
    // OpenSSL marks the AES-GCM suites FIPS-approved, ChaCha20-Poly1305 only HIGH.
    strength: enc === 'CHACHA20' ? ['HIGH'] : ['HIGH', 'FIPS'],
    notDefault: [],
  };
}

/** A suite name as a word: its own symbols (a version only constrains aliases, as in OpenSSL). */
function suiteWord(cipher: Cipher): Pattern {
  const { version: _version, notDefault: _notDefault, ...own } = traits(cipher);
  const sets: Pattern['sets'] = Object.fromEntries(Object.entries(own).map(([category, symbols]) => [category, new Set(symbols)]));
  return { sets, id: cipher.id };
}

function lookup(word: string): Pattern | undefined {
  const alias = ALIASES.get(word);
  if (alias !== undefined) return { sets: alias };
  const cipher = TLS12_CIPHERS.find((c) => c.name === word);
  return cipher && suiteWord(cipher);
}

/** `A+B`: the intersection in every category, or null when one becomes empty (OpenSSL: found = 0). */
function combine(a: Pattern, b: Pattern): Pattern | null {
  const sets: Pattern['sets'] = { ...a.sets };
  for (const [category, symbols] of Object.entries(b.sets) as [Category, ReadonlySet<string>][]) {
    const before = sets[category];
    const after = before === undefined ? symbols : new Set([...before].filter((s) => symbols.has(s)));
    if (after.size === 0) return null;
    sets[category] = after;
  }
  // The exact suite is the last word's, if that word names one (ssl_cipher_process_rulestr resets it per word).
  return b.id === undefined ? { sets } : { sets, id: b.id };
}

function matches(pattern: Pattern, cipher: Cipher): boolean {
  if (pattern.id !== undefined && pattern.id !== cipher.id) return false;
  const own = traits(cipher);
  return (Object.entries(pattern.sets) as [Category, ReadonlySet<string>][]).every(([category, symbols]) => own[category].some((s) => symbols.has(s)));
}

interface Entry {
  readonly cipher: Cipher;
  active: boolean;
}

/** OpenSSL's linked list of suites and `ssl_cipher_apply_rule`'s operations on it. */
class CipherList {
  entries: Entry[];

  constructor() {
    this.entries = TLS12_CIPHERS.map((cipher) => ({ cipher, active: false }));
  }

  private move(selected: (e: Entry) => boolean, toFront: boolean, active: boolean): void {
    const moved = this.entries.filter(selected);
    const rest = this.entries.filter((e) => !selected(e));
    for (const e of moved) e.active = active;
    this.entries = toFront ? [...moved, ...rest] : [...rest, ...moved];
  }

  add(p: (c: Cipher) => boolean): void {
    this.move((e) => !e.active && p(e.cipher), false, true);
  }
  order(p: (c: Cipher) => boolean): void {
    this.move((e) => e.active && p(e.cipher), false, true);
  }
  /** Deactivated suites go to the front, so that a later add brings them back in this order. */
  delete(p: (c: Cipher) => boolean): void {
    this.move((e) => e.active && p(e.cipher), true, false);
  }
  bump(p: (c: Cipher) => boolean): void {
    this.move((e) => e.active && p(e.cipher), true, true);
  }
  kill(p: (c: Cipher) => boolean): void {
    this.entries = this.entries.filter((e) => !p(e.cipher));
  }
  /** `@STRENGTH` (`ssl_cipher_strength_sort`): active suites to the end, strongest first. */
  strengthSort(): void {
    const strengths = [...new Set(this.entries.filter((e) => e.active).map((e) => e.cipher.bits))].sort((a, b) => b - a);
    for (const bits of strengths) this.order((c) => c.bits === bits);
  }
}

/**
 * The preference order `ssl_create_cipher_list` sets up before reading the
 * string. Its other rules (MD5, aNULL, kRSA, PSK and RC4 last) move no suite
 * of ours.
 */
function preferenceOrder(): CipherList {
  const list = new CipherList();
  const ecdhe = (c: Cipher) => traits(c).kx.includes('kECDHE');
  list.add((c) => ecdhe(c) && c.auth === 'ECDSA');
  list.add(ecdhe);
  list.delete(ecdhe);
  list.add((c) => c.aead !== 'CHACHA20-POLY1305');
  list.add((c) => c.aead === 'CHACHA20-POLY1305');
  list.add(() => true);
  list.strengthSort();
  // Then TLS 1.2 suites, AEADs, (EC)DHE and (EC)DHE with AEAD are bumped to the front: all of ours, in order.
  list.delete(() => true);
  return list;
}

const SEPARATOR = /[:, ;]/;
const WORD_CHAR = /[A-Za-z0-9._=-]/;

/** Applies one rule string; false where OpenSSL's `ssl_cipher_process_rulestr` fails. */
function processRules(text: string, list: CipherList, level: { value: number }): boolean {
  let ok = true;
  let at = 0;
  const skipElement = () => {
    while (at < text.length && !SEPARATOR.test(text[at]!)) at++;
  };
  while (at < text.length) {
    const first = text[at]!;
    const rule = first === '-' ? 'delete' : first === '+' ? 'order' : first === '!' ? 'kill' : first === '@' ? 'special' : 'add';
    if (rule !== 'add') at++;
    if (SEPARATOR.test(first)) {
      at++;
      continue;
    }
    let pattern: Pattern | null = { sets: {} };
    let word = '';
    for (;;) {
      const start = at;
      while (at < text.length && WORD_CHAR.test(text[at]!)) at++;
      word = text.slice(start, at);
      if (word === '') return false; // SSL_R_INVALID_COMMAND
      if (rule === 'special') break;
      const more = text[at] === '+';
      if (more) at++;
      const found = lookup(word);
      pattern = found === undefined ? null : combine(pattern, found);
      if (pattern === null || !more) break;
    }
    if (rule === 'special') {
      if (word === 'STRENGTH') list.strengthSort();
      else if (/^SECLEVEL=[0-5]$/.test(word)) level.value = Number(word[9]);
      else ok = false;
      skipElement();
    } else if (pattern === null) {
      skipElement();
    } else {
      const p = pattern;
      list[rule]((c) => matches(p, c));
    }
  }
  return ok;
}

/** What `set_ciphers(text)` leaves in the context, and what it raises. */
export interface CipherStringResult {
  /** The new TLS 1.2 list, or null when OpenSSL leaves the old one. */
  readonly ciphers12: readonly number[] | null;
  /** The security level after the string's `@SECLEVEL=n`, which OpenSSL applies as it reads, even when it then fails. */
  readonly securityLevel: number;
  /** CPython's `SSLError('No cipher can be selected.')`, or null. */
  readonly error: SSLError | null;
}

/**
 * `SSLContext.set_ciphers(text)` over a context at `securityLevel`. When
 * nothing is selected the TLS 1.2 list is still replaced (by an empty one),
 * as OpenSSL 3.0 does before reporting; the context should store
 * `ciphers12` and `securityLevel`, then throw `error`.
 */
export function applyCipherString(text: string, securityLevel: number): CipherStringResult {
  refuseEmbeddedNul(text);
  const list = preferenceOrder();
  const level = { value: securityLevel };
  let ok = true;
  let rest = text;
  // ssl_create_cipher_list: only a leading DEFAULT expands, to OSSL_default_cipher_list().
  if (rest.startsWith('DEFAULT')) {
    ok = processRules('ALL:!COMPLEMENTOFDEFAULT:!eNULL', list, level);
    rest = rest.slice(rest[7] === ':' ? 8 : 7);
  }
  if (ok && rest !== '') ok = processRules(rest, list, level);
  const ciphers12 = ok ? list.entries.filter((e) => e.active).map((e) => e.cipher.id) : null;
  // CPython's set_ciphers: PyErr_SetString, so args is the one string, errno and strerror None.
  const error = ciphers12 === null || ciphers12.length === 0 ? new SSLError('No cipher can be selected.') : null;
  return { ciphers12, securityLevel: level.value, error };
}
