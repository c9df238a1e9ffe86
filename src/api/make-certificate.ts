/**
 * A puretls addition to `puretls/x509` (Python's `ssl` has nothing like it;
 * the `trustme` package is the closest): a throwaway CA and certificates it
 * issues, made in memory with puretls's own code, for demos, tests and local
 * development. The results are PEM text, ready for
 * `SSLContext.load_cert_chain` (through a file) and
 * `load_verify_locations(cadata=...)`. Never use them where real trust matters:
 * nothing stores or protects the CA's key.
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import type { KeySpec } from '../crypto/keys.ts';
import { CertificateSpecError, buildCertificate, type NameSpec } from '../x509/certificate-builder.ts';
import { parseCertificate } from '../x509/certificate.ts';
import { IdnaError, idnaEncode } from '../x509/idna.ts';
import { parseIpAddress } from '../x509/ip-address.ts';
import { encodePrivateKeyPkcs8, parsePrivateKey } from '../x509/keys.ts';
import { certificateToPem, pemCertificates, privateKeyToPem } from '../x509/pem.ts';
import { ValueError } from './exceptions.ts';

/** A certificate and its private key, PEM (PKCS#8 for the key). */
export interface CertificateAndKey {
  readonly cert_pem: string;
  readonly private_key_pem: string;
}

/** The key a new certificate gets: ECDSA P-256 (the default, fast), Ed25519, or RSA 2048 (slow to generate in JavaScript). */
export type KeyType = 'ec' | 'ed25519' | 'rsa';

export interface MakeCertificateOptions {
  /** The subject's commonName; the first host name (or a fixed text for a CA) when absent. */
  readonly common_name?: string | null;
  /** The subject's organizationName, if any. */
  readonly organization?: string | null;
  /** Days of validity from an hour ago (the hour allows for clock skew); 30 when absent. */
  readonly days?: number;
  /** Seconds since the epoch, overriding `days` (for expired or not-yet-valid certificates). */
  readonly not_before?: number | null;
  readonly not_after?: number | null;
  readonly key_type?: KeyType;
  /** Make an intermediate CA instead of an end entity. */
  readonly ca?: boolean;
  /** An end entity's extended key usages; both when absent. */
  readonly purposes?: readonly ('serverAuth' | 'clientAuth')[];
}

const KEY_SPECS: Readonly<Record<KeyType, KeySpec>> = {
  ec: { type: 'ec', curve: 'P-256' },
  ed25519: { type: 'ed25519' },
  rsa: { type: 'rsa', bits: 2048 },
};

const HOUR = 3600;
const DAY = 86400;

/** A new self-signed root CA. */
export function make_test_ca(options: MakeCertificateOptions = {}): CertificateAndKey {
  return issue(null, [], { ...options, ca: true, common_name: options.common_name ?? 'puretls test CA' });
}

/**
 * A certificate issued by `issuer` (a CA from `make_test_ca`, or an
 * intermediate from this function with `ca: true`) for `hostnames`: DNS
 * names and IP address texts, all in subjectAltName, as RFC 6125 wants.
 */
export function make_certificate(issuer: CertificateAndKey, hostnames: readonly string[], options: MakeCertificateOptions = {}): CertificateAndKey {
  if (!options.ca && hostnames.length === 0 && !options.common_name) throw new ValueError('a certificate needs a host name or a common_name');
  return issue(issuer, hostnames, options);
}

function issue(issuer: CertificateAndKey | null, given: readonly string[], options: MakeCertificateOptions): CertificateAndKey {
  // IDNs as A-labels (RFC 5280 §7.2), with the codec CPython applies to server_hostname, so the names match what clients send.
  const hostnames = given.map((h) => (parseIpAddress(h) === null ? aLabels(h) : h));
  const key = nobleProvider.generateKey(KEY_SPECS[options.key_type ?? 'ec']);
  // Until the runtime layer offers a clock, the time comes from the Date object (as verify_chain's default).
  const now = Math.floor(Date.now() / 1000);
  const notBefore = options.not_before ?? now - HOUR;
  const notAfter = options.not_after ?? notBefore + HOUR + (options.days ?? 30) * DAY;
  const commonName = options.common_name ?? hostnames[0];
  const subject: NameSpec = [...(options.organization ? [['O', options.organization] as const] : []), ...(commonName ? [['CN', commonName] as const] : [])];
  const built = wrapErrors(() =>
    buildCertificate(nobleProvider, {
      subject,
      key,
      issuer: issuer === null ? null : issuerOf(issuer),
      notBefore,
      notAfter,
      ca: Boolean(options.ca),
      dnsNames: hostnames.filter((h) => parseIpAddress(h) === null),
      ipAddresses: hostnames.filter((h) => parseIpAddress(h) !== null),
      purposes: options.purposes,
    }),
  );
  return { cert_pem: certificateToPem(built.der), private_key_pem: privateKeyToPem(encodePrivateKeyPkcs8(key)) };
}

function aLabels(hostname: string): string {
  try {
    return idnaEncode(hostname);
  } catch (error) {
    if (error instanceof IdnaError) throw new ValueError(`${JSON.stringify(hostname)}: ${error.message}`);
    throw error;
  }
}

function issuerOf(issuer: CertificateAndKey) {
  const der = pemCertificates(issuer.cert_pem)[0];
  if (der === undefined) throw new ValueError('the issuer has no certificate');
  const certificate = parseCertificate(der);
  const keyIdentifier = certificate.extensions.subjectKeyIdentifier;
  if (keyIdentifier === undefined) throw new ValueError('the issuer certificate has no subjectKeyIdentifier');
  return { subjectDer: certificate.subject.der, keyIdentifier, key: parsePrivateKey(issuer.private_key_pem) };
}

/** What the caller gave that cannot make a certificate is CPython's kind of error, ValueError. */
function wrapErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CertificateSpecError) throw new ValueError(error.message);
    throw error;
  }
}
