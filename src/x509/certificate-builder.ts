/**
 * Issues X.509 v3 certificates (RFC 5280 §4.1) for throwaway CAs and servers:
 * the `puretls demo` command, examples and tests that need a chain without the
 * `openssl` binary. The structure comes from `@peculiar/asn1-x509`'s schema
 * classes; the signature from the crypto provider. Only the profile a small
 * private PKI needs is offered (CA or end entity, DNS/IP subjectAltNames,
 * serverAuth/clientAuth), and every certificate it makes passes the strict
 * checks of `VERIFY_X509_STRICT` and the web-PKI rules.
 * @module
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate as CertificateSchema,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { type PrivateKey, publicKeyOf } from '../crypto/keys.ts';
import type { CryptoProvider, HashName, SignatureAlgorithm } from '../crypto/provider.ts';
import { formatIpAddress, parseIpAddress } from './ip-address.ts';
import { encodePublicKeyInfo } from './keys.ts';
import { ExtensionOid, KeyPurposeOid, SignatureOid } from './oids.ts';

/** The name attributes a builder accepts, by OpenSSL's short name (X.520 §6; RFC 5280 §4.1.2.4). */
const ATTRIBUTE_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  O: '2.5.4.10',
  OU: '2.5.4.11',
};

/** One attribute per RDN, in order: `[['O', 'puretls'], ['CN', 'localhost']]`. */
export type NameSpec = readonly (readonly [attribute: string, value: string])[];

/** The issuer of a certificate being built: its subject Name, key identifier and signing key. */
export interface Issuer {
  readonly subjectDer: Uint8Array;
  readonly keyIdentifier: Uint8Array;
  readonly key: PrivateKey;
}

export interface CertificateSpec {
  readonly subject: NameSpec;
  /** The subject's key; its public half goes into the certificate. */
  readonly key: PrivateKey;
  /** Null for a self-signed certificate (a root CA). */
  readonly issuer: Issuer | null;
  /** Seconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** A CA may sign certificates; an end entity may sign handshakes. */
  readonly ca: boolean;
  /** DNS names and IP address texts for subjectAltName (end entities). */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** The extended key usages of an end entity; both when absent. */
  readonly purposes?: readonly ('serverAuth' | 'clientAuth')[];
  /** Positive serial number bytes; 16 random bytes when absent (CA/B Forum BR §7.1: at least 64 bits of entropy). */
  readonly serialNumber?: Uint8Array;
  /** The digest RSA and ECDSA signatures use; SHA-256 when absent. */
  readonly hash?: HashName;
}

/** A spec no valid certificate can be made from; `message` names the field. */
export class CertificateSpecError extends Error {
  constructor(field: string, detail: string) {
    super(`${field}: ${detail}`);
    this.name = 'CertificateSpecError';
  }
}

export interface BuiltCertificate {
  readonly der: Uint8Array;
  /** What a certificate issued by this one needs (only meaningful for a CA). */
  readonly asIssuer: Issuer;
}

/** Signs a new certificate as `spec` describes. */
export function buildCertificate(provider: CryptoProvider, spec: CertificateSpec): BuiltCertificate {
  if (!(spec.notAfter > spec.notBefore)) throw new CertificateSpecError('Validity', 'notAfter must be later than notBefore');
  const spki = encodePublicKeyInfo(publicKeyOf(spec.key));
  // RFC 5280 §4.2.1.2 allows any value unique to the key; the SHA-1 of the whole SubjectPublicKeyInfo is one.
  const keyIdentifier = provider.hash('sha1').digest(spki);
  const subject = encodeName(spec.subject);
  const signer = spec.issuer?.key ?? spec.key;
  const { algorithm, identifier } = signatureAlgorithmFor(signer, spec.hash ?? 'sha256');
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumber(provider, spec.serialNumber),
    signature: identifier,
    issuer: spec.issuer === null ? subject : AsnConvert.parse(spec.issuer.subjectDer, Name),
    validity: new Validity({ notBefore: new Date(spec.notBefore * 1000), notAfter: new Date(spec.notAfter * 1000) }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
    extensions: new Extensions(extensionsFor(spec, keyIdentifier, spec.issuer?.keyIdentifier ?? keyIdentifier)),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = provider.sign(algorithm, signer, tbsDer);
  const der = new Uint8Array(AsnConvert.serialize(new CertificateSchema({ tbsCertificate: tbs, signatureAlgorithm: identifier, signatureValue: signature.slice().buffer })));
  return { der, asIssuer: { subjectDer: new Uint8Array(AsnConvert.serialize(subject)), keyIdentifier, key: spec.key } };
}

/** RFC 5280 §4.1.2.4: UTF8String values, except countryName, which X.520 makes a two-letter PrintableString. */
function encodeName(spec: NameSpec): Name {
  if (spec.length === 0) throw new CertificateSpecError('Name', 'a certificate needs a subject');
  return new Name(
    spec.map(([attribute, value]) => {
      const type = ATTRIBUTE_OIDS[attribute];
      if (type === undefined) throw new CertificateSpecError('Name', `unknown attribute ${attribute} (use one of ${Object.keys(ATTRIBUTE_OIDS).join(', ')})`);
      if (attribute === 'C' && !/^[A-Z]{2}$/.test(value)) throw new CertificateSpecError('Name', `countryName must be two capital letters, not ${JSON.stringify(value)}`);
      const encoded = attribute === 'C' ? new AttributeValue({ printableString: value }) : new AttributeValue({ utf8String: value });
      return new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: encoded })]);
    }),
  );
}

