/**
 * The few semantics of Python's `str` that the `ssl` module's functions show
 * through their results and messages: `repr()` as CPython's `unicode_repr`
 * writes it (for the `%r` in `match_hostname`'s "hostname 'x' doesn't match
 * 'y'" and `cert_time_to_seconds`' "time data '...' does not match format"),
 * `str.isspace()`'s whitespace (what `strip()` and the regular expression `\s`
 * take), and `int()` of Unicode decimal digits (what `\d` takes). Whether a character is printable follows
 * `str.isprintable()`: everything but the Unicode categories Other (Cc, Cf, Cs,
 * Co, Cn) and Separator (Zl, Zp, Zs), the ASCII space excepted. The categories
 * are those of the JavaScript engine's Unicode version, which may be newer than
 * the interpreter's for characters assigned since.
 * @module
 */

const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `repr(text)`: single quotes unless the text holds a `'` and no `"`, escapes as CPython writes them. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) out += char === quote ? `\\${quote}` : (NAMED_ESCAPES[char] ?? escapeUnlessPrintable(char));
  return out + quote;
}

/** `\xNN`, `\uNNNN` or `\UNNNNNNNN` for a character `str.isprintable()` refuses; the character itself otherwise. */
function escapeUnlessPrintable(char: string): string {
  if (char === ' ' || !NOT_PRINTABLE.test(char)) return char;
  return pythonCodePointEscape(char.codePointAt(0)!);
}

/** The shortest of Python's `\x`, `\u`, `\U` escapes that holds `codePoint`. */
export function pythonCodePointEscape(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${hex(codePoint, 2)}`;
  if (codePoint <= 0xffff) return `\\u${hex(codePoint, 4)}`;
  return `\\U${hex(codePoint, 8)}`;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** The characters `str.isspace()` (and so `strip()` and `re`'s `\s`) counts as whitespace, as a character class. */
export const PYTHON_WHITESPACE = '[\\t-\\r\\x1c- \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const LEADING_WHITESPACE = new RegExp(`^${PYTHON_WHITESPACE}+`);
const TRAILING_WHITESPACE = new RegExp(`${PYTHON_WHITESPACE}+$`);

/** `text.strip()`. */
export function pythonStrip(text: string): string {
  return pythonRstrip(text).replace(LEADING_WHITESPACE, '');
}

/** `text.rstrip()`. */
export function pythonRstrip(text: string): string {
  return text.replace(TRAILING_WHITESPACE, '');
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * `int(digits)` for a string of Unicode decimal digits (category Nd, what
 * `re`'s `\d` matches). Unicode encodes every script's digits as contiguous
 * runs 0–9, so a digit's value is its distance from the start of its block
 * of consecutive digits, modulo 10.
 */
export function decimalDigitsValue(digits: string): number {
  let value = 0;
  for (const char of digits) {
    let codePoint = char.codePointAt(0)!;
    const digit = codePoint;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(codePoint - 1))) codePoint--;
    value = value * 10 + ((digit - codePoint) % 10);
  }
  return value;
}

/** The name of the Python type a JavaScript value stands for (DESIGN §5), for TypeError texts. */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'function') return 'function';
  return 'dict';
}
