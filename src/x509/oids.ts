/**
 * Object identifiers this project reads, as dotted strings (the form the
 * ASN.1 library returns), with the RFC that assigns each. Certificate name
 * attributes also get OpenSSL's long names, which Python's `getpeercert()`
 * prints (`crypto/objects/objects.txt` in OpenSSL is the source of the names).
 * @module
 */

/** Public key algorithms (RFC 3279 §2.3, RFC 5480 §2.1.1, RFC 8410 §3, RFC 4055 §1.2). */
export const KeyOid = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  x25519: '1.3.101.110',
} as const;

/** Named curves (RFC 5480 §2.1.1.1). */
export const CurveOid = {
  'P-256': '1.2.840.10045.3.1.7',
  'P-384': '1.3.132.0.34',
  'P-521': '1.3.132.0.35',
} as const;

/** Signature algorithms (RFC 4055 §5, RFC 5758 §3.2, RFC 3279 §2.2, RFC 8410 §3). */
export const SignatureOid = {
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha224WithRSAEncryption: '1.2.840.113549.1.1.14',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecdsaWithSHA1: '1.2.840.10045.4.1',
  ecdsaWithSHA224: '1.2.840.10045.4.3.1',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecdsaWithSHA384: '1.2.840.10045.4.3.3',
  ecdsaWithSHA512: '1.2.840.10045.4.3.4',
  ed25519: '1.3.101.112',
} as const;

/** Hash algorithms and MGF1 (RFC 4055 §2.1, §2.2; RFC 8017 Appendix B.2.1). */
export const HashOid = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  mgf1: '1.2.840.113549.1.1.8',
} as const;