/** RFC 5280 §4.1.2.2: a positive INTEGER of at most 20 octets, encoded minimally (X.690 §8.3.2). */
function serialNumber(provider: CryptoProvider, given: Uint8Array | undefined): ArrayBuffer {
  if (given === undefined) {
    const random = provider.randomBytes(16);
    // 0b01 in the top bits: positive, and the first octet is never a redundant zero.
    random[0] = (random[0]! & 0x3f) | 0x40;
    return new Uint8Array(random).buffer;
  }
  const value = given[0]! & 0x80 ? Uint8Array.of(0, ...given) : Uint8Array.from(given);
  if (value.length === 0 || value.length > 20 || value.every((b) => b === 0)) throw new CertificateSpecError('serialNumber', 'must be a positive number of at most 20 octets');
  if (value[0] === 0 && value.length > 1 && !(value[1]! & 0x80)) throw new CertificateSpecError('serialNumber', 'has redundant leading zero octets');
  return value.buffer;
}

function extensionsFor(spec: CertificateSpec, subjectKeyId: Uint8Array, authorityKeyId: Uint8Array): Extension[] {
  const extensions = [
    // RFC 5280 §4.2.1.9: critical in CA certificates; OpenSSL's strict mode wants it in every CA.
    extension(ExtensionOid.basicConstraints, true, new BasicConstraints({ cA: spec.ca })),
    // RFC 5280 §4.2.1.3: keyCertSign/cRLSign for a CA; digitalSignature for a TLS 1.3 end entity (CertificateVerify).
    extension(ExtensionOid.keyUsage, true, new KeyUsage(spec.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature)),
    extension(ExtensionOid.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyId)),
  ];
  // RFC 5280 §4.2.1.1: every certificate but a self-signed one names its issuer's key.
  if (spec.issuer !== null) extensions.push(extension(ExtensionOid.authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(authorityKeyId) })));
  if (!spec.ca) {
    const purposes = spec.purposes ?? ['serverAuth', 'clientAuth'];
    extensions.push(extension(ExtensionOid.extKeyUsage, false, new ExtendedKeyUsage(purposes.map((p) => KeyPurposeOid[p]))));
  }
  const altNames = [...(spec.dnsNames ?? []).map(dnsName), ...(spec.ipAddresses ?? []).map(ipName)];
  // RFC 5280 §4.2.1.6: critical only when the subject Name is empty, which encodeName refuses.
  if (altNames.length > 0) extensions.push(extension(ExtensionOid.subjectAltName, false, new SubjectAlternativeName(altNames)));
  return extensions;
}

/** A label of RFC 1034 §3.5's preferred name syntax, a leading digit allowed (RFC 1123 §2.1). */
const LDH_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * RFC 5280 §4.2.1.6: a dNSName is an IA5String in the preferred name syntax,
 * an IDN as its A-label (RFC 5280 §7.2); a wildcard only as the whole leftmost
 * label (RFC 6125 §6.4.3). Anything else would be written as given and make a
 * certificate no client matches.
 */
function dnsName(name: string): GeneralName {
  const labels = name.split('.');
  const valid = name.length <= 253 && labels.every((label, i) => LDH_LABEL.test(label) || (i === 0 && label === '*' && labels.length > 1));
  if (!valid) throw new CertificateSpecError('subjectAltName', `${JSON.stringify(name)} is not a DNS name (letters, digits and hyphens in dot-separated labels; an IDN as its xn-- A-label)`);
  return new GeneralName({ dNSName: name });
}

function ipName(text: string): GeneralName {
  const bytes = parseIpAddress(text);
  if (bytes === null) throw new CertificateSpecError('subjectAltName', `${JSON.stringify(text)} is not an IP address`);
  // The library's converter takes the text form; giving it our own canonical text keeps one parser in charge.
  return new GeneralName({ iPAddress: formatIpAddress(bytes) });
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

const ECDSA_OIDS = { sha256: SignatureOid.ecdsaWithSHA256, sha384: SignatureOid.ecdsaWithSHA384, sha512: SignatureOid.ecdsaWithSHA512 } as const;
const RSA_OIDS = { sha256: SignatureOid.sha256WithRSAEncryption, sha384: SignatureOid.sha384WithRSAEncryption, sha512: SignatureOid.sha512WithRSAEncryption } as const;

/** The algorithm `key` signs with and its AlgorithmIdentifier (RFC 5758 §3.2, RFC 4055 §5, RFC 8410 §3). */
function signatureAlgorithmFor(key: PrivateKey, hash: HashName): { algorithm: SignatureAlgorithm; identifier: AlgorithmIdentifier } {
  if (hash === 'sha1') throw new CertificateSpecError('signatureAlgorithm', 'SHA-1 signatures are refused at security level 1 and above');
  switch (key.type) {
    case 'ec':
      // RFC 5758 §3.2: the parameters field MUST be absent.
      return { algorithm: { type: 'ecdsa', hash }, identifier: new AlgorithmIdentifier({ algorithm: ECDSA_OIDS[hash] }) };
    case 'ed25519':
      return { algorithm: { type: 'ed25519' }, identifier: new AlgorithmIdentifier({ algorithm: SignatureOid.ed25519 }) };
    case 'rsa':
      // RFC 4055 §5: the parameters MUST be NULL.
      return { algorithm: { type: 'rsa-pkcs1', hash }, identifier: new AlgorithmIdentifier({ algorithm: RSA_OIDS[hash], parameters: null }) };
  }
}
