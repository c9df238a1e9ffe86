/**
 * Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b)–(c), §6.1.4 (g)): whether
 * the names of a certificate lie inside the permitted subtrees and outside the
 * excluded subtrees of a CA's nameConstraints extension. dNSName, iPAddress,
 * rfc822Name, directoryName and uniformResourceIdentifier constraints are
 * processed; a constraint of any other form is honoured the only safe way,
 * by refusing a certificate that carries a name of that form (§4.2.1.10:
 * "MUST either process the constraint or reject the certificate"). A
 * constraint or a name that is not well formed for its form fails the check
 * instead of silently matching nothing, and wildcard dNSNames are judged by
 * every name they could stand for. The comparisons are spent from the
 * verification's budget (`verification-budget.ts`), so a certificate with
 * thousands of names against thousands of constraints is refused, not
 * ground through.
 * @module
 */
import type { GeneralName } from './general-names.ts';
import type { DistinguishedName } from './names.ts';
import { nameWithin } from './name-compare.ts';
import { type VerifyCode, X509_V } from './verify-codes.ts';
import { AttributeOid } from './oids.ts';

/** The permitted and excluded subtree bases of one nameConstraints extension. */
export interface NameConstraints {
  readonly permitted: readonly GeneralName[];
  readonly excluded: readonly GeneralName[];
}

/** The names of a certificate that constraints apply to. */
export interface ConstrainedNames {
  readonly subject: DistinguishedName;
  readonly altNames: readonly GeneralName[];
  /**
   * Also treat each subject commonName that reads as a hostname as a dNSName:
   * clients that still match the common name must not let it escape the
   * constraints (OpenSSL's `NAME_CONSTRAINTS_check_CN`). The caller sets it
   * for a leaf without subjectAltName, the only case a client reads the CN.
   */
  readonly commonNamesAsDns: boolean;
}

export interface NameConstraintFailure {
  readonly code: VerifyCode;
  readonly detail: string;
}

/** The allowance comparisons are spent from; it throws once they would exceed it (x509-limbo `nc-dos-*`). */
export interface ComparisonBudget {
  spendComparisons(count: number): void;
}

type Form = GeneralName['type'];
const PROCESSED: ReadonlySet<Form> = new Set(['dNSName', 'iPAddress', 'rfc822Name', 'directoryName', 'uniformResourceIdentifier']);

/** Checks that every subtree base is a well-formed name of its form (§4.2.1.10). */
export function checkConstraintSyntax(constraints: NameConstraints): NameConstraintFailure | null {
  for (const base of [...constraints.permitted, ...constraints.excluded]) {
    if (!isValidBase(base)) return syntaxFailure(`malformed ${base.type} constraint ${describe(base)}`);
  }
  return null;
}

/** Checks `names` against one CA's constraints, spending `budget` before comparing. */
export function checkNameConstraints(
  constraints: NameConstraints,
  names: ConstrainedNames,
  budget: ComparisonBudget,
): NameConstraintFailure | null {
  const candidates = namesToCheck(names);
  budget.spendComparisons(candidates.length * (constraints.permitted.length + constraints.excluded.length));
  for (const name of candidates) {
    const failure = checkName(constraints, name);
    if (failure) return failure;
  }
  return null;
}

/**
 * The subject (unless empty, §4.2.1.10 "when the certificate includes a
 * non-empty subject field") as a directoryName, its emailAddress attributes as
 * rfc822Names (§4.2.1.6 legacy form), and every subjectAltName.
 */
function namesToCheck(names: ConstrainedNames): GeneralName[] {
  const out: GeneralName[] = [...names.altNames];
  if (names.subject.rdns.length > 0) out.push({ type: 'directoryName', name: names.subject });
  const cnAsDns = names.commonNamesAsDns;
  for (const rdn of names.subject.rdns) {
    for (const attribute of rdn) {
      if (attribute.oid === EMAIL_ADDRESS) out.push({ type: 'rfc822Name', value: attribute.value });
      // Only a common name with a dot that is a valid hostname can be taken for one.
      if (cnAsDns && attribute.oid === AttributeOid.commonName && attribute.value.includes('.') && dnsLabels(attribute.value) !== null) {
        out.push({ type: 'dNSName', value: attribute.value });
      }
    }
  }
  return out;
}

/** PKCS #9 emailAddress (RFC 5280 §4.1.2.6) and X.520 commonName. */
const EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

