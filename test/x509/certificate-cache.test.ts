/**
 * The shared table of parsed certificates (`x509/certificate-cache.ts`): one
 * view per distinct DER, compared byte for byte, failures never kept, the
 * least recently used certificate evicted first, and callers of the verifier
 * given copies they may change without touching the shared views.
 */
import { describe, expect, it } from 'vitest';
import { verify_chain } from '../../src/api/x509.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { bytesKey } from '../../src/wire/bytes.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { CertificateCache, certificateCache } from '../../src/x509/certificate-cache.ts';
import { NOW, simpleChain } from '../fixtures/x509-validate/builder.ts';

const { root, intermediate, leaf } = simpleChain();

describe('bytesKey', () => {
  it('gives 256 different keys for the 256 single bytes, and equal keys only for equal bytes', () => {
    expect(new Set(Array.from({ length: 256 }, (_, b) => bytesKey(Uint8Array.of(b)))).size).toBe(256);
    expect(bytesKey(Uint8Array.of(0x81, 0x00))).not.toBe(bytesKey(Uint8Array.of(0x8d, 0x00)));
    expect(bytesKey(Uint8Array.of(1, 2, 3))).toBe(bytesKey(new Uint8Array([1, 2, 3])));
  });
});

describe('CertificateCache', () => {
  it('returns the same view for the same bytes, even from another buffer', () => {
    const cache = new CertificateCache(4);
    const first = cache.parse(leaf.der);
    expect(cache.parse(leaf.der.slice())).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('tells apart certificates that differ in one byte', () => {
    const cache = new CertificateCache(4);
    const edited = leaf.der.slice();
    edited[edited.length - 1]! ^= 0x01; // the last signature byte: still parses
    expect(cache.parse(edited)).not.toBe(cache.parse(leaf.der));
    expect(cache.parse(edited).signatureValue).not.toEqual(cache.parse(leaf.der).signatureValue);
    expect(cache.size).toBe(2);
  });

  it('keeps no failure: a malformed certificate throws every time and is not stored', () => {
    const cache = new CertificateCache(4);
    const truncated = leaf.der.subarray(0, leaf.der.length - 1);
    expect(() => cache.parse(truncated)).toThrow(X509ParseError);
    expect(() => cache.parse(truncated)).toThrow(X509ParseError);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used certificate when full', () => {
    const cache = new CertificateCache(2);
    const a = cache.parse(root.der);
    const b = cache.parse(intermediate.der);
    expect(cache.parse(root.der)).toBe(a); // root is now the most recent
    cache.parse(leaf.der); // evicts the intermediate
    expect(cache.size).toBe(2);
    expect(cache.parse(root.der)).toBe(a);
    expect(cache.parse(intermediate.der)).not.toBe(b);
  });

  it('with capacity 0, parses every time', () => {
    const cache = new CertificateCache(0);
    expect(cache.parse(leaf.der)).not.toBe(cache.parse(leaf.der));
    expect(cache.size).toBe(0);
  });
});

describe('the verifier hands out copies', () => {
  it('a provider that scribbles over what it is given spoils nothing for the next verification', () => {
    const scribbler: CryptoProvider = {
      ...nobleProvider,
      verify(algorithm, key, data, signature) {
        const ok = nobleProvider.verify(algorithm, key, data, signature);
        for (const bytes of [data, signature, key.type === 'ec' ? key.point : key.type === 'ed25519' ? key.key : new Uint8Array(0)]) bytes.fill(0);
        return ok;
      },
    };
    const options = { trusted: root.der, intermediates: intermediate.der, hostname: 'example.com', time: NOW };
    expect(verify_chain(leaf.der, { ...options, provider: scribbler })[0]).toEqual(leaf.der);
    expect(verify_chain(leaf.der, options)[0]).toEqual(leaf.der);
    expect(certificateCache.parse(leaf.der).tbsDer).toEqual(leaf.cert.tbsDer);
  });

  it('changing a returned certificate changes neither the cached view nor the next verification', () => {
    const options = { trusted: root.der, intermediates: intermediate.der, hostname: 'example.com', time: NOW };
    const first = verify_chain(leaf.der, options);
    first[0]!.fill(0);
    expect(certificateCache.parse(leaf.der).der).toEqual(leaf.der);
    expect(verify_chain(leaf.der, options)[0]).toEqual(leaf.der);
  });
});
