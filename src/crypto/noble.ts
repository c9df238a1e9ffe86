/**
 * The noble provider: the one file that imports @noble/ciphers, @noble/curves
 * and @noble/hashes, adapting them to `CryptoProvider`. RSA is ours (`rsa.ts`);
 * randomness is `crypto.getRandomValues`, a global on every runtime we target.
 * @module
 */
import { cbc, gcm } from '@noble/ciphers/aes.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { x448 } from '@noble/curves/ed448.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { hmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../wire/errors.ts';
import type { EcCurve, KeySpec, PrivateKey, PublicKey } from './keys.ts';
import type { Aead, AeadName, CryptoProvider, GroupName, Hash, HashContext, HashName, KeyExchange, KeyFileCrypto, SignatureAlgorithm } from './provider.ts';
import { rsaGenerate, rsaPkcs1Sign, rsaPkcs1Verify, rsaPssSign, rsaPssVerify } from './rsa.ts';

const HASHES = { sha1, sha256, sha384, sha512 } as const;
const CURVES = { 'P-256': p256, 'P-384': p384, 'P-521': p521 } as const;

type NobleHashInstance = ReturnType<(typeof HASHES)[HashName]['create']>;

function wrapContext(h: NobleHashInstance): HashContext {
  return {
    update(data) {
      h.update(data);
      return this;
    },
    digest: () => h.clone().digest(),
    clone: () => wrapContext(h.clone()),
  };
}

const hashes = new Map<HashName, Hash>(
  (Object.keys(HASHES) as HashName[]).map((name) => {
    const fn = HASHES[name];
    return [name, { name, outputLength: fn.outputLen, digest: (d: Uint8Array) => fn(d), create: () => wrapContext(fn.create()) }];
  }),
);

function nobleHash(name: HashName): Hash {
  const h = hashes.get(name);
  if (!h) throw new TypeError(`unsupported hash ${name}`);
  return h;
}

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < length; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(length, i + 65536)));
  return out;
}

const AEAD_KEY_LENGTHS: Record<AeadName, number> = { 'AES-128-GCM': 16, 'AES-256-GCM': 32, 'CHACHA20-POLY1305': 32 };

function makeAead(name: AeadName, key: Uint8Array): Aead {
  if (key.length !== AEAD_KEY_LENGTHS[name]) throw new RangeError(`${name} needs a ${AEAD_KEY_LENGTHS[name]}-byte key`);
  const cipher = name === 'CHACHA20-POLY1305' ? chacha20poly1305 : gcm;
  return {
    name,
    keyLength: key.length,
    nonceLength: 12,
    tagLength: 16,
    seal: (nonce, aad, plaintext) => cipher(key, nonce, aad).encrypt(plaintext),
    open(nonce, aad, ciphertext) {
      try {
        return cipher(key, nonce, aad).decrypt(ciphertext);
      } catch {
        return null;
      }
    },
  };
}

/** RFC 8446 §4.2.8.2: NIST points are uncompressed (0x04 || x || y) and must be on the curve. */
function nistKeyExchange(group: GroupName, curve: typeof p256, secret: Uint8Array | undefined): KeyExchange {
  const secretKey = secret ?? curve.utils.randomSecretKey();
  const publicKey = curve.getPublicKey(secretKey, false);
  return {
    group,
    publicKey,
    agree(peer) {
      if (peer.length !== publicKey.length || peer[0] !== 0x04) {
        throw new ProtocolError('BadKeyShare', `${group} key share is not an uncompressed point`);
      }
      try {
        // §7.4.2: the shared secret is the x-coordinate alone.
        return curve.getSharedSecret(secretKey, peer, true).subarray(1);
      } catch {
        throw new ProtocolError('BadKeyShare', `${group} key share is not a point on the curve`);
      }
    },
  };
}

const MONTGOMERY = { x25519, x448 } as const;

/** X25519 and X448 (RFC 7748 §5; RFC 8446 §4.2.8.2: 32 and 56 bytes, little-endian u). */
function montgomeryKeyExchange(group: keyof typeof MONTGOMERY, secret: Uint8Array | undefined): KeyExchange {
  const curve = MONTGOMERY[group];
  const secretKey = secret ?? curve.utils.randomSecretKey();
  const publicKey = curve.getPublicKey(secretKey);
  return {
    group,
    publicKey,
    agree(peer) {
      if (peer.length !== publicKey.length) throw new ProtocolError('BadKeyShare', `${group} key share is not ${publicKey.length} bytes`);
      try {
        // RFC 7748 §6.1, §6.2 / RFC 8446 §7.4.2: an all-zero result must be refused. It comes exactly from
        // the low-order points, which noble refuses before multiplying (so no secret-dependent work is done on them).
        return curve.getSharedSecret(secretKey, peer);
      } catch {
        throw new ProtocolError('BadKeyShare', `${group} key share is a low-order point`);
      }
    },
  };
}

