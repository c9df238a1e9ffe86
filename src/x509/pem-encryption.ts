/**
 * OpenSSL's traditional PEM encryption of `RSA PRIVATE KEY` and `EC PRIVATE
 * KEY` blocks (`openssl rsa -traditional -aes128`, `openssl ec -aes256`): RFC
 * 1421 §4.6 encapsulated headers `Proc-Type: 4,ENCRYPTED` and `DEK-Info:
 * <cipher>,<IV in hex>` between the BEGIN line and the base64, the key derived
 * from the password by OpenSSL's `EVP_BytesToKey` (MD5, one round, the IV's
 * first 8 bytes as salt; `PEM_do_header` in OpenSSL's pem_lib.c), the body
 * encrypted with that key and IV.
 *
 * `pem.ts` refuses blocks with headers, so that no caller mistakes an
 * encrypted body for a key; `takeEncapsulatedHeaders` lifts the headers out
 * first and hands back, block by block, what they say.
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { concatBytes, fromHex } from '../wire/bytes.ts';
import { X509ParseError } from './errors.ts';
import { type PasswordSource, cipherByName, decryptCbc } from './key-ciphers.ts';

/** A block's `DEK-Info`: OpenSSL's cipher name and the IV. */
export interface DekInfo {
  readonly cipher: string;
  readonly iv: Uint8Array;
}

export interface HeaderlessPem {
  /** The PEM text with every block's header lines (and the blank line ending them) removed. */
  readonly text: string;
  /** For each block of `text`, in order (as `pemDecode` returns them), its DEK-Info or null when not encrypted. */
  readonly encryption: readonly (DekInfo | null)[];
}

/** A boundary as `pem.ts` recognises it, so that blocks are counted alike. */
const BEGIN = /^-----BEGIN ([^-]*)-----\s*$/;
/** RFC 1421 §4.4 header field; base64 lines never contain a colon. */
const HEADER = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*?)\s*$/;

/** Lifts RFC 1421 encapsulated headers out of every PEM block of `text`. */
export function takeEncapsulatedHeaders(text: string): HeaderlessPem {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  const encryption: (DekInfo | null)[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    kept.push(line);
    const begin = BEGIN.exec(line);
    if (!begin) continue;
    const headers = new Map<string, string>();
    let next = i + 1;
    for (let field: RegExpExecArray | null; next < lines.length && (field = HEADER.exec(lines[next]!)); next++) {
      headers.set(field[1]!.toLowerCase(), field[2]!);
    }
    // RFC 1421 §4.4: a blank line separates the headers from the text.
    if (headers.size > 0 && lines[next]?.trim() === '') next++;
    i = next - 1;
    encryption.push(dekInfoOf(headers, `PEM ${begin[1]!}`));
  }
  return { text: kept.join('\n'), encryption };
}

function dekInfoOf(headers: ReadonlyMap<string, string>, field: string): DekInfo | null {
  const procType = headers.get('proc-type');
  if (procType === undefined) return null;
  if (procType.replace(/\s/g, '').toUpperCase() !== '4,ENCRYPTED') throw new X509ParseError(`${field} Proc-Type`, `not 4,ENCRYPTED: ${procType}`);
  const dekInfo = /^([^,\s]+)\s*,\s*([0-9A-Fa-f]+)$/.exec(headers.get('dek-info') ?? '');
  if (!dekInfo || dekInfo[2]!.length % 2 !== 0) throw new X509ParseError(`${field} DEK-Info`, 'missing or not <cipher>,<hex IV>');
  return { cipher: dekInfo[1]!, iv: fromHex(dekInfo[2]!) };
}

/** The DER inside a traditionally encrypted block; `password` is asked only for a cipher we decrypt. */
export function decryptPemBody(der: Uint8Array, dek: DekInfo, password: PasswordSource, provider: CryptoProvider, field: string): Uint8Array {
  const cipher = cipherByName(dek.cipher, `${field} DEK-Info`);
  if (dek.iv.length !== 16) throw new X509ParseError(`${field} DEK-Info`, `${cipher.name} needs a 16-byte IV`);
  const key = bytesToKey(provider, password(), dek.iv.subarray(0, 8), cipher.keyLength);
  return decryptCbc(provider, key, dek.iv, der, field);
}

/** EVP_BytesToKey(MD5, count 1): D1 = MD5(password ‖ salt), Dn = MD5(Dn-1 ‖ password ‖ salt), key = D1 ‖ D2 ‖ … */
function bytesToKey(provider: CryptoProvider, password: Uint8Array, salt: Uint8Array, length: number): Uint8Array {
  const blocks: Uint8Array[] = [];
  let previous: Uint8Array = new Uint8Array(0);
  for (let have = 0; have < length; have += previous.length) {
    previous = provider.keyFiles.md5(concatBytes(previous, password, salt));
    blocks.push(previous);
  }
  return concatBytes(...blocks).slice(0, length);
}