/** Certificate extensions (RFC 5280 §4.2.1, §4.2.2). */
export const ExtensionOid = {
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  cRLDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  policyConstraints: '2.5.29.36',
  extKeyUsage: '2.5.29.37',
  inhibitAnyPolicy: '2.5.29.54',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const;

/** Access methods of authorityInfoAccess (RFC 5280 §4.2.2.1). */
export const AccessMethodOid = {
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
} as const;

/** Policy identifiers with a meaning of their own (RFC 5280 §4.2.1.4). */
export const PolicyOid = {
  anyPolicy: '2.5.29.32.0',
} as const;

/** Key purposes (RFC 5280 §4.2.1.12). */
/** Name attribute types the validator looks at (X.520). */
export const AttributeOid = {
  commonName: '2.5.4.3',
} as const;

export const KeyPurposeOid = {
  anyExtendedKeyUsage: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

/** OpenSSL's long names for X.520 attributes, arc → name under 2.5.4 (OpenSSL `objects.txt`). */
const X520_NAMES: Record<number, string> = {
  3: 'commonName', 4: 'surname', 5: 'serialNumber', 6: 'countryName', 7: 'localityName', 8: 'stateOrProvinceName',
  9: 'streetAddress', 10: 'organizationName', 11: 'organizationalUnitName', 12: 'title', 13: 'description',
  14: 'searchGuide', 15: 'businessCategory', 16: 'postalAddress', 17: 'postalCode', 18: 'postOfficeBox',
  19: 'physicalDeliveryOfficeName', 20: 'telephoneNumber', 21: 'telexNumber', 22: 'teletexTerminalIdentifier',
  23: 'facsimileTelephoneNumber', 24: 'x121Address', 25: 'internationaliSDNNumber', 26: 'registeredAddress',
  27: 'destinationIndicator', 28: 'preferredDeliveryMethod', 29: 'presentationAddress', 30: 'supportedApplicationContext',
  31: 'member', 32: 'owner', 33: 'roleOccupant', 34: 'seeAlso', 35: 'userPassword', 36: 'userCertificate',
  37: 'cACertificate', 38: 'authorityRevocationList', 39: 'certificateRevocationList', 40: 'crossCertificatePair',
  41: 'name', 42: 'givenName', 43: 'initials', 44: 'generationQualifier', 45: 'x500UniqueIdentifier',
  46: 'dnQualifier', 47: 'enhancedSearchGuide', 48: 'protocolInformation', 49: 'distinguishedName',
  50: 'uniqueMember', 51: 'houseIdentifier', 52: 'supportedAlgorithms', 53: 'deltaRevocationList', 54: 'dmdName',
  65: 'pseudonym', 72: 'role', 97: 'organizationIdentifier', 98: 'countryCode3c', 99: 'countryCode3n', 100: 'dnsName',
};

/** RFC 1274 / RFC 4519 pilot attributes under 0.9.2342.19200300.100.1. */
const PILOT_NAMES: Record<number, string> = {
  1: 'userId', 2: 'textEncodedORAddress', 3: 'rfc822Mailbox', 4: 'info', 5: 'favouriteDrink', 6: 'roomNumber',
  7: 'photo', 8: 'userClass', 9: 'host', 10: 'manager', 11: 'documentIdentifier', 12: 'documentTitle',
  13: 'documentVersion', 14: 'documentAuthor', 15: 'documentLocation', 20: 'homeTelephoneNumber', 21: 'secretary',
  22: 'otherMailbox', 23: 'lastModifiedTime', 24: 'lastModifiedBy', 25: 'domainComponent', 26: 'aRecord',
  27: 'pilotAttributeType27', 28: 'mXRecord', 29: 'nSRecord', 30: 'sOARecord', 31: 'cNAMERecord',
  37: 'associatedDomain', 38: 'associatedName', 39: 'homePostalAddress', 40: 'personalTitle',
  41: 'mobileTelephoneNumber', 42: 'pagerTelephoneNumber', 43: 'friendlyCountryName', 44: 'uniqueIdentifier',
  45: 'organizationalStatus', 46: 'janetMailbox', 47: 'mailPreferenceOption', 48: 'buildingName', 49: 'dSAQuality',
  50: 'singleLevelQuality', 51: 'subtreeMinimumQuality', 52: 'subtreeMaximumQuality', 53: 'personalSignature',
  54: 'dITRedirect', 55: 'audio', 56: 'documentPublisher',
};

/** PKCS #9 attributes under 1.2.840.113549.1.9 (RFC 2985) that occur in names. */
const PKCS9_NAMES: Record<number, string> = {
  1: 'emailAddress', 2: 'unstructuredName', 3: 'contentType', 4: 'messageDigest', 5: 'signingTime',
  6: 'countersignature', 7: 'challengePassword', 8: 'unstructuredAddress', 9: 'extendedCertificateAttributes',
  20: 'friendlyName', 21: 'localKeyID',
};

/** EV jurisdiction attributes under 1.3.6.1.4.1.311.60.2.1 (CA/Browser Forum EV Guidelines §9.2.4). */
const JURISDICTION_NAMES: Record<number, string> = {
  1: 'jurisdictionLocalityName', 2: 'jurisdictionStateOrProvinceName', 3: 'jurisdictionCountryName',
};

const LONG_NAMES = new Map<string, string>(
  (
    [
      ['2.5.4', X520_NAMES],
      ['0.9.2342.19200300.100.1', PILOT_NAMES],
      ['1.2.840.113549.1.9', PKCS9_NAMES],
      ['1.3.6.1.4.1.311.60.2.1', JURISDICTION_NAMES],
    ] as const
  ).flatMap(([prefix, names]) => Object.entries(names).map(([arc, name]): [string, string] => [`${prefix}.${arc}`, name])),
);

/**
 * What OpenSSL's `OBJ_obj2txt(..., 0)` prints for an OID: its long name when
 * known, the dotted form otherwise. Covers name attributes; other OIDs OpenSSL
 * knows by name (key purposes, extensions) print dotted here.
 */
export function opensslLongName(oid: string): string {
  return LONG_NAMES.get(oid) ?? oid;
}
