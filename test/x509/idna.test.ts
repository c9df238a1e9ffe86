/**
 * IDNA against Python 3.11, whose `str.encode('idna')` is what CPython applies
 * to `server_hostname`: the stringprep tables rebuilt from Python's own, nameprep
 * of every code point of planes 0–3 and 14, hostnames (hand-picked and seeded
 * random ones) through the whole codec, and Punycode both ways.
 */
import { describe, expect, it } from 'vitest';
import { IdnaError, idnaEncode, nameprep } from '../../src/x509/idna.ts';
import { PunycodeError, punycodeDecode, punycodeEncode } from '../../src/x509/punycode.ts';
import * as TABLES from '../../src/x509/stringprep-tables.ts';
import { askOracle } from './openssl-oracle.ts';

type Outcome = { ok: string } | { error: string };

function ours(run: () => string): Outcome {
  try {
    return { ok: run() };
  } catch (e) {
    if (e instanceof IdnaError) return { error: e.reason };
    if (e instanceof PunycodeError) return { error: 'PunycodeError' };
    throw e;
  }
}

describe('stringprep tables', () => {
  const python = askOracle([{ op: 'stringprepTables' }])[0] as Record<string, string> & {
    NORMALIZATION_CHANGES: Record<string, string>;
  };

  it.each(['UNASSIGNED_3_2', 'MAPPED_TO_NOTHING', 'PROHIBITED', 'RAND_AL_CAT', 'L_CAT'] as const)(
    '%s is the table Python builds from unicodedata.ucd_3_2_0',
    (name) => {
      expect(TABLES[name]).toBe(python[name]);
    },
  );

  it('NORMALIZATION_3_2 lists every code point whose Unicode 3.2 NFKC differs from today', () => {
    const listed = Object.fromEntries(TABLES.NORMALIZATION_3_2.split(',').map((e) => e.split(':')));
    expect(listed).toEqual(python.NORMALIZATION_CHANGES);
  });
});