function sign(algorithm: SignatureAlgorithm, key: PrivateKey, message: Uint8Array): Uint8Array {
  switch (algorithm.type) {
    case 'ecdsa': {
      if (key.type !== 'ec') throw new TypeError('ECDSA needs an EC key');
      const digest = nobleHash(algorithm.hash).digest(message);
      return CURVES[key.curve].sign(digest, key.secret, { prehash: false, format: 'der', extraEntropy: true });
    }
    case 'ed25519':
      if (key.type !== 'ed25519') throw new TypeError('Ed25519 needs an Ed25519 key');
      return ed25519.sign(message, key.seed);
    case 'rsa-pss':
      if (key.type !== 'rsa') throw new TypeError('RSA-PSS needs an RSA key');
      return rsaPssSign(key, nobleHash(algorithm.hash), message, algorithm.saltLength, randomBytes);
    case 'rsa-pkcs1':
      if (key.type !== 'rsa') throw new TypeError('RSA PKCS#1 needs an RSA key');
      return rsaPkcs1Sign(key, nobleHash(algorithm.hash), message, randomBytes);
  }
}

function verify(algorithm: SignatureAlgorithm, key: PublicKey, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    switch (algorithm.type) {
      case 'ecdsa': {
        if (key.type !== 'ec') return false;
        const digest = nobleHash(algorithm.hash).digest(message);
        // Peers are not obliged to produce low-S signatures.
        return CURVES[key.curve].verify(signature, digest, key.point, { prehash: false, format: 'der', lowS: false });
      }
      case 'ed25519':
        // RFC 8032 §5.1.7 strict verification, as RFC 8446 §4.2.3 requires.
        return key.type === 'ed25519' && ed25519.verify(signature, message, key.key, { zip215: false });
      case 'rsa-pss':
        return key.type === 'rsa' && rsaPssVerify(key.n, key.e, nobleHash(algorithm.hash), message, signature, algorithm.saltLength);
      case 'rsa-pkcs1':
        return key.type === 'rsa' && rsaPkcs1Verify(key.n, key.e, nobleHash(algorithm.hash), message, signature);
    }
  } catch {
    return false;
  }
}

function generateEc(curve: EcCurve): PrivateKey {
  const c = CURVES[curve];
  const secret = c.utils.randomSecretKey();
  return { type: 'ec', curve, secret, point: c.getPublicKey(secret, false) };
}

function generateKey(spec: KeySpec): PrivateKey {
  switch (spec.type) {
    case 'ec':
      return generateEc(spec.curve);
    case 'ed25519': {
      const seed = ed25519.utils.randomSecretKey();
      return { type: 'ed25519', seed, key: ed25519.getPublicKey(seed) };
    }
    case 'rsa':
      return rsaGenerate(spec.bits, randomBytes);
  }
}

/** The EC public point and Ed25519 public key for imported private keys (used by `x509/`). */
export function derivePublicPoint(curve: EcCurve | 'ed25519', secret: Uint8Array): Uint8Array {
  return curve === 'ed25519' ? ed25519.getPublicKey(secret) : CURVES[curve].getPublicKey(secret, false);
}

const AES_KEY_LENGTHS: readonly number[] = [16, 24, 32];

const keyFiles: KeyFileCrypto = {
  pbkdf2: (hash, password, salt, iterations, length) => pbkdf2(hash === 'sha224' ? sha224 : HASHES[hash], password, salt, { c: iterations, dkLen: length }),
  // noble's own memory cap stays at its default; callers bound the cost first.
  scrypt: (password, salt, { N, r, p }, length) => scrypt(password, salt, { N, r, p, dkLen: length }),
  aesCbcDecrypt(key, iv, ciphertext) {
    if (!AES_KEY_LENGTHS.includes(key.length)) throw new RangeError('AES-CBC needs a 16-, 24- or 32-byte key');
    if (iv.length !== 16 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) return null;
    try {
      // noble checks and strips the PKCS#7 padding, throwing when it is wrong.
      return cbc(key, iv).decrypt(ciphertext);
    } catch {
      return null;
    }
  },
  md5: (data) => md5(data),
};

export const nobleProvider: CryptoProvider = {
  name: 'noble',
  randomBytes,
  hash: nobleHash,
  hmac: (name, key, data) => hmac(HASHES[name], key, data),
  aead: makeAead,
  keyExchange(group, secret) {
    switch (group) {
      case 'x25519':
      case 'x448':
        return montgomeryKeyExchange(group, secret);
      case 'secp256r1':
        return nistKeyExchange(group, p256, secret);
      case 'secp384r1':
        return nistKeyExchange(group, p384, secret);
      case 'secp521r1':
        return nistKeyExchange(group, p521, secret);
    }
  },
  sign,
  verify,
  generateKey,
  keyFiles,
};
