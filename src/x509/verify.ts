/**
 * The one entry point of certificate verification, for the TLS engine and
 * the `puretls/x509` module: parse the peer's chain, build paths to the
 * trust anchors (`path-builder.ts`), validate each candidate
 * (`validate.ts`), check the peer's name (`hostname.ts`) and, when asked,
 * revocation from the caller's CRLs (`revocation.ts`), all within one budget
 * of work (`verification-budget.ts`). Success returns the
 * validated path, leaf first; failure throws one `X509VerifyError` carrying
 * OpenSSL's verify code, message and depth and the TLS alert to send. Flags
 * are OpenSSL's `X509_V_FLAG_*` bits, which CPython exposes as `VERIFY_*`.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import type { Certificate } from './certificate.ts';
import { certificateCache } from './certificate-cache.ts';
import type { KeyUsageName } from './extensions.ts';
import { type CertificateNames, certificateNames, matchHostname } from './hostname.ts';
import { type AnchorSource, type PathNode, buildPath } from './path-builder.ts';
import { sameName } from './name-compare.ts';
import type { DistinguishedName } from './names.ts';
import { RevocationChecker } from './revocation.ts';
import { PathValidator, type Purpose } from './validate.ts';
import { VerificationBudget, type VerificationStats } from './verification-budget.ts';
import { X509VerifyError } from './verify-codes.ts';

/** OpenSSL's `X509_V_FLAG_*` values, which CPython's `VERIFY_*` constants are. */
export const VerifyFlag = {
  /** X509_V_FLAG_CRL_CHECK: the leaf's issuer must supply a CRL, and the leaf must not be on it. */
  CRL_CHECK: 0x4,
  /** X509_V_FLAG_CRL_CHECK_ALL: with CRL_CHECK, every certificate below the anchor. */
  CRL_CHECK_ALL: 0x8,
  /** X509_V_FLAG_X509_STRICT: OpenSSL 3.0's strict RFC 5280 profile checks (`validate-profile.ts`). */
  X509_STRICT: 0x20,
  /** Try trust anchors before the peer's intermediates at each step of path building. */
  TRUSTED_FIRST: 0x8000,
  /** A path may end at any trusted certificate, not only a self-signed one. */
  PARTIAL_CHAIN: 0x80000,
  /**
   * puretls's own: the web-PKI rules of `validate-webpki.ts`. Bit 30, far
   * above OpenSSL's X509_V_FLAG range (its highest, NO_CHECK_TIME, is
   * 0x200000), so that it can never mean something else to CPython code.
   */
  X509_WEBPKI: 0x40000000,
} as const;

export interface VerifyOptions {
  /** Trust anchors: a list, or a store looked up by subject (`TrustStore`). */
  readonly trust: readonly Certificate[] | AnchorSource;
  /** Untrusted certificates to build paths with, besides those the peer sent. */
  readonly intermediates?: readonly Certificate[];
  readonly purpose: Purpose;
  /** The name asked for (CPython's `server_hostname`): an IP address text is checked as one. */
  readonly hostname?: string | null;
  /** An IP address text to check against the iPAddress names, as `X509_VERIFY_PARAM_set1_ip_asc`. */
  readonly ip?: string | null;
  /** Seconds since the epoch; fractions are dropped (RFC 5280 times have whole seconds). */
  readonly time: number;
  /** DER CRLs, consulted under VERIFY_CRL_CHECK_LEAF / _CHAIN. */
  readonly crls?: readonly Uint8Array[];
  /** `VerifyFlag` bits. */
  readonly flags?: number;
  /** Most non-self-issued intermediates in a path (OpenSSL's verify depth; default 100). */
  readonly maxDepth?: number;
  /** CPython's `hostname_checks_common_name`: fall back to the subject CN when there is no dNSName. */
  readonly checkCommonName?: boolean;
  /** Key usages the leaf must allow when it has a keyUsage extension. */
  readonly requiredKeyUsage?: readonly KeyUsageName[];
  /** Receives the work this verification did, whether it succeeds or fails. */
  readonly stats?: VerificationStats;
}