function checkName(constraints: NameConstraints, name: GeneralName): NameConstraintFailure | null {
  const permitted = constraints.permitted.filter((c) => c.type === name.type);
  const excluded = constraints.excluded.filter((c) => c.type === name.type);
  if (permitted.length === 0 && excluded.length === 0) return null;
  if (!PROCESSED.has(name.type)) {
    return { code: X509_V.ERR_UNSUPPORTED_CONSTRAINT_TYPE, detail: `${name.type} constraints are not supported` };
  }
  const subject = parseName(name);
  if (subject === null) return { code: X509_V.ERR_UNSUPPORTED_NAME_SYNTAX, detail: `malformed ${name.type} ${describe(name)}` };
  if (permitted.length > 0 && !permitted.some((base) => within(subject, base, 'all'))) {
    return { code: X509_V.ERR_PERMITTED_VIOLATION, detail: `${describe(name)} is outside the permitted subtrees` };
  }
  const hit = excluded.find((base) => within(subject, base, 'any'));
  if (hit) return { code: X509_V.ERR_EXCLUDED_VIOLATION, detail: `${describe(name)} is inside excluded subtree ${describe(hit)}` };
  return null;
}

/** A name parsed for matching; a wildcard dNSName is the set `<one label>.<suffix>`. */
type Parsed =
  | { readonly form: 'dns'; readonly labels: readonly string[]; readonly wildcard: boolean }
  | { readonly form: 'ip'; readonly bytes: Uint8Array }
  | { readonly form: 'email'; readonly local: string; readonly domain: readonly string[] }
  | { readonly form: 'dn'; readonly name: DistinguishedName }
  | { readonly form: 'uri'; readonly host: readonly string[] };

function parseName(name: GeneralName): Parsed | null {
  switch (name.type) {
    case 'dNSName': {
      const wildcard = name.value.startsWith('*.');
      const labels = dnsLabels(wildcard ? name.value.slice(2) : name.value);
      return labels === null ? null : { form: 'dns', labels, wildcard };
    }
    case 'iPAddress':
      return name.bytes.length === 4 || name.bytes.length === 16 ? { form: 'ip', bytes: name.bytes } : null;
    case 'rfc822Name':
      return parseMailbox(name.value);
    case 'directoryName':
      return { form: 'dn', name: name.name };
    case 'uniformResourceIdentifier': {
      const host = uriHost(name.value);
      return host === null ? null : { form: 'uri', host };
    }
    default:
      return null;
  }
}

/**
 * Whether `name` lies inside the subtree `base`. For a wildcard, `'all'` asks
 * whether every name it stands for does (a permitted subtree must hold them
 * all) and `'any'` whether one of them might (an excluded subtree must hold
 * none): CVE-2025-61727, `*.example.com` against an exclusion of
 * `bar.example.com`.
 */
function within(name: Parsed, base: GeneralName, quantifier: 'all' | 'any'): boolean {
  switch (name.form) {
    case 'dns': {
      if (base.type !== 'dNSName') return false;
      const constraint = dnsLabels(base.value)!;
      if (isSuffix(constraint, name.labels)) return true;
      // `*.<suffix>` may stand for `<label>.<suffix>`, which lies in a constraint one label longer.
      return quantifier === 'any' && name.wildcard && constraint.length === name.labels.length + 1 && isSuffix(name.labels, constraint);
    }
    case 'ip':
      return base.type === 'iPAddress' && inSubnet(name.bytes, base.bytes);
    case 'email':
      return base.type === 'rfc822Name' && mailboxWithin(name, base.value);
    case 'dn':
      return base.type === 'directoryName' && nameWithin(name.name, base.name);
    case 'uri':
      return base.type === 'uniformResourceIdentifier' && hostWithin(name.host, base.value);
  }
}

/** §4.2.1.10: a DNS constraint covers the name and any name made by adding labels on the left. */
function isSuffix(suffix: readonly string[], labels: readonly string[]): boolean {
  if (suffix.length > labels.length) return false;
  const offset = labels.length - suffix.length;
  return suffix.every((label, i) => label === labels[offset + i]);
}

/** §4.2.1.10: the address masked by the constraint's mask equals the constraint's address. */
function inSubnet(address: Uint8Array, subtree: Uint8Array): boolean {
  if (subtree.length !== 2 * address.length) return false;
  const n = address.length;
  for (let i = 0; i < n; i++) {
    const mask = subtree[n + i]!;
    if ((address[i]! & mask) !== (subtree[i]! & mask)) return false;
  }
  return true;
}

