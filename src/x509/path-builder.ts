/**
 * Certification path building (RFC 4158): from the peer's certificate, a
 * depth-first search over every candidate issuer among the trust anchors and
 * the untrusted intermediates, until a path ends at a trust anchor and the
 * caller's validation accepts it; a path that fails sends the search back to
 * the next candidate, as RFC 4158 §2.4 and the "chain of pain" of
 * cross-signed roots require. Issuers are found by subject name (RFC 5280
 * §7.1); an authorityKeyIdentifier that names another key rules a candidate
 * out (§4.2.1.1), one that names its key puts it first. A certificate whose
 * subject and key already appear in the path is a loop and is skipped.
 *
 * Where a path may end follows OpenSSL: at a trusted self-signed certificate,
 * or with `partialChain` at any trusted certificate. `trustedFirst` tries
 * anchors before the peer's intermediates at each step.
 *
 * Each candidate's signature over the certificate it would issue is checked
 * (`signedBy`) before the path goes on through it, as Go's `buildChains`
 * does: a look-alike issuer costs one signature check, and the expensive
 * checks of a complete path (name constraints) are only spent on paths whose
 * every signature verified. The search is bounded: `maxDepth`
 * non-self-issued intermediates per path (the `pathLenConstraint` count of
 * RFC 5280 §6.1.4 (l)), a cap on the issuer candidates tried and on the
 * complete paths handed to validation, and the verification's budget of
 * signature checks (`verification-budget.ts`), so hostile inputs (a hundred
 * CAs all naming each other) end quickly with an error.
 * @module
 */
import { bytesEqual, bytesKey } from '../wire/bytes.ts';
import type { Certificate } from './certificate.ts';
import { nameKey, sameName } from './name-compare.ts';
import type { DistinguishedName } from './names.ts';
import { X509_V, X509VerifyError } from './verify-codes.ts';

/** A certificate as the path builder sees it. */
export interface PathNode {
  readonly cert: Certificate;
  readonly trusted: boolean;
  /** Subject and issuer are the same name (RFC 5280 §6.1: "self-issued"). */
  readonly selfIssued: boolean;
  /** Self-issued, and its authority key identifier (if any) names its own key (OpenSSL's "self-signed"). */
  readonly selfSigned: boolean;
}

/** Where trust anchors come from; `TrustStore` is one (it loads capath entries on lookup). */
export interface AnchorSource {
  /** The trusted certificates whose subject matches `name` (RFC 5280 §7.1). */
  bySubject(name: DistinguishedName): readonly Certificate[];
}

export interface PathBuildOptions {
  readonly leaf: Certificate;
  readonly intermediates: readonly Certificate[];
  readonly anchors: AnchorSource;
  readonly trustedFirst: boolean;
  readonly partialChain: boolean;
  /** Most non-self-issued intermediates between the leaf and the anchor. */
  readonly maxDepth: number;
  /** Seconds since the epoch: candidates valid then are tried first. */
  readonly time: number;
  /** Null when `cert`, at `depth` in the path, has a signature that verifies under `issuer`'s key (RFC 5280 §6.1.3 (a)(1)), else why not. */
  readonly signedBy: (cert: Certificate, issuer: Certificate, depth: number) => X509VerifyError | null;
  /** Validates a complete path (leaf first, anchor last) whose signatures verified; null accepts it. */
  readonly validate: (path: readonly PathNode[]) => X509VerifyError | null;
}

/** Issuer candidates tried per verification before giving up (RFC 4158 §5 loop and fan-out limits). */
export const MAX_CANDIDATES = 2000;
/** Complete paths handed to validation per verification. */
export const MAX_PATHS = 64;
/** Certificates in one path, self-issued ones included, whatever `maxDepth` says. */
export const MAX_PATH_LENGTH = 64;

/**
 * Finds a path from `leaf` to a trust anchor that `validate` accepts and
 * returns it, leaf first; otherwise throws the most telling X509VerifyError:
 * the first failure met, a candidate issuer's signature or a complete path's
 * validation, or else why no path reached an anchor.
 */
export function buildPath(options: PathBuildOptions): PathNode[] {
  const search = new Search(options);
  const accepted = search.run();
  if (accepted) return accepted;
  throw search.failure();
}

class Search {
  readonly #options: PathBuildOptions;
  /** Untrusted candidates by subject key. */
  readonly #bySubject = new Map<string, PathNode[]>();
  /** Anchor lookups, each done once per name. */
  readonly #anchorsByName = new Map<DistinguishedName, PathNode[]>();
  #candidatesTried = 0;
  #pathsTried = 0;
  /** The first signature or validation failure met. */
  #firstFailure: X509VerifyError | null = null;
  #deadEnd: X509VerifyError | null = null;

  constructor(options: PathBuildOptions) {
    this.#options = options;
    const seen = new Set<string>();
    for (const cert of options.intermediates) {
      const der = bytesKey(cert.der);
      if (seen.has(der)) continue;
      seen.add(der);
      const subject = nameKey(cert.subject);
      const bucket = this.#bySubject.get(subject) ?? [];
      bucket.push(makeNode(cert, false));
      this.#bySubject.set(subject, bucket);
    }
  }

  run(): PathNode[] | null {
    const leaf = this.#options.leaf;
    const asAnchor = this.#anchorsNamed(leaf.subject).find((n) => bytesEqual(n.cert.der, leaf.der));
    return this.#extend([asAnchor ?? makeNode(leaf, false)], 0);
  }

