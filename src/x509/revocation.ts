/**
 * Revocation checking from CRLs the caller supplies (RFC 5280 §6.3, reduced
 * as OpenSSL reduces it without delta CRLs): for the leaf, or with
 * CRL_CHECK_ALL for every certificate below the trust anchor, there must be
 * a complete CRL from the certificate's issuer that is current, correctly
 * signed by the issuer's key (whose keyUsage, if any, allows cRLSign), carries
 * no critical extension we do not process, and does not list the
 * certificate's serial number. No usable CRL is a failure, as in OpenSSL
 * ("unable to get certificate CRL"). Delta CRLs, indirect CRLs and CRLs
 * partitioned by reason are not used.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { bytesEqual } from '../wire/bytes.ts';
import type { Certificate } from './certificate.ts';
import { type Crl, CrlExtensionOid, parseCrl } from './crl.ts';
import { ExtensionOid } from './oids.ts';
import type { VerificationBudget } from './verification-budget.ts';
import { sameName } from './name-compare.ts';
import type { PathNode } from './path-builder.ts';
import { type VerifyCode, X509_V, X509VerifyError } from './verify-codes.ts';

/** CRL extensions we process, so they may be critical (§5.2); cRLNumber must not be (§5.2.3). */
const PROCESSED_CRITICAL: ReadonlySet<string> = new Set([CrlExtensionOid.issuingDistributionPoint, ExtensionOid.authorityKeyIdentifier]);
/** reasonCode, invalidityDate: informational entry extensions (§5.3.1, §5.3.2). */
const PROCESSED_ENTRY_CRITICAL: ReadonlySet<string> = new Set(['2.5.29.21', '2.5.29.24']);

export class RevocationChecker {
  readonly #provider: CryptoProvider;
  readonly #crls: readonly Crl[];
  readonly #time: number;
  readonly #wholeChain: boolean;
  readonly #budget: VerificationBudget;

  /** `crls` that do not parse are left out (they are nobody's CRL); their signature checks are spent from `budget`. */
  constructor(provider: CryptoProvider, crls: readonly Uint8Array[], time: number, wholeChain: boolean, budget: VerificationBudget) {
    this.#provider = provider;
    this.#crls = crls.flatMap((der) => {
      try {
        return [parseCrl(der)];
      } catch {
        return [];
      }
    });
    this.#time = time;
    this.#wholeChain = wholeChain;
    this.#budget = budget;
  }

  /** Null when no certificate that needs checking is revoked or lacks a usable CRL. */
  check(path: readonly PathNode[]): X509VerifyError | null {
    const last = this.#wholeChain ? path.length - 2 : Math.min(0, path.length - 2);
    for (let i = 0; i <= last; i++) {
      const code = this.#status(path[i]!.cert, path[i + 1]!.cert);
      if (code !== null) return new X509VerifyError(code, i);
    }
    return null;
  }

  /** The verdict on `cert`: null (not revoked, per a usable CRL) or a code. */
  #status(cert: Certificate, issuer: Certificate): VerifyCode | null {
    let problem: VerifyCode = X509_V.ERR_UNABLE_TO_GET_CRL;
    for (const crl of this.#crls) {
      if (!this.#covers(crl, cert, issuer)) continue;
      const invalid = this.#judge(crl, issuer);
      if (invalid !== null) {
        problem = invalid;
        continue;
      }
      const entry = crl.revoked.get(cert.serialHex);
      if (entry === undefined) return null;
      if (entry.criticalExtensions.some((oid) => !PROCESSED_ENTRY_CRITICAL.has(oid))) return X509_V.ERR_UNHANDLED_CRITICAL_CRL_EXTENSION;
      return X509_V.ERR_CERT_REVOKED;
    }
    return problem;
  }

  /** §6.3.3 (b): a complete, direct CRL by `cert`'s issuer whose scope includes `cert`. */
  #covers(crl: Crl, cert: Certificate, issuer: Certificate): boolean {
    if (!sameName(crl.issuer, cert.issuer)) return false;
    if (crl.extensions.get(CrlExtensionOid.deltaCRLIndicator)) return false;
    const keyId = crl.extensions.authorityKeyIdentifier?.keyIdentifier;
    const ski = issuer.extensions.subjectKeyIdentifier;
    if (keyId !== undefined && ski !== undefined && !bytesEqual(keyId, ski)) return false;
    const scope = crl.scope;
    if (scope === undefined) return true;
    const isCa = cert.extensions.basicConstraints?.ca === true;
    return !scope.indirect && !scope.onlySomeReasons && !scope.onlyAttributeCerts && !(scope.onlyCaCerts && !isCa) && !(scope.onlyUserCerts && isCa);
  }

  /** Null when `crl` is usable, else why not (§6.3.3 (a), (f)–(g); §5.2.3). */
  #judge(crl: Crl, issuer: Certificate): VerifyCode | null {
    if (crl.thisUpdate > this.#time) return X509_V.ERR_CRL_NOT_YET_VALID;
    if (crl.nextUpdate !== undefined && crl.nextUpdate < this.#time) return X509_V.ERR_CRL_HAS_EXPIRED;
    const number = crl.extensions.get(CrlExtensionOid.cRLNumber);
    // §5.2.3: conforming CRL issuers MUST include cRLNumber, and MUST mark it non-critical.
    if (number === undefined) return X509_V.ERR_UNABLE_TO_GET_CRL;
    if (number.critical) return X509_V.ERR_UNHANDLED_CRITICAL_CRL_EXTENSION;
    if (crl.extensions.list.some((e) => e.critical && !PROCESSED_CRITICAL.has(e.oid))) return X509_V.ERR_UNHANDLED_CRITICAL_CRL_EXTENSION;
    const usage = issuer.extensions.keyUsage;
    if (usage !== undefined && !usage.names.includes('cRLSign')) return X509_V.ERR_KEYUSAGE_NO_CRL_SIGN;
    const algorithm = crl.signatureAlgorithm.algorithm;
    if (algorithm.type === 'unsupported') return X509_V.ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE;
    let key;
    try {
      key = issuer.publicKey;
    } catch {
      return X509_V.ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY;
    }
    this.#budget.spendSignatureCheck();
    return this.#provider.verify(algorithm, key, crl.tbsDer, crl.signatureValue) ? null : X509_V.ERR_CRL_SIGNATURE_FAILURE;
  }
}
