/**
 * Path validation checks (RFC 5280 §6.1), each with the OpenSSL verify code,
 * depth and TLS alert it fails with, on chains built for the purpose; a few
 * are cross-checked against `openssl verify` itself.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { PrivateKey } from '../../src/crypto/keys.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import type { Certificate } from '../../src/x509/certificate.ts';
import { certificateToPem } from '../../src/x509/pem.ts';
import { type VerifyOptions, VerifyFlag, verifyCertificateChain } from '../../src/x509/verify.ts';
import { X509_V, X509VerifyError } from '../../src/x509/verify-codes.ts';
import {
  EKU,
  NOW,
  type Issued,
  type RawExtension,
  ext,
  gn,
  issue,
  issuePss,
  name,
  oid,
  rsaKey,
  seq,
  simpleChain,
  tlv,
} from '../fixtures/x509-validate/builder.ts';
import { opensslVerifyResult } from './openssl-oracle.ts';

type Options = Omit<Partial<VerifyOptions>, 'trust'> & { readonly trust: readonly Certificate[] };

function verify(peer: readonly Issued[], options: Options) {
  return verifyCertificateChain(nobleProvider, peer.map((c) => c.der), { purpose: 'serverAuth', time: NOW, ...options });
}

function failure(peer: readonly Issued[], options: Options): X509VerifyError {
  try {
    verify(peer, options);
  } catch (error) {
    if (error instanceof X509VerifyError) return error;
    throw error;
  }
  throw new Error('verification succeeded');
}

/** [code, depth] of the failure of leaf → intermediate → root. */
function outcome(chain: { root: Issued; intermediate: Issued; leaf: Issued }, options: Omit<Partial<VerifyOptions>, 'trust'> = {}) {
  const error = failure([chain.leaf, chain.intermediate], { trust: [chain.root.cert], ...options });
  return [error.code, error.depth];
}

const STRICT = VerifyFlag.X509_STRICT;
const WEBPKI = VerifyFlag.X509_WEBPKI;

describe('validity (RFC 5280 §4.1.2.5)', () => {
  const notBefore = NOW - 100;
  const notAfter = NOW + 100;
  const chain = simpleChain({ notBefore, notAfter });

  it('is inclusive at both ends, in whole seconds', () => {
    expect(verify([chain.leaf, chain.intermediate], { trust: [chain.root.cert], time: notBefore }).chain).toHaveLength(3);
    expect(verify([chain.leaf, chain.intermediate], { trust: [chain.root.cert], time: notAfter + 0.9 }).chain).toHaveLength(3);
  });

  it('fails with 9 before notBefore and 10 after notAfter, and the alert OpenSSL sends', () => {
    const early = failure([chain.leaf, chain.intermediate], { trust: [chain.root.cert], time: notBefore - 1 });
    expect([early.code, early.depth, early.message, early.alert]).toEqual([9, 0, 'certificate is not yet valid', AlertDescription.bad_certificate]);
    const late = failure([chain.leaf, chain.intermediate], { trust: [chain.root.cert], time: notAfter + 1 });
    expect([late.code, late.message, late.alert]).toEqual([10, 'certificate has expired', AlertDescription.certificate_expired]);
  });

  it('applies to the trust anchor too', () => {
    const root = issue({ subject: 'Root', ca: true, notAfter: NOW - 1 });
    const leaf = issue({ subject: 'leaf', issuer: root });
    expect(failure([leaf], { trust: [root.cert] }).depth).toBe(1);
  });
});

