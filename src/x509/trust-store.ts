/**
 * The trusted certificates of an `SSLContext`, as OpenSSL's `X509_STORE` holds
 * them for CPython: loaded from PEM bundles (`cafile`, `cadata` text: every
 * CERTIFICATE block, anything between blocks ignored) and DER, each certificate
 * once however often it is added, kept in insertion order. Lookups are those
 * path building and the `ssl` module need: by subject name, compared in
 * OpenSSL's canonical form (`subject-hash.ts`), so `CN=Foo  Bar` finds
 * `cn=foo bar` as OpenSSL would; by subjectKeyIdentifier (RFC 5280 §4.2.1.2);
 * and the CA count of `cert_store_stats()` with `X509_check_ca`'s notion of a
 * CA. A `capath` directory is an on-demand source the `ssl` module supplies (this
 * layer does no file I/O): the first lookup of a subject asks it for the
 * certificates filed under that subject's hash and keeps them, as OpenSSL's
 * `by_dir` lookup loads `<hash>.0`, `<hash>.1`, … into the store.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { bytesKey, toHex } from '../wire/bytes.ts';
import { type Certificate, parseCertificate } from './certificate.ts';
import { parseCrl } from './crl.ts';
import { X509ParseError } from './errors.ts';
import type { DistinguishedName } from './names.ts';
import { PemLabel, pemDecode } from './pem.ts';
import { nameKey, sameName } from './name-compare.ts';
import { canonicalNameEncoding, subjectNameHash } from './subject-hash.ts';

/**
 * A `capath` directory: the DER of every certificate in the files named
 * `<subjectHash>.0`, `<subjectHash>.1`, … in suffix order (empty when there are none).
 */
export type CapathSource = (subjectHash: string) => readonly Uint8Array[];

export interface TrustStoreCounts {
  readonly certificates: number;
  /** Certificates `X509_check_ca` accepts as CAs (`cert_store_stats()['x509_ca']`). */
  readonly caCertificates: number;
  readonly crls: number;
}

export class TrustStore {
  readonly #provider: CryptoProvider;
  readonly #certificates: Certificate[] = [];
  readonly #crls: Uint8Array[] = [];
  /** `bytesKey` of the DER of everything held, for de-duplication. */
  readonly #seen = new Set<string>();
  /** Hex canonical subject → certificates. */
  readonly #bySubject = new Map<string, Certificate[]>();
  /** Hex subjectKeyIdentifier → certificates. */
  readonly #byKeyId = new Map<string, Certificate[]>();
  readonly #capaths: CapathSource[] = [];
  /** `<source index>:<subject hash>` pairs already fetched. */
  readonly #fetched = new Set<string>();

  constructor(provider: CryptoProvider) {
    this.#provider = provider;
  }

