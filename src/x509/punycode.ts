/**
 * Punycode (RFC 3492): the Bootstring encoding IDNA uses to spell a Unicode
 * label in letters, digits and hyphens. `punycodeEncode` is what Python's
 * `'punycode'` codec does (basic code points copied, case kept, then `-` and
 * the deltas in lower case); `punycodeDecode` reads digits in either case, as
 * RFC 3492 §5 requires and Python does. Neither adds or strips `xn--`.
 * @module
 */

// RFC 3492 §5: Bootstring parameter values for Punycode.
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_CODE_POINT = 0x10ffff;

export class PunycodeError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'PunycodeError';
  }
}

/** RFC 3492 §6.3 encoding of a string of code points. */
export function punycodeEncode(input: string): string {
  const codePoints = Array.from(input, (c) => c.codePointAt(0) ?? 0);
  const basic = codePoints.filter((cp) => cp < INITIAL_N);
  let output = String.fromCharCode(...basic);
  let handled = basic.length;
  if (handled > 0 && handled < codePoints.length) output += '-';
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < codePoints.length) {
    // The next code point to insert is the smallest one not yet handled.
    const m = Math.min(...codePoints.filter((cp) => cp >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const cp of codePoints) {
      if (cp < n) delta++;
      if (cp !== n) continue;
      let q = delta;
      for (let k = BASE; ; k += BASE) {
        const t = threshold(k, bias);
        if (q < t) break;
        output += digitChar(t + ((q - t) % (BASE - t)));
        q = Math.floor((q - t) / (BASE - t));
      }
      output += digitChar(q);
      bias = adapt(delta, handled + 1, handled === basic.length);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}

/** RFC 3492 §6.2 decoding; throws `PunycodeError` on input that is not Punycode. */
export function punycodeDecode(input: string): string {
  if (/[^\x00-\x7f]/.test(input)) throw new PunycodeError('non-ASCII character in Punycode');
  const split = input.lastIndexOf('-');
  const output = Array.from(split > 0 ? input.slice(0, split) : '', (c) => c.codePointAt(0) ?? 0);
  let n = INITIAL_N;
  let i = 0;
  let bias = INITIAL_BIAS;
  let pos = split > 0 ? split + 1 : 0;
  while (pos < input.length) {
    const oldI = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) throw new PunycodeError('incomplete Punycode string');
      const digit = digitValue(input.charCodeAt(pos++));
      if (digit < 0) throw new PunycodeError(`invalid Punycode digit ${JSON.stringify(input[pos - 1])}`);
      i += digit * w;
      const t = threshold(k, bias);
      if (digit < t) break;
      w *= BASE - t;
      // Anything past the last code point is not a label: stop before doubles lose precision.
      if (i > MAX_CODE_POINT * (output.length + 1)) throw new PunycodeError('Punycode value out of range');
    }
    bias = adapt(i - oldI, output.length + 1, oldI === 0);
    n += Math.floor(i / (output.length + 1));
    if (n > MAX_CODE_POINT) throw new PunycodeError(`invalid code point U+${n.toString(16)}`);
    i %= output.length + 1;
    output.splice(i, 0, n);
    i++;
  }
  return String.fromCodePoint(...output);
}

/** RFC 3492 §6.1 bias adaptation. */
function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  delta = firstTime ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - T_MIN) * T_MAX) >> 1) {
    delta = Math.floor(delta / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * delta) / (delta + SKEW));
}

function threshold(k: number, bias: number): number {
  return k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
}

/** Digit values 0–25 are `a`–`z`, 26–35 are `0`–`9` (RFC 3492 §5). */
function digitChar(d: number): string {
  return String.fromCharCode(d < 26 ? 0x61 + d : 0x30 + d - 26);
}

function digitValue(code: number): number {
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  return -1;
}
