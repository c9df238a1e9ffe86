/**
 * Hostnames into their ASCII form the way CPython does it before OpenSSL sees
 * them: `server_hostname.encode('idna')`, Python's IDNA 2003 codec. Each label
 * that is not pure ASCII goes through ToASCII (RFC 3490 §4.1) with
 * AllowUnassigned and without UseSTD3ASCIIRules: nameprep (RFC 3491: map,
 * NFKC, prohibit, bidi — over the Unicode 3.2 tables in
 * `stringprep-tables.ts`), then Punycode with the `xn--` prefix. ASCII labels
 * are passed through untouched, case included (`'Bücher.Example'` becomes
 * `'xn--bcher-kva.Example'`), and only their lengths are checked. Failures are
 * `IdnaError`s carrying Python 3.11's reason text, so the `ssl` module can
 * raise the same `UnicodeError`.
 * @module
 */
import { punycodeEncode } from './punycode.ts';
import {
  CASE_FOLD_EXTRA,
  L_CAT,
  MAPPED_TO_NOTHING,
  NORMALIZATION_3_2,
  PROHIBITED,
  RAND_AL_CAT,
  UNASSIGNED_3_2,
} from './stringprep-tables.ts';

/** A hostname Python's `idna` codec refuses; `reason` is its `UnicodeError` text. */
export class IdnaError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`encoding with 'idna' codec failed (UnicodeError: ${reason})`);
    this.name = 'IdnaError';
    this.reason = reason;
  }
}

const ACE_PREFIX = 'xn--';
/** RFC 3490 §3.1: the full stop and its ideographic and full-width forms all separate labels. */
const LABEL_SEPARATORS = /[.\u3002\uff0e\uff61]/;
const ASCII = /^[\x00-\x7f]*$/;

/** `hostname.encode('idna').decode('ascii')` in Python. */
export function idnaEncode(hostname: string): string {
  if (hostname === '') return '';
  if (ASCII.test(hostname)) {
    // Python's fast path: no mapping at all, only the length rules of RFC 3490 §4.1 step 8.
    const labels = hostname.split('.');
    const last = labels.pop() ?? '';
    for (const label of labels) checkLength(label);
    if (last.length >= 64) throw new IdnaError('label too long');
    return hostname;
  }
  const labels = hostname.split(LABEL_SEPARATORS);
  // A final empty label is the root: it keeps its dot (RFC 3490 §3.1 item 1).
  const trailingDot = labels.length > 1 && labels[labels.length - 1] === '' ? '.' : '';
  if (trailingDot !== '') labels.pop();
  return labels.map(toAsciiLabel).join('.') + trailingDot;
}

/** RFC 3490 §4.1 ToASCII of one label, as Python's `encodings.idna.ToASCII`. */
function toAsciiLabel(label: string): string {
  if (ASCII.test(label)) return checkLength(label);
  const prepared = nameprep(label);
  if (ASCII.test(prepared)) return checkLength(prepared);
  // Step 5: a label that already looks like an A-label cannot also be a U-label.
  if (prepared.startsWith(ACE_PREFIX)) throw new IdnaError('Label starts with ACE prefix');
  return checkLength(ACE_PREFIX + punycodeEncode(prepared));
}

/** RFC 3490 §4.1 step 8: 1 to 63 octets. */
function checkLength(label: string): string {
  if (label.length === 0 || label.length > 63) throw new IdnaError('label empty or too long');
  return label;
}

