/**
 * IP address parsing against OpenSSL's `a2i_IPADDRESS` (the function CPython
 * uses to decide that `server_hostname` is an address), and formatting against
 * CPython's `getpeercert()`.
 */
import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress } from '../../src/x509/ip-address.ts';
import { fromHex, toHex } from '../../src/wire/bytes.ts';
import { askOracle, generalName, makeCertificate } from './openssl-oracle.ts';

const SAME_AS_OPENSSL_30 = [
  // IPv4
  '1.2.3.4',
  '0.0.0.0',
  '255.255.255.255',
  '10.0.0.1',
  '192.168.100.200',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.',
  '.1.2.3',
  '1..2.3',
  '256.1.1.1',
  '1.2.3.256',
  '1000.1.1.1',
  '0x1.2.3.4',
  '1.2.3.a',
  'a.b.c.d',
  '1.2.3.4.example.test',
  '',
  'localhost',
  'example.com',
  '-1.2.3.4',
  // IPv6, RFC 4291 §2.2 forms
  '::',
  '::1',
  '0:0:0:0:0:0:0:1',
  '0000:0000:0000:0000:0000:0000:0000:0001',
  '1:2:3:4:5:6:7:8',
  'FFFF:ffff:FfFf:0:0:0:0:1',
  '2001:db8::1',
  '2001:DB8::1',
  '2001:db8:0:0:1::1',
  '1::',
  '1:2:3:4:5:6:7::',
  '::1:2:3:4:5:6:7',
  '1::8',
  '::ffff:1.2.3.4',
  '::FFFF:1.2.3.4',
  '::1.2.3.4',
  '1::1.2.3.4',
  '1:2:3:4:5:6:1.2.3.4',
  '1:2:3:4:5:6:7:1.2.3.4',
  '1.2.3.4::',
  '::1.2.3.4:1',
  '::ffff:1.2.3',
  '::ffff:256.1.1.1',
  '0001::',
  '00001::',
  '12345::',
  '1:2:3:4:5:6:7:8:9',
  '1:2:3:4:5:6:7',
  '1:2:3:4:5:6:7:8::',
  '::1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7::8',
  ':::',
  '1:::2',
  '1::2::3',
  '::1::',
  ':1::',
  '::1:',
  '1::2:',
  ':1:2:3:4:5:6:7',
  '1:2:3:4:5:6:7:',
  '::g',
  'fe80::1%eth0',
  'fe80::1%1',
  '[::1]',
  '1.2.3.4:443',
  ' ::1',
  '::1 ',
  ':: 1',
  '::+1',
  'a:b',
  // OpenSSL's splitter reads a lone colon as `::`.
  ':',
];

/** Inputs OpenSSL 3.0's `sscanf` parser accepted and OpenSSL 3.4 (openssl/openssl#24438) and we refuse. */
const LENIENT_IN_OPENSSL_30 = [
  '01.2.3.4',
  '010.2.3.4',
  '1.2.3.04',
  '00.0.0.0',
  ' 1.2.3.4',
  '1.2.3.4 ',
  '1.2.3.4\t',
  '1.2.3.4 x',
  '1. 2.3.4',
  '+1.2.3.4',
  '1.2.3.+4',
  '-0.1.1.1',
  '::01.2.3.4',
  '::1.2.3.4 ',
  '4294967297.1.1.1',
];

describe('parseIpAddress', () => {
  const openssl = askOracle(
    [...SAME_AS_OPENSSL_30, ...LENIENT_IN_OPENSSL_30].map((text) => ({ op: 'a2i', text })),
  ) as (string | null)[];

  it.each(SAME_AS_OPENSSL_30.map((text, i) => [text, openssl[i] ?? null] as const))(
    'reads %j as a2i_IPADDRESS does (%s)',
    (text, expected) => {
      const ours = parseIpAddress(text);
      expect(ours === null ? null : toHex(ours)).toBe(expected);
    },
  );

  it.each(LENIENT_IN_OPENSSL_30.map((text, i) => [text, openssl[SAME_AS_OPENSSL_30.length + i] ?? null] as const))(
    'refuses %j, which OpenSSL 3.0 read as %s',
    (text, openssl30) => {
      expect(openssl30).not.toBeNull();
      expect(parseIpAddress(text)).toBeNull();
    },
  );

  it('has both answers in the table', () => {
    const answered = openssl.slice(0, SAME_AS_OPENSSL_30.length);
    expect(answered.filter((a) => a === null).length).toBeGreaterThan(20);
    expect(answered.filter((a) => a !== null).length).toBeGreaterThan(20);
  });

  it('returns 4 bytes for IPv4 and 16 for IPv6', () => {
    expect(parseIpAddress('192.0.2.1')).toEqual(Uint8Array.of(192, 0, 2, 1));
    expect(parseIpAddress('2001:db8::ff00:42:8329')).toEqual(fromHex('20010db8000000000000ff0000428329'));
  });
});

describe('formatIpAddress', () => {
  const addresses = [
    '01020304',
    'ffffffff',
    '00000000',
    '00000000000000000000000000000001',
    '00000000000000000000000000000000',
    '20010db8000000000000ff0000428329',
    '00000000000000000000ffff01020304',
    'fe800000000000000000000000000001',
    'abcdef0123456789abcdef0123456789',
    '0102030405',
    '',
    '01020304ffffff00',
  ];
  // CPython's getpeercert() of a certificate holding each address as an iPAddress name.
  const der = makeCertificate({ san: addresses.map((hex) => generalName.ip(fromHex(hex))) });
  const decoded = askOracle([{ op: 'decodeCert', der }])[0] as { subjectAltName: [string, string][] };

  it.each(addresses.map((hex, i) => [hex, decoded.subjectAltName[i]?.[1]] as const))(
    'prints %j as getpeercert() does (%s)',
    (hex, expected) => {
      expect(decoded.subjectAltName[0]?.[0]).toBe('IP Address');
      expect(formatIpAddress(fromHex(hex))).toBe(expected);
    },
  );

  it('round-trips through parseIpAddress', () => {
    for (const hex of addresses.filter((h) => h.length === 8 || h.length === 32)) {
      expect(toHex(parseIpAddress(formatIpAddress(fromHex(hex))) ?? new Uint8Array())).toBe(hex);
    }
  });
});
