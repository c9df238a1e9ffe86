/**
 * The provider's hashes and HMAC against node's OpenSSL, on inputs around the
 * padding and block boundaries (SHA-1/SHA-256 blocks are 64 bytes, SHA-384/512
 * 128), and the incremental `create()/update()/clone()` contract a transcript
 * hash relies on.
 * @module
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import type { HashName } from '../../src/crypto/provider.ts';
import { concatBytes, toHex, utf8 } from '../../src/wire/bytes.ts';

const HASHES: readonly HashName[] = ['sha1', 'sha256', 'sha384', 'sha512'];
const OUTPUT_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
const INPUT_LENGTHS = [0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 70_000];

const nodeHash = (hash: HashName, data: Uint8Array) => toHex(new Uint8Array(createHash(hash).update(data).digest()));
const nodeHmac = (hash: HashName, key: Uint8Array, data: Uint8Array) =>
  toHex(new Uint8Array(createHmac(hash, key).update(data).digest()));

describe.each(HASHES)('%s', (name) => {
  const hash = provider.hash(name);

  it('names itself and has the right output length', () => {
    expect(hash.name).toBe(name);
    expect(hash.outputLength).toBe(OUTPUT_LENGTH[name]);
  });

  it('one-shot digest equals node for inputs around block boundaries', () => {
    expect(toHex(hash.digest(utf8('abc')))).toBe(nodeHash(name, utf8('abc')));
    for (const length of INPUT_LENGTHS) {
      const data = provider.randomBytes(length);
      const got = hash.digest(data);
      expect(got, `${length} bytes`).toHaveLength(OUTPUT_LENGTH[name]);
      expect(toHex(got), `${length} bytes`).toBe(nodeHash(name, data));
    }
  });

  it('incremental updates in uneven pieces equal the one-shot digest', () => {
    const data = provider.randomBytes(1000);
    const ctx = hash.create();
    for (let offset = 0, step = 1; offset < data.length; offset += step, step = (step * 7) % 131 || 1) {
      ctx.update(data.subarray(offset, offset + step));
    }
    expect(toHex(ctx.digest())).toBe(nodeHash(name, data));
    expect(toHex(hash.create().digest())).toBe(nodeHash(name, new Uint8Array(0)));
  });

  it('update() returns the context, so calls chain', () => {
    const ctx = hash.create();
    expect(ctx.update(utf8('a'))).toBe(ctx);
    expect(toHex(ctx.update(utf8('b')).update(utf8('c')).digest())).toBe(nodeHash(name, utf8('abc')));
  });

  it('digest() does not end the context: a transcript can be hashed, then go on', () => {
    const a = provider.randomBytes(77);
    const b = provider.randomBytes(200);
    const ctx = hash.create().update(a);
    expect(toHex(ctx.digest())).toBe(nodeHash(name, a));
    expect(toHex(ctx.digest())).toBe(nodeHash(name, a));
    ctx.update(b);
    expect(toHex(ctx.digest())).toBe(nodeHash(name, concatBytes(a, b)));
  });

  it('a clone goes its own way and leaves the original undisturbed', () => {
    const a = provider.randomBytes(100);
    const b = provider.randomBytes(30);
    const c = provider.randomBytes(300);
    const original = hash.create().update(a);
    const clone = original.clone();
    clone.update(b);
    expect(toHex(clone.digest())).toBe(nodeHash(name, concatBytes(a, b)));
    expect(toHex(original.digest())).toBe(nodeHash(name, a));
    original.update(c);
    expect(toHex(original.digest())).toBe(nodeHash(name, concatBytes(a, c)));
    expect(toHex(clone.digest())).toBe(nodeHash(name, concatBytes(a, b)));
    // A clone of a clone is independent too.
    const grandchild = clone.clone().update(c);
    expect(toHex(grandchild.digest())).toBe(nodeHash(name, concatBytes(a, b, c)));
    expect(toHex(clone.digest())).toBe(nodeHash(name, concatBytes(a, b)));
  });

  it('HMAC equals node for empty, short, block-sized and over-long keys', () => {
    const block = name === 'sha384' || name === 'sha512' ? 128 : 64;
    for (const keyLength of [0, 1, OUTPUT_LENGTH[name], block - 1, block, block + 1, 3 * block]) {
      const key = provider.randomBytes(keyLength);
      for (const dataLength of [0, 13, block, 5000]) {
        const data = provider.randomBytes(dataLength);
        expect(toHex(provider.hmac(name, key, data)), `key ${keyLength}, data ${dataLength}`).toBe(nodeHmac(name, key, data));
      }
    }
  });
});

it('an unknown hash name is refused', () => {
  expect(() => provider.hash('md5' as HashName)).toThrow(TypeError);
});
