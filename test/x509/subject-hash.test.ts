/**
 * `subjectNameHash` against OpenSSL 3.0's `X509_subject_name_hash` (through
 * ctypes, on certificates built with every string type and spacing we could
 * think of) and against `openssl x509 -hash` on certificates `openssl req` made.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { pemCertificates } from '../../src/x509/pem.ts';
import { canonicalNameEncoding, subjectNameHash } from '../../src/x509/subject-hash.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { fromHex } from '../../src/wire/bytes.ts';
import { type Attribute, OID, STRING_TAG as S, askOracle, attr, makeCertificate } from './openssl-oracle.ts';

const raw = (type: string, tag: number, hex: string): Attribute => ({ type, tag, value: fromHex(hex) });
const cn = (text: string, tag?: number): Attribute => attr(OID.commonName, text, tag);
const o = (text: string, tag?: number): Attribute => attr(OID.organizationName, text, tag);

const NAMES: [string, Attribute[][]][] = [
  ['CN=example.com', [[cn('example.com')]]],
  ['mixed case', [[cn('Example.COM')]]],
  ['upper case', [[cn('EXAMPLE.COM')]]],
  ['leading, trailing and inner spaces', [[cn('   Example    Com  ')]]],
  ['tabs, newlines, vertical tab, form feed, CR', [[cn('\tExample\n\x0b\x0c\rCom\t')]]],
  ['only spaces', [[cn('    ')]]],
  ['empty value', [[cn('')]]],
  ['no RDNs at all', []],
  ['PrintableString', [[cn('Example Com', S.PrintableString)]]],
  ['UTF8String, same text', [[cn('Example Com')]]],
  ['IA5String', [[attr(OID.emailAddress, 'Admin@Example.COM', S.IA5String)]]],
  ['T61String with 8-bit bytes', [[cn('Caf\u00e9 \u00c9', S.T61String)]]],
  ['UTF8String with the same characters', [[cn('Caf\u00e9 \u00c9')]]],
  ['BMPString', [[cn('Example Com', S.BMPString)]]],
  ['BMPString outside Latin-1', [[cn('\u4f8b\u3048 Z', S.BMPString)]]],
  ['UniversalString', [[cn('Example \u{1f600}', S.UniversalString)]]],
  ['non-ASCII upper case is not lowered', [[cn('BÜCHER Ä')]]],
  ['non-ASCII spaces are not folded', [[cn('a\u00a0\u00a0b\u3000c')]]],
  ['byte order mark kept', [[cn('\ufeffexample')]]],
  ['NUL kept', [[cn('a\0b')]]],
  ['NumericString is not canonicalised', [[raw(OID.commonName, 0x12, '3132 20 20 33'.replace(/ /g, ''))]]],
  ['PrintableString digits', [[cn('12  3', S.PrintableString)]]],
  ['BIT STRING value', [[raw(OID.commonName, 0x03, '0061')]]],
  ['multi-valued RDN, one order', [[cn('Alpha'), o('Beta')]]],
  ['multi-valued RDN, other order', [[o('Beta'), cn('Alpha')]]],
  ['multi-valued RDN whose canonical order differs from the raw one', [[cn('b', S.PrintableString), cn('A')]]],
  ['several RDNs', [[attr(OID.countryName, 'US', S.PrintableString)], [o('Example, Inc.')], [attr(OID.organizationalUnitName, 'Unit')], [cn('Name')]]],
  ['same RDNs in another order', [[cn('Name')], [attr(OID.organizationalUnitName, 'Unit')], [o('Example, Inc.')], [attr(OID.countryName, 'US', S.PrintableString)]]],
  ['domain components', [[attr(OID.domainComponent, 'Example', S.IA5String)], [attr(OID.domainComponent, 'COM', S.IA5String)]]],
  ['a value over 127 bytes', [[cn('x'.repeat(200))]]],
  ['a name over 255 bytes', [[cn('y'.repeat(120))], [o('z'.repeat(120))], [attr(OID.organizationalUnitName, 'w'.repeat(60))]]],
  ['a value shrinking below 128 bytes', [[cn(`a${' '.repeat(130)}b`)]]],
];

/** Subjects OpenSSL refuses to load: its canonical form cannot be made. */
const UNLOADABLE: [string, Attribute[][]][] = [
  ['invalid UTF-8', [[raw(OID.commonName, S.UTF8String, '61ff62')]]],
  ['overlong UTF-8', [[raw(OID.commonName, S.UTF8String, 'c0af')]]],
  ['UTF-8 surrogate', [[raw(OID.commonName, S.UTF8String, 'eda080')]]],
  ['odd-length BMPString', [[raw(OID.commonName, S.BMPString, '006100')]]],
  ['BMPString surrogate', [[raw(OID.commonName, S.BMPString, 'd83dde00')]]],
  ['UniversalString beyond U+10FFFF', [[raw(OID.commonName, S.UniversalString, '00110000')]]],
  ['UniversalString of 5 bytes', [[raw(OID.commonName, S.UniversalString, '0000006100')]]],
];

