/**
 * The ciphers that protect private-key files, shared by PKCS#8 PBES2
 * (`pbes2.ts`) and OpenSSL's traditional PEM encryption (`pem-encryption.ts`):
 * AES-128/192/256-CBC, named by OID (RFC 8018 §B.2.5; NIST's aes OIDs) or by
 * OpenSSL's name in a DEK-Info header. Anything else — DES-EDE3-CBC above all,
 * and PKCS#5 v1.5 / PKCS#12 PBES1 schemes — is an `UnsupportedKeyEncryption`
 * naming it. The noble libraries leave DES out on purpose, and the
 * pure-JavaScript DES on npm is unmaintained (des.js), discontinued (crypto-js)
 * or part of a second general-purpose crypto library with its own advisory
 * history (node-forge): none is kept and reviewed as the rest of our crypto
 * is. OpenSSL converts such a file in one command, which `CONVERT_COMMAND`
 * spells out for the error message.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { X509ParseError } from './errors.ts';

/** The password of a key file, asked for only when a key turns out to be encrypted (as OpenSSL's callback is). */
export type PasswordSource = () => Uint8Array;

/** The command that rewrites any private-key file as PBES2 with AES-256-CBC. */
export const CONVERT_COMMAND = 'openssl pkcs8 -topk8 -v2 aes-256-cbc';

/** A key file protected by a scheme or cipher puretls does not decrypt; `cipher` is OpenSSL's name for it. */
export class UnsupportedKeyEncryption extends X509ParseError {
  readonly cipher: string;

  constructor(field: string, cipher: string) {
    super(field, `${cipher} is not supported; convert the key with \`${CONVERT_COMMAND} -in old.pem -out new.pem\``, 'UnsupportedCertificate');
    this.name = 'UnsupportedKeyEncryption';
    this.cipher = cipher;
  }
}

/** An AES-CBC cipher: its OpenSSL name and key length in bytes. */
export interface KeyCipher {
  readonly name: string;
  readonly keyLength: number;
}

const AES_CBC: readonly KeyCipher[] = [
  { name: 'AES-128-CBC', keyLength: 16 },
  { name: 'AES-192-CBC', keyLength: 24 },
  { name: 'AES-256-CBC', keyLength: 32 },
];

/** NIST's aes128-CBC, aes192-CBC and aes256-CBC (RFC 8018 §B.2.5), in `AES_CBC`'s order. */
const AES_CBC_OIDS: readonly string[] = ['2.16.840.1.101.3.4.1.2', '2.16.840.1.101.3.4.1.22', '2.16.840.1.101.3.4.1.42'];

/**
 * OpenSSL's names of the other encryption schemes `openssl` offers for key
 * files (`-v2 des3`, `-v1 PBE-SHA1-3DES`, ...), so that a refusal names the
 * scheme rather than an OID (RFC 8018 §A.3, §B.2; RFC 7292 Appendix C).
 */
const OTHER_SCHEMES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.113549.3.7', 'DES-EDE3-CBC'],
  ['1.3.14.3.2.7', 'DES-CBC'],
  ['1.2.840.113549.3.2', 'RC2-CBC'],
  ['1.2.840.113549.1.5.1', 'PBE-MD2-DES'],
  ['1.2.840.113549.1.5.3', 'PBE-MD5-DES'],
  ['1.2.840.113549.1.5.4', 'PBE-MD2-RC2-64'],
  ['1.2.840.113549.1.5.6', 'PBE-MD5-RC2-64'],
  ['1.2.840.113549.1.5.10', 'PBE-SHA1-DES'],
  ['1.2.840.113549.1.5.11', 'PBE-SHA1-RC2-64'],
  ['1.2.840.113549.1.12.1.1', 'PBE-SHA1-RC4-128'],
  ['1.2.840.113549.1.12.1.2', 'PBE-SHA1-RC4-40'],
  ['1.2.840.113549.1.12.1.3', 'PBE-SHA1-3DES'],
  ['1.2.840.113549.1.12.1.4', 'PBE-SHA1-2DES'],
  ['1.2.840.113549.1.12.1.5', 'PBE-SHA1-RC2-128'],
  ['1.2.840.113549.1.12.1.6', 'PBE-SHA1-RC2-40'],
]);

/** The AES-CBC cipher an OID names, or the refusal naming the scheme. */
export function cipherByOid(oid: string, field: string): KeyCipher {
  const index = AES_CBC_OIDS.indexOf(oid);
  const cipher = AES_CBC[index];
  if (cipher === undefined) throw new UnsupportedKeyEncryption(field, OTHER_SCHEMES.get(oid) ?? `encryption scheme ${oid}`);
  return cipher;
}

/** The AES-CBC cipher a DEK-Info header names (OpenSSL writes the names upper case). */
export function cipherByName(name: string, field: string): KeyCipher {
  const cipher = AES_CBC.find((c) => c.name === name.toUpperCase());
  if (cipher === undefined) throw new UnsupportedKeyEncryption(field, name);
  return cipher;
}

/**
 * Decrypts and unpads; a wrong padding is what a wrong password gives (and,
 * once in about 256 tries, a wrong password pads well and the DER parse of the
 * result fails instead).
 */
export function decryptCbc(provider: CryptoProvider, key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, field: string): Uint8Array {
  if (iv.length !== 16) throw new X509ParseError(field, 'AES-CBC needs a 16-byte IV');
  const plaintext = provider.keyFiles.aesCbcDecrypt(key, iv, ciphertext);
  if (plaintext === null) throw new X509ParseError(field, 'does not decrypt: wrong password, or a damaged file');
  return plaintext;
}
