/**
 * The certificate builder (`buildCertificate`) and `make_test_ca` /
 * `make_certificate` on it: for each key type the chains are accepted by
 * `openssl verify -x509_strict` and by our `verify_chain` with
 * VERIFY_X509_STRICT, `openssl x509 -text` shows the fields that were asked
 * for, and a spec no valid certificate can come from is refused by name.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CertificateAndKey, type KeyType, VERIFY_X509_STRICT, VERIFY_X509_TRUSTED_FIRST, ValueError, make_certificate, make_test_ca, verify_chain } from '../../src/api/x509.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { type CertificateSpec, CertificateSpecError, buildCertificate } from '../../src/x509/certificate-builder.ts';
import { certificateToPem } from '../../src/x509/pem.ts';

const dir = mkdtempSync(join(tmpdir(), 'puretls-builder-'));
let files = 0;
const file = (pem: string) => {
  const path = join(dir, `${files++}.pem`);
  writeFileSync(path, pem);
  return path;
};

function opensslVerify(args: readonly string[]) {
  const run = spawnSync('openssl', ['verify', '-x509_strict', ...args], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

/** What `run` throws (undefined if it returns). */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const opensslText = (pem: string): string => execFileSync('openssl', ['x509', '-noout', '-text', '-in', file(pem)], { encoding: 'utf8' });

/** What `openssl x509 -text` calls each key type's public key and signature. */
const OPENSSL_NAMES: Record<KeyType, { publicKey: RegExp; signature: string }> = {
  ec: { publicKey: /Public Key Algorithm: id-ecPublicKey\n\s+Public-Key: \(256 bit\)[\s\S]*NIST CURVE: P-256/, signature: 'ecdsa-with-SHA256' },
  ed25519: { publicKey: /Public Key Algorithm: ED25519/, signature: 'ED25519' },
  rsa: { publicKey: /Public Key Algorithm: rsaEncryption\n\s+Public-Key: \(2048 bit\)/, signature: 'sha256WithRSAEncryption' },
};

// 2030-01-01 and 2030-03-01 00:00:00 UTC: fixed, so the texts can be compared; verification uses -attime inside them.
const NOT_BEFORE = 1893456000;
const NOT_AFTER = 1898553600;
const INSIDE = NOT_BEFORE + 86400;

describe.each(['ec', 'ed25519', 'rsa'] as const)('make_test_ca / make_certificate with %s keys', (keyType) => {
  const validity = { key_type: keyType, not_before: NOT_BEFORE, not_after: NOT_AFTER };
  const ca = make_test_ca({ ...validity, organization: 'builder tests' });
  const intermediate = make_certificate(ca, [], { ...validity, ca: true, common_name: 'builder intermediate' });
  const leaf = make_certificate(intermediate, ['www.example.test', '192.0.2.7', '2001:db8::1'], validity);
  const [caFile, intermediateFile, leafFile] = [ca, intermediate, leaf].map((c: CertificateAndKey) => file(c.cert_pem));

  it('openssl verify -x509_strict accepts the chain for a TLS server, a client and the name', () => {
    for (const purpose of ['sslserver', 'sslclient']) {
      const run = opensslVerify(['-attime', String(INSIDE), '-purpose', purpose, '-verify_hostname', 'www.example.test', '-CAfile', caFile!, '-untrusted', intermediateFile!, leafFile!]);
      expect(run, purpose).toEqual({ status: 0, output: `${leafFile}: OK\n` });
    }
    const wrongName = opensslVerify(['-attime', String(INSIDE), '-verify_hostname', 'other.example.test', '-CAfile', caFile!, '-untrusted', intermediateFile!, leafFile!]);
    expect(wrongName.output).toMatch(/error 62 at 0 depth lookup: hostname mismatch/);
  });

  it('verify_chain with VERIFY_X509_STRICT accepts it for the DNS name and both IP addresses', () => {
    const options = { trusted: ca.cert_pem, intermediates: intermediate.cert_pem, time: INSIDE, flags: VERIFY_X509_STRICT | VERIFY_X509_TRUSTED_FIRST };
    for (const hostname of ['www.example.test', '192.0.2.7', '2001:db8::1']) {
      const chain = verify_chain(leaf.cert_pem, { ...options, hostname });
      expect(chain.map(certificateToPem), hostname).toEqual([leaf.cert_pem, intermediate.cert_pem, ca.cert_pem]);
    }
    expect(() => verify_chain(leaf.cert_pem, { ...options, time: NOT_AFTER + 1 })).toThrow(expect.objectContaining({ verify_code: 10, verify_message: 'certificate has expired' }));
  });

  it('openssl x509 -text shows the SAN, validity, key, signature and the end-entity extensions', () => {
    const text = opensslText(leaf.cert_pem);
    expect(text).toMatch(/Version: 3 \(0x2\)/);
    expect(text).toMatch(/Issuer: CN = builder intermediate\n/);
    expect(text).toMatch(/Subject: CN = www\.example\.test\n/);
    expect(text).toMatch(/Not Before: Jan {2}1 00:00:00 2030 GMT\n\s+Not After : Mar {2}1 00:00:00 2030 GMT\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:www\.example\.test, IP Address:192\.0\.2\.7, IP Address:2001:DB8:0:0:0:0:0:1\n/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:FALSE\n/);
    expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Server Authentication, TLS Web Client Authentication\n/);
    expect(text).toMatch(/X509v3 Subject Key Identifier: \n/);
    expect(text).toMatch(/X509v3 Authority Key Identifier: \n/);
    expect(text).toMatch(OPENSSL_NAMES[keyType].publicKey);
    expect(text).toContain(`Signature Algorithm: ${OPENSSL_NAMES[keyType].signature}`);
  });

  it('the CAs are CAs: basicConstraints CA:TRUE, keyCertSign and cRLSign, no extKeyUsage, the root self-signed', () => {
    const root = opensslText(ca.cert_pem);
    expect(root).toMatch(/Issuer: O = builder tests, CN = puretls test CA\n[\s\S]*Subject: O = builder tests, CN = puretls test CA\n/);
    // RFC 5280 §4.2.1.1: a self-signed certificate may leave out its authority key identifier.
    expect(root).not.toContain('Authority Key Identifier');
    for (const text of [root, opensslText(intermediate.cert_pem)]) {
      expect(text).toMatch(/X509v3 Basic Constraints: critical\n\s+CA:TRUE\n/);
      expect(text).toMatch(/X509v3 Key Usage: critical\n\s+Certificate Sign, CRL Sign\n/);
      expect(text).not.toContain('Extended Key Usage');
      expect(text).not.toContain('Subject Alternative Name');
    }
  });
});

