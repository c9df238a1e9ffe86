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

/**
 * The groups we negotiate, in both versions (RFC 8446 §4.2.7; RFC 8422 §5.1.1
 * for TLS 1.2 ECDHE, which includes X25519 and X448).
 *
 * No finite-field DHE (RFC 7919 ffdhe2048…8192), by choice:
 * - in TLS 1.2 it needs DHE suites, which DESIGN §2.4 leaves out (ECDHE only);
 *   and there the server picks the prime, the client cannot check it, and the
 *   premaster secret's stripped leading zeros leak through timing (Logjam,
 *   Raccoon);
 * - in TLS 1.3 it would be a 2048- to 8192-bit modular exponentiation with a
 *   secret exponent in our own BigInt code: not constant time, not audited
 *   (noble has no FFDHE), and 14 to 400 times the CPU of an X25519 exchange
 *   (ffdhe2048 to ffdhe8192 with full-length exponents, measured with our
 *   `modPow`) for a client to make a server spend, for no more security;
 * - no peer needs it: every stack offers ECDHE; OpenSSL 3.0 lists ffdhe2048…8192
 *   only after its five ECDHE groups, browsers and Go not at all.
 */
const GROUPS: ReadonlyMap<number, GroupName> = new Map([
  [NamedGroup.x25519, 'x25519'],
  [NamedGroup.secp256r1, 'secp256r1'],
  [NamedGroup.x448, 'x448'],
  [NamedGroup.secp521r1, 'secp521r1'],
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

/**
 * OpenSSL 3.0's default ECDHE groups in its order, so that our
 * supported_groups is what CPython's `create_default_context()` sends less the
 * ffdhe groups it appends (see above). The client puts a key share in its
 * first ClientHello for the first group only (X25519), as they do; the larger
 * groups cost nothing until a peer asks for them.
 */
export const DEFAULT_GROUPS: readonly number[] = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.x448, NamedGroup.secp521r1, NamedGroup.secp384r1];

interface SchemeInfo {
  readonly algorithm: SignatureAlgorithm;
  /** Whether a key may sign with this scheme in TLS 1.3, which binds ECDSA curves to hashes (RFC 8446 §4.2.3). */
  readonly fits13: (key: PublicKey | PrivateKey) => boolean;
  /**
   * Whether it may in TLS 1.2, where a SignatureAndHashAlgorithm names a hash
   * and a key type, not a curve (RFC 5246 §7.4.1.4.1, RFC 8422 §5.10).
   * RFC 8446 §4.4.3: PKCS#1 v1.5 is never used for a TLS 1.3 CertificateVerify.
   */
  readonly fits12: (key: PublicKey | PrivateKey) => boolean;
}

const S = SignatureScheme;
const never = () => false;
const isEc = (curve: string) => (k: PublicKey | PrivateKey) => k.type === 'ec' && k.curve === curve;
const isAnyEc = (k: PublicKey | PrivateKey) => k.type === 'ec';
const isRsa = (k: PublicKey | PrivateKey) => k.type === 'rsa';
const isEd25519 = (k: PublicKey | PrivateKey) => k.type === 'ed25519';
const pss = (hash: HashName, saltLength: number): SignatureAlgorithm => ({ type: 'rsa-pss', hash, saltLength });

const SCHEMES: ReadonlyMap<number, SchemeInfo> = new Map<number, SchemeInfo>([
  [S.ecdsa_secp256r1_sha256, { algorithm: { type: 'ecdsa', hash: 'sha256' }, fits13: isEc('P-256'), fits12: isAnyEc }],
  [S.ecdsa_secp384r1_sha384, { algorithm: { type: 'ecdsa', hash: 'sha384' }, fits13: isEc('P-384'), fits12: isAnyEc }],
  [S.ecdsa_secp521r1_sha512, { algorithm: { type: 'ecdsa', hash: 'sha512' }, fits13: isEc('P-521'), fits12: isAnyEc }],
  [S.ed25519, { algorithm: { type: 'ed25519' }, fits13: isEd25519, fits12: isEd25519 }],
  // RFC 8446 §4.2.3: RSASSA-PSS salt length equals the digest length.
  [S.rsa_pss_rsae_sha256, { algorithm: pss('sha256', 32), fits13: isRsa, fits12: isRsa }],
  [S.rsa_pss_rsae_sha384, { algorithm: pss('sha384', 48), fits13: isRsa, fits12: isRsa }],
  [S.rsa_pss_rsae_sha512, { algorithm: pss('sha512', 64), fits13: isRsa, fits12: isRsa }],
  [S.rsa_pkcs1_sha256, { algorithm: { type: 'rsa-pkcs1', hash: 'sha256' }, fits13: never, fits12: isRsa }],
  [S.rsa_pkcs1_sha384, { algorithm: { type: 'rsa-pkcs1', hash: 'sha384' }, fits13: never, fits12: isRsa }],
  [S.rsa_pkcs1_sha512, { algorithm: { type: 'rsa-pkcs1', hash: 'sha512' }, fits13: never, fits12: isRsa }],
]);

/**
 * Schemes we offer and accept for handshake signatures, in preference order:
 * the TLS 1.3 ones, then PKCS#1 v1.5 for TLS 1.2 peers (RFC 8446 §4.2.3 lets a
 * TLS 1.3 ClientHello list them for TLS 1.2). No SHA-1 (RFC 9155).
 */
export const DEFAULT_SIGNATURE_SCHEMES: readonly number[] = [
  S.ecdsa_secp256r1_sha256,
  S.ecdsa_secp384r1_sha384,
  S.ecdsa_secp521r1_sha512,
  S.ed25519,
  S.rsa_pss_rsae_sha256,
  S.rsa_pss_rsae_sha384,
  S.rsa_pss_rsae_sha512,
  S.rsa_pkcs1_sha256,
  S.rsa_pkcs1_sha384,
  S.rsa_pkcs1_sha512,
];

/** The version whose signature rules apply: TLS 1.3 (the default) or TLS 1.2. */
export type SigningVersion = typeof ProtocolVersion.TLSv1_3 | typeof ProtocolVersion.TLSv1_2;

/** The provider algorithm for a scheme usable in a handshake signature of `version` with `key`, or undefined. */
export function handshakeSignatureAlgorithm(scheme: number, key: PublicKey | PrivateKey, version: SigningVersion = TLS13): SignatureAlgorithm | undefined {
  const info = SCHEMES.get(scheme);
  if (!info) return undefined;
  return (version === TLS13 ? info.fits13 : info.fits12)(key) ? info.algorithm : undefined;
}

/** The first scheme in `peerSchemes` that we implement for `version` and that fits our key (RFC 8446 §4.4.3, RFC 5246 §7.4.1.4.1). */
export function chooseSignatureScheme(key: PrivateKey, peerSchemes: readonly number[], version: SigningVersion = TLS13): number | undefined {
  return peerSchemes.find((s) => handshakeSignatureAlgorithm(s, key, version) !== undefined);
}

/**
 * Whether a certificate key can authenticate a TLS 1.2 suite: ECDHE_RSA needs
 * an RSA key (RFC 5246 §7.4.2), ECDHE_ECDSA an ECDSA or EdDSA key (RFC 8422 §5.3).
 */
export function keyFitsSuite12(suite: Suite12, key: PublicKey | PrivateKey): boolean {
  return suite.auth === 'RSA' ? key.type === 'rsa' : key.type === 'ec' || key.type === 'ed25519';
}

const CURVE_GROUPS: Readonly<Record<string, number>> = { 'P-256': NamedGroup.secp256r1, 'P-384': NamedGroup.secp384r1, 'P-521': NamedGroup.secp521r1 };

/**
 * RFC 8422 §5.1 (and OpenSSL's tls1_check_cert_param): in TLS 1.2 an ECDSA
 * certificate's curve must be among the client's supported_groups, when it
 * sent them; other keys are not bound to a group.
 */
export function keyCurveOffered12(key: PublicKey | PrivateKey, supportedGroups: readonly number[] | undefined): boolean {
  if (key.type !== 'ec' || supportedGroups === undefined) return true;
  return supportedGroups.includes(CURVE_GROUPS[key.curve]!);
}
