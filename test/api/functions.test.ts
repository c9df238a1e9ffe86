/**
 * The ssl module's module-level functions against Python 3.11's, call for
 * call: the same value, or the same exception class and text. Where 3.13
 * differs from 3.11 (RAND_pseudo_bytes and match_hostname are gone there) the
 * test says why we keep them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as functions from '../../src/api/functions.ts';
import { CertificateError, ValueError } from '../../src/api/exceptions.ts';
import { PURETLS_VERSION, opensslVersionInfo } from '../../src/api/version.ts';
import { pythonStrRepr } from '../../src/api/python-text.ts';
import { toHex } from '../../src/wire/bytes.ts';
import type { PeerCertName } from '../../src/x509/decode-cert.ts';
import { type Outcome, type PythonCall, ourOutcome, pythonOutcomes, pythonSslHas, runPython } from './python-ssl.ts';

type Fn = (...args: never[]) => unknown;

/** Runs every call here and in Python and returns the pairs that differ (empty when all agree). */
function disagreements(calls: readonly PythonCall[]): { call: PythonCall; ours: Outcome; python: Outcome }[] {
  const python = pythonOutcomes(calls);
  return calls.flatMap((call, i) => {
    const ours = ourOutcome((functions as unknown as Record<string, Fn>)[call.fn]!, call.args);
    return JSON.stringify(ours) === JSON.stringify(python[i]) ? [] : [{ call, ours, python: python[i]! }];
  });
}

const bytes = (data: Uint8Array) => ({ $bytes: toHex(data) });

describe('cert_time_to_seconds', () => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const accepted = [
    'Jan 5 09:34:43 2018 GMT',
    'May  9 00:00:00 2007 GMT',
    ...months.map((m, i) => `${m} ${i + 10} 12:0${i % 10}:59 ${1950 + 7 * i} GMT`),
    'JAN 01 00:00:00 1970 gmt',
    'dEC 31 23:59:59 9999 Gmt',
    'Jan 1 00:00:00 0001 GMT',
    'Jan 1 00:00:00 1969 GMT',
    'Feb 29 12:00:00 2001 GMT',
    'Feb 31 23:59:61 2018 GMT',
    'Jun 30 23:59:60 2015 GMT',
    'Jan 5 9:4:3 2018 GMT',
    'Jan  05 09:34:43 2018 GMT',
    'Jan\t5\n09:34:43\u00a02018\u3000GMT',
    'Jan 5 09:34:43 \u0662\u0660\u0661\u0668 GMT',
    'Jan 1\u0665 0\u0669:34:43 2018 GMT',
    '\u017fep 1 00:00:00 2000 GMT',
  ];
  const refused = [
    '',
    'Ja',
    'Jan',
    'January 5 09:34:43 2018 GMT',
    'Xyz 5 09:34:43 2018 GMT',
    'Jan5 09:34:43 2018 GMT',
    'Jan 32 09:34:43 2018 GMT',
    'Jan 0 09:34:43 2018 GMT',
    'Jan 5 24:00:00 2018 GMT',
    'Jan 5 09:60:00 2018 GMT',
    'Jan 5 09:34:62 2018 GMT',
    'Jan 5 09:34:43 18 GMT',
    'Jan 5 09:34:43 20180 GMT',
    'Jan 5 09:34:43 2018 UTC',
    'Jan 5 09:34:43 2018 GM',
    'Jan 5 09:34:43 2018 GMT ',
    'Jan 5 09:34:43 2018 GMTx',
    'Jan 5 09:34:43 2018 GMT\u{1f600}',
    'Jan 5 09:34:43 0000 GMT',
    "Jan 5 09:34:43 2018 GMT'x",
    'It\'s 5 09:34:43 2018 GMT',
    'Jan \u00005 09:34:43 2018 GMT',
    'Jan \u0665 09:34:43 2018 GMT',
    '\ud800an 5 09:34:43 2018 GMT',
    'Jan 5 09:34:43 2018 GMT\n\'"',
  ];

  it('agrees with Python 3.11 on every accepted and refused string', () => {
    expect(disagreements([...accepted, ...refused].map((s) => ({ fn: 'cert_time_to_seconds', args: [s] })))).toEqual([]);
  });

  it('returns integer seconds for the documented example and raises ValueError with CPython\'s text', () => {
    expect(functions.cert_time_to_seconds('Jan 5 09:34:43 2018 GMT')).toBe(1515144883);
    expect(() => functions.cert_time_to_seconds('Xyz 5 09:34:43 2018 GMT')).toThrow(ValueError);
    expect(() => functions.cert_time_to_seconds('Xyz 5 09:34:43 2018 GMT')).toThrow(`time data 'Xyz 5 09:34:43 2018 GMT' does not match format "%b %d %H:%M:%S %Y GMT"`);
  });
});

