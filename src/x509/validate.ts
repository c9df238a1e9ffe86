/**
 * Certification path validation (RFC 5280 §6.1) of one candidate path, leaf
 * first and trust anchor last, as OpenSSL applies it: the anchor's own
 * constraints (basicConstraints, keyUsage, nameConstraints, validity) count.
 * First each certificate in turn, leaf first, gets OpenSSL's
 * `check_extensions` in its order (profile rules of `validate-profile.ts`,
 * CA-ness, the strict rules under VERIFY_X509_STRICT, the web-PKI rules of
 * `validate-webpki.ts` under VERIFY_X509_WEBPKI, key usages for the purpose,
 * path length), so that a path breaking several rules fails with OpenSSL's
 * code and depth. Then the peer's name, validity at the given time, name
 * constraints and policies. The signatures (§6.1.3 (a)(1)) are not checked
 * here: the path builder asks `signedBy` as it tries each issuer, so a path
 * reaches validation only once every signature in it verified, and no
 * name-constraint work is spent on a look-alike issuer. Signature checks and
 * name-constraint comparisons are spent from the verification's budget
 * (`verification-budget.ts`), shared by all its candidate paths.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { copyPublicKey, rsaModulusBits } from '../crypto/keys.ts';
import type { Certificate } from './certificate.ts';
import { KeyPurposeOid } from './oids.ts';
import type { KeyUsageName } from './extensions.ts';
import type { PathNode } from './path-builder.ts';
import { type ComparisonBudget, checkConstraintSyntax, checkNameConstraints } from './name-constraints.ts';
import { checkPolicies } from './policy.ts';
import { type Position, type ProfileFailure, caKind, checkAlways, checkStrict } from './validate-profile.ts';
import { checkWebPki } from './validate-webpki.ts';
import type { VerificationBudget } from './verification-budget.ts';
import { type VerifyCode, X509_V, X509VerifyError } from './verify-codes.ts';

export type Purpose = 'serverAuth' | 'clientAuth';

export interface ValidationSettings {
  readonly provider: CryptoProvider;
  /** Whole seconds since the epoch (RFC 5280 §4.1.2.5 times have second granularity). */
  readonly time: number;
  readonly purpose: Purpose;
  /** VERIFY_X509_STRICT: OpenSSL 3.0's strict checks. */
  readonly strict: boolean;
  /** VERIFY_X509_WEBPKI: the web-PKI rules of `validate-webpki.ts`. */
  readonly webPki: boolean;
  /** Key usages the leaf must allow when it has a keyUsage extension. */
  readonly requiredKeyUsage: readonly KeyUsageName[];
  /** The verification's allowance of signature checks and name-constraint comparisons. */
  readonly budget: VerificationBudget;
}

/** State shared by the candidate paths of one verification. */
export class PathValidator {
  readonly #settings: ValidationSettings;
  readonly #signatures = new Map<Certificate, Map<Certificate, VerifyCode | null>>();

  constructor(settings: ValidationSettings) {
    this.#settings = settings;
  }

