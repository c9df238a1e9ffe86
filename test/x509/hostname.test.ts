/**
 * `matchHostname` against OpenSSL 3.0 itself: each test certificate is built
 * with the DER writer, and every reference is put to the libcrypto CPython uses
 * the way CPython puts it (`a2i_IPADDRESS` decides IP or DNS, then
 * `X509_check_ip`, or `X509_check_host` with CPython's flags for both settings of
 * `hostname_checks_common_name`). A few are cross-checked with the `openssl`
 * command line on certificates made by `openssl req`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CertificateNames, certificateNames, matchHostname } from '../../src/x509/hostname.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { idnaEncode } from '../../src/x509/idna.ts';
import { X509_V } from '../../src/x509/verify-codes.ts';
import { fromHex, utf8 } from '../../src/wire/bytes.ts';
import {
  OID,
  STRING_TAG,
  askOracle,
  attr,
  cpythonHostFlags,
  generalName,
  makeCertificate,
  tlv,
  type OracleQuery,
} from './openssl-oracle.ts';

/** A certificate described once, as DER for OpenSSL and as plain names for us. */
interface Case {
  readonly title: string;
  readonly der: Uint8Array;
  readonly names: CertificateNames;
}

interface NamesSpec {
  readonly dns?: readonly (string | Uint8Array)[];
  readonly ip?: readonly string[];
  readonly cn?: readonly string[];
  /** String tag of each CN, in order (UTF8String when absent). */
  readonly cnTags?: readonly number[];
  /** The CNs certificate.ts should report (default: all of `cn`). */
  readonly expectCn?: readonly string[];
  readonly otherSan?: readonly Uint8Array[];
}

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

function certCase(title: string, spec: NamesSpec): Case {
  const dns = spec.dns ?? [];
  const ips = (spec.ip ?? []).map((h) => fromHex(h));
  const cns = spec.cn ?? [];
  const hasSan = dns.length + ips.length + (spec.otherSan?.length ?? 0) > 0;
  const der = makeCertificate({
    subject: [[attr(OID.organizationName, 'Test')], ...cns.map((cn, i) => [attr(OID.commonName, cn, spec.cnTags?.[i])])],
    ...(hasSan ? { san: [...dns.map((d) => generalName.dns(d)), ...ips.map(generalName.ip), ...(spec.otherSan ?? [])] } : {}),
  });
  return {
    title,
    der,
    names: {
      // IA5String bytes as certificate.ts reads them: one character per byte.
      dnsNames: dns.map((d) => (typeof d === 'string' ? d : latin1(d))),
      ipAddresses: ips,
      commonNames: [...(spec.expectCn ?? cns)],
    },
  };
}

