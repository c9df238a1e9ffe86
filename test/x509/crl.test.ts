/**
 * CRLs (RFC 5280 §5) and revocation checking (§6.3) under
 * VERIFY_CRL_CHECK_LEAF / _CHAIN: parsing, and every reason a certificate is
 * refused, with OpenSSL's codes; `openssl crl` reads what the builder makes.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { toHex } from '../../src/wire/bytes.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { parseCrl } from '../../src/x509/crl.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { crlToPem } from '../../src/x509/pem.ts';
import { VerifyFlag, verifyCertificateChain } from '../../src/x509/verify.ts';
import { X509_V, X509VerifyError } from '../../src/x509/verify-codes.ts';
import { type CrlSpec, NOW, type Issued, ext, issue, issueCrl, newKey } from '../fixtures/x509-validate/builder.ts';

const LEAF = VerifyFlag.CRL_CHECK;
const CHAIN = VerifyFlag.CRL_CHECK | VerifyFlag.CRL_CHECK_ALL;

function pki() {
  const root = issue({ subject: 'Root', ca: true });
  const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root, serial: 77 });
  const leaf = issue({ subject: 'leaf', issuer: intermediate, serial: 4242 });
  return { root, intermediate, leaf };
}

/** The verify code and depth, or [0, 0] on success. */
function check(p: { root: Issued; intermediate: Issued; leaf: Issued }, crls: Uint8Array[], flags: number = LEAF): [number, number] {
  try {
    verifyCertificateChain(nobleProvider, [p.leaf.der, p.intermediate.der], { trust: [p.root.cert], purpose: 'serverAuth', time: NOW, crls, flags });
    return [0, 0];
  } catch (error) {
    if (!(error instanceof X509VerifyError)) throw error;
    return [error.code, error.depth];
  }
}

const crlOf = (p: { intermediate: Issued }, spec: Partial<CrlSpec> = {}) => issueCrl({ issuer: p.intermediate, ...spec });

describe('parseCrl', () => {
  it('reads issuer, dates, entries and extensions of a CRL openssl also reads', () => {
    const p = pki();
    const der = crlOf(p, { revoked: [4242, 5] });
    const crl = parseCrl(der);
    expect(crl.version).toBe(2);
    expect(crl.thisUpdate).toBe(NOW - 86400);
    expect(crl.nextUpdate).toBe(NOW + 7 * 86400);
    expect([...crl.revoked.keys()]).toEqual([toHex(Uint8Array.of(0x10, 0x92)), '05']);
    expect(crl.extensions.get('2.5.29.20')?.critical).toBe(false);
    const text = execFileSync('openssl', ['crl', '-noout', '-text'], { input: crlToPem(der) }).toString();
    expect(text).toContain('Serial Number: 1092');
    expect(text).toContain('X509v3 CRL Number');
  });

  it('refuses every truncation and trailing bytes with X509ParseError', () => {
    const der = crlOf(pki());
    for (let n = 0; n < der.length; n += 7) expect(() => parseCrl(der.subarray(0, n))).toThrow(X509ParseError);
    expect(() => parseCrl(Uint8Array.of(...der, 0))).toThrow(X509ParseError);
  });
});

