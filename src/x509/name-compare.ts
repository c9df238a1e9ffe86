/**
 * Distinguished name comparison for path building and name constraints
 * (RFC 5280 §7.1), by OpenSSL's canonical encoding (`subject-hash.ts`): two
 * names match when their canonical encodings are equal, so the same issuers
 * are found as OpenSSL (and the trust store) finds them. The key is computed
 * once per name, since a path search compares the same names many times.
 * @module
 */
import { bytesEqual, toHex } from '../wire/bytes.ts';
import type { DistinguishedName } from './names.ts';
import { canonicalNameEncoding } from './subject-hash.ts';

const keys = new WeakMap<DistinguishedName, string>();

/**
 * A string equal for two names exactly when they match. A name OpenSSL's
 * canonicalisation refuses keeps its raw DER, so it matches only itself.
 */
export function nameKey(name: DistinguishedName): string {
  let key = keys.get(name);
  if (key === undefined) {
    try {
      key = toHex(canonicalNameEncoding(name));
    } catch {
      key = `raw:${toHex(name.der)}`;
    }
    keys.set(name, key);
  }
  return key;
}

/**
 * Whether two names match. Byte-identical names (the usual issuer/subject
 * pair) and names with different RDN counts are decided without canonicalising.
 */
export function sameName(a: DistinguishedName, b: DistinguishedName): boolean {
  if (a.rdns.length !== b.rdns.length) return false;
  return bytesEqual(a.der, b.der) || nameKey(a) === nameKey(b);
}

/**
 * Whether the RDNs of `base` are the first RDNs of `name` (§4.2.1.10
 * directoryName subtrees). The canonical encoding is the RDN SETs one after
 * another, so a byte prefix made of whole SETs is exactly an RDN prefix, and
 * since both are parsed from their start, any byte prefix is made of whole SETs.
 */
export function nameWithin(name: DistinguishedName, base: DistinguishedName): boolean {
  return nameKey(name).startsWith(nameKey(base));
}