describe('signatures', () => {
  it('fails with 7 (decrypt_error) when a signature does not verify', () => {
    const chain = simpleChain();
    const tampered = chain.leaf.der.slice();
    tampered[tampered.length - 5]! ^= 1;
    const error = failure([{ ...chain.leaf, der: tampered }, chain.intermediate], { trust: [chain.root.cert] });
    expect([error.code, error.depth, error.alert]).toEqual([X509_V.ERR_CERT_SIGNATURE_FAILURE, 0, AlertDescription.decrypt_error]);
  });

  it('refuses SHA-1 signatures with 68', () => {
    const root = issue({ subject: 'Root', ca: true });
    const leaf = issue({ subject: 'leaf', issuer: root, hash: 'sha1' });
    expect(failure([leaf], { trust: [root.cert] }).code).toBe(X509_V.ERR_CA_MD_TOO_WEAK);
  });

  it('fails with 76 for a signature algorithm it cannot verify (ecdsa-with-SHA224)', () => {
    const root = issue({ subject: 'Root', ca: true });
    const leaf = issue({ subject: 'leaf', issuer: root, algorithmDer: seq(oid('1.2.840.10045.4.3.1')) });
    expect(failure([leaf], { trust: [root.cert] }).code).toBe(X509_V.ERR_UNSUPPORTED_SIGNATURE_ALGORITHM);
  });

  it('verifies P-384, Ed25519 and RSA (PKCS #1 v1.5 and PSS) issuers', () => {
    for (const key of [nobleProvider.generateKey({ type: 'ec', curve: 'P-384' }), nobleProvider.generateKey({ type: 'ed25519' })]) {
      const root = issue({ subject: 'Root', ca: true, key, hash: 'sha384' });
      expect(verify([issue({ subject: 'leaf', issuer: root })], { trust: [root.cert] }).chain).toHaveLength(2);
    }
    const rsaRoot = issue({ subject: 'RSA Root', ca: true, key: rsaKey(2048) });
    expect(verify([issue({ subject: 'leaf', issuer: rsaRoot })], { trust: [rsaRoot.cert] }).chain).toHaveLength(2);
    expect(verify([issuePss({ subject: 'leaf', issuer: rsaRoot }, 'sha384')], { trust: [rsaRoot.cert] }).chain).toHaveLength(2);
  });
});

describe('RSA key sizes', () => {
  let weak: PrivateKey;
  beforeAll(() => {
    weak = rsaKey(1024);
  });

  it('refuses a 1024-bit leaf key with 66 and a 1024-bit CA key with 67', () => {
    const root = issue({ subject: 'Root', ca: true });
    expect(failure([issue({ subject: 'leaf', issuer: root, key: weak })], { trust: [root.cert] }).code).toBe(X509_V.ERR_EE_KEY_TOO_SMALL);
    const weakRoot = issue({ subject: 'Weak Root', ca: true, key: weak });
    const error = failure([issue({ subject: 'leaf', issuer: weakRoot })], { trust: [weakRoot.cert] });
    expect([error.code, error.depth]).toEqual([X509_V.ERR_CA_KEY_TOO_SMALL, 1]);
  });
});

describe('CA constraints (§4.2.1.3, §4.2.1.9)', () => {
  it('fails with 79 when an issuer is not a CA', () => {
    const root = issue({ subject: 'Root', ca: true });
    const notCa = issue({ subject: 'Intermediate', issuer: root, extensions: [ext.keyUsage([5])] });
    const leaf = issue({ subject: 'leaf', issuer: notCa });
    const error = failure([leaf, notCa], { trust: [root.cert] });
    expect([error.code, error.depth, error.alert]).toEqual([X509_V.ERR_INVALID_CA, 1, AlertDescription.unknown_ca]);
  });

  it('fails with 79 when an issuer keyUsage lacks keyCertSign, as X509_check_ca does (strict-oracle.test.ts compares)', () => {
    const root = issue({ subject: 'Root', ca: true });
    const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.keyUsage([6])] });
    const error = failure([issue({ subject: 'leaf', issuer: intermediate }), intermediate], { trust: [root.cert] });
    expect([error.code, error.depth]).toEqual([X509_V.ERR_INVALID_CA, 1]);
  });

  it('fails with 25 when a pathLenConstraint is exceeded, and counts neither the leaf nor self-issued CAs', () => {
    const root = issue({ subject: 'Root', ca: true, pathLen: 0 });
    const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root });
    const error = failure([issue({ subject: 'leaf', issuer: intermediate }), intermediate], { trust: [root.cert] });
    expect([error.code, error.depth]).toEqual([X509_V.ERR_PATH_LENGTH_EXCEEDED, 2]);
    // pathLen 0 allows a leaf directly below, even a CA certificate in leaf position.
    const caLeaf = issue({ subject: 'CA leaf', ca: true, issuer: root, extensions: [ext.keyUsage([0, 5])] });
    expect(verify([caLeaf], { trust: [root.cert] }).chain).toHaveLength(2);
    const rolloverRoot = issue({ subject: 'Root', ca: true, pathLen: 0, key: root.key });
    const selfIssued = issue({ subject: 'Root', ca: true, issuer: rolloverRoot });
    expect(verify([issue({ subject: 'leaf', issuer: selfIssued }), selfIssued], { trust: [rolloverRoot.cert] }).chain).toHaveLength(3);
  });
});

