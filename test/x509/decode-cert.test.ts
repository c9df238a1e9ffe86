import { afterAll, describe, expect, it } from 'vitest';
import { Extensions, Time, Validity } from '@peculiar/asn1-x509';
import { concatBytes } from '../../src/wire/bytes.ts';
import { decodeCertificate } from '../../src/x509/decode-cert.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { ExtensionOid, opensslLongName } from '../../src/x509/oids.ts';
import { certificateToPem } from '../../src/x509/pem.ts';
import { bytesOf, craft, oid, rawExtension, rawName, tlv } from './certificate-craft.ts';
import { type PythonDecoded, Scratch, python, pythonDecodeCerts } from './certificate-openssl.ts';

/**
 * Every certificate here goes through CPython's `ssl._ssl._test_decode_cert`
 * (the oracle) and through `decodeCertificate`; the two must agree exactly,
 * or both must fail. Certificates come from the openssl CLI or, for what no
 * CA tool writes, from re-encoding one of those with edited fields.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const ec = scratch.key('ec:P-256');
const base = scratch.der(scratch.selfSigned(ec, '/CN=base'));
const cases: { name: string; der: Uint8Array }[] = [];
const add = (name: string, der: Uint8Array) => cases.push({ name, der });
const openssl = (name: string, subj: string, extra: readonly string[] = [], key = ec) => add(name, scratch.der(scratch.selfSigned(key, subj, extra)));
const config = (body: string) => scratch.write(`c${cases.length}.cnf`, `[req]\ndistinguished_name = dn\n[dn]\n${body}`);

// Names: many attribute types, multi-valued RDNs, string types.
openssl(
  'many attribute types',
  '/C=US/ST=CA/L=SF/O=Org+OU=Unit/CN=x/emailAddress=a@b.c/serialNumber=123/DC=example/DC=com/UID=jdoe/title=T/SN=Surname' +
    '/GN=Given/initials=I/pseudonym=P/street=S/postalCode=123/businessCategory=B/jurisdictionC=US/jurisdictionST=Ba/jurisdictionL=Lo' +
    '/organizationIdentifier=X/description=D/name=n/dnQualifier=q/generationQualifier=g',
);
openssl('three attributes in one RDN', '/CN=a+CN=b+O=c/OU=d+L=e');
openssl('UTF-8 subject', '/CN=Ünïcödé 日本/O=Straße', ['-utf8']);
openssl('BMPString subject (string_mask=default)', '/CN=Ünïcödé/O=日本/OU=plain', ['-utf8', '-config', config('string_mask = default\n')]);
openssl('RSA key', '/CN=rsa', [], scratch.key('rsa:1024'));
openssl('Ed25519 key', '/CN=ed', [], scratch.key('ed25519'));
openssl('notAfter after 2050', '/CN=long', ['-days', '20000']);

// A CA and a leaf it issued: issuer differs from subject.
{
  const caPem = scratch.selfSigned(ec, '/O=Issuer CA/CN=ca');
  const leafKey = scratch.key('ec:P-384');
  const csr = scratch.fresh('csr');
  scratch.openssl(['req', '-new', '-key', leafKey, '-subj', '/CN=leaf.example', '-out', csr]);
  const leaf = scratch.fresh('pem');
  scratch.openssl(['x509', '-req', '-in', csr, '-CA', caPem, '-CAkey', ec, '-out', leaf, '-days', '5', '-set_serial', '2']);
  add('v1 leaf issued by a CA', scratch.der(leaf));
}

// Extensions Python shows.
openssl('every subjectAltName kind, AIA, CDP', '/CN=ext', [
  '-config',
  config(`[v3]
subjectAltName = otherName:1.2.3.4;UTF8:hello,RID:1.2.3.4,dirName:dir_sect,URI:http://u.example/,DNS:x.example,DNS:*.wild.example,IP:2001:db8::1,IP:192.0.2.7,IP:::1,IP:fe80::1:2:3:4,IP:::ffff:1.2.3.4,email:me@example.com
authorityInfoAccess = OCSP;URI:http://ocsp.example,caIssuers;URI:http://ca.example/ca.crt,OCSP;URI:http://ocsp2.example,caIssuers;DNS:not-a-uri.example
crlDistributionPoints = URI:http://crl.example/a.crl,DNS:skip.example,URI:ldap://crl.example/b
basicConstraints = critical,CA:TRUE
[dir_sect]
C = DE
O = Dir Org
CN = dir name
`),
  '-extensions',
  'v3',
]);
openssl('the otherName types OpenSSL prints, RIDs with names', '/CN=o', [
  '-config',
  config(`[v3]
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:user@dom,otherName:1.3.6.1.5.5.7.8.7;IA5:_http.example,otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp@x,otherName:1.3.6.1.4.1.311.20.2.3;IA5:ia5upn,otherName:1.3.6.1.5.5.7.8.9;UTF8:smtp@x,otherName:1.3.6.1.5.5.7.8.8;UTF8:realm,otherName:1.3.6.1.5.5.7.8.7;UTF8:wrongtype,RID:2.5.4.3,RID:0.9.2342.19200300.100.1.25
`),
  '-extensions',
  'v3',
]);

// Serial numbers: lengths, leading zero octets, odd digit counts, negatives, the 35-byte line break.
for (const serial of ['0', '1', '0x7f', '0x80', '0xff', '0x0fff', '0xff00', '0x123', `0x${'ab'.repeat(20)}`, `0x${'7f'.repeat(35)}`, `0x${'8e'.repeat(36)}`, '-5', '-128', '-129', `-0x${'c1'.repeat(40)}`]) {
  openssl(`serial ${serial.slice(0, 12)}`, '/CN=serial', ['-set_serial', serial]);
}

// Validity outside 2000-2049, GeneralizedTime before 2050, single-digit days.
const validity = (name: string, notBefore: Time, notAfter: Time) =>
  add(
    name,
    craft(base, (c) => {
      c.tbsCertificate.validity = new Validity();
      c.tbsCertificate.validity.notBefore = notBefore;
      c.tbsCertificate.validity.notAfter = notAfter;
    }),
  );
validity('UTCTime 1950 to 2049', new Time({ utcTime: new Date(Date.UTC(1950, 0, 1)) }), new Time({ utcTime: new Date(Date.UTC(2049, 11, 31, 23, 59, 59)) }));
validity('1999 to 2060', new Time({ utcTime: new Date(Date.UTC(1999, 5, 1, 12)) }), new Time({ generalTime: new Date(Date.UTC(2060, 1, 29, 1, 2, 3)) }));
validity('GeneralizedTime in 2024, day 1', new Time({ generalTime: new Date(Date.UTC(2024, 5, 1, 12)) }), new Time({ generalTime: new Date(Date.UTC(2024, 6, 9, 9, 9, 9)) }));
validity('year 1000 and 9999', new Time({ generalTime: new Date(Date.UTC(1000, 0, 1)) }), new Time({ generalTime: new Date(Date.UTC(9999, 11, 31)) }));

// Names with every string type, written byte by byte.
const named = (name: string, rdns: Parameters<typeof rawName>[0]) =>
  add(
    name,
    craft(base, (c) => {
      c.tbsCertificate.subject = rawName(rdns);
    }),
  );
const utf16 = (s: string) => Uint8Array.from([...s].flatMap((ch) => [ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff]));
named('string types', [
  [['2.5.4.3', tlv(0x1e, utf16('BMP ✓'))]],
  [['2.5.4.10', tlv(0x1c, [0, 0, 0, 0x41, 0, 0x01, 0xf6, 0x00])]],
  [['2.5.4.11', tlv(0x14, [0x54, 0x36, 0x31, 0xe9, 0xff])]],
  [['2.5.4.7', tlv(0x16, bytesOf('ia5'))]],
  [['2.5.4.17', tlv(0x12, bytesOf('12 34'))]],
  [['2.5.4.6', tlv(0x13, bytesOf('DE'))]],
  [['1.2.3.4', tlv(0x0c, bytesOf('unknown oid'))]],
  [['1.2.840.113549.1.9.1', tlv(0x16, bytesOf('e@x.example'))]],
  [['2.5.4.3', tlv(0x0c, bytesOf('nul\u0000inside'))]],
]);
named('invalid UTF8String', [[['2.5.4.3', tlv(0x0c, [0x61, 0xff])]]]);
{
  // asn1js cannot even build an odd-length BMPString: write an OCTET STRING and retag it.
  const der = craft(base, (c) => {
    c.tbsCertificate.subject = rawName([[['2.5.4.3', tlv(0x04, [0xee, 0x41, 0xee])]]]);
  });
  const at = Buffer.from(der).indexOf(Buffer.from([0x04, 0x03, 0xee, 0x41, 0xee]));
  der[at] = 0x1e;
  add('BMPString of odd length', der);
}
named('BMPString with a surrogate pair', [[['2.5.4.3', tlv(0x1e, [0xd8, 0x3d, 0xde, 0x00])]]]);
named('UniversalString beyond U+10FFFF', [[['2.5.4.3', tlv(0x1c, [0, 0x11, 0, 0])]]]);
named('VisibleString', [[['2.5.4.3', tlv(0x1a, bytesOf('visible'))]]]);
named('a SEQUENCE as a value', [[['2.5.4.3', tlv(0x30, tlv(0x02, [1]))]]]);

// subjectAltName bytes no CA tool writes.
const withSan = (name: string, generalNames: Uint8Array) =>
  add(
    name,
    craft(base, (c) => {
      c.tbsCertificate.extensions = new Extensions([rawExtension(ExtensionOid.subjectAltName, generalNames)]);
    }),
  );
withSan('UTF-8 in a dNSName', tlv(0x30, tlv(0x82, bytesOf('bücher.example'))));
withSan('non-UTF-8 in a dNSName', tlv(0x30, tlv(0x82, [0x61, 0xff])));
withSan('IP addresses of 5 and 8 bytes', tlv(0x30, tlv(0x87, [1, 2, 3, 4, 5]), tlv(0x87, [10, 0, 0, 0, 255, 0, 0, 0])));
withSan('x400Address and ediPartyName', tlv(0x30, tlv(0xa3, tlv(0x30, [])), tlv(0xa5, tlv(0xa1, tlv(0x0c, bytesOf('p'))))));
withSan('a malformed subjectAltName', tlv(0x30, tlv(0x82, bytesOf('ok.example')), [0x82, 0x05, 0x61]));
withSan('a NUL and a newline in a dNSName', tlv(0x30, tlv(0x82, bytesOf('a\u0000b\nc'))));
withSan('UPN with a NUL and a newline', tlv(0x30, tlv(0xa0, oid('1.3.6.1.4.1.311.20.2.3'), tlv(0xa0, tlv(0x0c, bytesOf('u\nv\u0000w'))))));

const results = pythonDecodeCerts(
  cases.map(({ der }, i) => scratch.write(`case${i}.pem`, certificateToPem(der))),
);

describe('decodeCertificate agrees with CPython 3.11 _test_decode_cert', () => {
  it('has an oracle answer for every case', () => {
    expect(results).toHaveLength(cases.length);
  });

  cases.forEach(({ name, der }, i) => {
    const oracle = results[i] as PythonDecoded;
    if ('ok' in oracle) {
      it(name, () => {
        expect(JSON.parse(JSON.stringify(decodeCertificate(der)))).toEqual(oracle.ok);
      });
    } else {
      it(`${name}: CPython raises (${oracle.error.slice(0, 60)}), so do we`, () => {
        expect(() => decodeCertificate(der)).toThrow(X509ParseError);
      });
    }
  });

  it('the spread exercises both outcomes and every optional key', () => {
    const ok = results.flatMap((r) => ('ok' in r ? [r.ok as Record<string, unknown>] : []));
    expect(ok.length).toBeGreaterThan(30);
    expect(results.length - ok.length).toBeGreaterThan(3);
    for (const key of ['subjectAltName', 'OCSP', 'caIssuers', 'crlDistributionPoints']) {
      expect(ok.some((d) => key in d), key).toBe(true);
    }
    expect(ok.some((d) => d['version'] === 1)).toBe(true);
  });
});

describe('where we are stricter than OpenSSL', () => {
  it('a repeated extension is an error here; OpenSSL ignores the extension (RFC 5280 §4.2 forbids it)', () => {
    const der = craft(base, (c) => {
      const san = rawExtension(ExtensionOid.subjectAltName, tlv(0x30, tlv(0x82, bytesOf('a.example'))));
      c.tbsCertificate.extensions = new Extensions([san, san]);
    });
    const [oracle] = pythonDecodeCerts([scratch.write('dup.pem', certificateToPem(der))]);
    expect(oracle).toHaveProperty('ok');
    expect((oracle as { ok: object }).ok).not.toHaveProperty('subjectAltName');
    expect(() => decodeCertificate(der)).toThrow(/appears twice/);
  });

  it('trailing garbage after the certificate', () => {
    expect(() => decodeCertificate(concatBytes(base, Uint8Array.of(0)))).toThrow(X509ParseError);
  });
});

describe('attribute long names', () => {
  it('are what libcrypto OBJ_obj2txt prints, for every arc under the name-attribute arcs', () => {
    const prefixes = ['2.5.4', '0.9.2342.19200300.100.1', '1.2.840.113549.1.9', '1.3.6.1.4.1.311.60.2.1'];
    const oids = prefixes.flatMap((p) => Array.from({ length: 110 }, (_, arc) => `${p}.${arc}`));
    const script = [
      'import ctypes, json, sys',
      "lib = ctypes.CDLL('libcrypto.so.3')",
      'lib.OBJ_txt2obj.restype = ctypes.c_void_p',
      'lib.OBJ_txt2obj.argtypes = [ctypes.c_char_p, ctypes.c_int]',
      'lib.OBJ_obj2txt.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]',
      'out = []',
      'for o in sys.argv[1:]:',
      '    buf = ctypes.create_string_buffer(256)',
      '    lib.OBJ_obj2txt(buf, 256, lib.OBJ_txt2obj(o.encode(), 1), 0)',
      '    out.append(buf.value.decode())',
      'print(json.dumps(out))',
    ].join('\n');
    const names = JSON.parse(python(script, oids)) as string[];
    // PKCS #9 arcs that name CMS and PKCS #12 things, never a name attribute: left out on purpose.
    const omitted = ['1.2.840.113549.1.9.14', '1.2.840.113549.1.9.15', '1.2.840.113549.1.9.16'];
    const differ = oids.filter((o, i) => opensslLongName(o) !== names[i] && !omitted.includes(o));
    expect(differ).toEqual([]);
    expect(names.filter((n) => !/^[\d.]+$/.test(n)).length).toBeGreaterThan(120);
  });
});
