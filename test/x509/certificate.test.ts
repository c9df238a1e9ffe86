import { afterAll, describe, expect, it } from 'vitest';
import * as asn1js from 'asn1js';
import { OctetString } from '@peculiar/asn1-schema';
import { Extension } from '@peculiar/asn1-x509';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { bytesToBigInt } from '../../src/crypto/rsa.ts';
import { fromHex, toHex } from '../../src/wire/bytes.ts';
import { type Certificate, parseCertificate } from '../../src/x509/certificate.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { ExtensionOid } from '../../src/x509/oids.ts';
import { decodeDer } from '../../src/x509/der.ts';
import { parseTime } from '../../src/x509/time.ts';
import { craft } from './certificate-craft.ts';
import { expectX509Error } from './certificate-expect.ts';
import { Scratch } from './certificate-openssl.ts';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());


/** openssl's own reading of a certificate: serial, dates (ISO), version. */
function opensslFields(pem: string): { serial: bigint; notBefore: number; notAfter: number } {
  const out = scratch.openssl(['x509', '-in', pem, '-noout', '-serial', '-startdate', '-enddate', '-dateopt', 'iso_8601']).toString();
  const get = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(out)![1]!;
  const date = (s: string) => Date.parse(s.replace(' ', 'T')) / 1000;
  return { serial: BigInt(`0x${get('serial')}`), notBefore: date(get('notBefore')), notAfter: date(get('notAfter')) };
}

const ecKey = scratch.key('ec:P-256');

