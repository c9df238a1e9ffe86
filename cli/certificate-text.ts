/**
 * Certificates as a person reads them: a `getpeercert()` dict laid out one
 * field a line, and names in OpenSSL's one-line form (`O = puretls, CN = x`,
 * what `openssl verify` prints).
 * @module
 */
import type { decode_certificate } from 'puretls/x509';

export type CertDict = ReturnType<typeof decode_certificate>;
type NameTuple = CertDict['subject'];

/** OpenSSL's short names for the long names `getpeercert()` uses. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  commonName: 'CN',
  countryName: 'C',
  localityName: 'L',
  stateOrProvinceName: 'ST',
  organizationName: 'O',
  organizationalUnitName: 'OU',
  domainComponent: 'DC',
  streetAddress: 'street',
  userId: 'UID',
};

/** `O = puretls demo, CN = localhost` (multi-valued RDNs joined with ` + `, as XN_FLAG_ONELINE). */
export function onelineName(name: NameTuple): string {
  return name.map((rdn) => rdn.map(([type, value]) => `${SHORT_NAMES[type] ?? type} = ${value}`).join(' + ')).join(', ');
}

/** The dict's fields, one a line, indented by `indent`. */
export function certificateLines(cert: CertDict, indent = '  '): string[] {
  const lines = [
    `subject:         ${onelineName(cert.subject)}`,
    `issuer:          ${onelineName(cert.issuer)}`,
    `subjectAltName:  ${(cert.subjectAltName ?? []).map(([type, value]) => `${type}:${value}`).join(', ') || '(none)'}`,
    `notBefore:       ${cert.notBefore}`,
    `notAfter:        ${cert.notAfter}`,
    `serialNumber:    ${cert.serialNumber}`,
    `version:         ${cert.version}`,
  ];
  for (const key of ['OCSP', 'caIssuers', 'crlDistributionPoints'] as const) {
    const values = cert[key];
    if (values) lines.push(`${`${key}:`.padEnd(17)}${values.join(', ')}`);
  }
  return lines.map((line) => indent + line);
}
