/**
 * Server identity check (RFC 6125 §6, RFC 9525): does a certificate's names
 * cover the host the client asked for? The rules are those of OpenSSL 3.0's
 * `X509_check_host` and `X509_check_ip` exactly as CPython configures them
 * (`X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS`, and `NEVER_CHECK_SUBJECT` when
 * `hostname_checks_common_name` is false), because users porting Python code
 * expect the same certificates to pass and fail:
 *
 * - a reference that `a2i_IPADDRESS` reads as an address (`ip-address.ts`, with
 *   OpenSSL 3.4's strict IPv4 syntax) is
 *   compared byte for byte with the iPAddress names only, never with DNS names
 *   or the common name; a failure is verify code 64, "IP address mismatch";
 * - any other reference is compared with each dNSName, ignoring ASCII case, and
 *   with no other normalisation: a trailing dot is significant, as in OpenSSL;
 * - a name may be a wildcard only as the whole leftmost label (`*.example.com`),
 *   followed by at least two labels, and then stands for exactly one non-empty
 *   label of letters, digits and hyphens (an A-label such as `xn--bcher-kva`
 *   included, as OpenSSL allows for a whole-label wildcard); any other `*` is an
 *   ordinary character;
 * - the subject commonName values are consulted only when the certificate has no
 *   dNSName at all and the caller allows it; a failure is code 62, "hostname mismatch".
 *
 * The reference is the ASCII name CPython would hold (`idna.ts` converts
 * U-labels). CPython refuses an empty `server_hostname`, one starting with a dot
 * (which OpenSSL would read as "any subdomain of") and one with a NUL before it
 * gets here; such references, and any non-ASCII one, match nothing.
 * @module
 */
import { formatIpAddress, parseIpAddress } from './ip-address.ts';
import { bytesEqual } from '../wire/bytes.ts';
import type { Certificate } from './certificate.ts';
import { decodeDer } from './der.ts';
import { parseGeneralNames } from './general-names.ts';
import { AttributeOid, ExtensionOid } from './oids.ts';
import { StringTag } from './names.ts';
import { X509_V } from './verify-codes.ts';

/** The identities a certificate presents, as `certificateNames()` reads them. */
export interface CertificateNames {
  /**
   * Every dNSName of the subjectAltName extension, in order, including empty or
   * malformed ones: the mere presence of one turns the common-name fallback off.
   */
  readonly dnsNames: readonly string[];
  /** Every iPAddress of the subjectAltName extension (4 or 16 bytes when well formed). */
  readonly ipAddresses: readonly Uint8Array[];
  /** The subject's commonName values in order, as text. */
  readonly commonNames: readonly string[];
}

export interface HostnameCheckOptions {
  /** CPython's `SSLContext.hostname_checks_common_name` (True by default). */
  readonly checkCommonName: boolean;
}

export type HostnameCheck =
  | {
      readonly ok: true;
      readonly kind: 'dns' | 'ip';
      /** The certificate name that matched (an IP address in `getpeercert()` form). */
      readonly matchedName: string;
    }
  | { readonly ok: false; readonly kind: 'dns'; readonly code: typeof X509_V.ERR_HOSTNAME_MISMATCH }
  | { readonly ok: false; readonly kind: 'ip'; readonly code: typeof X509_V.ERR_IP_ADDRESS_MISMATCH };


/**
 * The string types OpenSSL's `ASN1_STRING_to_UTF8` converts; a commonName of
 * any other type makes `X509_check_host` stop with an error at that entry.
 */
const CONVERTIBLE_TAGS: ReadonlySet<number> = new Set([
  StringTag.UTF8String,
  StringTag.NumericString,
  StringTag.PrintableString,
  StringTag.TeletexString,
  StringTag.IA5String,
  StringTag.VisibleString,
  StringTag.UniversalString,
  StringTag.BMPString,
]);

/**
 * The names of `certificate` that hostname matching looks at. The
 * subjectAltName is read as OpenSSL reads it (8-bit bytes in a dNSName are kept,
 * as characters that can never match an ASCII hostname); a subjectAltName that
 * does not parse at all throws its `X509ParseError` (OpenSSL marks such a
 * certificate invalid before any hostname check).
 */
export function certificateNames(certificate: Certificate): CertificateNames {
  let names = NAMES.get(certificate);
  if (names === undefined) {
    names = readCertificateNames(certificate);
    NAMES.set(certificate, names);
  }
  return names;
}

/** Certificate views are immutable and shared (`certificate-cache.ts`), so their names are read once. */
const NAMES = new WeakMap<Certificate, CertificateNames>();