/** RFC 3491 nameprep of one label: RFC 3454 §3 map, §4 NFKC, §5 prohibit, §6 bidi. */
export function nameprep(label: string): string {
  let mapped = '';
  for (const ch of label) {
    const cp = ch.codePointAt(0) ?? 0;
    if (!tables.mappedToNothing.has(cp)) mapped += caseFoldForNfkc(cp);
  }
  const normalized = nfkc32(mapped);
  const codePoints = Array.from(normalized, (c) => c.codePointAt(0) ?? 0);
  for (const cp of codePoints) {
    if (tables.prohibited.has(cp)) throw new IdnaError(`Invalid character ${pythonRepr(cp)}`);
  }
  // RFC 3454 §6: right-to-left labels may not mix in left-to-right letters and
  // must begin and end with a right-to-left character.
  const randAl = codePoints.map((cp) => tables.randAlCat.has(cp));
  if (randAl.some(Boolean)) {
    if (codePoints.some((cp) => tables.lCat.has(cp))) throw new IdnaError('Violation of BIDI requirement 2');
    if (!randAl[0] || !randAl[randAl.length - 1]) throw new IdnaError('Violation of BIDI requirement 3');
  }
  return normalized;
}

/**
 * RFC 3454 Table B.2, which is defined so that folding then NFKC is closed:
 * fold, normalise, fold again, and keep the second result where it differs
 * (this is how Python's `stringprep.map_table_b2` derives the table).
 */
function caseFoldForNfkc(cp: number): string {
  const folded = caseFold(cp);
  const normalized = nfkc32(folded);
  const refolded = nfkc32(Array.from(normalized, (c) => caseFold(c.codePointAt(0) ?? 0)).join(''));
  return normalized === refolded ? folded : refolded;
}

/** RFC 3454 Table B.3 (full case folding) as lower-casing plus the listed exceptions. */
function caseFold(cp: number): string {
  return tables.caseFoldExtra.get(cp) ?? String.fromCodePoint(cp).toLowerCase();
}

/**
 * NFKC as of Unicode 3.2, which RFC 3491 fixes: the runtime's normaliser, with
 * code points that 3.2 did not assign left alone (they had no decomposition and
 * combined with nothing, so they split the text into independent runs) and the
 * five corrected decompositions put back.
 */
function nfkc32(text: string): string {
  let out = '';
  let run = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (tables.unassigned.has(cp)) {
      out += run.normalize('NFKC') + ch;
      run = '';
    } else {
      run += tables.normalization32.get(cp) ?? ch;
    }
  }
  return out + run.normalize('NFKC');
}

/** Python's `repr()` of a one-character string, for the "Invalid character" message. */
function pythonRepr(cp: number): string {
  const ch = String.fromCodePoint(cp);
  // str.isprintable() is false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than the space.
  if (!/^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u.test(ch)) return `'${ch}'`;
  const hex = cp.toString(16);
  if (cp < 0x100) return `'\\x${hex.padStart(2, '0')}'`;
  if (cp < 0x10000) return `'\\u${hex.padStart(4, '0')}'`;
  return `'\\U${hex.padStart(8, '0')}'`;
}

/** A set of code points as sorted inclusive ranges, searched by bisection. */
class CodePointRanges {
  readonly #bounds: Uint32Array;

  constructor(text: string) {
    const ranges = text.split(',').map((r) => r.split('-').map((h) => parseInt(h, 16)));
    this.#bounds = Uint32Array.from(ranges.flatMap(([lo = 0, hi = lo]) => [lo, hi]));
  }

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.#bounds.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < (this.#bounds[2 * mid] ?? 0)) hi = mid - 1;
      else if (cp > (this.#bounds[2 * mid + 1] ?? 0)) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

/** `cp:cp cp…` entries into code point → replacement string. */
function parseMapping(text: string): Map<number, string> {
  return new Map(
    text.split(',').map((entry) => {
      const [from = '', to = ''] = entry.split(':');
      return [parseInt(from, 16), String.fromCodePoint(...to.split(' ').map((h) => parseInt(h, 16)))];
    }),
  );
}

const tables = {
  unassigned: new CodePointRanges(UNASSIGNED_3_2),
  mappedToNothing: new CodePointRanges(MAPPED_TO_NOTHING),
  prohibited: new CodePointRanges(PROHIBITED),
  randAlCat: new CodePointRanges(RAND_AL_CAT),
  lCat: new CodePointRanges(L_CAT),
  caseFoldExtra: parseMapping(CASE_FOLD_EXTRA),
  normalization32: parseMapping(NORMALIZATION_3_2),
};