describe('buildCertificate', () => {
  const caKey = nobleProvider.generateKey({ type: 'ec', curve: 'P-256' });
  const root: CertificateSpec = { subject: [['C', 'NZ'], ['O', 'puretls'], ['CN', 'builder root']], key: caKey, issuer: null, notBefore: NOT_BEFORE, notAfter: NOT_AFTER, ca: true };
  const built = buildCertificate(nobleProvider, root);
  const leafSpec: CertificateSpec = {
    subject: [['CN', 'client']],
    key: nobleProvider.generateKey({ type: 'ed25519' }),
    issuer: built.asIssuer,
    notBefore: NOT_BEFORE,
    notAfter: 2524608000, // 2050-01-01: RFC 5280 §4.1.2.5 wants GeneralizedTime from 2050 on
    ca: false,
    purposes: ['clientAuth'],
    serialNumber: Uint8Array.of(0x80, 0x01),
    hash: 'sha384',
  };

  it('writes the serial number, the name attributes in order, the requested purposes and both time encodings', () => {
    const pem = certificateToPem(buildCertificate(nobleProvider, leafSpec).der);
    const text = opensslText(pem);
    // A serial with its top bit set gets a leading zero octet to stay positive (X.690 §8.3).
    expect(text).toMatch(/Serial Number:\s+(?:32769 \(0x8001\)|00:80:01)\n/);
    expect(text).toMatch(/Issuer: C = NZ, O = puretls, CN = builder root\n/);
    expect(text).toMatch(/Not After : Jan {2}1 00:00:00 2050 GMT\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage: \n\s+TLS Web Client Authentication\n/);
    expect(text).not.toContain('Subject Alternative Name');
    const asn1 = execFileSync('openssl', ['asn1parse', '-in', file(pem)], { encoding: 'utf8' });
    expect(asn1).toMatch(/UTCTIME +:300101000000Z\n[^\n]*GENERALIZEDTIME +:20500101000000Z\n/);
    // The root signs with ECDSA over SHA-384, as asked.
    expect(text).toContain('Signature Algorithm: ecdsa-with-SHA384');
    const rootFile = file(certificateToPem(built.der));
    expect(opensslVerify(['-attime', String(INSIDE), '-purpose', 'sslclient', '-CAfile', rootFile, file(pem)]).status).toBe(0);
    // Client-only: not a server certificate (OpenSSL's code 26, ours alike).
    expect(opensslVerify(['-attime', String(INSIDE), '-purpose', 'sslserver', '-CAfile', rootFile, file(pem)]).output).toMatch(/error 26 at 0 depth lookup: unsuitable certificate purpose/);
    expect(() => verify_chain(pem, { trusted: certificateToPem(built.der), time: INSIDE, flags: VERIFY_X509_STRICT })).toThrow(expect.objectContaining({ verify_code: 26 }));
  });

  const refused: [string, Partial<CertificateSpec>, string][] = [
    ['an empty validity', { notAfter: NOT_BEFORE }, 'Validity: notAfter must be later than notBefore'],
    ['no subject', { subject: [] }, 'Name: a certificate needs a subject'],
    ['an unknown attribute', { subject: [['emailAddress', 'a@b']] }, 'Name: unknown attribute emailAddress (use one of CN, C, L, ST, O, OU)'],
    ['a bad country', { subject: [['C', 'nz']] }, 'Name: countryName must be two capital letters, not "nz"'],
    ['an IP address that is not one', { ipAddresses: ['192.0.2.300'] }, 'subjectAltName: "192.0.2.300" is not an IP address'],
    ...['bücher.example', 'a b.example', 'trailing.example.', 'a..example', '-lead.example', 'trail-.example', 'a.*.example', '*', `${'a'.repeat(64)}.example`].map(
      (name): [string, Partial<CertificateSpec>, string] => [`the DNS name ${JSON.stringify(name)}`, { dnsNames: [name] }, `subjectAltName: ${JSON.stringify(name)} is not a DNS name (letters, digits and hyphens in dot-separated labels; an IDN as its xn-- A-label)`],
    ),
    ['an empty serial number', { serialNumber: new Uint8Array(0) }, 'serialNumber: must be a positive number of at most 20 octets'],
    ['a zero serial number', { serialNumber: Uint8Array.of(0) }, 'serialNumber: must be a positive number of at most 20 octets'],
    ['a serial number of 21 octets', { serialNumber: new Uint8Array(21).fill(1) }, 'serialNumber: must be a positive number of at most 20 octets'],
    ['a 20-octet serial number with the top bit set (21 octets encoded)', { serialNumber: new Uint8Array(20).fill(0x80) }, 'serialNumber: must be a positive number of at most 20 octets'],
    ['a serial number with a redundant zero', { serialNumber: Uint8Array.of(0, 1) }, 'serialNumber: has redundant leading zero octets'],
    ['SHA-1', { hash: 'sha1' }, 'signatureAlgorithm: SHA-1 signatures are refused at security level 1 and above'],
  ];
  for (const [what, change, message] of refused) {
    it(`refuses ${what} with CertificateSpecError naming the field`, () => {
      const error = thrown(() => buildCertificate(nobleProvider, { ...leafSpec, ...change }));
      expect(error).toBeInstanceOf(CertificateSpecError);
      expect(error).toMatchObject({ name: 'CertificateSpecError', message });
    });
  }

  it('accepts a leftmost wildcard and labels that start with a digit (RFC 1123 §2.1)', () => {
    const text = opensslText(certificateToPem(buildCertificate(nobleProvider, { ...leafSpec, dnsNames: ['*.example.com', '3com.example', 'xn--bcher-kva.example'] }).der));
    expect(text).toMatch(/DNS:\*\.example\.com, DNS:3com\.example, DNS:xn--bcher-kva\.example\n/);
  });

  it('a serial number of exactly 20 octets is accepted', () => {
    const serial = new Uint8Array(20).fill(0x7f);
    expect(opensslText(certificateToPem(buildCertificate(nobleProvider, { ...leafSpec, serialNumber: serial }).der))).toContain(`Serial Number:\n            ${Array(20).fill('7f').join(':')}\n`);
  });
});