describe('subjectNameHash agrees with X509_subject_name_hash', () => {
  const certificates = [...NAMES, ...UNLOADABLE].map(([, rdns]) => makeCertificate({ subject: rdns }));
  const hashes = askOracle(certificates.map((der) => ({ op: 'nameHash', der }))) as (string | null)[];

  it.each(NAMES.map(([title], i) => [title, hashes[i]] as const))('%s: %s', (title, expected) => {
    const der = certificates[NAMES.findIndex(([t]) => t === title)] as Uint8Array;
    expect(subjectNameHash(parseCertificate(der).subject, nobleProvider)).toBe(expected);
  });

  it.each(UNLOADABLE.map(([title], i) => [title, hashes[NAMES.length + i]] as const))(
    '%s: OpenSSL refuses the certificate (%s), and so do we',
    (title, expected) => {
      expect(expected).toBeNull();
      const der = certificates[NAMES.length + UNLOADABLE.findIndex(([t]) => t === title)] as Uint8Array;
      // Either the DER decoder already refuses the string or the canonical form cannot be made.
      let error: unknown;
      try {
        subjectNameHash(parseCertificate(der).subject, nobleProvider);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(X509ParseError);
      expect((error as X509ParseError).cause).toBe('BadCertificate');
    },
  );

  it('tells names apart and together as OpenSSL does', () => {
    const distinct = new Set(hashes.slice(0, NAMES.length));
    // Case, spacing, string type and RDN attribute order collapse; the rest stays apart.
    expect(distinct.size).toBeGreaterThan(15);
    expect(distinct.size).toBeLessThan(NAMES.length);
  });
});

describe('canonicalNameEncoding', () => {
  it('is empty for an empty name, as OpenSSL hashes it', () => {
    const subject = parseCertificate(makeCertificate({ subject: [] })).subject;
    expect(canonicalNameEncoding(subject)).toEqual(new Uint8Array());
  });

  it('is one SET per RDN, UTF8String values folded, without the outer SEQUENCE', () => {
    const subject = parseCertificate(makeCertificate({ subject: [[cn('  A  B ', S.PrintableString)]] })).subject;
    // SET { SEQUENCE { OID 2.5.4.3, UTF8String "a b" } }, written out from X.690 by hand.
    expect(canonicalNameEncoding(subject)).toEqual(fromHex('310c300a06035504030c03612062'));
  });
});

describe('openssl x509 -hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puretls-hash-'));
  const openssl = (...args: string[]): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf-8' });
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem');
  const subjects = [
    '/CN=www.example.com',
    '/C=US/ST=California/L=San Francisco/O=Example, Inc./OU=Web/CN=www.example.com',
    '/CN=Mixed   Case  NAME/O=Org',
    '/CN=a+O=b+OU=c',
    '/CN=Bücher Straße/O=Ünïcödé',
    '/DC=com/DC=example/CN=host',
    '/emailAddress=Admin@Example.COM/CN=x',
  ];

  it.each(subjects.map((subject, i) => [subject, i] as const))('%s', (subject, i) => {
    openssl('req', '-x509', '-key', 'key.pem', '-utf8', '-subj', subject, '-days', '1', '-out', `c${i}.pem`);
    const expected = openssl('x509', '-noout', '-hash', '-in', `c${i}.pem`).trim();
    const [der] = pemCertificates(readFileSync(join(dir, `c${i}.pem`), 'utf-8'));
    expect(subjectNameHash(parseCertificate(der ?? new Uint8Array()).subject, nobleProvider)).toBe(expected);
  });

  afterAll(() => rmSync(dir, { recursive: true }));
});
