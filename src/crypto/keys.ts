/**
 * Key material as plain data. Parsing keys out of SPKI / PKCS#8 belongs to
 * `x509/`; this layer only needs the numbers and points.
 * @module
 */

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export type PublicKey =
  /** `point` is the uncompressed SEC1 encoding (0x04 || x || y). */
  | { readonly type: 'ec'; readonly curve: EcCurve; readonly point: Uint8Array }
  | { readonly type: 'ed25519'; readonly key: Uint8Array }
  | { readonly type: 'rsa'; readonly n: bigint; readonly e: bigint };

export type PrivateKey =
  | { readonly type: 'ec'; readonly curve: EcCurve; readonly secret: Uint8Array; readonly point: Uint8Array }
  | { readonly type: 'ed25519'; readonly seed: Uint8Array; readonly key: Uint8Array }
  | RsaPrivateKey;

/** RSA private key with its CRT parameters (RFC 8017 §3.2, second form). */
export interface RsaPrivateKey {
  readonly type: 'rsa';
  readonly n: bigint;
  readonly e: bigint;
  readonly d: bigint;
  readonly p: bigint;
  readonly q: bigint;
  readonly dp: bigint;
  readonly dq: bigint;
  readonly qInv: bigint;
}

export type KeySpec =
  | { readonly type: 'ec'; readonly curve: EcCurve }
  | { readonly type: 'ed25519' }
  | { readonly type: 'rsa'; readonly bits: number };

/** A copy whose byte arrays the holder may hand to code it does not trust not to write to them. */
export function copyPublicKey(key: PublicKey): PublicKey {
  switch (key.type) {
    case 'ec':
      return { type: 'ec', curve: key.curve, point: key.point.slice() };
    case 'ed25519':
      return { type: 'ed25519', key: key.key.slice() };
    case 'rsa':
      return { type: 'rsa', n: key.n, e: key.e };
  }
}

export function publicKeyOf(key: PrivateKey): PublicKey {
  switch (key.type) {
    case 'ec':
      return { type: 'ec', curve: key.curve, point: key.point };
    case 'ed25519':
      return { type: 'ed25519', key: key.key };
    case 'rsa':
      return { type: 'rsa', n: key.n, e: key.e };
  }
}

/** Size of an RSA modulus in bits. */
export function rsaModulusBits(n: bigint): number {
  if (n <= 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}