const CASES: readonly Case[] = [
  certCase('plain DNS name', { dns: ['example.com'] }),
  certCase('upper-case DNS name', { dns: ['EXAMPLE.COM', 'Www.Example.Com'] }),
  certCase('full-label wildcard', { dns: ['*.example.com'] }),
  certCase('upper-case wildcard', { dns: ['*.EXAMPLE.com'] }),
  certCase('wildcard over a single label', { dns: ['*.com', '*.'] }),
  certCase('partial wildcards', { dns: ['f*.example.com', '*oo.example.com', 'w*w.example.com'] }),
  certCase('wildcard not leftmost', { dns: ['www.*.example.com', 'www.example.*'] }),
  certCase('two wildcards', { dns: ['*.*.example.com'] }),
  certCase('bare star', { dns: ['*'] }),
  certCase('A-labels', { dns: ['xn--bcher-kva.example.com', '*.xn--bcher-kva.example'] }),
  certCase('wildcard inside an A-label', { dns: ['xn--*.example.com', 'xn--bcher*.example.com'] }),
  certCase('trailing dots in the certificate', { dns: ['example.com.', '*.example.net.'] }),
  certCase('bad labels after the wildcard', { dns: ['*.-example.com', '*.example-.com', '*.ex_ample.com', '*..com'] }),
  certCase('underscore and hyphen names', { dns: ['a_b.example.com', '-.example.com'] }),
  certCase('NUL inside a DNS name', { dns: [utf8('example.com\0.evil.com'), utf8('*.example.com\0')] }),
  certCase('UTF-8 bytes in a DNS name', { dns: [utf8('bücher.example.com')] }),
  certCase('IPv4-looking DNS name', { dns: ['1.2.3.4', '::1'] }),
  certCase('empty DNS name and a CN', { dns: [''], cn: ['example.com'] }),
  certCase('CN only', { cn: ['example.com'] }),
  certCase('wildcard CN only', { cn: ['*.example.com'] }),
  certCase('several CNs', { cn: ['a.example.com', 'b.example.com'] }),
  certCase('BMPString CN', { cn: ['example.com'], cnTags: [STRING_TAG.BMPString] }),
  certCase('T61String and IA5String CNs', { cn: ['a.example.com', 'example.com'], cnTags: [STRING_TAG.T61String, STRING_TAG.IA5String] }),
  // A CN that is not a string at all (here a SEQUENCE holding a UTF8String): OpenSSL cannot
  // convert it to UTF-8 and stops at it with an error, never looking at the next CN.
  certCase('non-string CN before a good one', {
    cn: ['\x0c\x0da.example.com', 'example.com'],
    cnTags: [0x30, STRING_TAG.UTF8String],
    expectCn: [],
  }),
  certCase('CN with a NUL', { cn: ['example.com\0evil.com'] }),
  certCase('DNS SAN and a different CN', { dns: ['www.example.com'], cn: ['example.com'] }),
  certCase('IP SAN and a CN', { ip: ['01020304'], cn: ['example.com'] }),
  certCase('URI and email SANs and a CN', {
    otherSan: [generalName.uri('https://example.com/'), generalName.email('a@example.com')],
    cn: ['example.com'],
  }),
  certCase('IPv6 SANs', { ip: ['00000000000000000000000000000001', '00000000000000000000ffff01020304'] }),
  certCase('IPv4 SAN with DNS SAN', { ip: ['01020304', '0a000001'], dns: ['example.com'] }),
  certCase('IP SAN of odd length', { ip: ['0102030400', '010203'] }),
  certCase('IP SAN holding a CIDR', { ip: ['01020304ffffff00'] }),
];

const REFERENCES = [
  'example.com',
  'EXAMPLE.COM',
  'Example.Com',
  'example.com.',
  'www.example.com',
  'WWW.EXAMPLE.COM',
  'www.example.com.',
  'www.example.net',
  'www.example.net.',
  'a.b.example.com',
  'a.example.com',
  'b.example.com',
  'foo.example.com',
  'f.example.com',
  'fo.example.com',
  'oo.example.com',
  'www.www.example.com',
  'wxw.example.com',
  'a-b.example.com',
  'a_b.example.com',
  '-.example.com',
  'x.com',
  'com',
  'example',
  '*',
  '*.example.com',
  'www.*.example.com',
  'www.example.foo',
  'xn--bcher-kva.example.com',
  'XN--BCHER-KVA.example.com',
  'www.xn--bcher-kva.example',
  'xn--bcher-kva.example',
  'xn--bcher.example.com',
  'xn--.example.com',
  'example.com.evil.com',
  '1.2.3.4',
  '1.2.3.5',
  '10.0.0.1',
  '1.2.3.4.',
  '1.2.3',
  '256.1.1.1',
  '::1',
  '0:0:0:0:0:0:0:1',
  '0000:0000::0001',
  '::FFFF:1.2.3.4',
  '::ffff:102:304',
  '::1.2.3.4',
  '[::1]',
  'evil.com',
];

function oracleQuery(c: Case, reference: string, checkCommonName: boolean, ip: Uint8Array | null): OracleQuery {
  return ip === null
    ? { op: 'checkHost', der: c.der, name: reference, flags: cpythonHostFlags(checkCommonName) }
    : { op: 'checkIp', der: c.der, ip };
}

