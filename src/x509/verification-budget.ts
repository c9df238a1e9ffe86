/**
 * What one certificate verification may cost, whatever the peer sent: the
 * signature checks and the name-constraint comparisons of every candidate
 * path it tries count against one allowance, so a chain built to multiply the
 * work (many look-alike issuers, a leaf with thousands of names against CAs
 * with hundreds of subtrees) ends with an error instead of grinding. The
 * limits are those of rustls/webpki, whose budget also spans the whole
 * verification: 100 signatures (Go's `maxChainSignatureChecks` too) and
 * 250,000 name-constraint comparisons (Go's default `MaxConstraintComparisions`).
 * Spending past either ends the verification at once with
 * `X509_V_ERR_UNSPECIFIED`: the allowance is shared, so no other path could
 * still be tried within it.
 * @module
 */
import { X509_V, X509VerifyError } from './verify-codes.ts';

/** Signature verifications per verification, across all candidate issuers and paths (CRLs' included). */
export const MAX_SIGNATURE_CHECKS = 100;
/**
 * Name-against-subtree comparisons per verification, across all candidate
 * paths (RFC 5280 §6.1.3 (b)–(c)). Real chains need a few dozen; a leaf with
 * 1,000 names under a CA with 250 subtrees is already at the limit.
 */
export const MAX_NAME_CONSTRAINT_COMPARISONS = 250_000;

/** The work verifications did, added to by each verification it is passed to (tests and benchmarks read it). */
export interface VerificationStats {
  signatureChecks: number;
  nameConstraintComparisons: number;
}

export class VerificationBudget {
  #signatureChecks = 0;
  #comparisons = 0;

  /** Counts one signature verification about to be made, or throws when the allowance is spent. */
  spendSignatureCheck(): void {
    if (this.#signatureChecks >= MAX_SIGNATURE_CHECKS) {
      throw new X509VerifyError(X509_V.ERR_UNSPECIFIED, 0, `more than ${MAX_SIGNATURE_CHECKS} signature checks`);
    }
    this.#signatureChecks++;
  }

  /** Counts `count` comparisons about to be made, or throws, without making them, when they would exceed the allowance. */
  spendComparisons(count: number): void {
    if (this.#comparisons + count > MAX_NAME_CONSTRAINT_COMPARISONS) {
      throw new X509VerifyError(X509_V.ERR_UNSPECIFIED, 0, `more than ${MAX_NAME_CONSTRAINT_COMPARISONS} name constraint comparisons`);
    }
    this.#comparisons += count;
  }

  /** Adds what was spent to `stats`. */
  report(stats: VerificationStats): void {
    stats.signatureChecks += this.#signatureChecks;
    stats.nameConstraintComparisons += this.#comparisons;
  }
}
