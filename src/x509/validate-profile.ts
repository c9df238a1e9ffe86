/**
 * Checks on one certificate of a path, given where it sits (leaf,
 * intermediate, anchor): the parts of RFC 5280 a verifier enforces on each
 * certificate alone. Always: every extension we decode must decode (§4.2),
 * a critical extension must be one we process (§4.2; the set OpenSSL 3.0
 * processes, so that the same certificates fail), and RSA keys must have at
 * least 2048 bits. With VERIFY_X509_STRICT, OpenSSL's strict checks (the
 * profile rules of §4.1 and §4.2.1.1–.9, when the path has more than one
 * certificate) and the web-PKI subscriber rules of the CA/Browser Forum
 * Baseline Requirements §7.1 that x509-limbo exercises.
 * @module
 */
import type { PublicKey } from '../crypto/keys.ts';
import { rsaModulusBits } from '../crypto/keys.ts';
import { bytesEqual } from '../wire/bytes.ts';
import type { Certificate } from './certificate.ts';
import { AttributeOid, ExtensionOid, KeyPurposeOid } from './oids.ts';
import { idnaEncode } from './idna.ts';
import { parseIpAddress } from './ip-address.ts';
import { dnsLabels } from './name-constraints.ts';
import { sameName } from './name-compare.ts';
import { type VerifyCode, X509_V } from './verify-codes.ts';

export interface Position {
  /** 0 for the peer's certificate, counting towards the anchor. */
  readonly index: number;
  /** Certificates in the whole path. */
  readonly length: number;
  /** The last certificate: the trust anchor. */
  readonly anchor: boolean;
}

export interface ProfileFailure {
  readonly code: VerifyCode;
  readonly detail: string;
}

/**
 * Extensions that may be critical: OpenSSL 3.0's `X509_supported_extension`
 * list, less the Netscape, RFC 3779, proxy and TLS-feature ones we do not
 * process. Any other critical extension fails with code 34 (§4.2).
 */
const PROCESSED_CRITICAL: ReadonlySet<string> = new Set([
  ExtensionOid.keyUsage,
  ExtensionOid.subjectAltName,
  ExtensionOid.basicConstraints,
  ExtensionOid.certificatePolicies,
  ExtensionOid.extKeyUsage,
  ExtensionOid.nameConstraints,
  ExtensionOid.policyMappings,
  ExtensionOid.policyConstraints,
  ExtensionOid.inhibitAnyPolicy,
]);

/** CA/B Forum BR §6.1.5 and OpenSSL security level 2: 2048-bit RSA at least. */
const MIN_RSA_BITS = 2048;

const fail = (code: VerifyCode, detail: string): ProfileFailure => ({ code, detail });

/** The first profile rule `cert` breaks at `position`, or null. */
export function checkProfile(cert: Certificate, position: Position, strict: boolean): ProfileFailure | null {
  return checkAlways(cert, position) ?? (strict ? (checkStrict(cert, position) ?? checkWebPki(cert, position)) : null);
}

function checkAlways(cert: Certificate, position: Position): ProfileFailure | null {
  const broken = cert.extensions.errors()[0];
  if (broken) return fail(X509_V.ERR_INVALID_EXTENSION, broken.message);
  const critical = cert.extensions.list.find((e) => e.critical && !PROCESSED_CRITICAL.has(e.oid));
  if (critical) return fail(X509_V.ERR_UNHANDLED_CRITICAL_EXTENSION, `critical extension ${critical.oid}`);
  const key = publicKeyOrNull(cert);
  if (key?.type === 'rsa' && rsaModulusBits(key.n) < MIN_RSA_BITS) return weakKey(position, `${rsaModulusBits(key.n)}-bit RSA key`);
  return null;
}

function weakKey(position: Position, detail: string): ProfileFailure {
  return fail(position.index === 0 ? X509_V.ERR_EE_KEY_TOO_SMALL : X509_V.ERR_CA_KEY_TOO_SMALL, detail);
}

