/**
 * `puretls/x509`: certificates without a connection, for people who would
 * otherwise run `openssl x509` or `openssl verify`. `decode_certificate`
 * gives the dict `SSLSocket.getpeercert()` gives; `verify_chain` builds and
 * validates a path exactly as a handshake would, and raises CPython's
 * `SSLCertVerificationError` (verify_code, verify_message) when it fails.
 * Certificates are PEM text (one or more blocks) or DER bytes; flags are
 * CPython's `VERIFY_*` values; `purpose` is `Purpose.SERVER_AUTH` or
 * `Purpose.CLIENT_AUTH` (what Python code passes) or its OID string.
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { certificateCache } from '../x509/certificate-cache.ts';
import { type PeerCertDict, decodeCertificate } from '../x509/decode-cert.ts';
import { X509ParseError } from '../x509/errors.ts';
import type { KeyUsageName } from '../x509/extensions.ts';
import { pemCertificates, pemCrls } from '../x509/pem.ts';
import { VerifyFlag, verifyCertificateChain } from '../x509/verify.ts';
import { X509VerifyError } from '../x509/verify-codes.ts';
import { type SSLCertVerificationError, SSLError, certificateVerifyFailed } from './exceptions.ts';

export { CertificateError, OSError, SSLCertVerificationError, SSLError, ValueError } from './exceptions.ts';

/** CPython's `ssl.VERIFY_*` (OpenSSL's `X509_V_FLAG_*`). */
export const VERIFY_DEFAULT = 0;
export const VERIFY_CRL_CHECK_LEAF = VerifyFlag.CRL_CHECK;
export const VERIFY_CRL_CHECK_CHAIN = VerifyFlag.CRL_CHECK | VerifyFlag.CRL_CHECK_ALL;
/** OpenSSL 3's strict checks exactly, with its codes (CPython 3.13's `create_default_context` sets it). */
export const VERIFY_X509_STRICT = VerifyFlag.X509_STRICT;
/**
 * A puretls extension (no CPython or OpenSSL equivalent; 0x40000000, above
 * OpenSSL's range): the CA/Browser Forum web-PKI rules, e.g. a leaf needs a
 * non-critical extKeyUsage and must not be a CA, nameConstraints must be critical.
 */
export const VERIFY_X509_WEBPKI = VerifyFlag.X509_WEBPKI;
/** Accepted and without effect: proxy certificates (RFC 3820) carry a critical extension we never process. */
export const VERIFY_ALLOW_PROXY_CERTS = 0x40;
export const VERIFY_X509_TRUSTED_FIRST = VerifyFlag.TRUSTED_FIRST;
export const VERIFY_X509_PARTIAL_CHAIN = VerifyFlag.PARTIAL_CHAIN;

/** CPython's `ssl.Purpose` members: `_ASN1Object(nid, shortname, longname, oid)`. */
export const Purpose = Object.freeze({
  SERVER_AUTH: Object.freeze({ nid: 129, shortname: 'serverAuth', longname: 'TLS Web Server Authentication', oid: '1.3.6.1.5.5.7.3.1' }),
  CLIENT_AUTH: Object.freeze({ nid: 130, shortname: 'clientAuth', longname: 'TLS Web Client Authentication', oid: '1.3.6.1.5.5.7.3.2' }),
});

/** A `Purpose` member (CPython's `_ASN1Object`; only `.oid` is read) or its OID string. */
export type PurposeInput = string | { readonly oid: string };

/** A certificate (or several, for lists): PEM text or DER bytes. */
export type CertificateInput = string | Uint8Array;

/**
 * What `verify_chain` raises when the path does not verify. A puretls
 * addition to CPython's `SSLCertVerificationError`: `verify_depth` is the
 * position of the certificate at fault (0 = `peer`), as `openssl verify`
 * reports it (`X509_STORE_CTX_get_error_depth`).
 */
export type ChainVerificationError = SSLCertVerificationError & { readonly verify_depth: number };

