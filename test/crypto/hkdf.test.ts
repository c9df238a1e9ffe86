/**
 * HKDF (RFC 5869) against the RFC's Appendix A vectors and node's `hkdfSync`,
 * and HKDF-Expand-Label / Derive-Secret (RFC 8446 §7.1) against an independent
 * construction of the HkdfLabel bytes expanded with node's HMAC.
 * @module
 */
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSecret, hkdfExpand, hkdfExpandLabel, hkdfExtract, hkdfLabel } from '../../src/crypto/hkdf.ts';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import type { HashName } from '../../src/crypto/provider.ts';
import { fromHex, toHex } from '../../src/wire/bytes.ts';

const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const HASH_LENGTH: Record<HashName, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

/** RFC 5869 Appendix A.1-A.3 (the SHA-256 cases), typed in from the RFC. */
const RFC5869 = [
  {
    name: 'A.1 basic',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: range(0x00, 0x0c),
    info: range(0xf0, 0xf9),
    length: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    name: 'A.2 longer inputs and outputs',
    ikm: range(0x00, 0x4f),
    salt: range(0x60, 0xaf),
    info: range(0xb0, 0xff),
    length: 82,
    prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    okm:
      'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c' +
      '59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71' +
      'cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    name: 'A.3 zero-length salt and info',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: new Uint8Array(0),
    info: new Uint8Array(0),
    length: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

/** HKDF-Expand (RFC 5869 §2.3) written out over node's HMAC: T(i) = HMAC(PRK, T(i-1) | info | i). */
function nodeExpand(hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const blocks: Buffer[] = [];
  let t = Buffer.alloc(0);
  for (let i = 1; blocks.length * HASH_LENGTH[hash] < length; i++) {
    t = createHmac(hash, prk).update(t).update(info).update(Buffer.from([i])).digest();
    blocks.push(t);
  }
  return new Uint8Array(Buffer.concat(blocks).subarray(0, length));
}

/** struct { uint16 length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255>; } HkdfLabel (RFC 8446 §7.1). */
function nodeHkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = Buffer.from(`tls13 ${label}`, 'ascii');
  return new Uint8Array(
    Buffer.concat([Buffer.from([length >> 8, length & 0xff, fullLabel.length]), fullLabel, Buffer.from([context.length]), context]),
  );
}

describe('HKDF (RFC 5869)', () => {
  for (const v of RFC5869) {
    it(`Appendix ${v.name}`, () => {
      const prk = hkdfExtract(provider, 'sha256', v.salt, v.ikm);
      expect(toHex(prk)).toBe(v.prk);
      expect(toHex(hkdfExpand(provider, 'sha256', prk, v.info, v.length))).toBe(v.okm);
    });
  }

  for (const hash of ['sha256', 'sha384', 'sha512'] as const) {
    it(`${hash}: extract then expand equals node's hkdfSync for several lengths`, () => {
      const ikm = provider.randomBytes(37);
      const salt = provider.randomBytes(HASH_LENGTH[hash]);
      const info = provider.randomBytes(19);
      const prk = hkdfExtract(provider, hash, salt, ikm);
      expect(toHex(prk)).toBe(toHex(new Uint8Array(createHmac(hash, salt).update(ikm).digest())));
      // (node refuses a zero length; ours gives zero bytes.)
      expect(hkdfExpand(provider, hash, prk, info, 0)).toHaveLength(0);
      for (const length of [1, HASH_LENGTH[hash] - 1, HASH_LENGTH[hash], HASH_LENGTH[hash] + 1, 3 * HASH_LENGTH[hash] + 5]) {
        const want = new Uint8Array(hkdfSync(hash, ikm, salt, info, length));
        expect(toHex(hkdfExpand(provider, hash, prk, info, length)), `${length} bytes`).toBe(toHex(want));
      }
    });

    it(`${hash}: an empty salt is HashLen zero bytes (RFC 5869 §2.2)`, () => {
      const ikm = provider.randomBytes(32);
      const zeros = new Uint8Array(HASH_LENGTH[hash]);
      expect(toHex(hkdfExtract(provider, hash, new Uint8Array(0), ikm))).toBe(
        toHex(new Uint8Array(createHmac(hash, zeros).update(ikm).digest())),
      );
    });

    it(`${hash}: output is limited to 255 * HashLen bytes (RFC 5869 §2.3)`, () => {
      const prk = provider.randomBytes(HASH_LENGTH[hash]);
      const info = provider.randomBytes(8);
      const max = 255 * HASH_LENGTH[hash];
      const out = hkdfExpand(provider, hash, prk, info, max);
      expect(toHex(out)).toBe(toHex(nodeExpand(hash, prk, info, max)));
      expect(() => hkdfExpand(provider, hash, prk, info, max + 1)).toThrow(RangeError);
    });
  }
});

describe('HKDF-Expand-Label and Derive-Secret (RFC 8446 §7.1)', () => {
  it('HkdfLabel bytes match the structure written out by hand', () => {
    // "tls13 key" with an empty context for a 16-byte key (the traffic key of RFC 8446 §7.3).
    expect(toHex(hkdfLabel('key', new Uint8Array(0), 16))).toBe(`0010` + `09` + toHex(Buffer.from('tls13 key')) + `00`);
    expect(toHex(hkdfLabel('c hs traffic', fromHex('aabbcc'), 32))).toBe(
      toHex(nodeHkdfLabel('c hs traffic', fromHex('aabbcc'), 32)),
    );
  });

  it('labels past the table of remembered ones (exporter labels are the caller\'s) encode as well', () => {
    for (let i = 0; i < 100; i++) {
      const label = `EXPORTER-test ${i}`;
      expect(toHex(hkdfLabel(label, fromHex('01'), 32)), label).toBe(toHex(nodeHkdfLabel(label, fromHex('01'), 32)));
    }
  });

  const cases: ReadonlyArray<readonly [HashName, string, number, number]> = [
    ['sha256', 'key', 0, 16],
    ['sha256', 'iv', 0, 12],
    ['sha256', 'finished', 0, 32],
    ['sha256', 'c hs traffic', 32, 32],
    ['sha256', 'exp master', 32, 32],
    ['sha384', 'key', 0, 32],
    ['sha384', 's ap traffic', 48, 48],
    ['sha384', 'resumption', 8, 48],
    ['sha512', 'derived', 64, 64],
    ['sha256', 'a label that is rather long for tls', 255, 100],
    ['sha384', 'traffic upd', 0, 48],
  ];
  for (const [hash, label, contextLength, length] of cases) {
    it(`${hash} "${label}", ${contextLength}-byte context, ${length} bytes`, () => {
      const secret = provider.randomBytes(HASH_LENGTH[hash]);
      const context = provider.randomBytes(contextLength);
      const want = nodeExpand(hash, secret, nodeHkdfLabel(label, context, length), length);
      expect(toHex(hkdfExpandLabel(provider, hash, secret, label, context, length))).toBe(toHex(want));
    });
  }

  it('different labels, contexts and lengths give unrelated output', () => {
    const secret = provider.randomBytes(32);
    const a = toHex(hkdfExpandLabel(provider, 'sha256', secret, 'key', new Uint8Array(0), 32));
    expect(toHex(hkdfExpandLabel(provider, 'sha256', secret, 'iv', new Uint8Array(0), 32))).not.toBe(a);
    expect(toHex(hkdfExpandLabel(provider, 'sha256', secret, 'key', new Uint8Array(1), 32))).not.toBe(a);
    // The length is inside HkdfLabel, so a shorter request is not a prefix of a longer one.
    expect(a.startsWith(toHex(hkdfExpandLabel(provider, 'sha256', secret, 'key', new Uint8Array(0), 16)))).toBe(false);
  });

  for (const hash of ['sha256', 'sha384'] as const) {
    it(`${hash}: Derive-Secret is Expand-Label with the transcript hash as context and HashLen bytes`, () => {
      const secret = provider.randomBytes(HASH_LENGTH[hash]);
      const transcript = new Uint8Array(createHash(hash).update('ClientHello...ServerHello').digest());
      const want = nodeExpand(hash, secret, nodeHkdfLabel('c hs traffic', transcript, HASH_LENGTH[hash]), HASH_LENGTH[hash]);
      expect(toHex(deriveSecret(provider, hash, secret, 'c hs traffic', transcript))).toBe(toHex(want));
    });
  }

  it('the 255 * HashLen limit applies to Expand-Label too', () => {
    const secret = provider.randomBytes(32);
    expect(hkdfExpandLabel(provider, 'sha256', secret, 'key', new Uint8Array(0), 255 * 32)).toHaveLength(255 * 32);
    expect(() => hkdfExpandLabel(provider, 'sha256', secret, 'key', new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
  });
});
