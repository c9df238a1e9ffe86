import { afterAll, describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { decodeCertificate } from '../../src/x509/decode-cert.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { parsePrivateKey, parsePublicKeyInfo } from '../../src/x509/keys.ts';
import { pemDecode } from '../../src/x509/pem.ts';
import { Scratch } from './certificate-openssl.ts';

/**
 * Damaged input must only ever produce `X509ParseError`: no other exception
 * type (in particular none from the ASN.1 library), no hang. Inputs come from
 * a seeded PRNG, so a failure names a case that can be replayed.
 */
const scratch = new Scratch();
afterAll(() => scratch.cleanup());

/** mulberry32: small, seedable, good enough to pick bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn`; returns what it threw if that was not an X509ParseError. */
function foreignError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof X509ParseError)) return error;
  }
  return undefined;
}

/** Everything a consumer might touch on a certificate that parsed. */
function useFully(der: Uint8Array): void {
  const cert = parseCertificate(der);
  for (const read of [
    () => cert.publicKey,
    () => cert.extensions.errors(),
    () => cert.extensions.unknownCritical(),
    () => cert.extensions.subjectAltName,
    () => cert.extensions.nameConstraints,
    () => cert.extensions.crlDistributionPoints,
    () => cert.extensions.authorityInfoAccess,
    () => cert.extensions.certificatePolicies,
    () => decodeCertificate(der),
  ]) {
    const error = foreignError(read);
    if (error !== undefined) throw error;
  }
}

/** One random edit: flip bits, overwrite, insert, delete, or set a byte to a length-ish value. */
function mutate(input: Uint8Array, rnd: () => number): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * bytes.length);
    switch (Math.floor(rnd() * 5)) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << Math.floor(rnd() * 8));
        break;
      case 1:
        bytes[at] = Math.floor(rnd() * 256);
        break;
      case 2:
        bytes.splice(at, 0, Math.floor(rnd() * 256));
        break;
      case 3:
        bytes.splice(at, 1 + Math.floor(rnd() * 8));
        break;
      default:
        bytes[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][Math.floor(rnd() * 7)]!;
    }
  }
  return Uint8Array.from(bytes);
}

const config = scratch.write(
  'fuzz.cnf',
  `[req]
distinguished_name = dn
[dn]
[v3]
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:u@d,RID:1.2.3.4,dirName:dir_sect,URI:http://u.example/,DNS:x.example,IP:2001:db8::1,email:me@example.com
nameConstraints = critical,permitted;DNS:.example.com,excluded;IP:10.0.0.0/255.0.0.0
certificatePolicies = 1.2.3.4
policyConstraints = requireExplicitPolicy:3
inhibitAnyPolicy = 2
crlDistributionPoints = URI:http://crl.example/a.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example,caIssuers;URI:http://ca.example/ca.crt
extendedKeyUsage = serverAuth
keyUsage = critical,digitalSignature,keyCertSign
basicConstraints = critical,CA:TRUE,pathlen:2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always,issuer:always
[dir_sect]
CN = dir
`,
);
const ecKey = scratch.key('ec:P-256');
const cert = scratch.der(scratch.selfSigned(ecKey, '/C=DE/O=Fuzz+OU=Unit/CN=fuzz', ['-config', config, '-extensions', 'v3']));
const rsaCert = scratch.der(scratch.selfSigned(scratch.key('rsa:1024'), '/CN=rsa'));

describe('certificates', () => {
  it('the seeds parse and are fully usable', () => {
    useFully(cert);
    useFully(rsaCert);
    expect(parseCertificate(cert).extensions.errors()).toEqual([]);
  });

  it('every truncation of a certificate', () => {
    for (const der of [cert, rsaCert]) {
      for (let n = 0; n < der.length; n++) {
        const error = foreignError(() => useFully(der.subarray(0, n)));
        expect(error, `truncated to ${n}`).toBeUndefined();
        expect(() => parseCertificate(der.subarray(0, n)), `truncated to ${n}`).toThrow(X509ParseError);
      }
    }
  });

  it('4000 seeded mutations', () => {
    const rnd = prng(0x5eed);
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      const input = mutate(i % 2 ? cert : rsaCert, rnd);
      const error = foreignError(() => useFully(input));
      expect(error, `mutation ${i}`).toBeUndefined();
      if (foreignError(() => parseCertificate(input)) === undefined) {
        try {
          parseCertificate(input);
          parsed++;
        } catch {
          // rejected with X509ParseError: fine
        }
      }
    }
    // Some mutations hit signature or key bytes and still parse: the test reached deep code.
    expect(parsed).toBeGreaterThan(100);
  });

  it('2000 random byte strings, some starting like a certificate', () => {
    const rnd = prng(42);
    for (let i = 0; i < 2000; i++) {
      const length = Math.floor(rnd() * 300);
      const input = Uint8Array.from({ length }, () => Math.floor(rnd() * 256));
      if (i % 2 && length > 4) input.set([0x30, 0x82, length >> 8, (length - 4) & 0xff]);
      expect(foreignError(() => useFully(input)), `random ${i}`).toBeUndefined();
    }
  });

  it('deep nesting is refused, not recursed into', () => {
    let der = Uint8Array.of(0x05, 0x00);
    for (let i = 0; i < 400; i++) {
      const len = der.length;
      const header = len < 0x80 ? [0x30, len] : len < 0x100 ? [0x30, 0x81, len] : [0x30, 0x82, len >> 8, len & 0xff];
      der = Uint8Array.from([...header, ...der]);
    }
    expect(der.length).toBeGreaterThan(1000);
    expect(() => parseCertificate(der)).toThrow(X509ParseError);
  });
});

describe('keys and PEM', () => {
  const pkcs8 = new Uint8Array(scratch.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', ecKey, '-outform', 'DER']));
  const spki = parseCertificate(cert).spkiDer;

  it('mutated PKCS#8 and SubjectPublicKeyInfo', () => {
    const rnd = prng(7);
    for (let i = 0; i < 2000; i++) {
      expect(foreignError(() => parsePrivateKey(mutate(pkcs8, rnd))), `key ${i}`).toBeUndefined();
      expect(foreignError(() => parsePublicKeyInfo(mutate(spki, rnd))), `spki ${i}`).toBeUndefined();
    }
  });

  it('mutated PEM text', () => {
    const rnd = prng(99);
    const text = new TextEncoder().encode(scratch.text(ecKey) + scratch.text(scratch.selfSigned(ecKey, '/CN=p')));
    for (let i = 0; i < 1000; i++) {
      const damaged = new TextDecoder().decode(mutate(text, rnd));
      expect(foreignError(() => pemDecode(damaged)), `pem ${i}`).toBeUndefined();
      expect(foreignError(() => parsePrivateKey(damaged)), `pem key ${i}`).toBeUndefined();
    }
  });
});