  #anchorsNamed(name: DistinguishedName): PathNode[] {
    let nodes = this.#anchorsByName.get(name);
    if (nodes === undefined) {
      nodes = this.#options.anchors.bySubject(name).map((cert) => makeNode(cert, true));
      this.#anchorsByName.set(name, nodes);
    }
    return nodes;
  }

  failure(): X509VerifyError {
    return this.#firstFailure ?? this.#deadEnd ?? new X509VerifyError(X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0);
  }

  #extend(path: PathNode[], depth: number): PathNode[] | null {
    const last = path[path.length - 1]!;
    if (last.trusted && (last.selfSigned || this.#options.partialChain)) return this.#complete(path);
    if (last.selfSigned) {
      // An untrusted self-signed certificate: nothing can issue it but itself.
      const code = path.length === 1 ? X509_V.ERR_DEPTH_ZERO_SELF_SIGNED_CERT : X509_V.ERR_SELF_SIGNED_CERT_IN_CHAIN;
      this.#noteDeadEnd(code, path.length - 1);
      return null;
    }
    const candidates = this.#issuersOf(last);
    if (candidates.length === 0) {
      // OpenSSL: a trusted certificate whose issuer is missing is code 2; an untrusted one, 20.
      const code = last.trusted ? X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT : X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
      this.#noteDeadEnd(code, path.length - 1);
      return null;
    }
    let extended = false;
    for (const candidate of candidates) {
      if (this.#candidatesTried++ >= MAX_CANDIDATES || this.#pathsTried >= MAX_PATHS) return null;
      if (path.some((n) => isSameCa(n.cert, candidate.cert))) continue;
      extended = true;
      // The certificate just added becomes an intermediate once its issuer follows.
      const nextDepth = path.length > 1 && !last.selfIssued ? depth + 1 : depth;
      if (nextDepth > this.#options.maxDepth || path.length >= MAX_PATH_LENGTH) {
        this.#noteDeadEnd(X509_V.ERR_CERT_CHAIN_TOO_LONG, path.length);
        continue;
      }
      const signatureError = this.#options.signedBy(last.cert, candidate.cert, path.length - 1);
      if (signatureError !== null) {
        this.#firstFailure ??= signatureError;
        continue;
      }
      const found = this.#extend([...path, candidate], nextDepth);
      if (found) return found;
    }
    // Only loops: as OpenSSL, whose chain stops there, the issuer is missing (code 20, not 55).
    if (!extended) this.#noteDeadEnd(X509_V.ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, path.length - 1);
    return null;
  }

  #complete(path: PathNode[]): PathNode[] | null {
    this.#pathsTried++;
    const error = this.#options.validate(path);
    if (error === null) return path;
    this.#firstFailure ??= error;
    return null;
  }

  /** Remembers why a branch ended, preferring the reason seen deepest (closest to an anchor). */
  #noteDeadEnd(code: ConstructorParameters<typeof X509VerifyError>[0], depth: number): void {
    if (this.#deadEnd === null || depth > this.#deadEnd.depth) {
      this.#deadEnd = new X509VerifyError(code, depth);
    }
  }

  /**
   * Certificates whose subject is `child`'s issuer, minus those an AKI rules
   * out, ordered: key identifier match, then anchors or intermediates first
   * as `trustedFirst` says, then those valid at `time`, then as supplied.
   */
  #issuersOf(child: PathNode): PathNode[] {
    const anchors = this.#anchorsNamed(child.cert.issuer);
    // A certificate both trusted and sent by the peer is the trusted one.
    const untrusted = (this.#bySubject.get(nameKey(child.cert.issuer)) ?? []).filter((n) => !anchors.some((a) => bytesEqual(a.cert.der, n.cert.der)));
    const bucket = [...anchors, ...untrusted];
    const keyId = authorityKeyId(child.cert);
    const { trustedFirst, time } = this.#options;
    const scored = bucket
      .filter((n) => n.cert !== child.cert && !(keyId && subjectKeyId(n.cert) && !bytesEqual(keyId, subjectKeyId(n.cert)!)))
      .map((node, index) => {
        const keyMatch = keyId !== undefined && subjectKeyId(node.cert) !== undefined ? 0 : 1;
        const trustRank = node.trusted === trustedFirst ? 0 : 1;
        const current = node.cert.notBefore <= time && time <= node.cert.notAfter ? 0 : 1;
        return { node, rank: [keyMatch, trustRank, current, index] as const };
      });
    scored.sort((a, b) => compareRanks(a.rank, b.rank));
    return scored.map((s) => s.node);
  }
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function makeNode(cert: Certificate, trusted: boolean): PathNode {
  const selfIssued = sameName(cert.subject, cert.issuer);
  const aki = authorityKeyId(cert);
  const ski = subjectKeyId(cert);
  const selfSigned = selfIssued && (aki === undefined || ski === undefined || bytesEqual(aki, ski));
  return { cert, trusted, selfIssued, selfSigned };
}

/** The same CA twice in one path: same subject and same key (RFC 4158 §5.2). */
function isSameCa(a: Certificate, b: Certificate): boolean {
  return bytesEqual(a.spkiDer, b.spkiDer) && sameName(a.subject, b.subject);
}

/** Key identifiers as hints only: a malformed extension is the validator's to report. */
function authorityKeyId(cert: Certificate): Uint8Array | undefined {
  try {
    return cert.extensions.authorityKeyIdentifier?.keyIdentifier;
  } catch {
    return undefined;
  }
}

function subjectKeyId(cert: Certificate): Uint8Array | undefined {
  try {
    return cert.extensions.subjectKeyIdentifier;
  } catch {
    return undefined;
  }
}