describe('purpose (§4.2.1.12)', () => {
  it('fails with 26 (unsupported_certificate) when the leaf extKeyUsage lacks the purpose', () => {
    const chain = simpleChain({ extensions: [ext.extKeyUsage([EKU.clientAuth])] });
    expect(outcome(chain)).toEqual([X509_V.ERR_INVALID_PURPOSE, 0]);
    expect(verify([chain.leaf, chain.intermediate], { trust: [chain.root.cert], purpose: 'clientAuth' }).chain).toHaveLength(3);
    const error = failure([chain.leaf, chain.intermediate], { trust: [chain.root.cert] });
    expect(error.alert).toBe(AlertDescription.unsupported_certificate);
  });

  it('chains extKeyUsage through the CAs, where anyExtendedKeyUsage speaks for all', () => {
    const root = issue({ subject: 'Root', ca: true });
    const clientOnly = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.extKeyUsage([EKU.clientAuth])] });
    expect(failure([issue({ subject: 'leaf', issuer: clientOnly }), clientOnly], { trust: [root.cert] }).depth).toBe(1);
    const any = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.extKeyUsage([EKU.any])] });
    expect(verify([issue({ subject: 'leaf', issuer: any }), any], { trust: [root.cert] }).chain).toHaveLength(3);
  });

  it('refuses a leaf whose keyUsage allows no TLS use, and one missing a required usage', () => {
    expect(outcome(simpleChain({ extensions: [ext.keyUsage([6])] }))).toEqual([X509_V.ERR_INVALID_PURPOSE, 0]);
    const keyEncipherment = simpleChain({ extensions: [ext.keyUsage([2])] });
    expect(outcome(keyEncipherment, { requiredKeyUsage: ['digitalSignature'] })).toEqual([X509_V.ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE, 0]);
  });
});

describe('extensions (§4.2)', () => {
  it('fails with 34 on an unknown critical extension, in any certificate of the path', () => {
    const unknown = { oid: '1.3.6.1.4.1.55738.666.1', critical: true, value: seq() };
    expect(outcome(simpleChain({ extensions: [unknown] }))).toEqual([X509_V.ERR_UNHANDLED_CRITICAL_EXTENSION, 0]);
    // Critical extensions OpenSSL does not process count as unknown: authorityKeyIdentifier here.
    const root = issue({ subject: 'Root', ca: true });
    const leaf = issue({ subject: 'leaf', issuer: root, extensions: [ext.authorityKeyIdentifier(root.keyId, true)] });
    expect(failure([leaf], { trust: [root.cert] }).code).toBe(X509_V.ERR_UNHANDLED_CRITICAL_EXTENSION);
  });

  it('ignores an unknown critical extension in a certificate off the path', () => {
    const chain = simpleChain();
    const unrelated = issue({ subject: 'Other', ca: true, extensions: [{ oid: '1.2.3.4', critical: true, value: seq() }] });
    expect(verify([chain.leaf, chain.intermediate, unrelated], { trust: [chain.root.cert, unrelated.cert] }).chain).toHaveLength(3);
  });

  it('fails with 41 on an extension that does not decode', () => {
    const malformed = { oid: '2.5.29.17', value: Uint8Array.from([0x30, 0x03, 0x61, 0x62, 0x63]) };
    expect(outcome(simpleChain({ extensions: [malformed] }))).toEqual([X509_V.ERR_INVALID_EXTENSION, 0]);
  });
});

