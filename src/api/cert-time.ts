/**
 * `ssl.cert_time_to_seconds`: a certificate's "notBefore"/"notAfter" text, as
 * `getpeercert()` and OpenSSL's `ASN1_TIME_print` write it
 * (`"Jan  5 09:34:43 2018 GMT"`), to seconds since the epoch. CPython finds
 * the month itself (C-locale names, any case) and hands the rest to
 * `time.strptime(rest, ' %d %H:%M:%S %Y GMT')`; the pattern below is the one
 * `_strptime` compiles from that format (CPython 3.11 and 3.13 alike), so the
 * same strings are accepted and the same `ValueError` texts raised.
 * @module
 */
import { ValueError } from './exceptions.ts';
import { PYTHON_WHITESPACE, decimalDigitsValue, pythonStrRepr } from './python-text.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What CPython passes to `strptime` after the month. */
const TIME_FORMAT = ' %d %H:%M:%S %Y GMT';

/**
 * `_strptime`'s regular expression for TIME_FORMAT: each run of whitespace in
 * the format becomes `\s+`, each directive its group from `TimeRE`, matched
 * case-insensitively; `\d` is any Unicode decimal digit, as in Python's `re`.
 */
const TIME_PATTERN = new RegExp(
  [
    `^${PYTHON_WHITESPACE}+(?<d>3[0-1]|[1-2]\\p{Nd}|0[1-9]|[1-9]| [1-9])`,
    `${PYTHON_WHITESPACE}+(?<H>2[0-3]|[0-1]\\p{Nd}|\\p{Nd}):(?<M>[0-5]\\p{Nd}|\\p{Nd}):(?<S>6[0-1]|[0-5]\\p{Nd}|\\p{Nd})`,
    `${PYTHON_WHITESPACE}+(?<Y>\\p{Nd}{4})${PYTHON_WHITESPACE}+GMT`,
  ].join(''),
  'iu',
);

/**
 * Seconds since the epoch (an integer) for `cert_time`, read as UTC. Raises
 * `ValueError` with CPython's texts: "time data '...' does not match format
 * ...", "unconverted data remains: ...", "year 0 is out of range".
 */
export function cert_time_to_seconds(cert_time: string): number {
  if (typeof cert_time !== 'string') throw new TypeError(`cert_time must be str, not ${typeof cert_time}`);
  // Python slices by code points, not UTF-16 units.
  const codePoints = Array.from(cert_time);
  const month = MONTHS.indexOf(pythonTitle(codePoints.slice(0, 3).join(''))) + 1;
  if (month === 0) throw new ValueError(`time data ${pythonStrRepr(cert_time)} does not match format "%b${TIME_FORMAT}"`);
  const rest = codePoints.slice(3).join('');
  const found = TIME_PATTERN.exec(rest);
  if (found === null) throw new ValueError(`time data ${pythonStrRepr(rest)} does not match format ${pythonStrRepr(TIME_FORMAT)}`);
  if (found[0].length !== rest.length) throw new ValueError(`unconverted data remains: ${rest.slice(found[0].length)}`);
  const field = (name: string): number => decimalDigitsValue(found.groups![name]!.trim());
  const year = field('Y');
  // strptime builds datetime.date(year, 1, day) to find the day of the year; year 0 does not exist there.
  if (year === 0) throw new ValueError('year 0 is out of range');
  // calendar.timegm: days from the first of the month, so "Feb 31" is March 3rd and second 60/61 carry over.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, 1);
  return date.getTime() / 1000 + (field('d') - 1) * 86400 + field('H') * 3600 + field('M') * 60 + field('S');
}

/**
 * `str.title()` as far as it can produce a month name: the first character
 * upper-cased, the others lower-cased (so `'ſep'` is `'Sep'`, as in Python).
 */
function pythonTitle(text: string): string {
  const [first = '', ...others] = Array.from(text);
  return first.toUpperCase() + others.join('').toLowerCase();
}