/** OpenSSL 3.0 `check_chain_extensions` under X509_V_FLAG_X509_STRICT (RFC 5280 §4.1.2.4–§4.2.1.9). */
function checkStrict(cert: Certificate, position: Position): ProfileFailure | null {
  if (position.length === 1) return null; // a lone self-signed certificate is exempt, as in OpenSSL
  const ext = cert.extensions;
  const bc = ext.basicConstraints;
  const ca = bc?.ca === true;
  const ku = ext.keyUsage;
  const keyCertSign = ku !== undefined && ku.names.includes('keyCertSign');
  const san = ext.get(ExtensionOid.subjectAltName);
  const emptySubject = cert.subject.rdns.length === 0;
  if (bc?.pathLen !== undefined && !ca) return fail(X509_V.ERR_PATHLEN_INVALID_FOR_NON_CA, '§4.2.1.9');
  if (bc?.pathLen !== undefined && !keyCertSign) return fail(X509_V.ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, '§4.2.1.9');
  if (ca && !ext.get(ExtensionOid.basicConstraints)!.critical) return fail(X509_V.ERR_CA_BCONS_NOT_CRITICAL, '§4.2.1.9');
  // A root without keyUsage is the trust store's choice to accept (old roots lack it); issued CAs need it.
  if (ca && ku === undefined && !position.anchor) return fail(X509_V.ERR_CA_CERT_MISSING_KEY_USAGE, '§4.2.1.3');
  if (!ca && keyCertSign) return fail(X509_V.ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, '§4.2.1.3');
  if (cert.issuer.rdns.length === 0) return fail(X509_V.ERR_ISSUER_NAME_EMPTY, '§4.1.2.4');
  if (emptySubject && (ca || ku?.names.includes('cRLSign') || san === undefined)) return fail(X509_V.ERR_SUBJECT_NAME_EMPTY, '§4.1.2.6');
  if (emptySubject && san !== undefined && !san.critical) return fail(X509_V.ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, '§4.2.1.6');
  const aki = ext.authorityKeyIdentifier;
  // §4.2.1.1: every certificate carries its issuer's key identifier, but a
  // self-signed anchor. (OpenSSL exempts any anchor; a cross-signed one is
  // "generated by a conforming CA" like any other, so we do not.)
  const akiExempt = position.anchor && sameName(cert.subject, cert.issuer);
  if (!akiExempt && aki?.keyIdentifier === undefined) return fail(X509_V.ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, '§4.2.1.1');
  if (ca && ext.subjectKeyIdentifier === undefined) return fail(X509_V.ERR_MISSING_SUBJECT_KEY_IDENTIFIER, '§4.2.1.2');
  return null;
}

/**
 * CA/B Forum Baseline Requirements (§6.1.5, §7.1) as a web-PKI client
 * applies them, and RFC 5280 MUSTs OpenSSL leaves to the issuer.
 */
function checkWebPki(cert: Certificate, position: Position): ProfileFailure | null {
  if (position.length === 1) return null;
  const ext = cert.extensions;
  const rejected = (detail: string): ProfileFailure => fail(X509_V.ERR_CERT_REJECTED, detail);
  // §4.1.2.2: positive, at most 20 octets (an anchor's serial is the trust store's business).
  const serial = cert.serialNumber;
  const badSerial = serial.length > 20 || (serial[0]! & 0x80) !== 0 || serial.every((b) => b === 0);
  if (badSerial && !position.anchor) return rejected('serial number is not a positive integer of at most 20 octets');
  const key = publicKeyOrNull(cert);
  if (key === null) return fail(position.index === 0 ? X509_V.ERR_EE_KEY_TOO_SMALL : X509_V.ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY, 'unusable public key');
  if (key.type === 'rsa' && rsaModulusBits(key.n) % 8 !== 0) return weakKey(position, 'RSA modulus size is not a multiple of 8 (BR §6.1.5)');
  const nc = ext.get(ExtensionOid.nameConstraints);
  if (nc && ext.basicConstraints?.ca !== true) return fail(X509_V.ERR_INVALID_EXTENSION, 'nameConstraints in a non-CA certificate (§4.2.1.10)');
  if (nc && !nc.critical) return fail(X509_V.ERR_INVALID_EXTENSION, 'nameConstraints not critical (§4.2.1.10)');
  const pc = ext.get(ExtensionOid.policyConstraints);
  if (pc && !pc.critical) return fail(X509_V.ERR_INVALID_POLICY_EXTENSION, 'policyConstraints not critical (§4.2.1.11)');
  if (position.index === 0) return checkSubscriber(cert);
  if (position.anchor) return checkRoot(cert);
  return null;
}

