/**
 * The trust store against OpenSSL 3.0 as CPython uses it: `X509_check_ca` for
 * what counts as a CA, `X509_NAME_cmp` for which subjects are the same,
 * `cert_store_stats()` / `get_ca_certs()` after `load_verify_locations(cafile=)`
 * for the counts, `openssl x509 -hash` semantics for the capath lookups.
 */
import { describe, expect, it } from 'vitest';
import { type Certificate, parseCertificate } from '../../src/x509/certificate.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { certificateToPem, crlToPem } from '../../src/x509/pem.ts';
import { subjectNameHash } from '../../src/x509/subject-hash.ts';
import { TrustStore, isCaCertificate } from '../../src/x509/trust-store.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import {
  type Attribute,
  OID,
  STRING_TAG as S,
  askOracle,
  attr,
  encodeName,
  extension,
  makeCertificate,
  oid,
  seq,
  tlv,
  type TestCertificate,
} from './openssl-oracle.ts';

const cn = (text: string, tag?: number): Attribute[][] => [[attr(OID.commonName, text, tag)]];
const BOOLEAN_TRUE = tlv(0x01, Uint8Array.of(0xff));
const basicConstraints = (ca: boolean, pathLen?: number): Uint8Array =>
  extension(OID.basicConstraints, seq(...(ca ? [BOOLEAN_TRUE] : []), ...(pathLen === undefined ? [] : [tlv(0x02, Uint8Array.of(pathLen))])), true);
/** keyUsage with the given RFC 5280 bit numbers set (0 digitalSignature … 5 keyCertSign, 6 cRLSign). */
function keyUsage(...bits: number[]): Uint8Array {
  let mask = 0;
  for (const b of bits) mask |= 0x80 >> b;
  return extension(OID.keyUsage, tlv(0x03, Uint8Array.of(0, mask)), true);
}
const ski = (hex: string): Uint8Array => extension(OID.subjectKeyIdentifier, tlv(0x04, fromHex(hex)));
const sha256WithRsa = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, new Uint8Array()));

/** A CRL (RFC 5280 §5.1) from `issuer`, signed with garbage. */
function makeCrl(issuer: Attribute[][]): Uint8Array {
  const algorithm = seq(oid('1.2.840.10045.4.3.2'));
  const time = (t: string): Uint8Array => tlv(0x17, utf8(t));
  const tbs = seq(tlv(0x02, Uint8Array.of(1)), algorithm, encodeName(issuer), time('240101000000Z'), time('340101000000Z'));
  return seq(tbs, algorithm, tlv(0x03, Uint8Array.of(0, 0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01)));
}

const CA_CASES: [string, TestCertificate][] = [
  ['basicConstraints CA', { subject: cn('ca'), extensions: [basicConstraints(true)] }],
  ['basicConstraints CA with pathLen', { subject: cn('ca'), extensions: [basicConstraints(true, 0)] }],
  ['basicConstraints not CA', { subject: cn('leaf'), extensions: [basicConstraints(false)] }],
  ['CA with keyUsage keyCertSign', { subject: cn('ca'), extensions: [basicConstraints(true), keyUsage(5, 6)] }],
  ['CA whose keyUsage lacks keyCertSign', { subject: cn('ca'), extensions: [basicConstraints(true), keyUsage(0)] }],
  ['no basicConstraints, keyUsage keyCertSign', { subject: cn('old'), extensions: [keyUsage(5)] }],
  ['no basicConstraints, keyUsage without keyCertSign', { subject: cn('old'), extensions: [keyUsage(0, 2)] }],
  ['v3 with no extensions, self-issued', { subject: cn('plain') }],
  ['v1 self-signed', { version: 1, subject: cn('v1 root') }],
  ['v1 self-signed, names equal only canonically', { version: 1, subject: cn('V1  Root', S.PrintableString), issuer: cn('v1 root') }],
  ['v1 not self-issued', { version: 1, subject: cn('v1 leaf'), issuer: cn('v1 root') }],
  ['v1 self-issued, signature algorithm for another key type', { version: 1, subject: cn('v1 root'), signatureAlgorithm: sha256WithRsa }],
  ['malformed basicConstraints', { subject: cn('bad'), extensions: [extension(OID.basicConstraints, tlv(0x02, Uint8Array.of(1)))] }],
  ['malformed keyUsage on a CA', { subject: cn('bad'), extensions: [basicConstraints(true), extension(OID.keyUsage, tlv(0x04, Uint8Array.of(1)))] }],
  ['malformed subjectKeyIdentifier on a CA', { subject: cn('bad'), extensions: [basicConstraints(true), extension(OID.subjectKeyIdentifier, tlv(0x03, Uint8Array.of(0)))] }],
];