describe('revocation', () => {
  const p = pki();

  it('accepts a certificate the issuer CRL does not list', () => {
    expect(check(p, [crlOf(p, { revoked: [1, 2] })])).toEqual([0, 0]);
  });

  it('fails with 23 (certificate_revoked) for a listed certificate', () => {
    expect(check(p, [crlOf(p, { revoked: [4242] })])).toEqual([X509_V.ERR_CERT_REVOKED, 0]);
    try {
      verifyCertificateChain(nobleProvider, [p.leaf.der, p.intermediate.der], { trust: [p.root.cert], purpose: 'serverAuth', time: NOW, crls: [crlOf(p, { revoked: [4242] })], flags: LEAF });
    } catch (error) {
      expect((error as X509VerifyError).alert).toBe(AlertDescription.certificate_revoked);
    }
  });

  it('fails with 3 when no CRL is supplied, as OpenSSL does', () => {
    expect(check(p, [])).toEqual([X509_V.ERR_UNABLE_TO_GET_CRL, 0]);
  });

  it('ignores a CRL from another issuer, even one listing the serial', () => {
    const other = issue({ subject: 'Other CA', ca: true });
    expect(check(p, [issueCrl({ issuer: other, revoked: [4242] }), crlOf(p)])).toEqual([0, 0]);
    expect(check(p, [issueCrl({ issuer: other, revoked: [4242] })])).toEqual([X509_V.ERR_UNABLE_TO_GET_CRL, 0]);
  });

  it('judges the CRL: dates (11, 12), signature (8), cRLNumber (3, 36), critical extensions (36)', () => {
    expect(check(p, [crlOf(p, { thisUpdate: NOW + 10 })])).toEqual([X509_V.ERR_CRL_NOT_YET_VALID, 0]);
    expect(check(p, [crlOf(p, { nextUpdate: NOW - 10 })])).toEqual([X509_V.ERR_CRL_HAS_EXPIRED, 0]);
    expect(check(p, [crlOf(p, { nextUpdate: null })])).toEqual([0, 0]);
    expect(check(p, [crlOf(p, { signer: newKey() })])).toEqual([X509_V.ERR_CRL_SIGNATURE_FAILURE, 0]);
    expect(check(p, [crlOf(p, { number: null })])).toEqual([X509_V.ERR_UNABLE_TO_GET_CRL, 0]);
    expect(check(p, [crlOf(p, { numberCritical: true })])).toEqual([X509_V.ERR_UNHANDLED_CRITICAL_CRL_EXTENSION, 0]);
    const unknown = { oid: '1.3.6.1.4.1.55738.666.2', critical: true, value: Uint8Array.of(5, 0) };
    expect(check(p, [crlOf(p, { extensions: [unknown] })])).toEqual([X509_V.ERR_UNHANDLED_CRITICAL_CRL_EXTENSION, 0]);
  });

  it('uses a good CRL when a bad one is also supplied', () => {
    expect(check(p, [crlOf(p, { signer: newKey(), revoked: [4242] }), crlOf(p)])).toEqual([0, 0]);
  });

  it('fails with 35 when the issuer keyUsage lacks cRLSign, and accepts an issuer without keyUsage', () => {
    const root = issue({ subject: 'Root', ca: true });
    const noCrlSign = issue({ subject: 'Intermediate', ca: true, issuer: root, extensions: [ext.keyUsage([5])] });
    const leaf = issue({ subject: 'leaf', issuer: noCrlSign });
    expect(check({ root, intermediate: noCrlSign, leaf }, [issueCrl({ issuer: noCrlSign })])).toEqual([X509_V.ERR_KEYUSAGE_NO_CRL_SIGN, 0]);
    const noKu = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.15'] });
    const leaf2 = issue({ subject: 'leaf', issuer: noKu });
    expect(check({ root, intermediate: noKu, leaf: leaf2 }, [issueCrl({ issuer: noKu })])).toEqual([0, 0]);
  });

  it('with CRL_CHECK_CHAIN also needs the intermediate covered by the root CRL', () => {
    const leafCrl = crlOf(p);
    expect(check(p, [leafCrl], CHAIN)).toEqual([X509_V.ERR_UNABLE_TO_GET_CRL, 1]);
    expect(check(p, [leafCrl, issueCrl({ issuer: p.root })], CHAIN)).toEqual([0, 0]);
    expect(check(p, [leafCrl, issueCrl({ issuer: p.root, revoked: [77] })], CHAIN)).toEqual([X509_V.ERR_CERT_REVOKED, 1]);
  });

  it('skips CRLs that do not parse', () => {
    expect(check(p, [Uint8Array.of(0x30, 0x00), crlOf(p)])).toEqual([0, 0]);
  });
});