describe('DER_cert_to_PEM_cert and PEM_cert_to_DER_cert', () => {
  const der = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
  const pem = functions.DER_cert_to_PEM_cert(der(100));
  const body = pem.split('\n').slice(1, -2).join('\n');

  it('writes the same PEM text as Python for every length around the line and quantum boundaries', () => {
    const lengths = [0, 1, 2, 3, 46, 47, 48, 49, 50, 95, 96, 97, 200];
    expect(disagreements(lengths.map((n) => ({ fn: 'DER_cert_to_PEM_cert', args: [bytes(der(n))] })))).toEqual([]);
    expect(pem.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(pem.split('\n').every((line) => line.length <= 64 || line.startsWith('-----'))).toBe(true);
  });

  it('reads what Python reads and refuses what it refuses, with its messages', () => {
    const header = '-----BEGIN CERTIFICATE-----';
    const footer = '-----END CERTIFICATE-----';
    const texts = [
      pem,
      pem.replaceAll('\n', '\r\n'),
      `${pem}\n \t\u3000`,
      ` ${pem}`,
      pem.slice(0, -1).replace(footer, ''),
      `${pem}trailing text`,
      'x',
      header,
      `${header}END CERTIFICATE-----`,
      `${header}\n${body.replace('A', '!@#$ %^&*')}\n${footer}`,
      `${header}\nQU=JD\n${footer}`,
      `${header}\nQUJD=\n${footer}`,
      `${header}\nQUJDQ===\n${footer}`,
      `${header}\nQUJDQ===RA==\n${footer}`,
      `${header}\nQUI=ZZZZ\n${footer}`,
      `${header}\nQUI\n${footer}`,
      `${header}\nMIIBx\n${footer}`,
      `${header}\nQUJDR\n${footer}`,
      `${header}\nMIIé\n${footer}`,
      `${header}\nMIIéà\u{1f600}x\n${footer}`,
      `${header}\n\u0100\n${footer}`,
      `${header}\n\n${footer}`,
    ];
    expect(disagreements(texts.map((t) => ({ fn: 'PEM_cert_to_DER_cert', args: [t] })))).toEqual([]);
    expect(functions.PEM_cert_to_DER_cert(pem)).toEqual(der(100));
    expect(() => functions.PEM_cert_to_DER_cert(' x')).toThrow(new ValueError(`Invalid PEM encoding; must start with ${header}`));
  });
});

describe('RAND_*', () => {
  it('RAND_bytes returns fresh bytes of the length asked for', () => {
    expect(functions.RAND_bytes(0)).toEqual(new Uint8Array(0));
    const a = functions.RAND_bytes(70000);
    expect(a.length).toBe(70000);
    expect(a).not.toEqual(functions.RAND_bytes(70000));
    // getRandomValues fills at most 65536 bytes a call: the tail must be random too.
    expect(a.subarray(65536).some((b) => b !== 0)).toBe(true);
  });

  it('RAND_status is true and RAND_pseudo_bytes gives [bytes, true] as in Python 3.11', () => {
    expect(functions.RAND_status()).toBe(true);
    const [data, strong] = functions.RAND_pseudo_bytes(16);
    expect([data.length, strong]).toEqual([16, true]);
    const python = pythonOutcomes([{ fn: 'RAND_status', args: [] }, { fn: 'RAND_pseudo_bytes', args: [16] }]);
    expect(python[0]).toEqual({ ok: true });
    expect((python[1] as { ok: [unknown, boolean] }).ok[1]).toBe(true);
  });

  it('refuses the same arguments with the same exceptions', () => {
    const calls: PythonCall[] = [
      ...['RAND_bytes', 'RAND_pseudo_bytes'].flatMap((fn) => [-1, 1.5, 'a', null, 2 ** 31, -(2 ** 31) - 1].map((n) => ({ fn, args: [n] }))),
      { fn: 'RAND_add', args: [1, 0] },
      { fn: 'RAND_add', args: [null, 1] },
      { fn: 'RAND_add', args: ['x', 'a'] },
      { fn: 'RAND_add', args: [bytes(new Uint8Array([1])), null] },
      { fn: 'RAND_add', args: ['é', 1] },
      { fn: 'RAND_add', args: [bytes(new Uint8Array(3)), 0.5] },
    ];
    expect(disagreements(calls)).toEqual([]);
  });
});

describe('what exists, as in CPython on Linux', () => {
  it('RAND_egd, enum_certificates and enum_crls are absent, here and in Python on this platform', () => {
    const absent = ['RAND_egd', 'enum_certificates', 'enum_crls'];
    expect(pythonSslHas(absent)).toEqual({ RAND_egd: false, enum_certificates: false, enum_crls: false });
    expect(absent.filter((name) => name in functions)).toEqual([]);
  });

  it('every function here exists in Python 3.11 (RAND_pseudo_bytes and match_hostname were removed in 3.12; kept for ported code)', () => {
    const names = Object.keys(functions).filter((name) => typeof (functions as Record<string, unknown>)[name] === 'function');
    expect(Object.values(pythonSslHas(names)).every(Boolean)).toBe(true);
    expect(names).toContain('match_hostname');
  });
});

describe('OPENSSL_VERSION*', () => {
  it('names puretls with package.json\'s version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(PURETLS_VERSION).toBe(pkg.version);
    expect(functions.OPENSSL_VERSION).toBe(`puretls ${pkg.version}`);
    const [major, minor, patch] = pkg.version.split('.').map(Number);
    expect(functions.OPENSSL_VERSION_INFO).toEqual([major, minor, 0, patch, 0]);
    expect(functions._OPENSSL_API_VERSION).toEqual(functions.OPENSSL_VERSION_INFO);
  });

  it('packs the number in OpenSSL 3\'s layout, which CPython unpacks into the tuple as we do', () => {
    const python = JSON.parse(
      runPython('import json, ssl; print(json.dumps([ssl.OPENSSL_VERSION_NUMBER, ssl.OPENSSL_VERSION_INFO, ssl._OPENSSL_API_VERSION]))'),
    ) as [number, number[], number[]];
    expect(opensslVersionInfo(python[0])).toEqual(python[1]);
    expect(opensslVersionInfo(functions.OPENSSL_VERSION_NUMBER)).toEqual(functions.OPENSSL_VERSION_INFO);
    expect(functions.OPENSSL_VERSION_NUMBER).toBe(0x00100000);
    expect(python[2]).toHaveLength(5);
  });
});