describe('peer name (RFC 6125)', () => {
  const chain = simpleChain();
  const options = { trust: [chain.root.cert] };

  it('fails with 62 for another hostname and 64 for another address, at depth 0', () => {
    expect(verify([chain.leaf, chain.intermediate], { ...options, hostname: 'EXAMPLE.com' }).chain).toHaveLength(3);
    const host = failure([chain.leaf, chain.intermediate], { ...options, hostname: 'example.org' });
    expect([host.code, host.depth, host.message, host.alert]).toEqual([62, 0, 'hostname mismatch', AlertDescription.bad_certificate]);
    expect(verify([chain.leaf, chain.intermediate], { ...options, ip: '192.0.2.1' }).chain).toHaveLength(3);
    expect(failure([chain.leaf, chain.intermediate], { ...options, ip: '192.0.2.2' }).code).toBe(X509_V.ERR_IP_ADDRESS_MISMATCH);
    expect(failure([chain.leaf, chain.intermediate], { ...options, hostname: '192.0.2.2' }).code).toBe(X509_V.ERR_IP_ADDRESS_MISMATCH);
  });

  it('falls back to the common name only when asked and there is no subjectAltName', () => {
    const root = issue({ subject: 'Root', ca: true });
    const leaf = issue({ subject: 'cn.example', issuer: root });
    expect(failure([leaf], { trust: [root.cert], hostname: 'cn.example' }).code).toBe(X509_V.ERR_HOSTNAME_MISMATCH);
    expect(verify([leaf], { trust: [root.cert], hostname: 'cn.example', checkCommonName: true }).chain).toHaveLength(2);
  });
});

describe('policies (§6.1.3 (d)–(f))', () => {
  it('fails with 43 when a CA requires an explicit policy that the path does not carry', () => {
    const root = issue({ subject: 'Root', ca: true });
    const requiring = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.requireExplicitPolicy(0), ext.certificatePolicies(['1.2.3'])] });
    const bare = issue({ subject: 'leaf', issuer: requiring });
    expect(failure([bare, requiring], { trust: [root.cert] }).code).toBe(X509_V.ERR_NO_EXPLICIT_POLICY);
    const other = issue({ subject: 'leaf', issuer: requiring, extensions: [ext.certificatePolicies(['1.2.4'])] });
    expect(failure([other, requiring], { trust: [root.cert] }).code).toBe(X509_V.ERR_NO_EXPLICIT_POLICY);
    const same = issue({ subject: 'leaf', issuer: requiring, extensions: [ext.certificatePolicies(['1.2.3'])] });
    expect(verify([same, requiring], { trust: [root.cert] }).chain).toHaveLength(3);
  });
});

/** A leaf issued by `intermediate`, then `intermediate`. */
function chainVia(intermediate: Issued): Issued[] {
  return [issue({ subject: 'leaf', issuer: intermediate }), intermediate];
}

