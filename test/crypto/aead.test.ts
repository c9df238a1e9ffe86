/**
 * The provider's AEADs (RFC 5116) against node's OpenSSL in both directions,
 * the RFC 8439 §2.8.2 ChaCha20-Poly1305 vector, and `open` answering null
 * (never throwing) for any change to tag, ciphertext, AAD or nonce, as the
 * record layer needs to send bad_record_mac (RFC 8446 §5.2).
 * @module
 */
import { createCipheriv, createDecipheriv, type CipherGCMTypes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import type { AeadName } from '../../src/crypto/provider.ts';
import { fromHex, toHex, utf8 } from '../../src/wire/bytes.ts';
import { flipBit } from './helpers.ts';

const NODE_NAME: Record<AeadName, CipherGCMTypes | 'chacha20-poly1305'> = {
  'AES-128-GCM': 'aes-128-gcm',
  'AES-256-GCM': 'aes-256-gcm',
  'CHACHA20-POLY1305': 'chacha20-poly1305',
};
const KEY_LENGTH: Record<AeadName, number> = { 'AES-128-GCM': 16, 'AES-256-GCM': 32, 'CHACHA20-POLY1305': 32 };
const NAMES = Object.keys(NODE_NAME) as AeadName[];
// Empty, shorter than a block, block edges, a full TLS record plus padding.
const PLAINTEXT_LENGTHS = [0, 1, 15, 16, 17, 64, 1000, 16384 + 1];

/** ciphertext || tag, as node's OpenSSL computes it. */
function nodeSeal(name: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv(NODE_NAME[name] as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  cipher.setAAD(aad);
  return new Uint8Array(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
}

function nodeOpen(name: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  const decipher = createDecipheriv(NODE_NAME[name] as CipherGCMTypes, key, nonce, { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]));
}

describe.each(NAMES)('%s', (name) => {
  const key = provider.randomBytes(KEY_LENGTH[name]);
  const aead = provider.aead(name, key);

  it('reports its name and sizes', () => {
    expect(aead.name).toBe(name);
    expect(aead.keyLength).toBe(KEY_LENGTH[name]);
    expect(aead.nonceLength).toBe(12);
    expect(aead.tagLength).toBe(16);
  });

  it('seal equals node, and node opens what we seal', () => {
    for (const length of PLAINTEXT_LENGTHS) {
      const nonce = provider.randomBytes(12);
      const aad = provider.randomBytes(length % 2 ? 5 : 13);
      const plaintext = provider.randomBytes(length);
      const sealed = aead.seal(nonce, aad, plaintext);
      expect(sealed, `${length}`).toHaveLength(length + 16);
      expect(toHex(sealed), `${length}`).toBe(toHex(nodeSeal(name, key, nonce, aad, plaintext)));
      expect(toHex(nodeOpen(name, key, nonce, aad, sealed)), `${length}`).toBe(toHex(plaintext));
    }
  });

  it('open recovers what node sealed, with and without AAD', () => {
    for (const length of PLAINTEXT_LENGTHS) {
      const nonce = provider.randomBytes(12);
      for (const aad of [new Uint8Array(0), provider.randomBytes(21)]) {
        const plaintext = provider.randomBytes(length);
        const opened = aead.open(nonce, aad, nodeSeal(name, key, nonce, aad, plaintext));
        expect(opened && toHex(opened), `${length}`).toBe(toHex(plaintext));
      }
    }
  });

  describe('open answers null, never throws, when anything was changed', () => {
    const nonce = provider.randomBytes(12);
    const aad = provider.randomBytes(13);
    const plaintext = provider.randomBytes(40);
    const sealed = nodeSeal(name, key, nonce, aad, plaintext);

    it('a flipped bit in the tag', () => {
      for (const i of [sealed.length - 16, sealed.length - 1]) expect(aead.open(nonce, aad, flipBit(sealed, i, 3))).toBeNull();
    });
    it('a flipped bit in the ciphertext', () => {
      for (const i of [0, 17, 39]) expect(aead.open(nonce, aad, flipBit(sealed, i, 5))).toBeNull();
    });
    it('a flipped bit in the AAD, or AAD dropped', () => {
      expect(aead.open(nonce, flipBit(aad, 0), sealed)).toBeNull();
      expect(aead.open(nonce, flipBit(aad, 12, 7), sealed)).toBeNull();
      expect(aead.open(nonce, new Uint8Array(0), sealed)).toBeNull();
    });
    it('a flipped bit in the nonce', () => {
      expect(aead.open(flipBit(nonce, 0), aad, sealed)).toBeNull();
      expect(aead.open(flipBit(nonce, 11, 7), aad, sealed)).toBeNull();
    });
    it('a different key', () => {
      expect(provider.aead(name, flipBit(key, 0)).open(nonce, aad, sealed)).toBeNull();
    });
    it('a record cut short, shorter than a tag, or empty', () => {
      expect(aead.open(nonce, aad, sealed.subarray(0, sealed.length - 1))).toBeNull();
      expect(aead.open(nonce, aad, sealed.subarray(1))).toBeNull();
      expect(aead.open(nonce, aad, sealed.subarray(0, 15))).toBeNull();
      expect(aead.open(nonce, aad, new Uint8Array(0))).toBeNull();
    });
    it('(and the untouched record still opens)', () => {
      const opened = aead.open(nonce, aad, sealed);
      expect(opened && toHex(opened)).toBe(toHex(plaintext));
    });
  });

  it('a key of the wrong length is a RangeError', () => {
    for (const length of [0, 15, 17, 24, 31, 33].concat(KEY_LENGTH[name] === 16 ? [32] : [16])) {
      expect(() => provider.aead(name, new Uint8Array(length)), `${length}`).toThrow(RangeError);
    }
  });
});

it('RFC 8439 §2.8.2: the AEAD_CHACHA20_POLY1305 example', () => {
  const key = fromHex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  // constant 07000000 || IV 4041424344454647
  const nonce = fromHex('070000004041424344454647');
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const ciphertext =
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6' +
    '3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36' +
    '92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
    '3ff4def08e4b7a9de576d26586cec64b6116';
  const tag = '1ae10b594f09e26a7e902ecbd0600691';
  const aead = provider.aead('CHACHA20-POLY1305', key);
  expect(toHex(aead.seal(nonce, aad, plaintext))).toBe(ciphertext + tag);
  const opened = aead.open(nonce, aad, fromHex(ciphertext + tag));
  expect(opened && toHex(opened)).toBe(toHex(plaintext));
});
