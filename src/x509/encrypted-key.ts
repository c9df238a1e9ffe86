/**
 * Reading the PEM files `SSLContext.load_cert_chain` takes: a private key that
 * may be encrypted — PKCS#8 `ENCRYPTED PRIVATE KEY` (PBES2, `pbes2.ts`) or
 * OpenSSL's traditional `Proc-Type: 4,ENCRYPTED` blocks (`pem-encryption.ts`)
 * — and the certificates of a file that may hold such a key beside them.
 * As OpenSSL does, the first private-key block of the text is the key, and the
 * password is asked for only when that block is encrypted.
 * @module
 */
import type { PrivateKey } from '../crypto/keys.ts';
import type { CryptoProvider } from '../crypto/provider.ts';
import { X509ParseError } from './errors.ts';
import type { PasswordSource } from './key-ciphers.ts';
import { PRIVATE_KEY_LABELS, parsePrivateKeyBlock } from './keys.ts';
import { decryptPkcs8 } from './pbes2.ts';
import { decryptPemBody, takeEncapsulatedHeaders } from './pem-encryption.ts';
import { PemLabel, pemCertificates, pemDecode } from './pem.ts';

export type { PasswordSource } from './key-ciphers.ts';
export { CONVERT_COMMAND, UnsupportedKeyEncryption } from './key-ciphers.ts';

/**
 * The first private key in PEM `text`, decrypted with `password()` if it is
 * encrypted. Throws `X509ParseError` for no key, a malformed one or a wrong
 * password, `UnsupportedKeyEncryption` for a scheme we do not decrypt (before
 * asking for the password), and whatever `password` throws.
 */
export function readPrivateKeyPem(text: string, password: PasswordSource, provider: CryptoProvider): PrivateKey {
  const { text: plain, encryption } = takeEncapsulatedHeaders(text);
  const blocks = pemDecode(plain);
  const index = blocks.findIndex((b) => PRIVATE_KEY_LABELS.includes(b.label));
  const block = blocks[index];
  if (block === undefined) throw new X509ParseError('PEM', 'no private key block');
  if (block.label === PemLabel.ENCRYPTED_PRIVATE_KEY) return parsePrivateKeyBlock(PemLabel.PRIVATE_KEY, decryptPkcs8(block.der, password, provider));
  const dek = encryption[index];
  if (dek == null) return parsePrivateKeyBlock(block.label, block.der);
  return parsePrivateKeyBlock(block.label, decryptPemBody(block.der, dek, password, provider, `PEM ${block.label}`));
}

/** The DER of every `CERTIFICATE` block of `text`, which may also hold a traditionally encrypted key. */
export function readCertificatesPem(text: string): Uint8Array[] {
  return pemCertificates(takeEncapsulatedHeaders(text).text);
}