describe('match_hostname (Python 3.7–3.11)', () => {
  const name = (cn: string): PeerCertName => [[['commonName', cn]]];
  const certs: unknown[] = [
    { subject: name('example.com') },
    { subject: [[['countryName', 'US']], [['commonName', 'a.example.com']], [['commonName', 'b.example.com']]] },
    { subject: [[['organizationName', 'no names']]] },
    { issuer: name('issuer only') },
    { subject: name('cn.example.com'), subjectAltName: [['DNS', 'www.example.com'], ['DNS', '*.example.org']] },
    { subjectAltName: [['DNS', 'WWW.Example.COM']] },
    { subject: name('*.example.net'), subjectAltName: [['email', 'a@example.com'], ['DirName', name('x')], ['URI', 'http://example.com']] },
    { subjectAltName: [['DNS', '*.*.example.com']] },
    { subjectAltName: [['DNS', 'w*.example.com']] },
    { subjectAltName: [['DNS', 'a.*.example.com']] },
    { subjectAltName: [['DNS', '*']] },
    { subjectAltName: [['DNS', '*.com']] },
    { subjectAltName: [['DNS', '']] },
    { subjectAltName: [['DNS', "it's.example.com"]] },
    { subject: name('cn.example.com'), subjectAltName: [['IP Address', '127.0.0.1']] },
    { subjectAltName: [['IP Address', '0:0:0:0:0:0:0:1\n'], ['IP Address', '2001:DB8:0:0:0:0:0:1'], ['IP Address', '0:0:0:0:0:FFFF:7F00:1']] },
    { subjectAltName: [['IP Address', '1:2:3:4:5:6:102:304'], ['IP Address', '0:0:0:0:0:0:0:0'], ['IP Address', '10.0.0.1']] },
    { subjectAltName: [['IP Address', '<invalid>']] },
    { subjectAltName: [['IP Address', '127.1']] },
    { subjectAltName: [['IP Address', '1.2.3.4 x'], ['DNS', 'example.com']] },
    {},
    null,
  ];
  const hostnames = [
    'example.com', 'EXAMPLE.com', 'www.example.com', 'foo.example.org', 'example.org', '.example.org', 'a.b.example.org',
    'foo.example.net', 'x.com', 'a.example.com', 'b.example.com', "it's.example.com", 'xn--bcher-kva.example.org', 'bücher.example.org', '', 'cn.example.com',
    '127.0.0.1', '127.1', '127.000.0.1', '0x7f.0.0.1', '017700000001', '1.2.3.4 junk', '1.2.3.4\tjunk', '256.0.0.1', '10.0.0.1', '0.0.0.0',
    '::1', '0:0::1', '::', '::ffff:127.0.0.1', '::FFFF:7f00:1', '2001:db8::1', '2001:0db8:0000::0001', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3.4', '::01.2.3.4', '::256.2.3.4', '1::2::3', ':1', '1:', ':::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::', '::1:2:3:4:5:6:7',
    '12345::', 'fffff::', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0', '1.2.3.4\u0000',
  ];

  it('agrees with Python 3.11 for every certificate and hostname in the table', () => {
    const calls = certs.flatMap((cert) => hostnames.map((hostname) => ({ fn: 'match_hostname', args: [cert, hostname] })));
    expect(disagreements(calls)).toEqual([]);
  });

  it('raises CertificateError with the seeds\' message and ValueError for an empty certificate', () => {
    const cert = { subject: name('example.com') };
    expect(functions.match_hostname(cert, 'example.com')).toBeUndefined();
    expect(() => functions.match_hostname(cert, 'example.org')).toThrow(CertificateError);
    expect(() => functions.match_hostname(cert, 'example.org')).toThrow("hostname 'example.org' doesn't match 'example.com'");
    expect(() => functions.match_hostname({}, 'example.org')).toThrow(ValueError);
    expect(new CertificateError('x')).toBeInstanceOf(ValueError);
  });
});

describe('repr() of str', () => {
  it('quotes and escapes as Python 3.11 does', () => {
    const samples = ['', 'plain', "it's", 'say "hi"', `both ' and "`, '\\', '\t\n\r\x0b\x7f\x80\xa0\xad', 'é\u3000\u2028\u200b\ufeff', '\u{1f600}\u{e0001}\u{10ffff}', '\ud800x\udfff', '\u0378'];
    const python = JSON.parse(runPython('import json, sys; print(json.dumps([repr(s) for s in json.load(sys.stdin)]))', JSON.stringify(samples))) as string[];
    expect(samples.map(pythonStrRepr)).toEqual(python);
  });
});

