import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/wire/bytes.ts';
import type { X509Cause } from '../../src/x509/errors.ts';
import { PemLabel, certificateToPem, pemCertificates, pemDecode, pemDecodeOne, pemEncode } from '../../src/x509/pem.ts';
import { expectX509Error } from './certificate-expect.ts';
import { Scratch, python } from './certificate-openssl.ts';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const rejects = (text: string, cause: X509Cause, detail: RegExp) => expectX509Error(() => pemDecode(text), cause, detail);

describe('PEM against OpenSSL and Python', () => {
  const key = scratch.key('ec:P-256');
  const pem = scratch.selfSigned(key, '/CN=pem test');
  const der = scratch.der(pem);

  it('decodes what openssl writes to the DER openssl writes', () => {
    expect(toHex(pemDecodeOne(scratch.text(pem), PemLabel.CERTIFICATE))).toBe(toHex(der));
  });

  it('encodes exactly as ssl.DER_cert_to_PEM_cert does', () => {
    const expected = python('import ssl,sys; sys.stdout.write(ssl.DER_cert_to_PEM_cert(bytes.fromhex(sys.argv[1])))', [toHex(der)]);
    expect(certificateToPem(der)).toBe(expected);
  });

  it('output is read back by ssl.PEM_cert_to_DER_cert and by openssl', () => {
    const text = certificateToPem(der);
    const back = python('import ssl,sys; print(ssl.PEM_cert_to_DER_cert(sys.argv[1]).hex())', [text]).trim();
    expect(back).toBe(toHex(der));
    const viaOpenssl = scratch.openssl(['x509', '-outform', 'DER'], text);
    expect(toHex(new Uint8Array(viaOpenssl))).toBe(toHex(der));
  });

  it('finds every block, ignores text around them, filters by label', () => {
    const keyText = scratch.text(key);
    const text = `Bag Attributes\n  friendlyName: x\n${scratch.text(pem)}some words\n${keyText}\n\ntrailer\r\n${scratch.text(pem)}`;
    const all = pemDecode(text);
    expect(all.map((b) => b.label)).toEqual(['CERTIFICATE', 'PRIVATE KEY', 'CERTIFICATE']);
    expect(pemCertificates(text).map(toHex)).toEqual([toHex(der), toHex(der)]);
    expect(pemDecode(text, PemLabel.PRIVATE_KEY)).toHaveLength(1);
  });

  it('accepts CRLF line ends and lines of other widths', () => {
    const b64 = Buffer.from(der).toString('base64');
    const lines = b64.match(/.{1,76}/g)!.join('\r\n');
    expect(toHex(pemDecodeOne(`-----BEGIN CERTIFICATE-----\r\n${lines}\r\n-----END CERTIFICATE-----\r\n`, 'CERTIFICATE'))).toBe(toHex(der));
  });
});

describe('base64 inside a block', () => {
  it('round-trips every length and padding, 64 columns', () => {
    for (let n = 1; n < 200; n += 7) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      const text = pemEncode('X509 CRL', bytes);
      expect(text.split('\n').every((l) => l.length <= 64)).toBe(true);
      expect(text.includes(Buffer.from(bytes).toString('base64').slice(0, 64))).toBe(true);
      expect(toHex(pemDecodeOne(text, 'X509 CRL'))).toBe(toHex(bytes));
    }
  });

  const wrap = (body: string) => `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

  it('rejects characters outside the alphabet', () => {
    rejects(wrap('MIIB*AAA'), 'BadCertificate', /invalid base64 character/);
    rejects(wrap('MIIB-AAA'), 'BadCertificate', /invalid base64 character/);
  });

  it('rejects padding in the middle and bad lengths', () => {
    rejects(wrap('MA==MIIB'), 'BadCertificate', /invalid base64 character/);
    rejects(wrap('MIIBA'), 'BadCertificate', /multiple of 4/);
    rejects(wrap('M==='), 'BadCertificate', /invalid base64 character/);
  });

  it('rejects an empty block, a missing END and a mismatched END', () => {
    rejects('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n', 'BadCertificate', /empty block/);
    rejects('-----BEGIN CERTIFICATE-----\nMIIB\n', 'BadCertificate', /no matching END/);
    rejects('-----BEGIN CERTIFICATE-----\nMIIB\n-----END X509 CRL-----\n', 'BadCertificate', /ends with END X509 CRL/);
    rejects('-----BEGIN CERTIFICATE-----\nMIIB\n-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'BadCertificate', /no matching END/);
  });

  it('names encrypted traditional keys as unsupported', () => {
    const text = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nMIIB\n-----END RSA PRIVATE KEY-----\n';
    rejects(text, 'UnsupportedCertificate', /encrypted PEM key/);
  });

  it('pemDecodeOne says which label is missing', () => {
    expect(() => pemDecodeOne('nothing here', 'CERTIFICATE')).toThrow(/PEM CERTIFICATE: no such block/);
  });
});