  /** Adds `certificate` unless the same DER is already held; says whether it was new. */
  addCertificate(certificate: Certificate): boolean {
    const key = bytesKey(certificate.der);
    if (this.#seen.has(key)) return false;
    // OpenSSL refuses a certificate whose subject or issuer has no canonical form (and looks names up by it).
    canonicalNameEncoding(certificate.subject);
    canonicalNameEncoding(certificate.issuer);
    this.#seen.add(key);
    this.#certificates.push(certificate);
    push(this.#bySubject, nameKey(certificate.subject), certificate);
    const keyId = subjectKeyIdentifier(certificate);
    if (keyId !== undefined) push(this.#byKeyId, toHex(keyId), certificate);
    return true;
  }

  /** Parses and adds one DER certificate; throws `X509ParseError` if it does not parse. */
  addDer(der: Uint8Array): boolean {
    return this.addCertificate(parseCertificate(der));
  }

  /**
   * Every CERTIFICATE and X509 CRL block of a PEM text, as OpenSSL loads a
   * `cafile`; the counts are of the new ones. A block that does not parse
   * throws `X509ParseError` and leaves the store with the blocks before it.
   */
  addPem(text: string): { readonly certificates: number; readonly crls: number } {
    let certificates = 0;
    let crls = 0;
    for (const block of pemDecode(text)) {
      if (block.label === PemLabel.CERTIFICATE && this.addDer(block.der)) certificates++;
      if (block.label === PemLabel.CRL && this.addCrl(block.der)) crls++;
    }
    return { certificates, crls };
  }

  /** Adds a DER CRL (checked to parse) unless already held. */
  addCrl(der: Uint8Array): boolean {
    parseCrl(der);
    const key = bytesKey(der);
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    this.#crls.push(der.slice());
    return true;
  }

  /** Adds a `capath` directory to consult on subject lookups (several may be added, as in OpenSSL). */
  addCapath(source: CapathSource): void {
    this.#capaths.push(source);
  }

  /** Every certificate held, in the order first added (capath ones once looked up). */
  certificates(): readonly Certificate[] {
    return [...this.#certificates];
  }

  /** The certificates `X509_check_ca` calls CAs (what `get_ca_certs()` lists). */
  caCertificates(): Certificate[] {
    return this.#certificates.filter(isCaCertificate);
  }

  crls(): readonly Uint8Array[] {
    return [...this.#crls];
  }

  counts(): TrustStoreCounts {
    return {
      certificates: this.#certificates.length,
      caCertificates: this.caCertificates().length,
      crls: this.#crls.length,
    };
  }

  /**
   * Certificates whose subject is `name` (OpenSSL's `X509_NAME_cmp`: equal
   * canonical encodings), loading from the capath sources first if this
   * subject's hash has not been asked for yet.
   */
  bySubject(name: DistinguishedName): Certificate[] {
    // A name with no canonical form has no subject hash either, and matches nothing:
    // the store holds only canonicalisable subjects.
    const key = nameKey(name);
    if (this.#capaths.length > 0) {
      const hash = subjectHashOrNull(name, this.#provider);
      if (hash === null) return [];
      this.#loadFromCapaths(hash);
    }
    return [...(this.#bySubject.get(key) ?? [])];
  }

  /** Certificates whose subjectKeyIdentifier is `keyId` (RFC 5280 §4.2.1.1: the AKI of what they issued). */
  bySubjectKeyIdentifier(keyId: Uint8Array): Certificate[] {
    return [...(this.#byKeyId.get(toHex(keyId)) ?? [])];
  }

  /**
   * Like OpenSSL's `by_dir`, a file that does not load ends the scan of that
   * hash's files silently; the lookup then goes on with what did load.
   */
  #loadFromCapaths(hash: string): void {
    for (const [index, source] of this.#capaths.entries()) {
      const key = `${index}:${hash}`;
      if (this.#fetched.has(key)) continue;
      this.#fetched.add(key);
      for (const der of source(hash)) {
        try {
          this.addDer(der);
        } catch (error) {
          if (error instanceof X509ParseError) break;
          throw error;
        }
      }
    }
  }
}

/**
 * OpenSSL 3.0's `X509_check_ca` as a yes/no: a certificate with extensions
 * that do not decode is no CA; a keyUsage without keyCertSign rules it out
 * (RFC 5280 §4.2.1.3); basicConstraints, when present, decides (§4.2.1.9);
 * without it, a self-signed v1 certificate or one whose keyUsage has
 * keyCertSign counts, for the sake of old roots. (OpenSSL's last fallback,
 * Netscape's nsCertType CA bits, is not recognised.)
 */
export function isCaCertificate(certificate: Certificate): boolean {
  const extensions = certificate.extensions;
  if (extensions.errors().length > 0) return false;
  const keyUsage = extensions.keyUsage;
  if (keyUsage !== undefined && !keyUsage.names.includes('keyCertSign')) return false;
  const basicConstraints = extensions.basicConstraints;
  if (basicConstraints !== undefined) return basicConstraints.ca;
  if (certificate.version === 1) return isSelfSignedV1(certificate);
  return keyUsage !== undefined;
}

/**
 * OpenSSL's EXFLAG_SS for a v1 certificate (no extensions, so no key
 * identifiers): subject and issuer canonically equal, and the signature
 * algorithm one for the subject's own key type.
 */
function isSelfSignedV1(certificate: Certificate): boolean {
  if (!sameName(certificate.subject, certificate.issuer)) return false;
  const algorithm = certificate.signatureAlgorithm.algorithm;
  let keyType: string;
  try {
    keyType = certificate.publicKey.type;
  } catch {
    return false;
  }
  return KEY_TYPE_OF_SIGNATURE[algorithm.type] === keyType;
}

/** OpenSSL's `check_sig_alg_match`: the key type each signature algorithm is made with (RSA-PSS needs an RSA-PSS key). */
const KEY_TYPE_OF_SIGNATURE: Partial<Record<string, string>> = { ecdsa: 'ec', 'rsa-pkcs1': 'rsa', ed25519: 'ed25519' };

function subjectHashOrNull(name: DistinguishedName, provider: CryptoProvider): string | null {
  try {
    return subjectNameHash(name, provider);
  } catch (error) {
    if (error instanceof X509ParseError) return null;
    throw error;
  }
}

function subjectKeyIdentifier(certificate: Certificate): Uint8Array | undefined {
  try {
    return certificate.extensions.subjectKeyIdentifier;
  } catch {
    return undefined; // a malformed SKI identifies nothing; the validator reports it
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
