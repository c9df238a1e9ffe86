/**
 * What each cipher suite, group and signature scheme we implement means to the
 * crypto provider: TLS 1.3 suites (RFC 8446 §B.4), key-exchange groups
 * (RFC 8446 §4.2.7) and signature schemes (RFC 8446 §4.2.3), with the rules
 * that tie a scheme to a key.
 * @module
 */
import type { PrivateKey, PublicKey } from '../crypto/keys.ts';
import type { AeadName, GroupName, HashName, SignatureAlgorithm } from '../crypto/provider.ts';
import { CipherSuite, NamedGroup, SignatureScheme } from '../wire/registry.ts';

export interface Suite13 {
  readonly id: number;
  /** The IANA name, which is also OpenSSL's name for TLS 1.3 suites. */
  readonly name: string;
  readonly aead: AeadName;
  readonly hash: HashName;
  readonly keyLength: number;
  /** Secret bits of the AEAD key, as `SSLSocket.cipher()` reports them. */
  readonly bits: number;
}

export const SUITES13: readonly Suite13[] = [
  { id: CipherSuite.TLS_AES_128_GCM_SHA256, name: 'TLS_AES_128_GCM_SHA256', aead: 'AES-128-GCM', hash: 'sha256', keyLength: 16, bits: 128 },
  { id: CipherSuite.TLS_AES_256_GCM_SHA384, name: 'TLS_AES_256_GCM_SHA384', aead: 'AES-256-GCM', hash: 'sha384', keyLength: 32, bits: 256 },
  { id: CipherSuite.TLS_CHACHA20_POLY1305_SHA256, name: 'TLS_CHACHA20_POLY1305_SHA256', aead: 'CHACHA20-POLY1305', hash: 'sha256', keyLength: 32, bits: 256 },
];

export function suite13(id: number): Suite13 | undefined {
  return SUITES13.find((s) => s.id === id);
}

const GROUPS: ReadonlyMap<number, GroupName> = new Map([
  [NamedGroup.x25519, 'x25519'],
  [NamedGroup.secp256r1, 'secp256r1'],
  [NamedGroup.secp384r1, 'secp384r1'],
]);

/** The provider's name for a group we implement, or undefined. */
export function groupName(group: number): GroupName | undefined {
  return GROUPS.get(group);
}

/** The registry number of a group the provider names. */
export function groupNumber(name: GroupName): number {
  for (const [number, n] of GROUPS) if (n === name) return number;
  throw new RangeError(`no registry number for ${name}`);
}

export const DEFAULT_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1];

interface SchemeInfo {
  readonly algorithm: SignatureAlgorithm;
  /** Whether a key may be used with this scheme (RFC 8446 §4.2.3 binds ECDSA curves to hashes). */
  readonly fits: (key: PublicKey | PrivateKey) => boolean;
  /** RFC 8446 §4.4.3: PKCS#1 v1.5 and SHA-1 are never used for TLS 1.3 CertificateVerify. */
  readonly tls13: boolean;
}

const S = SignatureScheme;
const isEc = (curve: string) => (k: PublicKey | PrivateKey) => k.type === 'ec' && k.curve === curve;
const isRsa = (k: PublicKey | PrivateKey) => k.type === 'rsa';
const pss = (hash: HashName, saltLength: number): SignatureAlgorithm => ({ type: 'rsa-pss', hash, saltLength });

const SCHEMES: ReadonlyMap<number, SchemeInfo> = new Map<number, SchemeInfo>([
  [S.ecdsa_secp256r1_sha256, { algorithm: { type: 'ecdsa', hash: 'sha256' }, fits: isEc('P-256'), tls13: true }],
  [S.ecdsa_secp384r1_sha384, { algorithm: { type: 'ecdsa', hash: 'sha384' }, fits: isEc('P-384'), tls13: true }],
  [S.ecdsa_secp521r1_sha512, { algorithm: { type: 'ecdsa', hash: 'sha512' }, fits: isEc('P-521'), tls13: true }],
  [S.ed25519, { algorithm: { type: 'ed25519' }, fits: (k) => k.type === 'ed25519', tls13: true }],
  // RFC 8446 §4.2.3: RSASSA-PSS salt length equals the digest length.
  [S.rsa_pss_rsae_sha256, { algorithm: pss('sha256', 32), fits: isRsa, tls13: true }],
  [S.rsa_pss_rsae_sha384, { algorithm: pss('sha384', 48), fits: isRsa, tls13: true }],
  [S.rsa_pss_rsae_sha512, { algorithm: pss('sha512', 64), fits: isRsa, tls13: true }],
  [S.rsa_pkcs1_sha256, { algorithm: { type: 'rsa-pkcs1', hash: 'sha256' }, fits: isRsa, tls13: false }],
  [S.rsa_pkcs1_sha384, { algorithm: { type: 'rsa-pkcs1', hash: 'sha384' }, fits: isRsa, tls13: false }],
  [S.rsa_pkcs1_sha512, { algorithm: { type: 'rsa-pkcs1', hash: 'sha512' }, fits: isRsa, tls13: false }],
]);

/** Schemes we offer for TLS 1.3 handshake signatures, in preference order. */
export const DEFAULT_SIGNATURE_SCHEMES13: readonly number[] = [
  S.ecdsa_secp256r1_sha256,
  S.ecdsa_secp384r1_sha384,
  S.ecdsa_secp521r1_sha512,
  S.ed25519,
  S.rsa_pss_rsae_sha256,
  S.rsa_pss_rsae_sha384,
  S.rsa_pss_rsae_sha512,
];

/** The provider algorithm for a scheme usable in a TLS 1.3 CertificateVerify with `key`, or undefined. */
export function handshakeSignatureAlgorithm(scheme: number, key: PublicKey | PrivateKey): SignatureAlgorithm | undefined {
  const info = SCHEMES.get(scheme);
  return info && info.tls13 && info.fits(key) ? info.algorithm : undefined;
}

/** The first scheme in `peerSchemes` that we implement for TLS 1.3 and that fits our key (RFC 8446 §4.4.3). */
export function chooseSignatureScheme(key: PrivateKey, peerSchemes: readonly number[]): number | undefined {
  return peerSchemes.find((s) => handshakeSignatureAlgorithm(s, key) !== undefined);
}