describe('signature algorithms and self-signatures', () => {
  const rsa = scratch.key('rsa:2048');
  const cases = [
    { name: 'RSA PKCS#1 SHA-256', key: rsa, args: ['-sha256'], alg: { type: 'rsa-pkcs1', hash: 'sha256' } },
    { name: 'RSA PKCS#1 SHA-1', key: rsa, args: ['-sha1'], alg: { type: 'rsa-pkcs1', hash: 'sha1' } },
    { name: 'RSA PKCS#1 SHA-384', key: rsa, args: ['-sha384'], alg: { type: 'rsa-pkcs1', hash: 'sha384' } },
    { name: 'RSA PKCS#1 SHA-512', key: rsa, args: ['-sha512'], alg: { type: 'rsa-pkcs1', hash: 'sha512' } },
    {
      name: 'RSA-PSS SHA-256 salt 32',
      key: rsa,
      args: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256'],
      alg: { type: 'rsa-pss', hash: 'sha256', saltLength: 32 },
    },
    {
      name: 'RSA-PSS SHA-512 salt 20',
      key: rsa,
      args: ['-sha512', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:20', '-sigopt', 'rsa_mgf1_md:sha512'],
      alg: { type: 'rsa-pss', hash: 'sha512', saltLength: 20 },
    },
    { name: 'ECDSA P-256 SHA-256', key: ecKey, args: ['-sha256'], alg: { type: 'ecdsa', hash: 'sha256' } },
    { name: 'ECDSA P-384 SHA-384', key: scratch.key('ec:P-384'), args: ['-sha384'], alg: { type: 'ecdsa', hash: 'sha384' } },
    { name: 'ECDSA P-521 SHA-512', key: scratch.key('ec:P-521'), args: ['-sha512'], alg: { type: 'ecdsa', hash: 'sha512' } },
    { name: 'ECDSA SHA-1', key: ecKey, args: ['-sha1'], alg: { type: 'ecdsa', hash: 'sha1' } },
    { name: 'Ed25519', key: scratch.key('ed25519'), args: [], alg: { type: 'ed25519' } },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: mapped, and tbsDer + signatureValue + publicKey verify`, () => {
      const pem = scratch.selfSigned(c.key, '/CN=sig', c.args);
      const cert = parseCertificate(scratch.der(pem));
      expect(cert.signatureAlgorithm.algorithm).toEqual(c.alg);
      if (cert.signatureAlgorithm.algorithm.type === 'unsupported') return;
      expect(nobleProvider.verify(cert.signatureAlgorithm.algorithm, cert.publicKey, cert.tbsDer, cert.signatureValue)).toBe(true);
      const tampered = cert.tbsDer.slice();
      tampered[tampered.length - 1]! ^= 1;
      expect(nobleProvider.verify(cert.signatureAlgorithm.algorithm, cert.publicKey, tampered, cert.signatureValue)).toBe(false);
    });
  }

  it('PSS parameters are reported even when the MGF1 hash makes them unsupported', () => {
    const pem = scratch.selfSigned(rsa, '/CN=pss', ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_mgf1_md:sha1']);
    const alg = parseCertificate(scratch.der(pem)).signatureAlgorithm;
    expect(alg.oid).toBe('1.2.840.113549.1.1.10');
    expect(alg.pss).toMatchObject({ hash: 'sha256', mgf1Hash: 'sha1', trailerField: 1 });
    expect(alg.algorithm).toMatchObject({ type: 'unsupported', reason: /MGF1/ });
  });

  it('ECDSA with SHA-224 is a typed unsupported algorithm, not an error', () => {
    const cert = parseCertificate(scratch.der(scratch.selfSigned(ecKey, '/CN=224', ['-sha224'])));
    expect(cert.signatureAlgorithm.algorithm).toEqual({ type: 'unsupported', oid: '1.2.840.10045.4.3.1', reason: 'SHA-224 is not supported' });
  });

  it('the TBS signature field must equal the outer one byte for byte (RFC 5280 §4.1.1.2)', () => {
    const der = scratch.der(scratch.selfSigned(ecKey, '/CN=alg', ['-sha256']));
    // ecdsa-with-SHA256 is 2a 86 48 ce 3d 04 03 02; the first occurrence is inside the TBS.
    const hex = toHex(der);
    const at = hex.indexOf('2a8648ce3d040302');
    const edited = fromHex(hex.slice(0, at) + '2a8648ce3d040303' + hex.slice(at + 16));
    expectX509Error(() => parseCertificate(edited), 'BadCertificate', /TBSCertificate\.signature: differs/);
  });
});

describe('fields against openssl x509', () => {
  it('serial, dates, version and names of an ordinary v3 certificate', () => {
    const pem = scratch.selfSigned(ecKey, '/C=US/ST=Some State/O=Org+OU=Unit/CN=host.example', ['-set_serial', '0x00ff01']);
    const cert = parseCertificate(scratch.der(pem));
    const want = opensslFields(pem);
    expect(bytesToBigInt(cert.serialNumber)).toBe(want.serial);
    expect(cert.serialHex).toBe('00ff01'); // INTEGER 0xff01 needs a leading zero octet
    expect(cert.notBefore).toBe(want.notBefore);
    expect(cert.notAfter).toBe(want.notAfter);
    expect(cert.version).toBe(3);
    expect(cert.subject.rdns.map((rdn) => rdn.map((a) => [a.oid, a.value, a.tag]))).toEqual([
      [['2.5.4.6', 'US', 0x13]],
      [['2.5.4.8', 'Some State', 0x0c]],
      // a multi-valued RDN is a SET OF, which DER sorts by encoding: the shorter SEQUENCE (O=Org) first
      [['2.5.4.10', 'Org', 0x0c], ['2.5.4.11', 'Unit', 0x0c]],
      [['2.5.4.3', 'host.example', 0x0c]],
    ]);
    expect(toHex(cert.subject.der)).toBe(toHex(cert.issuer.der));
    expect(cert.issuerUniqueId).toBeUndefined();
    expect(cert.subjectUniqueId).toBeUndefined();
  });

  it('a v1 certificate has no extensions', () => {
    const csr = scratch.fresh('csr');
    scratch.openssl(['req', '-new', '-key', ecKey, '-subj', '/CN=v1', '-out', csr]);
    const pem = scratch.fresh('pem');
    scratch.openssl(['x509', '-req', '-in', csr, '-signkey', ecKey, '-out', pem, '-days', '2']);
    expect(scratch.openssl(['x509', '-in', pem, '-noout', '-text']).toString()).toMatch(/Version: 1 \(0x0\)/);
    const cert = parseCertificate(scratch.der(pem));
    expect(cert.version).toBe(1);
    expect(cert.extensions.list).toEqual([]);
  });

  it('spkiDer is what openssl extracts as the public key', () => {
    const pem = scratch.selfSigned(ecKey, '/CN=k');
    const spki = scratch.openssl(['x509', '-in', pem, '-noout', '-pubkey']).toString();
    const der = scratch.openssl(['pkey', '-pubin', '-outform', 'DER'], spki);
    expect(toHex(parseCertificate(scratch.der(pem)).spkiDer)).toBe(toHex(new Uint8Array(der)));
  });
});

describe('extensions', () => {
  const config = `
[req]
distinguished_name = dn
[dn]
[v3]
subjectAltName = otherName:1.2.3.4;UTF8:hello,RID:1.2.3.4,dirName:dir_sect,URI:http://u.example/,DNS:x.example,IP:2001:db8::1,IP:192.0.2.7,email:me@example.com
nameConstraints = critical,permitted;DNS:.example.com,excluded;IP:10.0.0.0/255.0.0.0
policyMappings = 1.2.3.4:1.2.3.5
certificatePolicies = 1.2.3.4,@pol
policyConstraints = requireExplicitPolicy:3,inhibitPolicyMapping:1
inhibitAnyPolicy = 2
crlDistributionPoints = URI:http://crl.example/a.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example,caIssuers;URI:http://ca.example/ca.crt
extendedKeyUsage = serverAuth,clientAuth
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
basicConstraints = critical,CA:TRUE,pathlen:2
subjectKeyIdentifier = 0102030405
authorityKeyIdentifier = issuer:always
[dir_sect]
C = DE
O = Dir Org
CN = dir name
[pol]
policyIdentifier = 1.3.6.1.4.1.99.1
CPS.1 = "http://cps.example/"
`;
  const cfg = scratch.write('ext.cnf', config);
  const pem = scratch.selfSigned(ecKey, '/CN=ext', ['-config', cfg, '-extensions', 'v3', '-set_serial', '77']);
  const cert: Certificate = parseCertificate(scratch.der(pem));
  const x = cert.extensions;

  it('keeps the order openssl wrote and the critical flags', () => {
    const text = scratch.openssl(['x509', '-in', pem, '-noout', '-ext', 'keyUsage,basicConstraints,nameConstraints']).toString();
    expect(text).toMatch(/Key Usage: critical/);
    expect(x.list.map((e) => e.oid)).toEqual([
      ExtensionOid.subjectAltName,
      ExtensionOid.nameConstraints,
      ExtensionOid.policyMappings,
      ExtensionOid.certificatePolicies,
      ExtensionOid.policyConstraints,
      ExtensionOid.inhibitAnyPolicy,
      ExtensionOid.cRLDistributionPoints,
      ExtensionOid.authorityInfoAccess,
      ExtensionOid.extKeyUsage,
      ExtensionOid.keyUsage,
      ExtensionOid.basicConstraints,
      ExtensionOid.subjectKeyIdentifier,
      ExtensionOid.authorityKeyIdentifier,
    ]);
    expect(x.list.filter((e) => e.critical).map((e) => e.oid)).toEqual([
      ExtensionOid.nameConstraints,
      ExtensionOid.keyUsage,
      ExtensionOid.basicConstraints,
    ]);
    expect(x.errors()).toEqual([]);
    expect(x.unknownCritical()).toEqual([]);
  });

  it('subjectAltName: every GeneralName kind', () => {
    const san = x.subjectAltName!;
    expect(san[0]).toMatchObject({ type: 'otherName', typeId: '1.2.3.4' });
    expect(san[0]!.type === 'otherName' && toHex(san[0]!.value)).toBe('0c0568656c6c6f'); // UTF8String "hello"
    expect(san[1]).toEqual({ type: 'registeredID', oid: '1.2.3.4' });
    expect(san[2]!.type === 'directoryName' && san[2]!.name.rdns.map((r) => r.map((a) => a.value))).toEqual([['DE'], ['Dir Org'], ['dir name']]);
    expect(san[3]).toEqual({ type: 'uniformResourceIdentifier', value: 'http://u.example/' });
    expect(san[4]).toEqual({ type: 'dNSName', value: 'x.example' });
    expect(san[5]).toEqual({ type: 'iPAddress', bytes: fromHex('20010db8000000000000000000000001') });
    expect(san[6]).toEqual({ type: 'iPAddress', bytes: Uint8Array.of(192, 0, 2, 7) });
    expect(san[7]).toEqual({ type: 'rfc822Name', value: 'me@example.com' });
  });

  it('constraints, usages and policies', () => {
    expect(x.basicConstraints).toEqual({ ca: true, pathLen: 2 });
    expect(x.keyUsage).toEqual({ mask: 0b1100001, names: ['digitalSignature', 'keyCertSign', 'cRLSign'] });
    expect(x.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(x.nameConstraints).toEqual({
      permitted: [{ base: { type: 'dNSName', value: '.example.com' }, minimum: 0, maximum: undefined }],
      excluded: [{ base: { type: 'iPAddress', bytes: Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0) }, minimum: 0, maximum: undefined }],
    });
    expect(x.policyMappings).toEqual([{ issuerDomainPolicy: '1.2.3.4', subjectDomainPolicy: '1.2.3.5' }]);
    expect(x.policyConstraints).toEqual({ requireExplicitPolicy: 3, inhibitPolicyMapping: 1 });
    expect(x.inhibitAnyPolicy).toBe(2);
    const policies = x.certificatePolicies!;
    expect(policies.map((p) => p.oid)).toEqual(['1.2.3.4', '1.3.6.1.4.1.99.1']);
    expect(policies[1]!.qualifiers.map((q) => q.oid)).toEqual(['1.3.6.1.5.5.7.2.1']);
    expect(new TextDecoder().decode(policies[1]!.qualifiers[0]!.der.subarray(2))).toBe('http://cps.example/');
  });

  it('key identifiers, CRL distribution points, authority information access', () => {
    expect(toHex(x.subjectKeyIdentifier!)).toBe('0102030405');
    const aki = x.authorityKeyIdentifier!;
    expect(aki.keyIdentifier).toBeUndefined();
    expect(aki.issuer![0]!.type === 'directoryName' && toHex(aki.issuer![0]!.name.der)).toBe(toHex(cert.issuer.der));
    expect(bytesToBigInt(aki.serialNumber!)).toBe(77n);
    expect(x.crlDistributionPoints).toEqual([
      {
        fullName: [{ type: 'uniformResourceIdentifier', value: 'http://crl.example/a.crl' }],
        nameRelativeToCrlIssuer: undefined,
        reasons: undefined,
        crlIssuer: undefined,
      },
    ]);
    expect(x.authorityInfoAccess).toEqual([
      { method: '1.3.6.1.5.5.7.48.1', location: { type: 'uniformResourceIdentifier', value: 'http://ocsp.example' } },
      { method: '1.3.6.1.5.5.7.48.2', location: { type: 'uniformResourceIdentifier', value: 'http://ca.example/ca.crt' } },
    ]);
  });

  it('a malformed non-critical extension fails only its own view, and errors() reports it', () => {
    const der = craft(cert.der, (c) => {
      const san = c.tbsCertificate.extensions!.find((e) => e.extnID === ExtensionOid.subjectAltName)!;
      san.extnValue = new OctetString(Uint8Array.of(0x30, 0x03, 0x82, 0x01)); // truncated dNSName
    });
    const broken = parseCertificate(der);
    expect(broken.extensions.basicConstraints).toEqual({ ca: true, pathLen: 2 });
    const e = expectX509Error(() => broken.extensions.subjectAltName, 'BadCertificate', /extension 2\.5\.29\.17/);
    expect(broken.extensions.errors()).toEqual([e]);
  });

  it('the same extension twice is refused (RFC 5280 §4.2)', () => {
    const der = craft(cert.der, (c) => {
      c.tbsCertificate.extensions!.push(new Extension({ extnID: ExtensionOid.inhibitAnyPolicy, extnValue: new OctetString(Uint8Array.of(2, 1, 0)) }));
    });
    expectX509Error(() => parseCertificate(der), 'BadCertificate', /extension 2\.5\.29\.54 appears twice/);
  });

  it('unknown critical extensions are listed, unknown non-critical ones are not', () => {
    const der = craft(cert.der, (c) => {
      c.tbsCertificate.extensions!.push(new Extension({ extnID: '1.2.3.99', critical: true, extnValue: new OctetString(Uint8Array.of(5, 0)) }));
      c.tbsCertificate.extensions!.push(new Extension({ extnID: '1.2.3.98', extnValue: new OctetString(Uint8Array.of(5, 0)) }));
    });
    expect(parseCertificate(der).extensions.unknownCritical().map((e) => e.oid)).toEqual(['1.2.3.99']);
  });

  it('extensions in a v1 certificate are refused', () => {
    const der = craft(cert.der, (c) => {
      c.tbsCertificate.version = 0;
    });
    expectX509Error(() => parseCertificate(der), 'BadCertificate', /only allowed in v3/);
  });

  it('unique identifiers are read in v2 and refused in v1', () => {
    const v2 = craft(cert.der, (c) => {
      c.tbsCertificate.version = 1;
      c.tbsCertificate.extensions = undefined;
      c.tbsCertificate.subjectUniqueID = Uint8Array.of(0xab, 0xcd).buffer;
    });
    const parsed = parseCertificate(v2);
    expect(parsed.version).toBe(2);
    expect(parsed.issuerUniqueId).toBeUndefined();
    expect(toHex(parsed.subjectUniqueId!)).toBe('abcd');
    const v1 = craft(v2, (c) => {
      c.tbsCertificate.version = 0;
    });
    expectX509Error(() => parseCertificate(v1), 'BadCertificate', /not allowed in v1/);
  });
});

describe('keys in certificates', () => {
  it('an Ed448 certificate parses; its publicKey says unsupported', () => {
    const cert = parseCertificate(scratch.der(scratch.selfSigned(scratch.key('ed448'), '/CN=448')));
    expect(cert.subject.rdns[0]![0]!.value).toBe('448');
    expectX509Error(() => cert.publicKey, 'UnsupportedCertificate', /public key algorithm 1\.3\.101\.113/);
    expect(cert.signatureAlgorithm.algorithm).toMatchObject({ type: 'unsupported', oid: '1.3.101.113' });
  });
});

describe('the skeleton must be DER', () => {
  const der = scratch.der(scratch.selfSigned(ecKey, '/CN=der'));

  it('trailing bytes after the certificate', () => {
    expectX509Error(() => parseCertificate(Uint8Array.of(...der, 0)), 'BadCertificate', /Certificate: 1 trailing bytes/);
  });

  it('every truncation fails with X509ParseError', () => {
    for (let n = 0; n < der.length; n++) expect(() => parseCertificate(der.subarray(0, n))).toThrow(X509ParseError);
  });

  it('lengths: the shortest definite form is required, and 0x82 0x01 0x00 is that form for 256', () => {
    const octets = (header: readonly number[], n: number) => Uint8Array.of(0x04, ...header, ...new Uint8Array(n));
    expect(decodeDer(octets([0x82, 0x01, 0x00], 256), 'x').valueBeforeDecodeView.length).toBe(260);
    expect(decodeDer(octets([0x81, 0x80], 128), 'x').valueBeforeDecodeView.length).toBe(131);
    for (const [header, n] of [[[0x81, 0x05], 5], [[0x82, 0x00, 0x80], 128], [[0x83, 0x00, 0x01, 0x00], 256], [[0x80], 0]] as const) {
      expectX509Error(() => decodeDer(octets(header, n), 'x'), 'BadCertificate', /x: not DER/);
    }
  });

  it('no SEQUENCE may hold elements past the end of its type, which the schema check alone lets through', () => {
    // Paths of child indexes from the Certificate, and the field the error must name.
    const elements = (node: asn1js.BaseBlock) => (node.valueBlock as unknown as { value: asn1js.BaseBlock[] }).value;
    const tbsFields = elements(elements(asn1js.fromBER(der).result)[0]!);
    const extensionsAt = tbsFields.findIndex((n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 3);
    // [path of child indexes from the Certificate, NULLs to append, the error]
    const cases: [readonly number[], number, RegExp][] = [
      [[0, 6], 1, /subjectPublicKeyInfo: has 3 elements/], // SubjectPublicKeyInfo
      [[0, 6, 0], 1, /subjectPublicKeyInfo\.algorithm: has 3 elements/], // its AlgorithmIdentifier (OID, curve)
      [[1], 2, /Certificate\.signatureAlgorithm: has 3 elements/], // ecdsa-with-SHA256 has no parameters
      [[0, 5, 0, 0], 1, /subject\[0\]: has 3 elements/], // an AttributeTypeAndValue of the subject
      [[0, extensionsAt, 0, 0], 2, /extensions\[0\]: has 4 elements/], // an Extension
      [[0, extensionsAt, 0, 0], 1, /extensions\[0\]: is not extnID, \[critical,\] extnValue/], // ... with a NULL for a value
    ];
    for (const [path, extra, error] of cases) {
      const root = asn1js.fromBER(der).result;
      let node = root;
      for (const i of path) node = elements(node)[i]!;
      for (let n = 0; n < extra; n++) elements(node).push(new asn1js.Null());
      expectX509Error(() => parseCertificate(new Uint8Array(root.toBER())), 'BadCertificate', error);
    }
  });

  it('an explicit version v1 (DEFAULT must be omitted in DER) and an unknown version', () => {
    // [0] EXPLICIT INTEGER 2 is a0 03 02 01 02; make it 0 (v1, explicit) or 3 (no such version).
    const hex = toHex(der);
    expect(hex.slice(16, 26)).toBe('a003020102');
    for (const v of ['00', '03']) {
      const edited = fromHex(hex.slice(0, 24) + v + hex.slice(26));
      expectX509Error(() => parseCertificate(edited), 'BadCertificate', /TBSCertificate\.version: must be v2 or v3/);
    }
  });
});

describe('times (RFC 5280 §4.1.2.5)', () => {
  const tlv = (tag: number, text: string) => decodeDer(Uint8Array.of(tag, text.length, ...new TextEncoder().encode(text)), 'time');
  const utc = (text: string) => parseTime(tlv(0x17, text), 'notBefore');
  const gen = (text: string) => parseTime(tlv(0x18, text), 'notBefore');
  const epoch = (...args: [number, number, number, number, number, number]) => {
    const d = new Date(0);
    d.setUTCFullYear(args[0], args[1] - 1, args[2]);
    d.setUTCHours(args[3], args[4], args[5]);
    return d.getTime() / 1000;
  };

  it('UTCTime uses the 1950-2049 window', () => {
    expect(utc('500101000000Z')).toBe(epoch(1950, 1, 1, 0, 0, 0));
    expect(utc('491231235959Z')).toBe(epoch(2049, 12, 31, 23, 59, 59));
    expect(utc('991231235959Z')).toBe(epoch(1999, 12, 31, 23, 59, 59));
    expect(utc('000229120000Z')).toBe(epoch(2000, 2, 29, 12, 0, 0));
    expect(utc('700101000000Z')).toBe(0);
  });

  it('GeneralizedTime covers years outside it', () => {
    expect(gen('20500101000000Z')).toBe(epoch(2050, 1, 1, 0, 0, 0));
    expect(gen('99991231235959Z')).toBe(epoch(9999, 12, 31, 23, 59, 59));
    expect(gen('19000301000000Z')).toBe(epoch(1900, 3, 1, 0, 0, 0));
    expect(gen('00010101000000Z')).toBe(epoch(1, 1, 1, 0, 0, 0));
  });

  it('refuses looser forms and impossible dates', () => {
    // asn1js already refuses some of these while decoding; either way it is our error type.
    const utc = (text: string) => parseTime(tlv(0x17, text), 'notBefore');
    const gen = (text: string) => parseTime(tlv(0x18, text), 'notBefore');
    const tlv = (tag: number, text: string) => decodeDer(Uint8Array.of(tag, text.length, ...new TextEncoder().encode(text)), 'notBefore');
    for (const bad of ['5001010000Z', '500101000000', '500101000000+0000', '501301000000Z', '500230000000Z', '500101240000Z', '500101006000Z', '5001010000 0Z']) {
      expectX509Error(() => utc(bad), 'BadCertificate', /notBefore/);
    }
    for (const bad of ['20500101000000.5Z', '205001010000Z', '19000229000000Z', '2050010100000Z']) {
      expectX509Error(() => gen(bad), 'BadCertificate', /notBefore/);
    }
    expectX509Error(() => parseTime(tlv(0x13, '500101000000Z'), 'notBefore'), 'BadCertificate', /not an RFC 5280 time/);
  });
});