/**
 * §4.2.1.10 rfc822Name constraints: `local@host` is one mailbox (local part
 * compared exactly, host ignoring case), `host` every mailbox on that host,
 * `.domain` every mailbox on a host inside the domain but not the domain itself.
 */
function mailboxWithin(name: { readonly local: string; readonly domain: readonly string[] }, base: string): boolean {
  if (base.includes('@')) {
    const mailbox = parseMailbox(base)!;
    return mailbox.local === name.local && sameLabels(mailbox.domain, name.domain);
  }
  if (base.startsWith('.')) {
    const domain = dnsLabels(base.slice(1))!;
    return name.domain.length > domain.length && isSuffix(domain, name.domain);
  }
  return sameLabels(dnsLabels(base)!, name.domain);
}

/**
 * §4.2.1.10 URI constraints apply to the host part: `host` is that host alone,
 * `.domain` any host inside the domain.
 */
function hostWithin(host: readonly string[], base: string): boolean {
  if (base.startsWith('.')) {
    const domain = dnsLabels(base.slice(1))!;
    return host.length > domain.length && isSuffix(domain, host);
  }
  return sameLabels(dnsLabels(base)!, host);
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((label, i) => label === b[i]);
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The labels of a hostname in the preferred name syntax (RFC 1034 §3.5 as
 * relaxed by RFC 1123 §2.1, which RFC 5280 §4.2.1.6 requires), lowercased,
 * or null: no empty labels, no wildcards, no underscores, at most 253 octets.
 */
export function dnsLabels(name: string): string[] | null {
  if (name.length === 0 || name.length > 253) return null;
  const labels = name.toLowerCase().split('.');
  return labels.every((label) => LABEL.test(label)) ? labels : null;
}

/** An RFC 5321 §4.1.2 Mailbox with an unquoted local part and a hostname domain. */
function parseMailbox(text: string): { readonly form: 'email'; readonly local: string; readonly domain: readonly string[] } | null {
  const at = text.indexOf('@');
  if (at <= 0 || text.indexOf('@', at + 1) !== -1) return null;
  const local = text.slice(0, at);
  if (!/^[\x21-\x7e]+$/.test(local) || /[()<>[\]:;\\,"]/.test(local)) return null;
  const domain = dnsLabels(text.slice(at + 1));
  return domain === null ? null : { form: 'email', local, domain };
}

/** The host of `scheme://host[:port][/...]` (RFC 3986 §3.2.2) as labels, or null (no authority, or an IP literal). */
function uriHost(uri: string): string[] | null {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]*)(?::\d*)?(?:[/?#].*)?$/.exec(uri);
  return match ? dnsLabels(match[1]!) : null;
}

function isValidBase(base: GeneralName): boolean {
  switch (base.type) {
    case 'dNSName':
      // No wildcards and no leading period: §4.2.1.10 defines neither for DNS constraints.
      return dnsLabels(base.value) !== null;
    case 'iPAddress':
      return (base.bytes.length === 8 || base.bytes.length === 32) && isContiguousMask(base.bytes.subarray(base.bytes.length / 2));
    case 'rfc822Name':
      if (base.value.includes('@')) return parseMailbox(base.value) !== null;
      return dnsLabels(base.value.startsWith('.') ? base.value.slice(1) : base.value) !== null;
    case 'uniformResourceIdentifier':
      return dnsLabels(base.value.startsWith('.') ? base.value.slice(1) : base.value) !== null;
    default:
      return true;
  }
}

/** A CIDR mask: ones, then zeros (RFC 4632 §3.1). */
function isContiguousMask(mask: Uint8Array): boolean {
  let zeros = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = ((byte >> bit) & 1) === 1;
      if (set && zeros) return false;
      if (!set) zeros = true;
    }
  }
  return true;
}

function syntaxFailure(detail: string): NameConstraintFailure {
  return { code: X509_V.ERR_UNSUPPORTED_CONSTRAINT_SYNTAX, detail };
}

function describe(name: GeneralName): string {
  switch (name.type) {
    case 'dNSName':
    case 'rfc822Name':
    case 'uniformResourceIdentifier':
      return JSON.stringify(name.value);
    case 'iPAddress':
      return Array.from(name.bytes).join('.');
    default:
      return name.type;
  }
}