/** BR §7.1.2.7: the subscriber (leaf) certificate. */
function checkSubscriber(cert: Certificate): ProfileFailure | null {
  const ext = cert.extensions;
  if (ext.basicConstraints?.ca === true) return fail(X509_V.ERR_INVALID_NON_CA, 'leaf is a CA certificate (BR §7.1.2.7.8)');
  const eku = ext.get(ExtensionOid.extKeyUsage);
  if (eku === undefined) return fail(X509_V.ERR_INVALID_PURPOSE, 'leaf has no extKeyUsage (BR §7.1.2.7.10)');
  if (eku.critical) return fail(X509_V.ERR_INVALID_PURPOSE, 'critical extKeyUsage (BR §7.1.2.7.10)');
  if (ext.extKeyUsage!.includes(KeyPurposeOid.anyExtendedKeyUsage)) return fail(X509_V.ERR_INVALID_PURPOSE, 'anyExtendedKeyUsage in a leaf (BR §7.1.2.7.10)');
  const san = ext.get(ExtensionOid.subjectAltName);
  if (san?.critical && cert.subject.rdns.length > 0) return fail(X509_V.ERR_INVALID_EXTENSION, 'critical subjectAltName with a subject (BR §7.1.2.7.12)');
  // §4.2.1.6: dNSNames in the preferred name syntax; a wildcard only as the whole leftmost label.
  for (const name of ext.subjectAltName ?? []) {
    if (name.type !== 'dNSName') continue;
    const host = name.value.startsWith('*.') ? name.value.slice(2) : name.value;
    if (dnsLabels(host) === null) return fail(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX, `malformed dNSName ${JSON.stringify(name.value)}`);
  }
  return checkCommonNames(cert);
}

/**
 * BR §7.1.4.3: a commonName names what an altName names, spelled the same.
 * An IP address must be in RFC 3986 / RFC 5952 text (hex, leading zeros,
 * upper case or uncompressed forms are read differently by different
 * parsers), and a hostname that is a dNSName up to case or IDNA encoding must
 * be that dNSName byte for byte. (The rest of §7.1.4.3, a CN that is no
 * altName at all, is not enforced: x509-limbo itself accepts hundreds of
 * leaves whose CN names something else.)
 */
function checkCommonNames(cert: Certificate): ProfileFailure | null {
  const dnsNames = new Map<string, string[]>();
  for (const n of cert.extensions.subjectAltName ?? []) {
    if (n.type === 'dNSName') dnsNames.set(n.value.toLowerCase(), [...(dnsNames.get(n.value.toLowerCase()) ?? []), n.value]);
  }
  for (const rdn of cert.subject.rdns) {
    for (const { oid, value } of rdn) {
      if (oid !== AttributeOid.commonName) continue;
      if (looksLikeAddress(value)) {
        const bytes = parseIpAddress(value);
        if (bytes === null || addressText(bytes) !== value) {
          return fail(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX, `commonName ${JSON.stringify(value)} is an IP address in non-canonical text (BR §7.1.4.3)`);
        }
      } else if (dnsNames.get(asciiHostname(value) ?? '')?.some((d) => d !== value)) {
        return fail(X509_V.ERR_UNSUPPORTED_NAME_SYNTAX, `commonName ${JSON.stringify(value)} spells a dNSName differently (BR §7.1.4.3)`);
      }
    }
  }
  return null;
}

/** The lowercase A-label form of a hostname, or null if it has none. */
function asciiHostname(text: string): string | null {
  try {
    return idnaEncode(text).toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Text some parser takes for an IP address: IPv6 hex groups with colons, or
 * the `inet_aton` forms of IPv4 (one to four parts, decimal, octal or hex).
 */
function looksLikeAddress(text: string): boolean {
  if (/^[0-9A-Fa-f:.]+$/.test(text) && text.includes(':')) return true;
  return /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)(?:\.(?:0[xX][0-9A-Fa-f]+|[0-9]+)){0,3}$/.test(text);
}


/** An iPAddress as BR §7.1.4.3 wants it in a CN: dotted decimal, or RFC 5952 §4 for IPv6. */
function addressText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.length !== 16) return '';
  const groups = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  // §4.2.2–§4.2.3: "::" replaces the longest run of two or more zero groups, the first if tied.
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16)); // §4.1 no leading zeros, §4.3 lowercase
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}

/** BR §7.1.2.1: a root CA certificate. */
function checkRoot(cert: Certificate): ProfileFailure | null {
  const ext = cert.extensions;
  if (ext.get(ExtensionOid.extKeyUsage)) return fail(X509_V.ERR_INVALID_PURPOSE, 'extKeyUsage in a root (BR §7.1.2.1.2)');
  const aki = ext.authorityKeyIdentifier;
  if (aki === undefined || !sameName(cert.subject, cert.issuer)) return null;
  const ski = ext.subjectKeyIdentifier;
  const sameKey = aki.keyIdentifier !== undefined && ski !== undefined && bytesEqual(aki.keyIdentifier, ski);
  if (!sameKey || aki.issuer !== undefined || aki.serialNumber !== undefined) {
    return fail(X509_V.ERR_AKID_SKID_MISMATCH, 'root authorityKeyIdentifier must be exactly its subjectKeyIdentifier (BR §7.1.2.1.3)');
  }
  return null;
}

function publicKeyOrNull(cert: Certificate): PublicKey | null {
  try {
    return cert.publicKey;
  } catch {
    return null;
  }
}