describe('matchHostname agrees with OpenSSL 3.0 as CPython calls it', () => {
  // How OpenSSL 3.0 classifies each reference (these references all parse the
  // same under its lenient and our strict IPv4 rules; ip-address.test.ts has the rest).
  const a2i = askOracle(REFERENCES.map((text) => ({ op: 'a2i', text }))) as (string | null)[];
  const ipOf = (i: number): Uint8Array | null => (a2i[i] == null ? null : fromHex(a2i[i]));

  const queries: OracleQuery[] = [];
  for (const c of CASES) {
    for (const checkCommonName of [true, false]) {
      REFERENCES.forEach((ref, i) => queries.push(oracleQuery(c, ref, checkCommonName, ipOf(i))));
    }
  }
  const answers = askOracle(queries) as number[];

  CASES.forEach((c, caseIndex) => {
    it(c.title, () => {
      // The names as certificate.ts reads them from the DER OpenSSL was given.
      const names = certificateNames(parseCertificate(c.der));
      expect(names).toEqual(c.names);
      const disagreements: string[] = [];
      [true, false].forEach((checkCommonName, flagIndex) => {
        REFERENCES.forEach((ref, refIndex) => {
          const answer = answers[(caseIndex * 2 + flagIndex) * REFERENCES.length + refIndex];
          const ours = matchHostname(ref, names, { checkCommonName });
          const isIp = ipOf(refIndex) !== null;
          const expected = {
            ok: answer === 1,
            kind: isIp ? 'ip' : 'dns',
            ...(answer === 1 ? {} : { code: isIp ? X509_V.ERR_IP_ADDRESS_MISMATCH : X509_V.ERR_HOSTNAME_MISMATCH }),
          };
          const got = { ok: ours.ok, kind: ours.kind, ...(ours.ok ? {} : { code: ours.code }) };
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            disagreements.push(`${JSON.stringify(ref)} cn=${checkCommonName}: OpenSSL ${answer}, ours ${JSON.stringify(ours)}`);
          }
        });
      });
      expect(disagreements).toEqual([]);
    });
  });

  it('asks OpenSSL questions with both answers, so the table can fail', () => {
    expect(answers.filter((a) => a === 1).length).toBeGreaterThan(100);
    expect(answers.filter((a) => a === 0).length).toBeGreaterThan(100);
  });
});

describe('U-labels from the user, A-labels in the certificate', () => {
  // CPython encodes server_hostname with the idna codec before OpenSSL compares it.
  const cert = certCase('A-label names', {
    dns: ['xn--bcher-kva.example', '*.xn--mnchen-3ya.de', 'xn--strae-oqa.de', 'strasse.de', '*.example.com'],
  });
  const references = [
    'bücher.example',
    'BÜCHER.example',
    'Bücher.Example',
    'www.münchen.de',
    'WWW.MÜNCHEN.DE',
    'münchen.de',
    'straße.de',
    'xn--bcher-kva.example',
    'ümlaut.example.com',
    'www.bücher.example',
  ];
  const encoded = askOracle(references.map((text) => ({ op: 'idna', text }))) as { ok: string }[];
  const answers = askOracle(
    encoded.map(({ ok }) => ({ op: 'checkHost', der: cert.der, name: ok, flags: cpythonHostFlags(true) })),
  );

  it.each(references.map((ref, i) => [ref, encoded[i]?.ok, answers[i] === 1] as const))(
    '%j (sent as %j) matches: %s',
    (ref, asSent, expected) => {
      expect(idnaEncode(ref)).toBe(asSent);
      expect(matchHostname(idnaEncode(ref), cert.names, { checkCommonName: true }).ok).toBe(expected);
    },
  );
});

describe('matchHostname results', () => {
  const names: CertificateNames = {
    dnsNames: ['*.example.com', 'Example.COM'],
    ipAddresses: [fromHex('7f000001'), fromHex('00000000000000000000000000000001')],
    commonNames: [],
  };

  it('names the certificate entry that matched', () => {
    expect(matchHostname('www.example.com', names, { checkCommonName: true })).toEqual({
      ok: true,
      kind: 'dns',
      matchedName: '*.example.com',
    });
    expect(matchHostname('example.com', names, { checkCommonName: true })).toEqual({
      ok: true,
      kind: 'dns',
      matchedName: 'Example.COM',
    });
    expect(matchHostname('0:0::1', names, { checkCommonName: true })).toEqual({
      ok: true,
      kind: 'ip',
      matchedName: '0:0:0:0:0:0:0:1',
    });
  });

  it('reports a DNS mismatch as verify code 62 and an IP mismatch as 64', () => {
    expect(matchHostname('example.org', names, { checkCommonName: true })).toEqual({
      ok: false,
      kind: 'dns',
      code: 62,
    });
    expect(matchHostname('127.0.0.2', names, { checkCommonName: true })).toEqual({ ok: false, kind: 'ip', code: 64 });
  });

  it('matches nothing for references CPython refuses to pass on', () => {
    const permissive: CertificateNames = {
      dnsNames: ['', '.example.com', 'www.example.com', 'bücher.example', 'a\0b'],
      ipAddresses: [],
      commonNames: [],
    };
    // ValueError "server_hostname cannot be an empty string or start with a leading dot"
    // and "embedded null character" in CPython; OpenSSL would have read the dot as "any subdomain".
    for (const ref of ['', '.example.com', 'a\0b', 'www.example.com\0', 'bücher.example']) {
      expect(matchHostname(ref, permissive, { checkCommonName: true })).toEqual({ ok: false, kind: 'dns', code: 62 });
    }
  });
});