  /**
   * Null when `path`, whose signatures `signedBy` accepted as it was built,
   * is valid, else the first failure with its depth. `peerNameError` (the
   * hostname check's verdict) is reported where OpenSSL reports it: after the
   * extension checks, before dates.
   */
  validate(path: readonly PathNode[], peerNameError: X509VerifyError | null): X509VerifyError | null {
    return (
      this.#extensions(path) ??
      peerNameError ??
      this.#validity(path.map((n) => n.cert)) ??
      nameConstraints(path, this.#settings.budget) ??
      checkPolicies(path)
    );
  }

  /**
   * §6.1.3 (a)(1): null when `cert` (at `depth` in the path) has a signature
   * that verifies under `issuer`'s key, else why not: at `cert`'s depth, or
   * at its issuer's when the issuer's key is at fault, as OpenSSL reports
   * both. The verdict is remembered for the other paths through the same pair.
   */
  signedBy(cert: Certificate, issuer: Certificate, depth: number): X509VerifyError | null {
    let byIssuer = this.#signatures.get(cert);
    if (byIssuer === undefined) this.#signatures.set(cert, (byIssuer = new Map()));
    let code = byIssuer.get(issuer);
    if (code === undefined) byIssuer.set(issuer, (code = this.#verifySignature(cert, issuer)));
    if (code === null) return null;
    return new X509VerifyError(code, ISSUER_KEY_FAULTS.has(code) ? depth + 1 : depth);
  }

  /** OpenSSL's `check_extensions`: every rule for one certificate before the next one's. */
  #extensions(path: readonly PathNode[]): X509VerifyError | null {
    const { strict, webPki } = this.#settings;
    let intermediatesBelow = 0;
    for (let index = 0; index < path.length; index++) {
      const node = path[index]!;
      const position: Position = { index, length: path.length, anchor: index === path.length - 1, selfSigned: node.selfSigned };
      const failure: ProfileFailure | null =
        checkAlways(node.cert, position) ??
        caCheck(node, position, strict) ??
        (strict ? checkStrict(node.cert, position, webPki) : null) ??
        (webPki ? checkWebPki(node.cert, position) : null);
      if (failure) return new X509VerifyError(failure.code, index, failure.detail);
      const usage = this.#usage(node.cert, index);
      if (usage) return usage;
      // §6.1.4 (l)–(m): the non-self-issued intermediates below may not exceed the pathLenConstraint.
      const pathLen = node.cert.extensions.basicConstraints?.pathLen;
      if (index > 0 && pathLen !== undefined && intermediatesBelow > pathLen) return new X509VerifyError(X509_V.ERR_PATH_LENGTH_EXCEEDED, index);
      if (index > 0 && !node.selfIssued) intermediatesBelow++;
    }
    return null;
  }

  /** §6.1.3 (a)(2): notBefore ≤ time ≤ notAfter, both inclusive (§4.1.2.5). */
  #validity(certs: readonly Certificate[]): X509VerifyError | null {
    const { time } = this.#settings;
    for (let i = 0; i < certs.length; i++) {
      const cert = certs[i]!;
      if (time < cert.notBefore) return new X509VerifyError(X509_V.ERR_CERT_NOT_YET_VALID, i);
      if (time > cert.notAfter) return new X509VerifyError(X509_V.ERR_CERT_HAS_EXPIRED, i);
    }
    return null;
  }

  /**
   * §4.2.1.12 and §6.1.5: a certificate with an extKeyUsage must allow the
   * purpose (the CAs too, as OpenSSL and webpki chain it); the leaf's
   * keyUsage must allow a TLS use (OpenSSL's `KU_TLS`) and what the caller needs.
   */
  #usage(cert: Certificate, index: number): X509VerifyError | null {
    const { purpose, requiredKeyUsage } = this.#settings;
    const wanted = purpose === 'serverAuth' ? KeyPurposeOid.serverAuth : KeyPurposeOid.clientAuth;
    const eku = cert.extensions.extKeyUsage;
    // anyExtendedKeyUsage speaks for a CA (§4.2.1.12); for a leaf OpenSSL wants the purpose itself.
    const allowed = eku === undefined || eku.includes(wanted) || (index > 0 && eku.includes(KeyPurposeOid.anyExtendedKeyUsage));
    if (!allowed) return new X509VerifyError(X509_V.ERR_INVALID_PURPOSE, index, `extKeyUsage does not allow ${purpose}`);
    const ku = cert.extensions.keyUsage;
    if (index > 0 || ku === undefined) return null;
    const tls: readonly KeyUsageName[] =
      purpose === 'serverAuth' ? ['digitalSignature', 'keyEncipherment', 'keyAgreement'] : ['digitalSignature', 'keyAgreement'];
    if (!tls.some((u) => ku.names.includes(u))) return new X509VerifyError(X509_V.ERR_INVALID_PURPOSE, 0, 'keyUsage allows no TLS use');
    const missing = requiredKeyUsage.find((u) => !ku.names.includes(u));
    if (missing) return new X509VerifyError(X509_V.ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE, 0, `keyUsage lacks ${missing}`);
    return null;
  }