export interface VerifiedChain {
  /** The validated path: the peer's certificate first, the trust anchor last. */
  readonly chain: readonly Certificate[];
}

const DEFAULT_MAX_DEPTH = 100;

/**
 * Verifies the chain a peer sent (`chainDer[0]` is its certificate; the rest,
 * in any order, are candidate intermediates). A leaf that does not parse
 * throws its `X509ParseError` (bad_certificate); an unparseable extra
 * certificate is ignored, as any unusable intermediate would be.
 */
export function verifyCertificateChain(
  provider: CryptoProvider,
  chainDer: readonly Uint8Array[],
  options: VerifyOptions,
): VerifiedChain {
  const [leafDer, ...extraDer] = chainDer;
  if (leafDer === undefined) throw new RangeError('verifyCertificateChain: the chain is empty');
  const leaf = certificateCache.parse(leafDer);
  const intermediates = [...extraDer.flatMap(parseOrSkip), ...(options.intermediates ?? [])];
  const budget = new VerificationBudget();
  try {
    return { chain: verifyPaths(provider, leaf, intermediates, options, budget).map((n) => n.cert) };
  } finally {
    if (options.stats) budget.report(options.stats);
  }
}

/** Builds and validates paths from `leaf`, spending `budget`; the accepted path, leaf first. */
function verifyPaths(
  provider: CryptoProvider,
  leaf: Certificate,
  intermediates: readonly Certificate[],
  options: VerifyOptions,
  budget: VerificationBudget,
): PathNode[] {
  const flags = options.flags ?? 0;
  const time = Math.floor(options.time);
  const validator = new PathValidator({
    provider,
    time,
    purpose: options.purpose,
    strict: (flags & VerifyFlag.X509_STRICT) !== 0,
    webPki: (flags & VerifyFlag.X509_WEBPKI) !== 0,
    requiredKeyUsage: options.requiredKeyUsage ?? [],
    budget,
  });
  const nameError = checkPeerName(leaf, options);
  const revocation =
    (flags & VerifyFlag.CRL_CHECK) !== 0
      ? new RevocationChecker(provider, options.crls ?? [], time, (flags & VerifyFlag.CRL_CHECK_ALL) !== 0, budget)
      : null;
  return buildPath({
    leaf,
    intermediates,
    anchors: Array.isArray(options.trust) ? anchorList(options.trust) : (options.trust as AnchorSource),
    trustedFirst: (flags & VerifyFlag.TRUSTED_FIRST) !== 0,
    partialChain: (flags & VerifyFlag.PARTIAL_CHAIN) !== 0,
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    time,
    // A peer name the leaf does not match fails every path, so no signature is worth checking
    // then; OpenSSL, too, checks the name (`check_id`) before any signature.
    signedBy: nameError === null ? (cert, issuer, depth) => validator.signedBy(cert, issuer, depth) : () => null,
    validate: (candidate) => validator.validate(candidate, nameError) ?? revocation?.check(candidate) ?? null,
  });
}

function anchorList(anchors: readonly Certificate[]): AnchorSource {
  return { bySubject: (name: DistinguishedName) => anchors.filter((a) => sameName(a.subject, name)) };
}

function parseOrSkip(der: Uint8Array): Certificate[] {
  try {
    return [certificateCache.parse(der)];
  } catch {
    return [];
  }
}

/** The hostname or IP address check (RFC 6125 §6), as a failure to report at depth 0, or null. */
function checkPeerName(leaf: Certificate, options: VerifyOptions): X509VerifyError | null {
  const references = [options.hostname, options.ip].filter((r): r is string => typeof r === 'string');
  if (references.length === 0) return null;
  let names: CertificateNames;
  try {
    names = certificateNames(leaf);
  } catch {
    return null; // a malformed subjectAltName is the profile check's to report
  }
  for (const reference of references) {
    const result = matchHostname(reference, names, { checkCommonName: options.checkCommonName ?? false });
    if (!result.ok) return new X509VerifyError(result.code, 0, `certificate is not valid for ${JSON.stringify(reference)}`);
  }
  return null;
}