describe('cross-check with the openssl command line', () => {
  // `openssl x509 -checkhost` uses flags 0 (partial wildcards allowed, CN fallback on);
  // these names do not involve partial wildcards, so CPython's answer is the same.
  const dir = mkdtempSync(join(tmpdir(), 'puretls-hostname-'));
  const openssl = (...args: string[]): string => execFileSync('openssl', args, { cwd: dir, encoding: 'utf-8' });
  const certificates = {
    san: ['DNS:*.example.com,DNS:example.org,IP:192.0.2.1,IP:2001:db8::1', '/CN=cn.example.net'],
    cnOnly: [null, '/CN=cn.example.net'],
  } as const;
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem');
  for (const [name, [san, subject]] of Object.entries(certificates)) {
    openssl(
      ...['req', '-x509', '-key', 'key.pem', '-out', `${name}.pem`, '-subj', subject, '-days', '1'],
      ...(san === null ? [] : ['-addext', `subjectAltName=${san}`]),
    );
  }
  const namesOfFile = new Map<string, CertificateNames>();
  const pemNames = (file: string): CertificateNames => {
    const known = namesOfFile.get(file);
    if (known !== undefined) return known;
    const der = new Uint8Array(execFileSync('openssl', ['x509', '-in', file, '-outform', 'DER'], { cwd: dir }));
    const decoded = askOracle([{ op: 'decodeCert', der }])[0] as {
      subject: [string, string][][];
      subjectAltName?: [string, string][];
    };
    const san = decoded.subjectAltName ?? [];
    const names = {
      dnsNames: san.filter(([t]) => t === 'DNS').map(([, v]) => v),
      ipAddresses: san.filter(([t]) => t === 'IP Address').map(([, v]) => parseForTest(v)),
      commonNames: decoded.subject.flat().filter(([t]) => t === 'commonName').map(([, v]) => v),
    };
    namesOfFile.set(file, names);
    return names;
  };
  const checks: [keyof typeof certificates, string][] = [
    ['san', 'www.example.com'],
    ['san', 'a.b.example.com'],
    ['san', 'example.org'],
    ['san', 'cn.example.net'],
    ['san', '192.0.2.1'],
    ['san', '2001:DB8:0:0::1'],
    ['san', '192.0.2.2'],
    ['cnOnly', 'cn.example.net'],
    ['cnOnly', 'CN.EXAMPLE.NET'],
    ['cnOnly', 'other.example.net'],
  ];

  it.each(checks)('%s: %s', (cert, reference) => {
    const isIp = /^[0-9.]+$|:/.test(reference);
    const out = openssl('x509', '-noout', '-in', `${cert}.pem`, isIp ? '-checkip' : '-checkhost', reference);
    const opensslSays = !out.includes('NOT match');
    expect(out).toMatch(/does (NOT )?match certificate/);
    expect(matchHostname(reference, pemNames(`${cert}.pem`), { checkCommonName: true }).ok).toBe(opensslSays);
  });

  afterAll(() => rmSync(dir, { recursive: true }));
});

/** IP text as printed by getpeercert (always full IPv6 groups, so a simple split suffices). */
function parseForTest(text: string): Uint8Array {
  if (!text.includes(':')) return Uint8Array.from(text.split('.').map(Number));
  return Uint8Array.from(text.split(':').flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

// The DER writer must produce what OpenSSL reads, or every answer above is about nothing.
describe('test certificates', () => {
  it('are parsed by OpenSSL with the names we put in', () => {
    const der = makeCertificate({
      subject: [[attr(OID.commonName, 'cn.example')]],
      san: [generalName.dns('a.example'), generalName.ip(fromHex('01020304')), tlv(0x86, utf8('https://x/'))],
    });
    const decoded = askOracle([{ op: 'decodeCert', der }])[0];
    expect(decoded).toMatchObject({
      subject: [[['commonName', 'cn.example']]],
      subjectAltName: [
        ['DNS', 'a.example'],
        ['IP Address', '1.2.3.4'],
        ['URI', 'https://x/'],
      ],
    });
  });
});