  #verifySignature(cert: Certificate, issuer: Certificate): VerifyCode | null {
    const algorithm = cert.signatureAlgorithm.algorithm;
    if (algorithm.type === 'unsupported') return X509_V.ERR_UNSUPPORTED_SIGNATURE_ALGORITHM;
    // SHA-1 signatures are refused as OpenSSL 3 does at security level 1 and up.
    if (algorithm.type !== 'ed25519' && algorithm.hash === 'sha1') return X509_V.ERR_CA_MD_TOO_WEAK;
    let key;
    try {
      key = issuer.publicKey;
    } catch {
      return X509_V.ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY;
    }
    if (key.type === 'rsa' && rsaModulusBits(key.n) < 2048) return X509_V.ERR_CA_KEY_TOO_SMALL;
    this.#settings.budget.spendSignatureCheck();
    // Copies: the views are shared process-wide (certificate-cache.ts) and the provider may be the caller's.
    const ok = this.#settings.provider.verify(algorithm, copyPublicKey(key), cert.tbsDer.slice(), cert.signatureValue.slice());
    return ok ? null : X509_V.ERR_CERT_SIGNATURE_FAILURE;
  }
}

/** Signature failures that are the issuer key's fault, reported at the issuer's depth. */
const ISSUER_KEY_FAULTS: ReadonlySet<VerifyCode> = new Set([X509_V.ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, X509_V.ERR_CA_KEY_TOO_SMALL]);

/**
 * §6.1.4 (k) and (n), as OpenSSL's `check_extensions` applies `X509_check_ca`:
 * every issuer is a CA whose keyUsage (if any) allows keyCertSign, or fails
 * with 79 (OpenSSL reports no 32 here). OpenSSL still accepts a version 1
 * self-signed anchor, or one without basicConstraints whose keyUsage allows
 * keyCertSign, as a CA, but not under VERIFY_X509_STRICT; there, such a
 * certificate is refused as a leaf too.
 */
function caCheck(node: PathNode, position: Position, strict: boolean): ProfileFailure | null {
  const kind = caKind(node.cert, node.selfSigned);
  const legacy = kind === 3 || kind === 4;
  if (position.index === 0) {
    return strict && legacy ? { code: X509_V.ERR_INVALID_CA, detail: 'legacy CA certificate as leaf (§4.2.1.9)' } : null;
  }
  if (kind === 1 || (legacy && position.anchor && !strict)) return null;
  return { code: X509_V.ERR_INVALID_CA, detail: 'issuer is not a CA, or its keyUsage lacks keyCertSign (§4.2.1.3, §4.2.1.9)' };
}

/**
 * §6.1.3 (b)–(c), §6.1.4 (g): each CA's name constraints (the anchor's
 * included) apply to every certificate below it, except self-issued
 * intermediates; the leaf's subject commonName counts as a dNSName when the
 * leaf has no subjectAltName (BetterTLS; OpenSSL's `NAME_CONSTRAINTS_check_CN`
 * goes further and does so whenever there is no dNSName).
 */
function nameConstraints(path: readonly PathNode[], budget: ComparisonBudget): X509VerifyError | null {
  for (let j = path.length - 1; j >= 1; j--) {
    const nc = path[j]!.cert.extensions.nameConstraints;
    if (nc === undefined) continue;
    const subtrees = [...(nc.permitted ?? []), ...(nc.excluded ?? [])];
    if (subtrees.some((s) => s.minimum !== 0 || s.maximum !== undefined)) {
      return new X509VerifyError(X509_V.ERR_SUBTREE_MINMAX, j, 'minimum and maximum must be absent (§4.2.1.10)');
    }
    const constraints = { permitted: (nc.permitted ?? []).map((s) => s.base), excluded: (nc.excluded ?? []).map((s) => s.base) };
    const syntax = checkConstraintSyntax(constraints);
    if (syntax) return new X509VerifyError(syntax.code, j, syntax.detail);
    for (let i = j - 1; i >= 0; i--) {
      const { cert, selfIssued } = path[i]!;
      if (i > 0 && selfIssued) continue;
      const altNames = cert.extensions.subjectAltName;
      const names = { subject: cert.subject, altNames: altNames ?? [], commonNamesAsDns: i === 0 && altNames === undefined };
      const failure = checkNameConstraints(constraints, names, budget);
      if (failure) return new X509VerifyError(failure.code, i, failure.detail);
    }
  }
  return null;
}