function readCertificateNames(certificate: Certificate): CertificateNames {
  const extension = certificate.extensions.get(ExtensionOid.subjectAltName);
  const field = 'subjectAltName';
  const altNames = extension === undefined ? [] : parseGeneralNames(decodeDer(extension.value, field), field, { lenient: true });
  const commonNames: string[] = [];
  for (const attribute of certificate.subject.rdns.flat()) {
    if (attribute.oid !== AttributeOid.commonName) continue;
    if (!CONVERTIBLE_TAGS.has(attribute.tag)) break;
    commonNames.push(attribute.value);
  }
  return {
    dnsNames: altNames.flatMap((n) => (n.type === 'dNSName' ? [n.value] : [])),
    ipAddresses: altNames.flatMap((n) => (n.type === 'iPAddress' ? [n.bytes] : [])),
    commonNames,
  };
}

const HOSTNAME_MISMATCH = { ok: false, kind: 'dns', code: X509_V.ERR_HOSTNAME_MISMATCH } as const;
const IP_MISMATCH = { ok: false, kind: 'ip', code: X509_V.ERR_IP_ADDRESS_MISMATCH } as const;

/** Checks `reference` (a hostname or IP address text) against a certificate's names. */
export function matchHostname(
  reference: string,
  names: CertificateNames,
  options: HostnameCheckOptions,
): HostnameCheck {
  const ip = parseIpAddress(reference);
  if (ip !== null) {
    // RFC 6125 §6.2.1 / RFC 5280 §4.2.1.6: 4 or 16 octets, compared exactly; an
    // IPv4 reference never matches its IPv4-mapped IPv6 form.
    const hit = names.ipAddresses.find((candidate) => bytesEqual(candidate, ip));
    return hit === undefined ? IP_MISMATCH : { ok: true, kind: 'ip', matchedName: formatIpAddress(hit) };
  }
  if (!isAcceptableReference(reference)) return HOSTNAME_MISMATCH;
  for (const pattern of names.dnsNames) {
    if (matchesPattern(pattern, reference)) return { ok: true, kind: 'dns', matchedName: pattern };
  }
  // RFC 6125 §6.4.4: the CN-ID is a fallback only for certificates without any DNS-ID.
  if (names.dnsNames.length > 0 || !options.checkCommonName) return HOSTNAME_MISMATCH;
  for (const pattern of names.commonNames) {
    if (matchesPattern(pattern, reference)) return { ok: true, kind: 'dns', matchedName: pattern };
  }
  return HOSTNAME_MISMATCH;
}

/** What CPython lets through as a `server_hostname` (see the module note). */
function isAcceptableReference(reference: string): boolean {
  return reference.length > 0 && !reference.startsWith('.') && /^[\x01-\x7f]*$/.test(reference);
}

/** OpenSSL's `equal_wildcard`: a valid wildcard pattern, or else plain case-insensitive equality. */
function matchesPattern(pattern: string, reference: string): boolean {
  const suffix = wildcardSuffix(pattern);
  return suffix === null ? equalIgnoringAsciiCase(pattern, reference) : matchesWildcard(suffix, reference);
}

/**
 * For a pattern `*.<two or more labels>` whose labels are all letters, digits
 * and inner hyphens, the part after the `*` (starting with the dot); otherwise
 * null, and the `*` is an ordinary character. RFC 6125 §6.4.3 leaves the finer
 * rules to the client; these are OpenSSL's `valid_star` with partial wildcards
 * off: the wildcard is the entire leftmost label, and it may not stand in front
 * of a single label (`*.com`) or a final empty label (`*.example.com.`).
 */
function wildcardSuffix(pattern: string): string | null {
  if (!pattern.startsWith('*.')) return null;
  const labels = pattern.slice(2).split('.');
  if (labels.length < 2) return null;
  // Each label: letters, digits and hyphens, neither starting nor ending with a hyphen.
  const label = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
  if (!labels.every((l) => label.test(l))) return null;
  return pattern.slice(1);
}

/** OpenSSL's `wildcard_match` for a whole-label `*`: it covers one non-empty label. */
function matchesWildcard(suffix: string, reference: string): boolean {
  if (reference.length <= suffix.length) return false;
  const covered = reference.slice(0, reference.length - suffix.length);
  if (!equalIgnoringAsciiCase(reference.slice(covered.length), suffix)) return false;
  // A reference that itself has `*` there matches (OpenSSL compares it literally).
  return covered === '*' || /^[A-Za-z0-9-]+$/.test(covered);
}

/**
 * OpenSSL's `equal_nocase`: equal length and equal characters, folding only
 * ASCII A–Z. A NUL in the certificate's name never matches (RFC 5280 §4.2.1.6
 * names cannot contain one; a CA that let one in was fooled, CVE-2009-2408).
 */
function equalIgnoringAsciiCase(pattern: string, reference: string): boolean {
  if (pattern.length !== reference.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charCodeAt(i);
    if (p === 0) return false;
    if (p !== reference.charCodeAt(i) && asciiLower(p) !== asciiLower(reference.charCodeAt(i))) return false;
  }
  return true;
}

function asciiLower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}