describe('isCaCertificate agrees with X509_check_ca', () => {
  const ders = CA_CASES.map(([, spec]) => makeCertificate(spec));
  const answers = askOracle(ders.map((der) => ({ op: 'checkCa', der }))) as number[];

  it.each(CA_CASES.map(([title], i) => [title, answers[i]] as const))('%s (X509_check_ca = %s)', (title, answer) => {
    const der = ders[CA_CASES.findIndex(([t]) => t === title)] as Uint8Array;
    expect(isCaCertificate(parseCertificate(der))).toBe(answer !== 0);
  });

  it('has CAs and non-CAs in the table', () => {
    expect(answers.filter((a) => a !== 0).length).toBeGreaterThan(4);
    expect(answers.filter((a) => a === 0).length).toBeGreaterThan(4);
  });
});

describe('loading', () => {
  const ca = makeCertificate({ subject: cn('Root CA'), extensions: [basicConstraints(true), ski('0102')], serial: 10 });
  const leaf = makeCertificate({ subject: cn('leaf'), issuer: cn('Root CA'), extensions: [basicConstraints(false)], serial: 11 });
  const oldRoot = makeCertificate({ version: 1, subject: cn('Old Root'), serial: 12 });
  const crl = makeCrl(cn('Root CA'));
  const bundle = [
    'Root CA, with some commentary around it',
    certificateToPem(ca),
    'subject=CN = leaf',
    certificateToPem(leaf),
    certificateToPem(ca),
    crlToPem(crl),
    '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----',
    certificateToPem(oldRoot),
    crlToPem(crl),
    'trailing text',
  ].join('\n');

  it('reads every CERTIFICATE and X509 CRL block once, ignoring the rest', () => {
    const store = new TrustStore(nobleProvider);
    expect(store.addPem(bundle)).toEqual({ certificates: 3, crls: 1 });
    expect(store.certificates().map((c) => c.serialHex)).toEqual(['0a', '0b', '0c']);
    expect(store.crls()).toEqual([crl]);
    // The same certificate as DER, and the bundle again, add nothing.
    expect(store.addDer(leaf)).toBe(false);
    expect(store.addPem(bundle)).toEqual({ certificates: 0, crls: 0 });
    expect(store.certificates()).toHaveLength(3);
  });

  it('counts as cert_store_stats() and lists CAs as get_ca_certs() after load_verify_locations(cafile=)', () => {
    const [python] = askOracle([{ op: 'storeStats', cafile: bundle }]) as [
      { stats: { x509: number; x509_ca: number; crl: number }; caCerts: string[] },
    ];
    const store = new TrustStore(nobleProvider);
    store.addPem(bundle);
    expect(store.counts()).toEqual({
      certificates: python.stats.x509,
      caCertificates: python.stats.x509_ca,
      crls: python.stats.crl,
    });
    expect(store.caCertificates().map((c) => c.serialHex.toUpperCase().padStart(2, '0'))).toEqual(python.caCerts);
  });

  it('refuses a block that does not parse, keeping what came before', () => {
    const store = new TrustStore(nobleProvider);
    const broken = certificateToPem(ca.slice(0, ca.length - 3));
    expect(() => store.addPem(certificateToPem(leaf) + broken)).toThrow(X509ParseError);
    expect(store.certificates().map((c) => c.serialHex)).toEqual(['0b']);
    let error: unknown;
    try {
      store.addPem(broken);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(X509ParseError);
    expect((error as X509ParseError).cause).toBe('BadCertificate');
    expect(() => store.addDer(utf8('not a certificate'))).toThrow(X509ParseError);
    expect(() => store.addCrl(ca)).toThrow(X509ParseError);
  });

  it('refuses a certificate whose subject OpenSSL cannot canonicalise', () => {
    const store = new TrustStore(nobleProvider);
    const bad = makeCertificate({ subject: [[{ type: OID.commonName, tag: S.UTF8String, value: fromHex('c0af') }]] });
    expect(askOracle([{ op: 'nameHash', der: bad }])).toEqual([null]);
    expect(() => store.addDer(bad)).toThrow(X509ParseError);
    expect(store.certificates()).toEqual([]);
    // Asked for such a name (a peer's issuer, say), the store finds nothing rather than failing.
    expect(store.bySubject(parseCertificate(bad).subject)).toEqual([]);
  });
});

describe('lookups', () => {
  // Subjects that OpenSSL's X509_NAME_cmp calls equal or not to 'CN=Example Root'.
  const subjects: Attribute[][][] = [
    cn('Example Root'),
    cn('  EXAMPLE   root ', S.PrintableString),
    cn('example root', S.BMPString),
    cn('Example\tRoot', S.IA5String),
    cn('Example Root 2'),
    cn('ExampleRoot'),
    [[attr(OID.organizationName, 'Example Root')]],
  ];
  const ders = subjects.map((subject, i) => makeCertificate({ subject, serial: 20 + i, extensions: [ski(`aa0${i}`)] }));
  const same = askOracle(ders.map((der) => ({ op: 'nameCmp', der: ders[0] as Uint8Array, other: der }))) as number[];
  const certs = ders.map(parseCertificate);

  it('by subject finds exactly the names X509_NAME_cmp calls equal', () => {
    const store = new TrustStore(nobleProvider);
    ders.forEach((der) => store.addDer(der));
    const expected = certs.filter((_, i) => same[i] === 0).map((c) => c.serialHex);
    expect(expected.length).toBeGreaterThan(2);
    expect(expected.length).toBeLessThan(certs.length);
    expect(store.bySubject((certs[0] as Certificate).subject).map((c) => c.serialHex)).toEqual(expected);
    expect(store.bySubject(parseCertificate(makeCertificate({ subject: cn('nobody') })).subject)).toEqual([]);
  });

  it('by subjectKeyIdentifier', () => {
    const store = new TrustStore(nobleProvider);
    ders.forEach((der) => store.addDer(der));
    expect(store.bySubjectKeyIdentifier(fromHex('aa03')).map((c) => c.serialHex)).toEqual(['17']);
    expect(store.bySubjectKeyIdentifier(fromHex('aa09'))).toEqual([]);
  });
});

describe('capath sources', () => {
  const root = makeCertificate({ subject: cn('Capath Root'), extensions: [basicConstraints(true)], serial: 40 });
  const rootAgain = makeCertificate({ subject: cn('CAPATH  ROOT', S.PrintableString), extensions: [basicConstraints(true)], serial: 41 });
  const other = makeCertificate({ subject: cn('Other'), serial: 42 });
  const [rootHash, otherHash] = askOracle([
    { op: 'nameHash', der: root },
    { op: 'nameHash', der: other },
  ]) as [string, string];

  /** A directory of `<hash>.N` files, as c_rehash would lay it out, recording the lookups. */
  function directory(files: Record<string, Uint8Array[]>) {
    const asked: string[] = [];
    return {
      asked,
      source: (hash: string): Uint8Array[] => {
        asked.push(hash);
        return files[hash] ?? [];
      },
    };
  }

  it('loads the files of a subject hash on its first lookup only, as certificates of the store', () => {
    const store = new TrustStore(nobleProvider);
    const dir = directory({ [rootHash]: [root, rootAgain] });
    store.addCapath(dir.source);
    expect(store.certificates()).toEqual([]);
    const found = store.bySubject(parseCertificate(root).subject);
    expect(found.map((c) => c.serialHex)).toEqual(['28', '29']);
    expect(dir.asked).toEqual([rootHash]);
    expect(store.bySubject(parseCertificate(rootAgain).subject)).toHaveLength(2);
    expect(dir.asked).toEqual([rootHash]);
    expect(store.counts()).toEqual({ certificates: 2, caCertificates: 2, crls: 0 });
  });

  it('asks nothing for a name OpenSSL cannot canonicalise (it has no hash), and finds nothing', () => {
    const store = new TrustStore(nobleProvider);
    const dir = directory({});
    store.addCapath(dir.source);
    const bad = makeCertificate({ subject: [[{ type: OID.commonName, tag: S.UTF8String, value: fromHex('c0af') }]], serial: 43 });
    expect(store.bySubject(parseCertificate(bad).subject)).toEqual([]);
    expect(dir.asked).toEqual([]);
  });

  it('asks with the hash openssl x509 -hash prints', () => {
    const store = new TrustStore(nobleProvider);
    const dir = directory({});
    store.addCapath(dir.source);
    expect(store.bySubject(parseCertificate(other).subject)).toEqual([]);
    expect(dir.asked).toEqual([otherHash]);
    expect(subjectNameHash(parseCertificate(other).subject, nobleProvider)).toBe(otherHash);
  });

  it('consults every directory, and stops reading one at a file that does not load', () => {
    const store = new TrustStore(nobleProvider);
    const first = directory({ [rootHash]: [utf8('garbage'), root] });
    const second = directory({ [rootHash]: [rootAgain] });
    store.addCapath(first.source);
    store.addCapath(second.source);
    expect(store.bySubject(parseCertificate(root).subject).map((c) => c.serialHex)).toEqual(['29']);
    expect([first.asked, second.asked]).toEqual([[rootHash], [rootHash]]);
  });

  it('keeps certificates found on disk out of the store when they were already loaded', () => {
    const store = new TrustStore(nobleProvider);
    store.addDer(root);
    store.addCapath(directory({ [rootHash]: [root] }).source);
    expect(store.bySubject(parseCertificate(root).subject)).toHaveLength(1);
    expect(toHex(store.certificates()[0]?.der ?? new Uint8Array())).toBe(toHex(root));
  });
});
