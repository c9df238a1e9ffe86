import { afterAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECPrivateKey } from '@peculiar/asn1-ecc';
import { RSAPrivateKey } from '@peculiar/asn1-rsa';
import { publicKeyOf } from '../../src/crypto/keys.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { concatBytes, toHex, utf8 } from '../../src/wire/bytes.ts';
import { X509ParseError } from '../../src/x509/errors.ts';
import { encodePrivateKeyPkcs8, encodePublicKeyInfo, parsePrivateKey, parsePublicKeyInfo } from '../../src/x509/keys.ts';
import { pemDecodeOne, privateKeyToPem } from '../../src/x509/pem.ts';
import { expectX509Error } from './certificate-expect.ts';
import { Scratch, textHex } from './certificate-openssl.ts';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const hex = (b: Buffer) => toHex(new Uint8Array(b));
const big = (h: string) => BigInt(`0x${h}`);


const rsaKey = scratch.key('rsa:1024');
const ecKeys = { 'P-256': scratch.key('ec:P-256'), 'P-384': scratch.key('ec:P-384'), 'P-521': scratch.key('ec:P-521') } as const;
const edKey = scratch.key('ed25519');

/** The same key in every container openssl writes. */
function forms(key: string, traditional: 'rsa' | 'ec' | null): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {
    'PKCS#8 PEM': scratch.text(key),
    'PKCS#8 DER': new Uint8Array(scratch.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', key, '-outform', 'DER'])),
  };
  if (traditional) {
    // `openssl ec` writes SEC1 by default; `openssl rsa` needs -traditional for PKCS#1.
    const flag = traditional === 'rsa' ? ['-traditional'] : [];
    out['traditional PEM'] = scratch.openssl([traditional, '-in', key, ...flag]).toString();
    out['traditional DER'] = new Uint8Array(scratch.openssl([traditional, '-in', key, ...flag, '-outform', 'DER']));
  }
  return out;
}

describe('private keys openssl wrote', () => {
  it('RSA: every form gives the numbers openssl prints', () => {
    const text = scratch.openssl(['rsa', '-in', rsaKey, '-noout', '-text']).toString();
    for (const [form, input] of Object.entries(forms(rsaKey, 'rsa'))) {
      const key = parsePrivateKey(input);
      expect(key.type, form).toBe('rsa');
      if (key.type !== 'rsa') continue;
      expect(key.n, form).toBe(big(textHex(text, 'modulus')));
      expect(key.d).toBe(big(textHex(text, 'privateExponent')));
      expect(key.p).toBe(big(textHex(text, 'prime1')));
      expect(key.q).toBe(big(textHex(text, 'prime2')));
      expect(key.dp).toBe(big(textHex(text, 'exponent1')));
      expect(key.dq).toBe(big(textHex(text, 'exponent2')));
      expect(key.qInv).toBe(big(textHex(text, 'coefficient')));
      expect(key.e).toBe(65537n);
    }
  });

  for (const [curve, file] of Object.entries(ecKeys)) {
    it(`EC ${curve}: secret and public point as openssl prints them`, () => {
      const text = scratch.openssl(['pkey', '-in', file, '-noout', '-text']).toString();
      const bytes = curve === 'P-521' ? 66 : curve === 'P-384' ? 48 : 32;
      for (const [form, input] of Object.entries(forms(file, 'ec'))) {
        const key = parsePrivateKey(input);
        expect(key.type, form).toBe('ec');
        if (key.type !== 'ec') continue;
        expect(key.curve).toBe(curve);
        // openssl drops leading zero bytes when it prints; we keep the fixed width.
        expect(toHex(key.secret)).toBe(textHex(text, 'priv').padStart(2 * bytes, '0').slice(-2 * bytes));
        expect(toHex(key.point)).toBe(textHex(text, 'pub'));
      }
    });
  }

  it('Ed25519: seed and public key as openssl prints them', () => {
    const text = scratch.openssl(['pkey', '-in', edKey, '-noout', '-text']).toString();
    for (const input of Object.values(forms(edKey, null))) {
      const key = parsePrivateKey(input);
      expect(key.type).toBe('ed25519');
      if (key.type !== 'ed25519') continue;
      expect(toHex(key.seed)).toBe(textHex(text, 'priv'));
      expect(toHex(key.key)).toBe(textHex(text, 'pub'));
    }
  });

  it('SEC1 with an EC PARAMETERS block first (openssl ecparam -genkey)', () => {
    const out = scratch.fresh('key');
    scratch.openssl(['ecparam', '-name', 'secp384r1', '-genkey', '-out', out]);
    expect(scratch.text(out)).toContain('EC PARAMETERS');
    const key = parsePrivateKey(scratch.text(out));
    expect(key.type === 'ec' && key.curve).toBe('P-384');
  });

  it('a PEM file with a certificate before the key', () => {
    const cert = scratch.text(scratch.selfSigned(edKey, '/CN=x'));
    expect(parsePrivateKey(cert + scratch.text(edKey)).type).toBe('ed25519');
  });
});

