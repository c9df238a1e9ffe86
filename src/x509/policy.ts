/**
 * Certificate policy processing (RFC 5280 §6.1.2–§6.1.5, policy parts),
 * reduced to what a TLS client needs: the user's initial policy set is
 * anyPolicy and no explicit policy is asked for, so a path fails only when a
 * CA's policyConstraints demand an explicit policy (requireExplicitPolicy)
 * and no policy is valid along the whole path, or when a policyMappings maps
 * to or from anyPolicy (§4.2.1.5). The valid_policy_tree is kept as the set
 * of its leaf policies, which is all the outcome depends on when no policy
 * qualifiers are reported. The trust anchor's own extensions are inputs to
 * nothing here (§6.1.1), as in OpenSSL.
 * @module
 */
import type { PathNode } from './path-builder.ts';
import { PolicyOid } from './oids.ts';
import { X509_V, X509VerifyError } from './verify-codes.ts';

const ANY = PolicyOid.anyPolicy;

/** Null when the path's policies are acceptable. */
export function checkPolicies(path: readonly PathNode[]): X509VerifyError | null {
  // RFC numbering: certificate 1 is the one the anchor issued, n is the leaf.
  const certs = path.slice(0, -1).reverse();
  const n = certs.length;
  let valid: Set<string> | null = new Set([ANY]);
  let explicitPolicy = n + 1;
  let policyMapping = n + 1;
  let inhibitAnyPolicy = n + 1;
  for (let k = 1; k <= n; k++) {
    const node = certs[k - 1]!;
    const ext = node.cert.extensions;
    const depth = n - k;
    const policies = ext.certificatePolicies?.map((p) => p.oid);
    // §6.1.3 (d)–(e): intersect with the certificate's policies; none at all empties the tree.
    if (policies === undefined || valid === null) valid = null;
    else {
      const anyAllowed = policies.includes(ANY) && (inhibitAnyPolicy > 0 || (k < n && node.selfIssued));
      const next = new Set<string>();
      for (const p of policies) if (p !== ANY && (valid.has(p) || valid.has(ANY))) next.add(p);
      if (anyAllowed) for (const p of valid) next.add(p);
      valid = next.size > 0 ? next : null;
    }
    // §6.1.3 (f)
    if (explicitPolicy === 0 && valid === null) return noPolicy(depth);
    if (k === n) break;
    // §6.1.4 (a)–(b): mappings rename issuer-domain policies, or drop them once mapping is inhibited.
    const mappings = ext.policyMappings ?? [];
    if (mappings.some((m) => m.issuerDomainPolicy === ANY || m.subjectDomainPolicy === ANY)) {
      return new X509VerifyError(X509_V.ERR_INVALID_POLICY_EXTENSION, depth, 'policy mapping to or from anyPolicy');
    }
    if (valid !== null && mappings.length > 0) {
      const mapped = new Set<string>();
      for (const p of valid) {
        const targets = mappings.filter((m) => m.issuerDomainPolicy === p).map((m) => m.subjectDomainPolicy);
        if (targets.length === 0) mapped.add(p);
        else if (policyMapping > 0) for (const t of targets) mapped.add(t);
      }
      valid = mapped.size > 0 ? mapped : null;
    }
    // §6.1.4 (h)–(j)
    if (!node.selfIssued) {
      explicitPolicy = Math.max(0, explicitPolicy - 1);
      policyMapping = Math.max(0, policyMapping - 1);
      inhibitAnyPolicy = Math.max(0, inhibitAnyPolicy - 1);
    }
    const pc = ext.policyConstraints;
    if (pc?.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, pc.requireExplicitPolicy);
    if (pc?.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, pc.inhibitPolicyMapping);
    const skip = ext.inhibitAnyPolicy;
    if (skip !== undefined) inhibitAnyPolicy = Math.min(inhibitAnyPolicy, skip);
  }
  // §6.1.5 (a)–(b), (g): the leaf's own requireExplicitPolicy of 0 counts too.
  if (n > 0) {
    explicitPolicy = Math.max(0, explicitPolicy - 1);
    if (certs[n - 1]!.cert.extensions.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
  }
  return explicitPolicy === 0 && valid === null ? noPolicy(0) : null;
}

function noPolicy(depth: number): X509VerifyError {
  return new X509VerifyError(X509_V.ERR_NO_EXPLICIT_POLICY, depth, 'no certificate policy is valid for the whole path (§6.1.5)');
}