describe('make_certificate with an internationalized name', () => {
  it('writes the A-label, as CPython encodes server_hostname (the idna codec), in the SAN and the CN', () => {
    const ca = make_test_ca();
    const leaf = make_certificate(ca, ['Bücher.example']);
    const python = execFileSync('python3', ['-c', "print('Bücher.example'.encode('idna').decode())"], { encoding: 'utf8' }).trim();
    expect(python).toBe('xn--bcher-kva.example');
    const text = opensslText(leaf.cert_pem);
    expect(text).toMatch(/Subject: CN = xn--bcher-kva\.example\n/);
    expect(text).toMatch(/X509v3 Subject Alternative Name: \n\s+DNS:xn--bcher-kva\.example\n/);
    expect(verify_chain(leaf.cert_pem, { trusted: ca.cert_pem, hostname: python })).toHaveLength(2);
  });
});

describe('make_certificate refusals are ValueError (what CPython raises for bad arguments)', () => {
  const ca = make_test_ca();
  it.each([
    ['no host name and no common name', () => make_certificate(ca, []), 'a certificate needs a host name or a common_name'],
    ['an empty validity', () => make_certificate(ca, ['a.example'], { not_before: NOT_AFTER, not_after: NOT_BEFORE }), 'Validity: notAfter must be later than notBefore'],
    ['a name the idna codec refuses', () => make_certificate(ca, ['a..example']), `"a..example": encoding with 'idna' codec failed (UnicodeError: label empty or too long)`],
    ['a name that is not a DNS name', () => make_certificate(ca, ['a b.example']), 'subjectAltName: "a b.example" is not a DNS name (letters, digits and hyphens in dot-separated labels; an IDN as its xn-- A-label)'],
    ['an issuer without a certificate', () => make_certificate({ cert_pem: '', private_key_pem: ca.private_key_pem }, ['a.example']), 'the issuer has no certificate'],
  ])('%s', (_what, make, message) => {
    const error = thrown(make);
    expect(error).toBeInstanceOf(ValueError);
    expect(error).not.toBeInstanceOf(CertificateSpecError);
    expect((error as Error).message).toBe(message);
  });
});