describe('VERIFY_X509_STRICT', () => {
  it('requires an authorityKeyIdentifier below the anchor (85) and a subjectKeyIdentifier in CAs (86)', () => {
    const noAki = simpleChain({ omit: ['2.5.29.35'] });
    expect(verify([noAki.leaf, noAki.intermediate], { trust: [noAki.root.cert] }).chain).toHaveLength(3);
    expect(outcome(noAki, { flags: STRICT })).toEqual([X509_V.ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, 0]);
    const root = issue({ subject: 'Root', ca: true });
    const noSki = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.14'] });
    const leaf = issue({ subject: 'leaf', issuer: noSki });
    expect(failure([leaf, noSki], { trust: [root.cert], flags: STRICT }).code).toBe(X509_V.ERR_MISSING_SUBJECT_KEY_IDENTIFIER);
  });

  it('requires CA basicConstraints to be critical (89) and CAs to have keyUsage (92)', () => {
    const root = issue({ subject: 'Root', ca: true });
    const soft = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.basicConstraints(true, undefined, false)] });
    expect(failure([issue({ subject: 'leaf', issuer: soft }), soft], { trust: [root.cert], flags: STRICT }).code).toBe(X509_V.ERR_CA_BCONS_NOT_CRITICAL);
    const noKu = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.15'] });
    const leaf = issue({ subject: 'leaf', issuer: noKu });
    expect(verify([leaf, noKu], { trust: [root.cert] }).chain).toHaveLength(3);
    expect(failure([leaf, noKu], { trust: [root.cert], flags: STRICT }).code).toBe(X509_V.ERR_CA_CERT_MISSING_KEY_USAGE);
  });

  it('applies each OpenSSL strict rule with its code', () => {
    const root = issue({ subject: 'Root', ca: true });
    const emptyRoot = issue({ subject: seq(), ca: true });
    const cases: [string, Issued[], Issued, number, number][] = [
      ['pathLen in a non-CA', [issue({ subject: 'l', issuer: root, extensions: [ext.basicConstraints(false, 0)] })], root, X509_V.ERR_PATHLEN_INVALID_FOR_NON_CA, 0],
      // OpenSSL's X509_check_ca refuses a CA keyUsage without keyCertSign (79) before this rule, so it shows without keyUsage.
      ['pathLen without keyCertSign', chainVia(issue({ subject: 'Intermediate', ca: true, issuer: root, pathLen: 1, omit: ['2.5.29.15'] })), root, X509_V.ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, 1],
      ['keyCertSign in a non-CA', [issue({ subject: 'l', issuer: root, extensions: [ext.keyUsage([0, 5])] })], root, X509_V.ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, 0],
      ['empty issuer', [issue({ subject: 'l', issuer: emptyRoot })], emptyRoot, X509_V.ERR_ISSUER_NAME_EMPTY, 0],
      ['empty subject, no altName', [issue({ subject: seq(), issuer: root })], root, X509_V.ERR_SUBJECT_NAME_EMPTY, 0],
      ['empty subject, altName not critical', [issue({ subject: seq(), issuer: root, extensions: [ext.subjectAltName([gn.dns('a.test')])] })], root, X509_V.ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, 0],
    ];
    for (const [what, peer, anchor, code, depth] of cases) {
      const error = failure(peer, { trust: [anchor.cert], flags: STRICT | VerifyFlag.PARTIAL_CHAIN });
      expect([what, error.code, error.depth]).toEqual([what, code, depth]);
    }
  });
});

