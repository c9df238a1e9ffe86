import { createCipheriv, createHash, pbkdf2Sync, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { utf8 } from '../../src/wire/bytes.ts';

// The references are OpenSSL's, through node:crypto.
const { keyFiles } = nobleProvider;
const bytes = (b: Buffer) => new Uint8Array(b);

describe('the provider’s key-file crypto matches OpenSSL', () => {
  it('PBKDF2 with each PRF hash', () => {
    for (const hash of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const) {
      for (const length of [16, 24, 32, 70]) {
        const want = pbkdf2Sync('pässword', 'salt1234', 2048, length, hash);
        expect(keyFiles.pbkdf2(hash, utf8('pässword'), utf8('salt1234'), 2048, length), `${hash}/${length}`).toEqual(bytes(want));
      }
    }
  });

  it('scrypt', () => {
    const want = scryptSync('pw', 'salty', 32, { N: 1024, r: 8, p: 2 });
    expect(keyFiles.scrypt(utf8('pw'), utf8('salty'), { N: 1024, r: 8, p: 2 }, 32)).toEqual(bytes(want));
  });

  it('MD5', () => {
    expect(keyFiles.md5(utf8('abc'))).toEqual(bytes(createHash('md5').update('abc').digest()));
  });

  it('AES-CBC decrypts and unpads for each key size, and says null for bad padding or length', () => {
    const iv = new Uint8Array(16).fill(7);
    for (const size of [16, 24, 32]) {
      const key = new Uint8Array(size).fill(size);
      for (const length of [0, 1, 15, 16, 33]) {
        const plain = new Uint8Array(length).fill(0x5a);
        const cipher = createCipheriv(`aes-${size * 8}-cbc`, key, iv);
        const ciphertext = bytes(Buffer.concat([cipher.update(plain), cipher.final()]));
        expect(keyFiles.aesCbcDecrypt(key, iv, ciphertext), `${size}/${length}`).toEqual(plain);
        expect(keyFiles.aesCbcDecrypt(key, iv, ciphertext.subarray(1)), 'not whole blocks').toBeNull();
      }
      // Without OpenSSL's padding: a last byte of 0x00 or 0x11 is not PKCS#7.
      for (const last of [0x00, 0x11]) {
        const raw = createCipheriv(`aes-${size * 8}-cbc`, key, iv).setAutoPadding(false);
        const block = new Uint8Array(16).fill(1);
        block[15] = last;
        expect(keyFiles.aesCbcDecrypt(key, iv, bytes(raw.update(block)))).toBeNull();
      }
    }
    expect(() => keyFiles.aesCbcDecrypt(new Uint8Array(20), iv, new Uint8Array(16))).toThrow(RangeError);
  });
});
