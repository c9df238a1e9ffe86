/**
 * Path building (RFC 4158) through `verifyCertificateChain`: several issuer
 * candidates with backtracking, key identifier hints, loops, the depth limit,
 * trusted-first, partial chains, the OpenSSL codes for a missing issuer, and
 * the bound on work for hostile inputs.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { bytesEqual } from '../../src/wire/bytes.ts';
import type { Certificate } from '../../src/x509/certificate.ts';
import { MAX_NAME_CONSTRAINT_COMPARISONS, MAX_SIGNATURE_CHECKS, type VerificationStats } from '../../src/x509/verification-budget.ts';
import { type VerifyOptions, VerifyFlag, verifyCertificateChain } from '../../src/x509/verify.ts';
import { X509_V, X509VerifyError } from '../../src/x509/verify-codes.ts';
import { NOW, type Issued, ext, gn, issue, newKey, simpleChain } from '../fixtures/x509-validate/builder.ts';

function verify(peer: readonly Issued[], options: Omit<Partial<VerifyOptions>, 'trust'> & { trust: readonly Certificate[] }, provider: CryptoProvider = nobleProvider) {
  return verifyCertificateChain(provider, peer.map((c) => c.der), { purpose: 'serverAuth', time: NOW, ...options });
}

function failure(run: () => unknown): X509VerifyError {
  try {
    run();
  } catch (error) {
    if (error instanceof X509VerifyError) return error;
    throw error;
  }
  throw new Error('verification succeeded');
}

const ders = (chain: readonly Certificate[]) => chain.map((c) => c.der);

describe('path building', () => {
  it('builds leaf → intermediate → root, leaf first', () => {
    const { root, intermediate, leaf } = simpleChain();
    const { chain } = verify([leaf, intermediate], { trust: [root.cert] });
    expect(ders(chain)).toEqual([leaf.der, intermediate.der, root.der]);
  });

  it('takes intermediates from the options as well as from the peer, in any order', () => {
    const { root, intermediate, leaf } = simpleChain();
    expect(verify([leaf], { trust: [root.cert], intermediates: [intermediate.cert] }).chain).toHaveLength(3);
  });

  it('backtracks to another candidate issuer when the first fails validation', () => {
    const root = issue({ subject: 'Root', ca: true });
    // Two intermediates with the same subject and key: the first is expired.
    const key = newKey();
    const expired = issue({ subject: 'Intermediate', ca: true, issuer: root, key, notAfter: NOW - 10 });
    const current = issue({ subject: 'Intermediate', ca: true, issuer: root, key });
    const leaf = issue({ subject: 'leaf', issuer: current });
    const { chain } = verify([leaf, expired, current], { trust: [root.cert] });
    expect(bytesEqual(chain[1]!.der, current.der)).toBe(true);
  });

  it('backtracks past a candidate whose signature does not verify', () => {
    const root = issue({ subject: 'Root', ca: true });
    // Same subject, no key identifiers to tell them apart: only the signature can.
    const impostor = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.14'] });
    const real = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.14'] });
    const leaf = issue({ subject: 'leaf', issuer: real, omit: ['2.5.29.35'] });
    const { chain } = verify([leaf, impostor, real], { trust: [root.cert] });
    expect(bytesEqual(chain[1]!.der, real.der)).toBe(true);
  });

  it('reports the first complete path that failed when none validates', () => {
    const root = issue({ subject: 'Root', ca: true });
    const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root, notAfter: NOW - 10 });
    const leaf = issue({ subject: 'leaf', issuer: intermediate });
    const error = failure(() => verify([leaf, intermediate], { trust: [root.cert] }));
    expect([error.code, error.depth]).toEqual([X509_V.ERR_CERT_HAS_EXPIRED, 1]);
  });

  it('rules out a candidate whose subject key identifier differs from the authority key identifier', () => {
    const root = issue({ subject: 'Root', ca: true });
    const key = newKey();
    const intermediate = issue({ subject: 'Intermediate', ca: true, issuer: root, key });
    const leaf = issue({ subject: 'leaf', issuer: intermediate, extensions: [ext.authorityKeyIdentifier(Uint8Array.of(1, 2, 3))] });
    // The signature would verify; the AKI says it is some other key, so no issuer is found.
    const error = failure(() => verify([leaf, intermediate], { trust: [root.cert] }));
    expect([error.code, error.depth]).toEqual([X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0]);
  });

  it('does not loop through CAs that certify each other', () => {
    const root = issue({ subject: 'Root', ca: true });
    const keyA = newKey();
    const keyB = newKey();
    const a0 = issue({ subject: 'A', ca: true, key: keyA, issuer: issue({ subject: 'B', ca: true, key: keyB }) });
    const b = issue({ subject: 'B', ca: true, key: keyB, issuer: a0 });
    const a = issue({ subject: 'A', ca: true, key: keyA, issuer: b });
    const leaf = issue({ subject: 'leaf', issuer: a });
    const error = failure(() => verify([leaf, a, b, a0], { trust: [root.cert] }));
    expect(error.code).toBe(X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  });

  it('limits the intermediates to maxDepth, not counting self-issued ones', () => {
    const { root, intermediate, leaf } = simpleChain();
    expect(verify([leaf, intermediate], { trust: [root.cert], maxDepth: 1 }).chain).toHaveLength(3);
    const error = failure(() => verify([leaf, intermediate], { trust: [root.cert], maxDepth: 0 }));
    expect(error.code).toBe(X509_V.ERR_CERT_CHAIN_TOO_LONG);
    // A self-issued rollover certificate (new key certified by the old one) is free.
    const newCaKey = newKey();
    const rollover = issue({ subject: 'Test Intermediate', ca: true, issuer: intermediate, key: newCaKey });
    const leaf2 = issue({ subject: 'leaf2', issuer: rollover });
    expect(verify([leaf2, rollover, intermediate], { trust: [root.cert], maxDepth: 1 }).chain).toHaveLength(4);
  });

  it('with TRUSTED_FIRST ends at a trusted root rather than following a cross-certificate', () => {
    const oldRoot = issue({ subject: 'Old Root', ca: true });
    const key = newKey();
    const newRoot = issue({ subject: 'New Root', ca: true, key });
    const cross = issue({ subject: 'New Root', ca: true, key, issuer: oldRoot });
    const leaf = issue({ subject: 'leaf', issuer: newRoot });
    const trust = [oldRoot.cert, newRoot.cert];
    const first = verify([leaf, cross], { trust, flags: VerifyFlag.TRUSTED_FIRST });
    expect(ders(first.chain)).toEqual([leaf.der, newRoot.der]);
    const untrustedFirst = verify([leaf, cross], { trust });
    expect(ders(untrustedFirst.chain)).toEqual([leaf.der, cross.der, oldRoot.der]);
  });

  it('stops at a trusted intermediate only with PARTIAL_CHAIN', () => {
    const { intermediate, leaf } = simpleChain();
    const error = failure(() => verify([leaf], { trust: [intermediate.cert] }));
    expect([error.code, error.depth]).toEqual([X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT, 1]);
    const { chain } = verify([leaf], { trust: [intermediate.cert], flags: VerifyFlag.PARTIAL_CHAIN });
    expect(ders(chain)).toEqual([leaf.der, intermediate.der]);
  });

  it('accepts a trusted self-signed leaf on its own', () => {
    const self = issue({ subject: 'self', ca: true, extensions: [ext.keyUsage([0, 5])] });
    expect(ders(verify([self], { trust: [self.cert] }).chain)).toEqual([self.der]);
  });

  it('uses OpenSSL codes 18, 19, 20 for an untrusted self-signed leaf, root, or a missing issuer', () => {
    const { root, intermediate, leaf } = simpleChain();
    const other = issue({ subject: 'Other Root', ca: true });
    const self = issue({ subject: 'self' });
    expect(failure(() => verify([self], { trust: [other.cert] })).code).toBe(X509_V.ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
    const inChain = failure(() => verify([leaf, intermediate, root], { trust: [other.cert] }));
    expect([inChain.code, inChain.depth]).toEqual([X509_V.ERR_SELF_SIGNED_CERT_IN_CHAIN, 2]);
    const missing = failure(() => verify([leaf], { trust: [other.cert] }));
    expect([missing.code, missing.depth, missing.message]).toEqual([20, 0, 'unable to get local issuer certificate']);
  });

  it('prefers the trusted copy of a certificate the peer also sent', () => {
    const { root, intermediate, leaf } = simpleChain();
    const { chain } = verify([leaf, intermediate, root], { trust: [root.cert] });
    expect(ders(chain)).toEqual([leaf.der, intermediate.der, root.der]);
  });

  it('bounds the work on a hundred same-named CAs with distinct keys', () => {
    const root = issue({ subject: 'Root', ca: true });
    // No key identifiers: every one is a candidate issuer of every other.
    const cas: Issued[] = [issue({ subject: 'CA', ca: true, omit: ['2.5.29.14', '2.5.29.35'] })];
    for (let i = 1; i < 100; i++) cas.push(issue({ subject: 'CA', ca: true, issuer: cas[i - 1], omit: ['2.5.29.14', '2.5.29.35'] }));
    const leaf = issue({ subject: 'leaf', issuer: cas[99], omit: ['2.5.29.35'] });
    let verifications = 0;
    const counting: CryptoProvider = { ...nobleProvider, verify: (...args) => (verifications++, nobleProvider.verify(...args)) };
    const error = failure(() => verify([leaf, ...cas], { trust: [root.cert] }, counting));
    expect(error).toBeInstanceOf(X509VerifyError);
    expect(verifications).toBeLessThanOrEqual(MAX_SIGNATURE_CHECKS);
  });

  it('checks a candidate issuer\'s signature before spending name-constraint work on its path', () => {
    const root = issue({ subject: 'Root', ca: true });
    const permitted = ext.nameConstraints([gn.dns('example')]);
    // Three look-alikes of the real intermediate, certified by the root, that did not sign the leaf.
    const lookAlikes = [0, 1, 2].map(() => issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.14'], extensions: [permitted] }));
    const real = issue({ subject: 'Intermediate', ca: true, issuer: root, omit: ['2.5.29.14'], extensions: [permitted] });
    const leaf = issue({ subject: 'leaf', issuer: real, omit: ['2.5.29.35'], extensions: [ext.subjectAltName([gn.dns('a.example')])] });
    const stats: VerificationStats = { signatureChecks: 0, nameConstraintComparisons: 0 };
    const { chain } = verify([leaf, ...lookAlikes, real], { trust: [root.cert], stats });
    expect(bytesEqual(chain[1]!.der, real.der)).toBe(true);
    // The leaf under each of the four, then the real one under the root; the leaf's two names
    // (subject and dNSName) against one subtree on the real path only.
    expect(stats).toEqual({ signatureChecks: 5, nameConstraintComparisons: 2 });
  });

  it('spends one name-constraint budget across all candidate paths', () => {
    const root = issue({ subject: 'Root', ca: true });
    const key = newKey();
    // Three genuine intermediates with the same name and key, each excluding the leaf's last name:
    // each path costs 1,001 names × 100 subtrees and fails; the third would exceed the budget.
    const excluded = [...Array.from({ length: 99 }, (_, i) => gn.dns(`x${i}.test`)), gn.dns('n999.example')];
    const cas = [0, 1, 2].map(() => issue({ subject: 'CA', ca: true, issuer: root, key, extensions: [ext.nameConstraints([], excluded)] }));
    const names = Array.from({ length: 1000 }, (_, i) => gn.dns(`n${i}.example`));
    const leaf = issue({ subject: 'leaf', issuer: cas[0], extensions: [ext.subjectAltName(names)] });
    const stats: VerificationStats = { signatureChecks: 0, nameConstraintComparisons: 0 };
    const error = failure(() => verify([leaf, ...cas], { trust: [root.cert], stats }));
    expect(3 * 100_100).toBeGreaterThan(MAX_NAME_CONSTRAINT_COMPARISONS);
    expect([error.code, stats.nameConstraintComparisons]).toEqual([X509_V.ERR_UNSPECIFIED, 2 * 100_100]);
    // With one such intermediate the path fails on its own merits.
    expect(failure(() => verify([leaf, cas[0]!], { trust: [root.cert] })).code).toBe(X509_V.ERR_EXCLUDED_VIOLATION);
  });
});