describe('VERIFY_X509_WEBPKI', () => {
  it('holds the leaf to the web-PKI subscriber profile: extKeyUsage present, not a CA', () => {
    const noEku = simpleChain({ omit: ['2.5.29.37'] });
    expect(verify([noEku.leaf, noEku.intermediate], { trust: [noEku.root.cert] }).chain).toHaveLength(3);
    expect(outcome(noEku, { flags: WEBPKI })).toEqual([X509_V.ERR_INVALID_PURPOSE, 0]);
    const caLeaf = simpleChain({ ca: true, extensions: [ext.keyUsage([0, 5])] });
    expect(outcome(caLeaf, { flags: WEBPKI })).toEqual([X509_V.ERR_INVALID_NON_CA, 0]);
  });

  it('refuses a common name that spells an address or a dNSName differently (BR §7.1.4.3)', () => {
    const hex = simpleChain({ subject: name([['CN', '0xC0000201']]) });
    expect(verify([hex.leaf, hex.intermediate], { trust: [hex.root.cert] }).chain).toHaveLength(3);
    expect(outcome(hex, { flags: WEBPKI })).toEqual([X509_V.ERR_UNSUPPORTED_NAME_SYNTAX, 0]);
    expect(outcome(simpleChain({ subject: name([['CN', 'Example.COM']]) }), { flags: WEBPKI })[0]).toBe(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX);
    const canonical = simpleChain({ subject: name([['CN', '192.0.2.1']]) });
    expect(verify([canonical.leaf, canonical.intermediate], { trust: [canonical.root.cert], flags: WEBPKI }).chain).toHaveLength(3);
  });

  it('applies each web-PKI rule with its code', () => {
    const root = issue({ subject: 'Root', ca: true });
    const ica = (extensions: RawExtension[]) => issue({ subject: 'Intermediate', ca: true, issuer: root, extensions });
    const p192 = seq(seq(oid('1.2.840.10045.2.1'), oid('1.2.840.10045.3.1.1')), tlv(0x03, [0, 4], new Uint8Array(48).fill(1)));
    const badKeyRoot = issue({ subject: 'Odd Root', ca: true, spki: p192 });
    const mismatchedAki = issue({ subject: 'AKI Root', ca: true, extensions: [ext.authorityKeyIdentifier(Uint8Array.of(1, 2))] });
    const crossSigned = issue({ subject: 'Cross', ca: true, issuer: root, omit: ['2.5.29.35'] });
    const cases: [string, Issued[], Issued, number, number][] = [
      ['critical altName beside a subject', [issue({ subject: 'l', issuer: root, extensions: [ext.subjectAltName([gn.dns('a.test')], true)] })], root, X509_V.ERR_INVALID_EXTENSION, 0],
      ['nameConstraints in a leaf', [issue({ subject: 'l', issuer: root, extensions: [ext.nameConstraints([gn.dns('a.test')])] })], root, X509_V.ERR_INVALID_EXTENSION, 0],
      ['policyConstraints not critical', chainVia(ica([{ ...ext.requireExplicitPolicy(5), critical: false }])), root, X509_V.ERR_INVALID_POLICY_EXTENSION, 1],
      ['root AKI naming another key', [issue({ subject: 'l', issuer: mismatchedAki })], mismatchedAki, X509_V.ERR_AKID_SKID_MISMATCH, 1],
      ['cross-signed anchor without authorityKeyIdentifier', [issue({ subject: 'l', issuer: crossSigned })], crossSigned, X509_V.ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, 1],
    ];
    for (const [what, peer, anchor, code, depth] of cases) {
      const options = { trust: [anchor.cert], flags: VerifyFlag.PARTIAL_CHAIN };
      // None of these is an OpenSSL rule: accepted without the flag, VERIFY_X509_STRICT included.
      expect([what, verify(peer, { ...options, flags: STRICT | VerifyFlag.PARTIAL_CHAIN }).chain.length]).toEqual([what, peer.length + 1]);
      const error = failure(peer, { ...options, flags: WEBPKI | VerifyFlag.PARTIAL_CHAIN });
      expect([what, error.code, error.depth]).toEqual([what, code, depth]);
    }
    // An anchor key that does not decode fails every profile (6, at the signature check); this one at once.
    const badKeyLeaf = [issue({ subject: 'l', issuer: badKeyRoot })];
    expect(failure(badKeyLeaf, { trust: [badKeyRoot.cert], flags: WEBPKI }).depth).toBe(1);
    expect(failure(badKeyLeaf, { trust: [badKeyRoot.cert], flags: WEBPKI }).code).toBe(X509_V.ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY);
  });

  it('lets a trust anchor lack keyUsage, which VERIFY_X509_STRICT alone refuses (92)', () => {
    const root = issue({ subject: 'Root', ca: true, omit: ['2.5.29.15'] });
    const leaf = issue({ subject: 'leaf', issuer: root });
    expect(failure([leaf], { trust: [root.cert], flags: STRICT }).code).toBe(X509_V.ERR_CA_CERT_MISSING_KEY_USAGE);
    expect(verify([leaf], { trust: [root.cert], flags: STRICT | WEBPKI }).chain).toHaveLength(2);
  });

  it('refuses a zero serial number below the anchor', () => {
    expect(outcome(simpleChain({ serial: Uint8Array.of(0) }), { flags: WEBPKI })).toEqual([X509_V.ERR_CERT_REJECTED, 0]);
  });
});

