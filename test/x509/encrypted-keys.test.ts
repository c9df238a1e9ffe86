import { afterAll, describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import { EncryptedData, EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { UnsupportedKeyEncryption, readCertificatesPem, readPrivateKeyPem } from '../../src/x509/encrypted-key.ts';
import { parsePrivateKey } from '../../src/x509/keys.ts';
import { takeEncapsulatedHeaders } from '../../src/x509/pem-encryption.ts';
import { pemEncode } from '../../src/x509/pem.ts';
import { expectX509Error } from './certificate-expect.ts';
import { Scratch } from './certificate-openssl.ts';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const PASSWORD = 'correct horse';
const password = () => utf8(PASSWORD);
const pass = ['-passout', `pass:${PASSWORD}`];
const neverAsked = () => {
  throw new Error('the password was asked for');
};

const keys = {
  rsa: scratch.key('rsa:2048'),
  'ec P-256': scratch.key('ec:P-256'),
  'ec P-384': scratch.key('ec:P-384'),
  ed25519: scratch.key('ed25519'),
} as const;

/** `openssl pkcs8 -topk8` of `key` with `args`, as PEM text. */
const pkcs8 = (key: string, args: readonly string[]) => scratch.openssl(['pkcs8', '-topk8', '-in', key, ...args, ...pass]).toString();
/** `openssl rsa|ec -traditional -<cipher>` of `key`, as PEM text. */
const traditional = (kind: 'rsa' | 'ec', key: string, cipher: string) =>
  scratch.openssl([kind, '-in', key, ...(kind === 'rsa' ? ['-traditional'] : []), `-${cipher}`, ...pass]).toString();

function expectUnsupported(text: string, cipher: string): void {
  const error = expectX509Error(() => readPrivateKeyPem(text, neverAsked, nobleProvider), 'UnsupportedCertificate', /openssl pkcs8 -topk8 -v2 aes-256-cbc -in old\.pem -out new\.pem/);
  expect(error).toBeInstanceOf(UnsupportedKeyEncryption);
  expect((error as UnsupportedKeyEncryption).cipher).toBe(cipher);
}

describe('encrypted private keys openssl writes', () => {
  for (const [name, key] of Object.entries(keys)) {
    const plain = parsePrivateKey(scratch.text(key));

    it(`${name}: unencrypted PKCS#8 loads without asking for a password`, () => {
      expect(readPrivateKeyPem(scratch.text(key), neverAsked, nobleProvider)).toEqual(plain);
    });

    it(`${name}: PKCS#8 PBES2 (openssl's default AES-256-CBC, HMAC-SHA256) and -scrypt`, () => {
      expect(readPrivateKeyPem(pkcs8(key, []), password, nobleProvider)).toEqual(plain);
      expect(readPrivateKeyPem(pkcs8(key, ['-scrypt']), password, nobleProvider)).toEqual(plain);
    });
  }

  it('PKCS#8 PBES2 with each -v2 cipher and each -v2prf', () => {
    const key = keys['ec P-256'];
    const plain = parsePrivateKey(scratch.text(key));
    for (const cipher of ['aes-128-cbc', 'aes-192-cbc', 'aes-256-cbc']) {
      for (const prf of ['hmacWithSHA1', 'hmacWithSHA224', 'hmacWithSHA256', 'hmacWithSHA384', 'hmacWithSHA512']) {
        expect(readPrivateKeyPem(pkcs8(key, ['-v2', cipher, '-v2prf', prf]), password, nobleProvider), `${cipher} ${prf}`).toEqual(plain);
      }
    }
  });

  for (const kind of ['rsa', 'ec'] as const) {
    it(`traditional ${kind.toUpperCase()} PEM with -aes128, -aes192, -aes256`, () => {
      const key = kind === 'rsa' ? keys.rsa : keys['ec P-256'];
      for (const cipher of ['aes128', 'aes192', 'aes256']) {
        const text = traditional(kind, key, cipher);
        expect(text).toMatch(/^Proc-Type: 4,ENCRYPTED$/m);
        expect(readPrivateKeyPem(text, password, nobleProvider), cipher).toEqual(parsePrivateKey(scratch.text(key)));
      }
    });
  }

  it('the key and its certificate in one file: the key decrypts and the certificate reads', () => {
    const key = keys['ec P-256'];
    const certificate = scratch.selfSigned(key, '/CN=both');
    const text = scratch.text(certificate) + traditional('ec', key, 'aes256');
    expect(readPrivateKeyPem(text, password, nobleProvider)).toEqual(parsePrivateKey(scratch.text(key)));
    expect(readCertificatesPem(text)).toEqual([scratch.der(certificate)]);
  });

  it('the first key block is the key, as OpenSSL reads it', () => {
    const text = scratch.text(keys.ed25519) + pkcs8(keys.rsa, ['-v2', 'aes-128-cbc']);
    expect(readPrivateKeyPem(text, neverAsked, nobleProvider).type).toBe('ed25519');
  });
});

describe('wrong passwords and damaged files', () => {
  const files = {
    'PKCS#8 PBKDF2': pkcs8(keys.rsa, ['-v2', 'aes-256-cbc']),
    'PKCS#8 scrypt': pkcs8(keys['ec P-256'], ['-scrypt']),
    'traditional RSA': traditional('rsa', keys.rsa, 'aes128'),
    'traditional EC': traditional('ec', keys['ec P-256'], 'aes256'),
  };

  it('a wrong password is an X509ParseError about decryption (or, by chance of padding, about the DER)', () => {
    for (const text of Object.values(files)) {
      for (const wrong of ['correct horsf', '', 'x'.repeat(1024)]) {
        expectX509Error(() => readPrivateKeyPem(text, () => utf8(wrong), nobleProvider), 'BadCertificate', /does not decrypt|PrivateKey|not DER/);
      }
    }
  });

  it('a password source that throws: its error comes through', () => {
    const mine = new RangeError('mine');
    expect(() => readPrivateKeyPem(files['PKCS#8 PBKDF2'], () => { throw mine; }, nobleProvider)).toThrow(mine);
    expect(() => readPrivateKeyPem(files['traditional EC'], () => { throw mine; }, nobleProvider)).toThrow(mine);
  });

  it('broken encapsulated headers are malformed PEM', () => {
    const text = files['traditional RSA'];
    expectX509Error(() => readPrivateKeyPem(text.replace(/DEK-Info: .*\n/, ''), password, nobleProvider), 'BadCertificate', /DEK-Info: missing/);
    expectX509Error(() => readPrivateKeyPem(text.replace(/(DEK-Info: AES-128-CBC,)../, '$1'), password, nobleProvider), 'BadCertificate', /16-byte IV/);
    expectX509Error(() => readPrivateKeyPem(text.replace('4,ENCRYPTED', '4,MIC-ONLY'), password, nobleProvider), 'BadCertificate', /not 4,ENCRYPTED/);
  });

  it('headers are lifted block by block, and blocks without them stay as they were', () => {
    const certificate = scratch.text(scratch.selfSigned(keys.rsa, '/CN=h'));
    const { text, encryption } = takeEncapsulatedHeaders(certificate + files['traditional EC'] + scratch.text(keys.ed25519));
    expect(encryption.map((e) => e?.cipher ?? null)).toEqual([null, 'AES-256-CBC', null]);
    expect(text).not.toMatch(/Proc-Type|DEK-Info/);
    expect(text.startsWith(certificate)).toBe(true);
  });

  const der = (text: string) => new Uint8Array(Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const pem = (bytes: Uint8Array) => pemEncode('ENCRYPTED PRIVATE KEY', bytes);

  it('encrypted data that is not whole AES blocks does not decrypt', () => {
    const info = AsnConvert.parse(der(files['PKCS#8 PBKDF2']), EncryptedPrivateKeyInfo);
    info.encryptedData = new EncryptedData(new Uint8Array(info.encryptedData.buffer).slice(0, -1));
    const text = pem(new Uint8Array(AsnConvert.serialize(info)));
    expectX509Error(() => readPrivateKeyPem(text, password, nobleProvider), 'BadCertificate', /encryptedData: does not decrypt/);
  });

  it('scrypt parameters past OpenSSL’s 32 MiB are refused before the password is asked', () => {
    // openssl writes N=16384 (02 02 40 00), r=8 (02 01 08); r=127 needs about 254 MiB.
    const bytes = der(files['PKCS#8 scrypt']);
    const at = Buffer.from(bytes).indexOf(Buffer.from([2, 2, 0x40, 0, 2, 1, 8]));
    expect(at).toBeGreaterThan(0);
    bytes[at + 6] = 127;
    expectX509Error(() => readPrivateKeyPem(pem(bytes), neverAsked, nobleProvider), 'BadCertificate', /32 MiB scrypt memory limit/);
  });
});

describe('encryption puretls refuses, by name, before asking for the password', () => {
  it('DES-EDE3-CBC: openssl rsa -traditional -des3, openssl ec -des3, and PBES2 with -v2 des3 (OpenSSL 3’s openssl rsa -des3)', () => {
    expectUnsupported(traditional('rsa', keys.rsa, 'des3'), 'DES-EDE3-CBC');
    expectUnsupported(traditional('ec', keys['ec P-256'], 'des3'), 'DES-EDE3-CBC');
    expectUnsupported(pkcs8(keys.rsa, ['-v2', 'des3']), 'DES-EDE3-CBC');
    expectUnsupported(scratch.openssl(['rsa', '-in', keys.rsa, '-des3', ...pass]).toString(), 'DES-EDE3-CBC');
  });

  it('PBES1 and PKCS#12 PBE schemes (-v1)', () => {
    expectUnsupported(pkcs8(keys.rsa, ['-v1', 'PBE-SHA1-3DES']), 'PBE-SHA1-3DES');
    expectUnsupported(pkcs8(keys['ec P-256'], ['-v1', 'PBE-SHA1-2DES']), 'PBE-SHA1-2DES');
  });

  it('other ciphers OpenSSL offers for traditional PEM', () => {
    expectUnsupported(traditional('ec', keys['ec P-256'], 'camellia128'), 'CAMELLIA-128-CBC');
    expectUnsupported(traditional('ec', keys['ec P-256'], 'aria256'), 'ARIA-256-CBC');
  });
});
