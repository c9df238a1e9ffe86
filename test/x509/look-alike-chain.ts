/**
 * The certificate-verification CPU attack of issue 14, for the tests and
 * `bench/x509.ts`: a leaf with thousands of DNS names, and many look-alike CAs
 * named exactly like a trusted root, each with a nameConstraints extension of
 * excluded DNS subtrees, and no signature that verifies. Every look-alike is
 * an issuer candidate for the leaf (its subject key identifier is the one the
 * leaf's authority key identifier names), and each names the root's key as its
 * own issuer, so each makes one candidate path leaf → look-alike → root whose
 * name constraints cost names × subtrees comparisons — unless the look-alike's
 * signature over the leaf is checked first. With the defaults (7,000 names,
 * 64 CAs, 149 subtrees: 7,001 × 149 = 1,043,149 comparisons each, just under
 * the former per-path budget of 2^20) the peer's chain is 228 KiB of DER.
 * @module
 */
import { type Issued, ext, gn, issue, name } from '../fixtures/x509-validate/builder.ts';

export interface LookAlikeChain {
  /** The trust anchor the look-alikes imitate. */
  readonly root: Issued;
  /** What the peer sends: the leaf, then the look-alike CAs. */
  readonly chain: readonly Uint8Array[];
  /** A name in the leaf's subjectAltName, so the host name check passes. */
  readonly hostname: string;
}

export interface LookAlikeShape {
  readonly names?: number;
  readonly cas?: number;
  readonly subtrees?: number;
}

/** The key identifier the leaf names and every look-alike claims. */
const LOOK_ALIKE_KEY_ID = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);

export function lookAlikeChain({ names = 7000, cas = 64, subtrees = 149 }: LookAlikeShape = {}): LookAlikeChain {
  const root = issue({ subject: name([['O', 'puretls tests'], ['CN', 'Look-alike Target Root']]), ca: true });
  const excluded = Array.from({ length: subtrees }, (_, i) => gn.dns(`e${i}.xy`));
  const lookAlikes = Array.from({ length: cas }, () =>
    // Self-issued with the root's subject and signed by its own key: a bogus signature under the root's.
    issue({
      subject: root.subject,
      ca: true,
      extensions: [ext.subjectKeyIdentifier(LOOK_ALIKE_KEY_ID), ext.authorityKeyIdentifier(root.keyId), ext.nameConstraints([], excluded)],
    }),
  );
  const dnsNames = Array.from({ length: names }, (_, i) => `n${i}.example`);
  // Signed by its own key too: no candidate's key verifies it.
  const leaf = issue({
    subject: dnsNames[0]!,
    issuerName: root.subject,
    extensions: [ext.authorityKeyIdentifier(LOOK_ALIKE_KEY_ID), ext.subjectAltName(dnsNames.map(gn.dns))],
  });
  return { root, chain: [leaf.der, ...lookAlikes.map((c) => c.der)], hostname: dnsNames[0]! };
}
