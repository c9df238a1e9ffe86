/**
 * Key exchange (RFC 8446 §4.2.8.2, §7.4): X25519 against RFC 7748 §6.1, P-256
 * and P-384 against node's ECDH in both directions, and every malformed share
 * refused as a ProtocolError with cause BadKeyShare (alert illegal_parameter).
 * @module
 */
import { createECDH, type ECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nobleProvider as provider } from '../../src/crypto/noble.ts';
import type { GroupName, KeyExchange } from '../../src/crypto/provider.ts';
import { fromHex, toHex } from '../../src/wire/bytes.ts';
import { expectRejected } from '../handshake/messages/support.ts';
import { flipBit } from './helpers.ts';

const ILLEGAL_PARAMETER = 47; // RFC 8446 §6: illegal_parameter(47)

function expectBadKeyShare(kx: KeyExchange, share: Uint8Array): void {
  expectRejected(() => kx.agree(share), 'BadKeyShare', ILLEGAL_PARAMETER);
}

describe('X25519', () => {
  // RFC 7748 §6.1.
  const alicePrivate = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePublic = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
  const bobPrivate = fromHex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const bobPublic = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('RFC 7748 §6.1: Alice and Bob', () => {
    const alice = provider.keyExchange('x25519', alicePrivate);
    const bob = provider.keyExchange('x25519', bobPrivate);
    expect(alice.group).toBe('x25519');
    expect(toHex(alice.publicKey)).toBe(alicePublic);
    expect(toHex(bob.publicKey)).toBe(bobPublic);
    expect(toHex(alice.agree(fromHex(bobPublic)))).toBe(shared);
    expect(toHex(bob.agree(fromHex(alicePublic)))).toBe(shared);
  });

  it('fresh key pairs agree with each other and differ from one another', () => {
    const a = provider.keyExchange('x25519');
    const b = provider.keyExchange('x25519');
    expect(a.publicKey).toHaveLength(32);
    expect(toHex(a.publicKey)).not.toBe(toHex(b.publicKey));
    expect(toHex(a.agree(b.publicKey))).toBe(toHex(b.agree(a.publicKey)));
  });

  it('a share that is not 32 bytes is BadKeyShare', () => {
    const kx = provider.keyExchange('x25519', alicePrivate);
    for (const length of [0, 1, 31, 33, 65]) expectBadKeyShare(kx, new Uint8Array(length).fill(9));
  });

  // RFC 7748 §6.1 / RFC 8446 §7.4.2: points of small order give an all-zero secret, which must be refused.
  // u = 0, u = 1, the two points of order 8, p - 1, p and p + 1 (the last two non-canonical).
  const LOW_ORDER = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ];
  for (const u of LOW_ORDER) {
    it(`the low-order share ${u.slice(0, 8)}... is BadKeyShare`, () => {
      expectBadKeyShare(provider.keyExchange('x25519', alicePrivate), fromHex(u));
      expectBadKeyShare(provider.keyExchange('x25519'), fromHex(u));
    });
  }
});

const NIST: ReadonlyArray<readonly [GroupName, string, number]> = [
  ['secp256r1', 'prime256v1', 32],
  ['secp384r1', 'secp384r1', 48],
];

describe.each(NIST)('%s', (group, nodeCurve, fieldBytes) => {
  const nodeKey = (): ECDH => {
    const ecdh = createECDH(nodeCurve);
    ecdh.generateKeys();
    return ecdh;
  };

  it('our share is an uncompressed point and node computes the same secret from it', () => {
    const ours = provider.keyExchange(group);
    const node = nodeKey();
    expect(ours.group).toBe(group);
    expect(ours.publicKey).toHaveLength(1 + 2 * fieldBytes);
    expect(ours.publicKey[0]).toBe(0x04);
    const secret = ours.agree(new Uint8Array(node.getPublicKey()));
    // RFC 8446 §7.4.2: the shared secret is the x-coordinate, fieldBytes long.
    expect(secret).toHaveLength(fieldBytes);
    expect(toHex(secret)).toBe(toHex(new Uint8Array(node.computeSecret(ours.publicKey))));
  });

  it('an imported secret gives the public key node derives from it, and the same agreement', () => {
    const alice = nodeKey();
    const bob = nodeKey();
    // node drops leading zero bytes of the scalar (1 time in 256); the provider takes the fixed-length encoding.
    const scalar = new Uint8Array(fieldBytes);
    const stripped = alice.getPrivateKey();
    scalar.set(stripped, fieldBytes - stripped.length);
    const ours = provider.keyExchange(group, scalar);
    expect(toHex(ours.publicKey)).toBe(toHex(new Uint8Array(alice.getPublicKey())));
    expect(toHex(ours.agree(new Uint8Array(bob.getPublicKey())))).toBe(
      toHex(new Uint8Array(bob.computeSecret(alice.getPublicKey()))),
    );
  });

  describe('refused shares are BadKeyShare', () => {
    const ours = provider.keyExchange(group);
    const node = nodeKey();
    const good = new Uint8Array(node.getPublicKey());

    it('(a well-formed share is accepted)', () => {
      expect(ours.agree(good)).toHaveLength(fieldBytes);
    });
    it('a compressed point (RFC 8446 §4.2.8.2 allows only the uncompressed form)', () => {
      const compressed = new Uint8Array(node.getPublicKey(null, 'compressed'));
      expect(compressed).toHaveLength(1 + fieldBytes);
      expectBadKeyShare(ours, compressed);
    });
    it('the hybrid form and other first bytes', () => {
      for (const first of [0x00, 0x02, 0x03, 0x06, 0x07, 0x05]) {
        const share = good.slice();
        share[0] = first;
        expectBadKeyShare(ours, share);
      }
    });
    it('a share of the wrong length', () => {
      expectBadKeyShare(ours, good.subarray(0, good.length - 1));
      expectBadKeyShare(ours, Uint8Array.of(...good, 0));
      expectBadKeyShare(ours, new Uint8Array(0));
      expectBadKeyShare(ours, Uint8Array.of(0x00)); // the point at infinity's encoding
      const otherCurve = group === 'secp256r1' ? 'secp384r1' : 'prime256v1';
      const other = createECDH(otherCurve);
      expectBadKeyShare(ours, new Uint8Array(other.generateKeys()));
    });
    it('a point not on the curve', () => {
      expectBadKeyShare(ours, flipBit(good, good.length - 1));
      expectBadKeyShare(ours, flipBit(good, 1 + fieldBytes));
      expectBadKeyShare(ours, flipBit(good, 1, 4));
      expectBadKeyShare(ours, Uint8Array.of(0x04, ...new Uint8Array(2 * fieldBytes)));
      expectBadKeyShare(ours, Uint8Array.of(0x04, ...new Uint8Array(2 * fieldBytes).fill(0xff)));
    });
  });
});
