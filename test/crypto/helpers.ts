/**
 * Helpers shared by the crypto tests: key pairs made by OpenSSL through
 * `node:crypto` and turned into our plain-data keys by way of their PKCS#8 /
 * SPKI DER (the x509 parsers), so that node and we can be cross-checked on the
 * same key; bit flips; and a textbook modular exponentiation as a reference
 * for the BigInt RSA code.
 * @module
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { EcCurve, PrivateKey, PublicKey } from '../../src/crypto/keys.ts';
import { parsePrivateKey, parsePublicKeyInfo } from '../../src/x509/keys.ts';

export interface NodeKeyPair {
  readonly nodePrivate: KeyObject;
  readonly nodePublic: KeyObject;
  readonly privateKey: PrivateKey;
  readonly publicKey: PublicKey;
}

export function fromNode(nodePrivate: KeyObject, nodePublic: KeyObject): NodeKeyPair {
  const pkcs8 = nodePrivate.export({ format: 'der', type: 'pkcs8' });
  const spki = nodePublic.export({ format: 'der', type: 'spki' });
  return {
    nodePrivate,
    nodePublic,
    privateKey: parsePrivateKey(new Uint8Array(pkcs8)),
    publicKey: parsePublicKeyInfo(new Uint8Array(spki)),
  };
}

const NODE_CURVE: Record<EcCurve, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };

export function nodeEcKey(curve: EcCurve): NodeKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: NODE_CURVE[curve] });
  return fromNode(privateKey, publicKey);
}

export function nodeEd25519Key(): NodeKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return fromNode(privateKey, publicKey);
}

/** An RSA key whose modulus has exactly `bits` bits (OpenSSL 3.0 makes 2048-bit moduli when asked for 2049). */
export function nodeRsaKey(bits: number): NodeKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pair = fromNode(privateKey, publicKey);
  if (pair.publicKey.type !== 'rsa' || pair.publicKey.n.toString(2).length !== bits) throw new Error(`OpenSSL made no ${bits}-bit key`);
  return pair;
}

/** A copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, index: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[index]! ^= 1 << bit;
  return out;
}

/** Right-to-left square-and-multiply: slow and obviously correct, the reference for `modPow`. */
export function modPowReference(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  base %= modulus;
  for (; exponent > 0n; exponent >>= 1n, base = (base * base) % modulus) {
    if (exponent & 1n) result = (result * base) % modulus;
  }
  return result;
}
