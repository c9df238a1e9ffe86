/**
 * What each cipher suite, group and signature scheme we implement means to the
 * crypto provider: TLS 1.3 suites (RFC 8446 §B.4) and TLS 1.2 ECDHE AEAD suites
 * (RFC 5289, RFC 7905; DESIGN §2.4), key-exchange groups (RFC 8446 §4.2.7) and
 * signature schemes (RFC 8446 §4.2.3), with the rules that tie a scheme to a key.
 * @module
 */
import type { PrivateKey, PublicKey } from '../crypto/keys.ts';
import type { AeadName, GroupName, HashName, SignatureAlgorithm } from '../crypto/provider.ts';
import { CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme } from '../wire/registry.ts';

export interface Suite13 {
  readonly version: typeof ProtocolVersion.TLSv1_3;
  readonly id: number;
  /** The IANA name, which is also OpenSSL's name for TLS 1.3 suites. */
  readonly name: string;
  readonly aead: AeadName;
  readonly hash: HashName;
  readonly keyLength: number;
  /** Secret bits of the AEAD key, as `SSLSocket.cipher()` reports them. */
  readonly bits: number;
}

/** A TLS 1.2 suite: always ECDHE key exchange and an AEAD record protection (DESIGN §2.4). */
export interface Suite12 {
  readonly version: typeof ProtocolVersion.TLSv1_2;
  readonly id: number;
  /** The IANA name (OpenSSL names TLS 1.2 suites its own way: the api layer's business). */
  readonly name: string;
  readonly aead: AeadName;
  /** The PRF's hash (RFC 5246 §5), which also sizes verify_data's input and the EMS session hash (RFC 7627 §4). */
  readonly hash: HashName;
  readonly keyLength: number;
  /** The implicit part of the nonce taken from the key block (RFC 5246 §6.3's client/server_write_IV). */
  readonly fixedIvLength: number;
  /** Nonce bytes sent before each record's ciphertext (RFC 5246 §6.2.3.3 GenericAEADCipher.nonce_explicit). */
  readonly explicitNonceLength: number;
  /** Secret bits of the AEAD key, as `SSLSocket.cipher()` reports them. */
  readonly bits: number;
  /** What the server's certificate key must be, and what signs its ServerKeyExchange (RFC 8422 §5.4, RFC 5289 §3). */
  readonly auth: 'ECDSA' | 'RSA';
}

export type Suite = Suite13 | Suite12;

const TLS13 = ProtocolVersion.TLSv1_3;
const TLS12 = ProtocolVersion.TLSv1_2;

export const SUITES13: readonly Suite13[] = [
  { version: TLS13, id: CipherSuite.TLS_AES_128_GCM_SHA256, name: 'TLS_AES_128_GCM_SHA256', aead: 'AES-128-GCM', hash: 'sha256', keyLength: 16, bits: 128 },
  { version: TLS13, id: CipherSuite.TLS_AES_256_GCM_SHA384, name: 'TLS_AES_256_GCM_SHA384', aead: 'AES-256-GCM', hash: 'sha384', keyLength: 32, bits: 256 },
  { version: TLS13, id: CipherSuite.TLS_CHACHA20_POLY1305_SHA256, name: 'TLS_CHACHA20_POLY1305_SHA256', aead: 'CHACHA20-POLY1305', hash: 'sha256', keyLength: 32, bits: 256 },
];

/** AES-GCM in TLS 1.2: a 4-byte salt from the key block and an 8-byte explicit nonce per record (RFC 5288 §3). */
const GCM_NONCE = { fixedIvLength: 4, explicitNonceLength: 8 } as const;
/** ChaCha20-Poly1305 in TLS 1.2: a 12-byte IV XORed with the sequence number, nothing explicit (RFC 7905 §2). */
const CHACHA_NONCE = { fixedIvLength: 12, explicitNonceLength: 0 } as const;

/**
 * The TLS 1.2 suites, strongest first and ECDSA before RSA: the order
 * OpenSSL's cipher strings start from ("ALL"). The PRF hash is the suite's
 * own for GCM (RFC 5289 §3.2) and SHA-256 for ChaCha20 (RFC 7905 §2).
 */
export const SUITES12: readonly Suite12[] = [
  { version: TLS12, id: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, name: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', aead: 'AES-256-GCM', hash: 'sha384', keyLength: 32, ...GCM_NONCE, bits: 256, auth: 'ECDSA' },
  { version: TLS12, id: CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', aead: 'AES-256-GCM', hash: 'sha384', keyLength: 32, ...GCM_NONCE, bits: 256, auth: 'RSA' },
  { version: TLS12, id: CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', aead: 'CHACHA20-POLY1305', hash: 'sha256', keyLength: 32, ...CHACHA_NONCE, bits: 256, auth: 'ECDSA' },
  { version: TLS12, id: CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, name: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', aead: 'CHACHA20-POLY1305', hash: 'sha256', keyLength: 32, ...CHACHA_NONCE, bits: 256, auth: 'RSA' },
  { version: TLS12, id: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', aead: 'AES-128-GCM', hash: 'sha256', keyLength: 16, ...GCM_NONCE, bits: 128, auth: 'ECDSA' },
  { version: TLS12, id: CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', aead: 'AES-128-GCM', hash: 'sha256', keyLength: 16, ...GCM_NONCE, bits: 128, auth: 'RSA' },
];

export function suite13(id: number): Suite13 | undefined {
  return SUITES13.find((s) => s.id === id);
}

export function suite12(id: number): Suite12 | undefined {
  return SUITES12.find((s) => s.id === id);
}

/** The suite of either version with this IANA number; its `version` tells which. */
export function suiteById(id: number): Suite | undefined {
  return suite13(id) ?? suite12(id);
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