export interface VerifyChainOptions {
  /** Trust anchors; each PEM string may hold several certificates. */
  readonly trusted: readonly CertificateInput[] | CertificateInput;
  /** Untrusted intermediates to build the path with. */
  readonly intermediates?: readonly CertificateInput[] | CertificateInput | null;
  /** `Purpose.SERVER_AUTH` (the default) or `Purpose.CLIENT_AUTH`, or either's `.oid`. */
  readonly purpose?: PurposeInput | null;
  /** Check the certificate is for this name (an IP address text is checked as an address, as CPython does). */
  readonly hostname?: string | null;
  /** Check the certificate is for this IP address. */
  readonly ip?: string | null;
  /** Seconds since the epoch; now when null or absent. */
  readonly time?: number | null;
  /** CRLs (PEM or DER) for VERIFY_CRL_CHECK_LEAF / VERIFY_CRL_CHECK_CHAIN. */
  readonly crls?: readonly CertificateInput[] | CertificateInput | null;
  /** `VERIFY_*` bits; VERIFY_X509_TRUSTED_FIRST when absent, as in CPython's contexts. */
  readonly flags?: number | null;
  /** Most intermediates (self-issued ones not counted); 100 when null or absent. */
  readonly max_depth?: number | null;
  /** CPython's `SSLContext.hostname_checks_common_name` (True by default). */
  readonly hostname_checks_common_name?: boolean;
  /** Key usages the peer's certificate must allow, if it has a keyUsage extension (`'digitalSignature'`...). */
  readonly key_usage?: readonly KeyUsageName[];
  /** The crypto provider for signature checks (the noble one by default). */
  readonly provider?: CryptoProvider;
}

/** The `getpeercert()` dict of one certificate (the first, if PEM text holds several). */
export function decode_certificate(pem_or_der: CertificateInput): PeerCertDict {
  return wrapParseErrors(() => decodeCertificate(derList(pem_or_der)[0]!));
}

/**
 * Verifies `peer` as a TLS peer's certificate and returns the validated
 * chain, DER, leaf first and trust anchor last; raises
 * `SSLCertVerificationError` with OpenSSL's code and message otherwise (a
 * `ChainVerificationError`: it also says the depth), and `SSLError` for
 * input that is not a certificate.
 */
export function verify_chain(peer: CertificateInput, options: VerifyChainOptions): Uint8Array[] {
  const given = options.purpose ?? Purpose.SERVER_AUTH;
  const purpose = typeof given === 'string' ? given : given.oid;
  if (purpose !== Purpose.SERVER_AUTH.oid && purpose !== Purpose.CLIENT_AUTH.oid) {
    throw new SSLError(`unsupported purpose ${purpose}`);
  }
  const { chain, trusted, intermediates, crls } = wrapParseErrors(() => ({
    chain: derList(peer),
    trusted: asList(options.trusted).flatMap(derList).map((der) => certificateCache.parse(der)),
    intermediates: asList(options.intermediates).flatMap(derList),
    crls: asList(options.crls).flatMap((c) => (typeof c === 'string' ? pemCrls(c) : [c])),
  }));
  try {
    // Extra certificates after the peer's are candidate intermediates, as in a TLS Certificate message.
    const verified = verifyCertificateChain(options.provider ?? nobleProvider, [...chain, ...intermediates], {
      trust: trusted,
      purpose: purpose === Purpose.SERVER_AUTH.oid ? 'serverAuth' : 'clientAuth',
      hostname: options.hostname ?? null,
      ip: options.ip ?? null,
      // Until the runtime layer offers a clock, the epoch time comes from the Date object.
      time: options.time ?? Date.now() / 1000,
      crls,
      flags: options.flags ?? VERIFY_X509_TRUSTED_FIRST,
      maxDepth: options.max_depth ?? undefined,
      checkCommonName: options.hostname_checks_common_name ?? true,
      requiredKeyUsage: options.key_usage ?? [],
    });
    // Copies: the views are shared through the certificate cache.
    return verified.chain.map((c) => c.der.slice());
  } catch (error) {
    if (error instanceof X509VerifyError) {
      throw Object.assign(certificateVerifyFailed(error.code, error.message, options.hostname ?? options.ip), { verify_depth: error.depth });
    }
    throw wrapped(error);
  }
}

function asList(input: readonly CertificateInput[] | CertificateInput | null | undefined): readonly CertificateInput[] {
  if (input === null || input === undefined) return [];
  return typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
}

/** The DER certificates of one input: every CERTIFICATE block of PEM text, or the bytes as they are. */
function derList(input: CertificateInput): Uint8Array[] {
  if (input instanceof Uint8Array) return [input];
  const blocks = pemCertificates(input);
  if (blocks.length === 0) throw new X509ParseError('PEM CERTIFICATE', 'no certificate found');
  return blocks;
}

function wrapParseErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw wrapped(error);
  }
}

/** A certificate that does not parse: `SSLError` with OpenSSL's library and our reason, as CPython raises for bad PEM. */
function wrapped(error: unknown): unknown {
  if (!(error instanceof X509ParseError)) return error;
  const result = new SSLError(1, `[X509: ${error.reason}] ${error.message}`);
  result.library = 'X509';
  result.reason = error.reason;
  return result;
}

/** A puretls addition: a throwaway CA and the certificates it issues (make-certificate.ts). */
export { type CertificateAndKey, type KeyType, type MakeCertificateOptions, make_certificate, make_test_ca } from './make-certificate.ts';