describe('nameprep of single code points', () => {
  // Planes 0–3 hold every character Unicode 3.2 assigned outside the tags and private use;
  // plane 14 has the tags; the private-use planes are sampled at their edges.
  const codePoints = [
    ...Array.from({ length: 0x40000 }, (_, i) => i).filter((cp) => cp < 0xd800 || cp > 0xdfff),
    ...Array.from({ length: 0x1000 }, (_, i) => 0xe0000 + i),
    0xf0000, 0xf0001, 0xffffd, 0xffffe, 0xfffff, 0x100000, 0x10fffd, 0x10fffe, 0x10ffff,
  ];
  const python = askOracle([{ op: 'nameprepEach', codePoints }])[0] as {
    changed: Record<string, string | { error: string }>;
    lower: Record<string, string>;
  };

  // str.lower() follows the runtime's Unicode version, in Python as in JavaScript; where the
  // two runtimes' tables differ, the characters are newer than Unicode 3.2 and nameprep has
  // no opinion on them (RFC 3454 §7: unassigned code points are passed through).
  const skew = codePoints.filter((cp) => String.fromCodePoint(cp).toLowerCase() !== (python.lower[cp] ?? String.fromCodePoint(cp)));

  it('is what Python computes, for every code point both runtimes case alike', () => {
    const skewSet = new Set(skew);
    const disagreements: string[] = [];
    for (const cp of codePoints) {
      if (skewSet.has(cp)) continue;
      const ch = String.fromCodePoint(cp);
      const expected = python.changed[cp] ?? ch;
      const got = ours(() => nameprep(ch));
      const want = typeof expected === 'string' ? { ok: expected } : expected;
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        disagreements.push(`U+${cp.toString(16)}: Python ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`);
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(Object.keys(python.changed).length).toBeGreaterThan(10_000);
  });

  it('leaves out only characters Unicode 3.2 did not have', () => {
    const unassigned = TABLES.UNASSIGNED_3_2.split(',').map((r) => r.split('-').map((h) => parseInt(h, 16)));
    const in32 = (cp: number): boolean => !unassigned.some(([lo = 0, hi = lo]) => cp >= lo && cp <= hi);
    expect(skew.length).toBeLessThan(200);
    expect(skew.filter(in32)).toEqual([]);
  });
});

describe('idnaEncode', () => {
  const HAND_PICKED = [
    '',
    'example.com',
    'EXAMPLE.com',
    'example.com.',
    'Bücher.Example',
    'BÜCHER.example',
    'bücher.example.',
    'ü.com..',
    'a..b',
    '.a',
    'a.',
    '.',
    '\u3002',
    'a\u3002b\uff0ec\uff61d',
    'ü\u3002',
    `${'a'.repeat(63)}.com`,
    `${'a'.repeat(64)}.com`,
    `com.${'a'.repeat(63)}`,
    `com.${'a'.repeat(64)}`,
    `${'ü'.repeat(56)}.com`,
    `${'ü'.repeat(60)}.com`,
    '\u00ad.com',
    'a\u200bb.com',
    'ß.de',
    'straße.de',
    'ﬁ.com',
    'Ⅻ.com',
    '𝐀𝐁𝐂.com',
    'İstanbul.tr',
    'ΣΑΣ.gr',
    'ᾳ.gr',
    'xn--bcher-kva.example',
    'XN--BCHER-KVA.example',
    'xn--ü.com',
    'XN--ü.com',
    'a\u3000b.com',
    '\u00a0.com',
    '\ue000.com',
    '\u2ff0.com',
    '\u0340.com',
    '\ufff9.com',
    '\ufffd.com',
    '\u{e0001}.com',
    '\u{10fffd}.com',
    '\ud800.com',
    '\u0080.com',
    '\u0621\u0031.com',
    '\u05d0a.com',
    '\u05d0\u05d1.com',
    '\u05d01\u05d1.com',
    '\u0627\u0661\u0628.com',
    '한국.kr',
    '\u1100\u1161\u11a8.kr',
    'e\u0301.fr',
    '\u{2f868}.cjk',
    '\u{1f130}.com',
    '\u2c00.com',
    '\u0000.com',
    'foo_bar.com',
    'foo bar.com',
    '*.example.com',
    '*.bücher.example',
  ];

  const POOL = [
    'a', 'B', 'z', '0', '9', '-', '.', '.', '\u3002', '\uff0e', 'ü', 'Ü', 'ß', 'ẞ', 'ς', 'Σ', '\u0345',
    'ᾳ', 'ﬁ', 'Ⅻ', '𝐀', '\u0301', '\u0308', 'e', 'é', '\u1100', '\u1161', '\u11a8', '가', '\u05d0',
    '\u05d1', '\u0627', '\u0661', '1', '\u200d', '\u00ad', '\u200b', '\ufe0f', '\u3000', '\u00a0',
    '\u0080', '\ue000', '\ufff9', '\u2ff0', '\u0340', '\u{e0001}', '\u{2f868}', '\uf951', 'İ', 'ǅ',
    'ﬀ', '\u{1f130}', '\u0378', '\u2c00', 'xn--', 'XN--', '*', '_', ' ', '\ud800', 'ㄱ', 'Å', 'Ω',
    '\u212b', '\u2126', 'ﾊﾞ', '\u0385', '\u03d3',
  ];

  /** A seeded generator (mulberry32), so that every run asks the same questions. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const next = random(3490);
  const RANDOM = Array.from({ length: 3000 }, () =>
    Array.from({ length: 1 + Math.floor(next() * 12) }, () => POOL[Math.floor(next() * POOL.length)]).join(''),
  );

  const inputs = [...HAND_PICKED, ...RANDOM];
  const python = askOracle(inputs.map((text) => ({ op: 'idna', text }))) as Outcome[];

  it.each(HAND_PICKED.map((text, i) => [text, python[i]] as const))('%j → %j', (text, expected) => {
    expect(ours(() => idnaEncode(text))).toEqual(expected);
  });

  it('agrees with Python on 3000 seeded random hostnames', () => {
    const disagreements = RANDOM.flatMap((text, i) => {
      const expected = python[HAND_PICKED.length + i];
      const got = ours(() => idnaEncode(text));
      return JSON.stringify(got) === JSON.stringify(expected)
        ? []
        : [`${JSON.stringify(text)}: Python ${JSON.stringify(expected)}, ours ${JSON.stringify(got)}`];
    });
    expect(disagreements.slice(0, 20)).toEqual([]);
    // Both outcomes are well represented, so the comparison can fail either way.
    const failures = python.slice(HAND_PICKED.length).filter((o) => 'error' in o).length;
    expect(failures).toBeGreaterThan(300);
    expect(RANDOM.length - failures).toBeGreaterThan(300);
  });

  it('throws IdnaError with the message Python shows', () => {
    expect(() => idnaEncode('a..b')).toThrow(new IdnaError('label empty or too long'));
    try {
      idnaEncode('\ue000.com');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IdnaError);
      expect((e as IdnaError).message).toBe("encoding with 'idna' codec failed (UnicodeError: Invalid character '\\ue000')");
    }
  });
});

describe('Punycode', () => {
  const SAMPLES = [
    'bücher',
    'münchen',
    'ü',
    'üü',
    'aü',
    'üa',
    'a-ü',
    '-ü',
    'ü-',
    '\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587',
    '3\u5e74B\u7d44\u91d1\u516b\u5148\u751f',
    '\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064a\u061f',
    'Pročprostěnemluvíčesky',
    '\u{1f600}\u{1f601}',
    '\u{10ffff}a',
    'ABCü',
    '\u0080',
  ];
  const encoded = askOracle(SAMPLES.map((text) => ({ op: 'punycodeEncode', text }))) as string[];
  const decodedBack = askOracle(encoded.map((text) => ({ op: 'punycodeDecode', text }))) as Outcome[];

  it.each(SAMPLES.map((text, i) => [text, encoded[i]] as const))('encodes %j as Python does (%j)', (text, expected) => {
    expect(punycodeEncode(text)).toBe(expected);
  });

  it.each(SAMPLES.map((text, i) => [text, encoded[i]] as const))('decodes the encoding of %j back (%j)', (text, enc) => {
    expect(decodedBack[SAMPLES.indexOf(text)]).toEqual({ ok: text });
    expect(punycodeDecode(enc ?? '')).toBe(text);
  });

  it('reads digits in either case (RFC 3492 §5)', () => {
    expect(punycodeDecode('BCHER-KVA')).toBe('BüCHER');
    expect(punycodeDecode('bcher-KVA')).toBe('bücher');
  });

  it.each([
    ['bcher-kv', 'incomplete'],
    ['bcher-k!a', 'not a digit'],
    ['bücher-kva', 'not ASCII'],
    ['-kva', 'delimiter with no basic code points before it (RFC 3492 §6.2)'],
    ['99999999999999', 'beyond U+10FFFF'],
    ['zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', 'far beyond U+10FFFF'],
  ])('refuses %j (%s)', (text) => {
    expect(() => punycodeDecode(text)).toThrow(PunycodeError);
  });
});
