/**
 * Key exchange (RFC 8446 §4.2.8.2, §7.4): X25519 and X448 against RFC 7748
 * §6.1 and §6.2 and against node (OpenSSL), P-256, P-384 and P-521 against
 * node's ECDH, each in both directions, and every malformed share refused as a
 * ProtocolError with cause BadKeyShare (alert illegal_parameter), the shares
 * whose result would be all zeros included.
 * @module
 */
import { createECDH, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, type ECDH } from 'node:crypto';
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

interface MontgomeryCase {
  readonly group: 'x25519' | 'x448';
  readonly section: string;
  readonly length: number;
  /** DER before the raw key in node's SubjectPublicKeyInfo and PKCS#8 (RFC 8410 §4, §7). */
  readonly spkiPrefix: string;
  readonly pkcs8Prefix: string;
  readonly alicePrivate: string;
  readonly alicePublic: string;
  readonly bobPrivate: string;
  readonly bobPublic: string;
  readonly shared: string;
  /** u-coordinates whose result is all zeros, which RFC 7748 §6 and RFC 8446 §7.4.2 refuse. */
  readonly lowOrder: readonly string[];
}

const MONTGOMERY: readonly MontgomeryCase[] = [
  {
    group: 'x25519',
    section: '§6.1',
    length: 32,
    spkiPrefix: '302a300506032b656e032100',
    pkcs8Prefix: '302e020100300506032b656e04220420',
    alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
    alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
    bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
    shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
    // u = 0, u = 1, the two points of order 8, p - 1, p and p + 1 (the last two non-canonical).
    lowOrder: [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ],
  },
  {
    group: 'x448',
    section: '§6.2',
    length: 56,
    spkiPrefix: '3042300506032b656f033900',
    pkcs8Prefix: '3046020100300506032b656f043a0438',
    alicePrivate: '9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b',
    alicePublic: '9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bbc836647241d953d40c5b12da88120d53177f80e532c41fa0',
    bobPrivate: '1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d',
    bobPublic: '3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609',
    shared: '07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56fd2464c335543936521c24403085d59a449a5037514a879d',
    // u = 0 (order 2) and u = ±1 (order 4, on the curve or its twist), and the non-canonical p and p + 1,
    // which are 0 and 1 again (p = 2^448 − 2^224 − 1).
    lowOrder: [
      '00'.repeat(56),
      `01${'00'.repeat(55)}`,
      `fe${'ff'.repeat(27)}fe${'ff'.repeat(27)}`,
      `${'ff'.repeat(28)}fe${'ff'.repeat(27)}`,
      `${'00'.repeat(28)}${'ff'.repeat(28)}`,
    ],
  },
];

describe.each(MONTGOMERY)('$group', (c) => {
  const alicePrivate = fromHex(c.alicePrivate);
  const lastBytes = (der: Buffer) => new Uint8Array(der).subarray(-c.length);

  it(`RFC 7748 ${c.section}: Alice and Bob`, () => {
    const alice = provider.keyExchange(c.group, alicePrivate);
    const bob = provider.keyExchange(c.group, fromHex(c.bobPrivate));
    expect(alice.group).toBe(c.group);
    expect(toHex(alice.publicKey)).toBe(c.alicePublic);
    expect(toHex(bob.publicKey)).toBe(c.bobPublic);
    expect(toHex(alice.agree(fromHex(c.bobPublic)))).toBe(c.shared);
    expect(toHex(bob.agree(fromHex(c.alicePublic)))).toBe(c.shared);
  });

  it('fresh key pairs agree with each other and differ from one another', () => {
    const a = provider.keyExchange(c.group);
    const b = provider.keyExchange(c.group);
    expect(a.publicKey).toHaveLength(c.length);
    expect(toHex(a.publicKey)).not.toBe(toHex(b.publicKey));
    expect(toHex(a.agree(b.publicKey))).toBe(toHex(b.agree(a.publicKey)));
  });

  it('node (OpenSSL) and we agree on fresh pairs, both ways', () => {
    const ours = provider.keyExchange(c.group);
    const node = c.group === 'x25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('x448');
    const oursForNode = createPublicKey({ key: Buffer.concat([Buffer.from(c.spkiPrefix, 'hex'), ours.publicKey]), format: 'der', type: 'spki' });
    const nodeSecret = diffieHellman({ privateKey: node.privateKey, publicKey: oursForNode });
    expect(toHex(ours.agree(lastBytes(node.publicKey.export({ format: 'der', type: 'spki' }))))).toBe(toHex(new Uint8Array(nodeSecret)));
  });

  it('an imported secret gives the public key node derives from it', () => {
    const node = createPrivateKey({ key: Buffer.concat([Buffer.from(c.pkcs8Prefix, 'hex'), alicePrivate]), format: 'der', type: 'pkcs8' });
    expect(toHex(lastBytes(createPublicKey(node).export({ format: 'der', type: 'spki' })))).toBe(c.alicePublic);
  });

  it(`a share that is not ${c.length} bytes is BadKeyShare (the other curve's included)`, () => {
    const kx = provider.keyExchange(c.group, alicePrivate);
    for (const length of [0, 1, 32, 56, 65, 133].filter((l) => l !== c.length).concat(c.length - 1, c.length + 1)) {
      expectBadKeyShare(kx, new Uint8Array(length).fill(9));
    }
  });

  for (const u of c.lowOrder) {
    it(`the low-order share ${u.slice(0, 8)}...${u.slice(-8)} is BadKeyShare`, () => {
      expectBadKeyShare(provider.keyExchange(c.group, alicePrivate), fromHex(u));
      expectBadKeyShare(provider.keyExchange(c.group), fromHex(u));
    });
  }
});

const NIST: ReadonlyArray<readonly [GroupName, string, number]> = [
  ['secp256r1', 'prime256v1', 32],
  ['secp384r1', 'secp384r1', 48],
  ['secp521r1', 'secp521r1', 66],
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
