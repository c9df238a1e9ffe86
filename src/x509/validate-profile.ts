/**
 * Checks on one certificate of a path, given where it sits (leaf,
 * intermediate, anchor): the parts of RFC 5280 a verifier enforces on each
 * certificate alone. Always: every extension we decode must decode (§4.2),
 * a critical extension must be one we process (§4.2; the set OpenSSL 3.0
 * processes, so that the same certificates fail), and RSA keys must have at
 * least 2048 bits. With VERIFY_X509_STRICT, exactly OpenSSL 3.0's strict
 * checks (`check_extensions` in x509_vfy.c: the profile rules of §4.1 and
 * §4.2.1.1–.9, when the path has more than one certificate), in its order and
 * with its codes. The web-PKI rules are `validate-webpki.ts`.
 * @module
 */
import type { PublicKey } from '../crypto/keys.ts';
import { rsaModulusBits } from '../crypto/keys.ts';
import type { Certificate } from './certificate.ts';
import { ExtensionOid } from './oids.ts';
import { type VerifyCode, X509_V } from './verify-codes.ts';

export interface Position {
  /** 0 for the peer's certificate, counting towards the anchor. */
  readonly index: number;
  /** Certificates in the whole path. */
  readonly length: number;
  /** The last certificate: the trust anchor. */
  readonly anchor: boolean;
  /** Subject equals issuer and the key identifiers do not disagree (path-builder.ts `selfSigned`). */
  readonly selfSigned: boolean;
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

export const fail = (code: VerifyCode, detail: string): ProfileFailure => ({ code, detail });

/** The rules every verification applies to `cert` at `position`, whatever the flags. */
export function checkAlways(cert: Certificate, position: Position): ProfileFailure | null {
  const broken = cert.extensions.errors()[0];
  if (broken) return fail(X509_V.ERR_INVALID_EXTENSION, broken.message);
  const critical = cert.extensions.list.find((e) => e.critical && !PROCESSED_CRITICAL.has(e.oid));
  if (critical) return fail(X509_V.ERR_UNHANDLED_CRITICAL_EXTENSION, `critical extension ${critical.oid}`);
  const key = publicKeyOrNull(cert);
  if (key?.type === 'rsa' && rsaModulusBits(key.n) < MIN_RSA_BITS) return weakKey(position, `${rsaModulusBits(key.n)}-bit RSA key`);
  return null;
}

export function weakKey(position: Position, detail: string): ProfileFailure {
  return fail(position.index === 0 ? X509_V.ERR_EE_KEY_TOO_SMALL : X509_V.ERR_CA_KEY_TOO_SMALL, detail);
}

/**
 * OpenSSL's `X509_check_ca`: 1 for a CA by basicConstraints, 0 for no CA
 * (basicConstraints cA false or absent, or a keyUsage without keyCertSign),
 * and the legacy answers OpenSSL still honours outside strict mode: 3 for a
 * self-signed version 1 certificate, 4 for a keyUsage allowing keyCertSign
 * without basicConstraints (§4.2.1.9 requires basicConstraints in a CA).
 */
export function caKind(cert: Certificate, selfSigned: boolean): 0 | 1 | 3 | 4 {
  const ku = cert.extensions.keyUsage;
  if (ku !== undefined && !ku.names.includes('keyCertSign')) return 0;
  const bc = cert.extensions.basicConstraints;
  if (bc !== undefined) return bc.ca ? 1 : 0;
  if (cert.version === 1 && selfSigned) return 3;
  return ku !== undefined ? 4 : 0;
}

/**
 * OpenSSL 3.0's checks under X509_V_FLAG_X509_STRICT (`check_extensions`),
 * in its order, for a path of more than one certificate (a lone self-signed
 * certificate is exempt, RFC 6818 §2). OpenSSL reads an absent keyUsage as
 * allowing nothing here, so a pathLenConstraint needs keyCertSign present.
 * Three of its rules never fire here because our parser already refuses
 * such certificates as malformed: an empty subjectAltName (87), different
 * inner and outer signature algorithms (78), and extensions in a version 1
 * or 2 certificate (93). `anchorMayLackKeyUsage` is VERIFY_X509_WEBPKI's one
 * relaxation: root stores carry roots older than the keyUsage requirement of
 * BR §7.1.2.1, and web-PKI verifiers take an anchor's key and name from the
 * store rather than judging its extensions.
 */
export function checkStrict(cert: Certificate, position: Position, anchorMayLackKeyUsage = false): ProfileFailure | null {
  if (position.length === 1) return null;
  const ext = cert.extensions;
  const bc = ext.basicConstraints;
  const ca = bc?.ca === true;
  const ku = ext.keyUsage;
  const keyCertSign = ku?.names.includes('keyCertSign') === true;
  const san = ext.get(ExtensionOid.subjectAltName);
  const emptySubject = cert.subject.rdns.length === 0;
  if (bc?.pathLen !== undefined && !ca) return fail(X509_V.ERR_PATHLEN_INVALID_FOR_NON_CA, '§4.2.1.9');
  if (bc?.pathLen !== undefined && !keyCertSign) return fail(X509_V.ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN, '§4.2.1.9');
  if (ca && !ext.get(ExtensionOid.basicConstraints)!.critical) return fail(X509_V.ERR_CA_BCONS_NOT_CRITICAL, '§4.2.1.9');
  // The trust anchor too: OpenSSL exempts no position from §4.2.1.3.
  if (ca && ku === undefined && !(position.anchor && anchorMayLackKeyUsage)) return fail(X509_V.ERR_CA_CERT_MISSING_KEY_USAGE, '§4.2.1.3');
  if (!ca && keyCertSign) return fail(X509_V.ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA, '§4.2.1.3');
  if (cert.issuer.rdns.length === 0) return fail(X509_V.ERR_ISSUER_NAME_EMPTY, '§4.1.2.4');
  if (emptySubject && (ca || ku?.names.includes('cRLSign') || san === undefined)) return fail(X509_V.ERR_SUBJECT_NAME_EMPTY, '§4.1.2.6');
  if (emptySubject && san !== undefined && !san.critical) return fail(X509_V.ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL, '§4.2.1.6');
  if (ext.get(ExtensionOid.authorityKeyIdentifier)?.critical) return fail(X509_V.ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL, '§4.2.1.1');
  if (ext.get(ExtensionOid.subjectKeyIdentifier)?.critical) return fail(X509_V.ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL, '§4.2.1.2');
  if (cert.version !== 3) return null;
  // §4.2.1.1 binds "conforming CAs": OpenSSL takes every certificate but the last as issued by one.
  if (!position.anchor && ext.authorityKeyIdentifier?.keyIdentifier === undefined) return fail(X509_V.ERR_MISSING_AUTHORITY_KEY_IDENTIFIER, '§4.2.1.1');
  if (ca && ext.subjectKeyIdentifier === undefined) return fail(X509_V.ERR_MISSING_SUBJECT_KEY_IDENTIFIER, '§4.2.1.2');
  return null;
}

export function publicKeyOrNull(cert: Certificate): PublicKey | null {
  try {
    return cert.publicKey;
  } catch {
    return null;
  }
}