describe('agreement with openssl verify', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'puretls-validate-'));
  });

  /** OpenSSL's `error N at D depth` for the same inputs, or 0. */
  function opensslVerify(chain: { root: Issued; intermediate: Issued; leaf: Issued }, args: readonly string[] = []): [number, number] {
    const write = (file: string, c: Issued) => (writeFileSync(join(dir, file), certificateToPem(c.der)), join(dir, file));
    return opensslVerifyResult(['-attime', String(NOW), '-purpose', 'sslserver', '-CAfile', write('root.pem', chain.root), '-untrusted', write('int.pem', chain.intermediate), ...args, write('leaf.pem', chain.leaf)]);
  }

  function ours(chain: { root: Issued; intermediate: Issued; leaf: Issued }, options: Omit<Partial<VerifyOptions>, 'trust'> = {}): [number, number] {
    try {
      verify([chain.leaf, chain.intermediate], { trust: [chain.root.cert], flags: VerifyFlag.TRUSTED_FIRST, ...options });
      return [0, 0];
    } catch (error) {
      if (!(error instanceof X509VerifyError)) throw error;
      return [error.code, error.depth];
    }
  }

  it('gives the same code and depth on the same chains', () => {
    const root = issue({ subject: 'Root', ca: true });
    const expiredCa = issue({ subject: 'Intermediate', ca: true, issuer: root, notAfter: NOW - 10 });
    const notCa = issue({ subject: 'Intermediate', issuer: root, extensions: [ext.keyUsage([5])] });
    const cases = [
      simpleChain(),
      simpleChain({ notAfter: NOW - 10 }),
      simpleChain({ notBefore: NOW + 10 }),
      simpleChain({ extensions: [ext.extKeyUsage([EKU.clientAuth])] }),
      simpleChain({ extensions: [{ oid: '1.2.3.4', critical: true, value: seq() }] }),
      { root, intermediate: expiredCa, leaf: issue({ subject: 'leaf', issuer: expiredCa }) },
      { root, intermediate: notCa, leaf: issue({ subject: 'leaf', issuer: notCa }) },
    ];
    for (const chain of cases) expect(ours(chain)).toEqual(opensslVerify(chain));
    const unknownRoot = { ...simpleChain(), root: issue({ subject: 'Elsewhere', ca: true }) };
    expect(ours(unknownRoot)).toEqual(opensslVerify(unknownRoot));
    const named = simpleChain();
    expect(ours(named, { hostname: 'example.org' })).toEqual(opensslVerify(named, ['-verify_hostname', 'example.org']));
    expect(ours(named, { ip: '192.0.2.9' })).toEqual(opensslVerify(named, ['-verify_ip', '192.0.2.9']));
  });
});

describe('name constraints in a path (§6.1.4 (g))', () => {
  it('applies a CA constraint to everything below it except self-issued intermediates', () => {
    const root = issue({ subject: 'Root', ca: true, extensions: [ext.nameConstraints([gn.dns('example.com')])] });
    const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root });
    const inside = issue({ subject: 'in', issuer: intermediate, extensions: [ext.subjectAltName([gn.dns('www.example.com')])] });
    const outside = issue({ subject: 'out', issuer: intermediate, extensions: [ext.subjectAltName([gn.dns('example.org')])] });
    expect(verify([inside, intermediate], { trust: [root.cert] }).chain).toHaveLength(3);
    const error = failure([outside, intermediate], { trust: [root.cert] });
    expect([error.code, error.depth, error.message]).toEqual([47, 0, 'permitted subtree violation']);
    // A self-issued intermediate is exempt: its own altName need not fit.
    const rollover = issue({ subject: 'Root', ca: true, issuer: root, extensions: [ext.subjectAltName([gn.dns('other.test')])] });
    const below = issue({ subject: 'in', issuer: rollover, extensions: [ext.subjectAltName([gn.dns('a.example.com')])] });
    expect(verify([below, rollover], { trust: [root.cert] }).chain).toHaveLength(3);
  });

  it('checks the common name as a hostname when the leaf has no subjectAltName', () => {
    const root = issue({ subject: 'Root', ca: true, extensions: [ext.nameConstraints([], [gn.dns('bad.test')])] });
    const leaf = issue({ subject: 'www.bad.test', issuer: root });
    expect(failure([leaf], { trust: [root.cert] }).code).toBe(X509_V.ERR_EXCLUDED_VIOLATION);
  });

  it('fails with 49 on a subtree minimum or maximum', () => {
    const withMax = { oid: '2.5.29.30', critical: true, value: seq(tlv(0xa0, seq(gn.dns('example.com'), tlv(0x81, [1])))) };
    const root = issue({ subject: 'Root', ca: true, extensions: [withMax] });
    expect(failure([issue({ subject: 'leaf', issuer: root })], { trust: [root.cert] }).code).toBe(X509_V.ERR_SUBTREE_MINMAX);
  });
});