describe('encoding keys', () => {
  // RSA-2048: its 256-byte modulus has the length 0x82 0x01 0x00, which asn1js wrongly calls non-minimal.
  const all = [rsaKey, scratch.key('rsa:2048'), ...Object.values(ecKeys), edKey];

  it('PKCS#8 is byte for byte what openssl pkcs8 -topk8 writes', () => {
    for (const file of all) {
      const want = hex(scratch.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', file, '-outform', 'DER']));
      expect(toHex(encodePrivateKeyPkcs8(parsePrivateKey(scratch.text(file))))).toBe(want);
    }
  });

  it('SubjectPublicKeyInfo is byte for byte what openssl pkey -pubout writes, and parses back', () => {
    for (const file of all) {
      const want = scratch.openssl(['pkey', '-in', file, '-pubout', '-outform', 'DER']);
      const pub = publicKeyOf(parsePrivateKey(scratch.text(file)));
      expect(toHex(encodePublicKeyInfo(pub))).toBe(hex(want));
      expect(parsePublicKeyInfo(new Uint8Array(want))).toEqual(pub);
    }
  });

  it('openssl reads our PKCS#8 back, and a key the provider generated signs and verifies after a round trip', () => {
    for (const spec of [{ type: 'ec', curve: 'P-384' }, { type: 'ed25519' }] as const) {
      const key = nobleProvider.generateKey(spec);
      const pem = privateKeyToPem(encodePrivateKeyPkcs8(key));
      const file = scratch.write(`gen-${spec.type}.pem`, pem);
      expect(scratch.openssl(['pkey', '-in', file, '-noout', '-check']).toString() + 'ok').toMatch(/ok/);
      const back = parsePrivateKey(pem);
      const alg = spec.type === 'ec' ? ({ type: 'ecdsa', hash: 'sha384' } as const) : ({ type: 'ed25519' } as const);
      const sig = nobleProvider.sign(alg, back, utf8('m'));
      expect(nobleProvider.verify(alg, publicKeyOf(key), utf8('m'), sig)).toBe(true);
    }
  });
});

describe('keys we refuse, and why', () => {
  it('encrypted PKCS#8, in PEM and DER', () => {
    const pem = scratch.openssl(['pkcs8', '-topk8', '-in', edKey, '-v2', 'aes-128-cbc', '-passout', 'pass:pw']).toString();
    expectX509Error(() => parsePrivateKey(pem), 'UnsupportedCertificate', /encrypted private keys/);
    expectX509Error(() => parsePrivateKey(pemDecodeOne(pem, 'ENCRYPTED PRIVATE KEY')), 'UnsupportedCertificate', /encrypted private keys/);
  });

  it('encrypted traditional PEM', () => {
    const pem = scratch.openssl(['rsa', '-in', rsaKey, '-traditional', '-aes128', '-passout', 'pass:pw']).toString();
    expectX509Error(() => parsePrivateKey(pem), 'UnsupportedCertificate', /encrypted PEM key/);
  });

  it('compressed EC points and other curves', () => {
    const compressed = scratch.openssl(['ec', '-in', ecKeys['P-256'], '-pubout', '-conv_form', 'compressed', '-outform', 'DER']);
    expectX509Error(() => parsePublicKeyInfo(new Uint8Array(compressed)), 'UnsupportedCertificate', /compressed EC points/);
    const k1 = scratch.key('ec:secp256k1');
    expectX509Error(() => parsePrivateKey(scratch.text(k1)), 'UnsupportedCertificate', /curve 1\.3\.132\.0\.10/);
    const k1pub = scratch.openssl(['pkey', '-in', k1, '-pubout', '-outform', 'DER']);
    expectX509Error(() => parsePublicKeyInfo(new Uint8Array(k1pub)), 'UnsupportedCertificate', /curve 1\.3\.132\.0\.10/);
  });

  it('Ed448 and RSA-PSS keys', () => {
    const ed448 = scratch.key('ed448');
    expectX509Error(() => parsePrivateKey(scratch.text(ed448)), 'UnsupportedCertificate', /1\.3\.101\.113/);
    const pss = scratch.key('rsa-pss:1024');
    const pub = scratch.openssl(['pkey', '-in', pss, '-pubout', '-outform', 'DER']);
    expectX509Error(() => parsePublicKeyInfo(new Uint8Array(pub)), 'UnsupportedCertificate', /1\.2\.840\.113549\.1\.1\.10/);
  });

  it('a SEC1 key whose public key is not its own', () => {
    const der = new Uint8Array(scratch.openssl(['ec', '-in', ecKeys['P-256'], '-outform', 'DER']));
    const other = parsePrivateKey(scratch.text(scratch.key('ec:P-256')));
    const ec = AsnConvert.parse(der, ECPrivateKey);
    ec.publicKey = other.type === 'ec' ? other.point.slice().buffer : new ArrayBuffer(0);
    const forged = new Uint8Array(AsnConvert.serialize(ec));
    expectX509Error(() => parsePrivateKey(forged), 'BadCertificate', /ECPrivateKey\.publicKey: does not match/);
  });

  it('an RSA key with wrong CRT parameters', () => {
    const der = new Uint8Array(scratch.openssl(['rsa', '-in', rsaKey, '-traditional', '-outform', 'DER']));
    const k = AsnConvert.parse(der, RSAPrivateKey);
    const coefficient = new Uint8Array(k.coefficient);
    coefficient[coefficient.length - 1]! ^= 1;
    k.coefficient = coefficient.buffer;
    expectX509Error(() => parsePrivateKey(new Uint8Array(AsnConvert.serialize(k))), 'BadCertificate', /CRT parameters are inconsistent/);
  });

  it('an EC scalar of zero', () => {
    const der = new Uint8Array(scratch.openssl(['ec', '-in', ecKeys['P-256'], '-outform', 'DER']));
    const ec = AsnConvert.parse(der, ECPrivateKey);
    ec.privateKey = new (ec.privateKey.constructor as new (n: number) => typeof ec.privateKey)(32);
    ec.publicKey = undefined;
    expectX509Error(() => parsePrivateKey(new Uint8Array(AsnConvert.serialize(ec))), 'BadCertificate', /out of range for P-256/);
  });

  it('trailing bytes, truncation, and non-DER lengths', () => {
    const der = new Uint8Array(scratch.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', edKey, '-outform', 'DER']));
    expectX509Error(() => parsePrivateKey(concatBytes(der, Uint8Array.of(0))), 'BadCertificate', /1 trailing bytes/);
    for (let n = 0; n < der.length; n++) {
      expect(() => parsePrivateKey(der.subarray(0, n))).toThrow(X509ParseError);
    }
    // The same SEQUENCE with its length in long form (0x81 0x2e for 0x2e): BER, not DER.
    const longForm = concatBytes(Uint8Array.of(0x30, 0x81, der[1]!), der.subarray(2));
    expectX509Error(() => parsePrivateKey(longForm), 'BadCertificate', /not DER: non-minimal/);
  });

  it('RSA public keys need NULL parameters (RFC 3279 §2.3.1)', () => {
    const spki = new Uint8Array(scratch.openssl(['pkey', '-in', rsaKey, '-pubout', '-outform', 'DER']));
    // AlgorithmIdentifier is 30 0d 06 09 <rsaEncryption> 05 00; drop the NULL and fix the lengths.
    const at = toHex(spki).indexOf('300d06092a864886f70d0101010500') / 2;
    expect(at).toBeGreaterThan(0);
    const body = concatBytes(Uint8Array.of(0x30, 0x0b), spki.subarray(at + 2, at + 13), spki.subarray(at + 15));
    const outer = concatBytes(Uint8Array.of(0x30, 0x81, body.length), body);
    expectX509Error(() => parsePublicKeyInfo(outer), 'BadCertificate', /parameters must be NULL/);
  });

  it('a text with no key in it', () => {
    expectX509Error(() => parsePrivateKey('hello'), 'BadCertificate', /no private key block/);
  });
});
