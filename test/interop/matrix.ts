/**
 * What the interop tests run over, shared by both directions: the TLS 1.3
 * suites, groups and server key types we claim, with the names OpenSSL uses
 * for each on its command line and in its output, and small helpers the
 * tests in this folder have in common.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import type { KeyLog } from '../../src/handshake/config.ts';
import { SUITES13 } from '../../src/handshake/suites.ts';
import { toHex } from '../../src/wire/bytes.ts';
import type { Suite13 } from '../../src/handshake/suites.ts';
import { NamedGroup, SignatureScheme } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { Credential, KeyType } from '../helpers/credentials.ts';

/** A per-test bound: a test that hangs fails instead. */
export const TEST_TIMEOUT_MS = 20_000;

/** TLS 1.3 suite names are the same in OpenSSL and IANA (RFC 8446 §B.4). */
export const SUITES: readonly Suite13[] = SUITES13;

export interface GroupCase {
  readonly id: number;
  /** For `-groups`. */
  readonly openssl: string;
  /** How `s_client` prints it: `Server Temp Key: <this>`. */
  readonly tempKey: RegExp;
  /** How `s_server` prints it: `Shared groups: <this>`. */
  readonly sharedName: string;
}

export const GROUPS: readonly GroupCase[] = [
  { id: NamedGroup.x25519, openssl: 'X25519', tempKey: /Server Temp Key: X25519, 253 bits/, sharedName: 'x25519' },
  { id: NamedGroup.secp256r1, openssl: 'P-256', tempKey: /Server Temp Key: ECDH, prime256v1, 256 bits/, sharedName: 'secp256r1' },
  { id: NamedGroup.secp384r1, openssl: 'P-384', tempKey: /Server Temp Key: ECDH, secp384r1, 384 bits/, sharedName: 'secp384r1' },
];

export interface KeyCase {
  readonly type: KeyType;
  /** The CertificateVerify schemes that fit the key (RFC 8446 §4.2.3: RSA signs with PSS in TLS 1.3). */
  readonly schemes: readonly number[];
  /** How OpenSSL names the peer's signature: `Peer signature type: <this>`. */
  readonly opensslSignatureType: string;
}

export const KEYS: readonly KeyCase[] = [
  { type: 'p256', schemes: [SignatureScheme.ecdsa_secp256r1_sha256], opensslSignatureType: 'ECDSA' },
  { type: 'p384', schemes: [SignatureScheme.ecdsa_secp384r1_sha384], opensslSignatureType: 'ECDSA' },
  {
    type: 'rsa2048',
    schemes: [SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pss_rsae_sha384, SignatureScheme.rsa_pss_rsae_sha512],
    opensslSignatureType: 'RSA-PSS',
  },
  { type: 'ed25519', schemes: [SignatureScheme.ed25519], opensslSignatureType: 'ed25519' },
];

/** Every suite × group × server key type, the cases each direction runs. */
export const MATRIX: readonly { readonly suite: Suite13; readonly group: GroupCase; readonly key: KeyCase }[] = KEYS.flatMap((key) =>
  SUITES.flatMap((suite) => GROUPS.map((group) => ({ suite, group, key }))),
);

/**
 * The credential, or why it cannot be made: a test that needs it is skipped
 * with that reason (RSA keys from OpenSSL did not parse while `x509/keys.ts`
 * was being fixed).
 */
function credentialOrReason(type: KeyType, name?: string): Credential | string {
  try {
    return credential(type, name);
  } catch (error) {
    return `credential('${type}') fails: ${(error as Error).message}`;
  }
}

/** A test that needs `credential(type, name)`: skipped, with the reason in its name, when that cannot be made. */
export function itWithCredential(title: string, type: KeyType, name: string | undefined, body: (cred: Credential) => Promise<void>): void {
  const cred = credentialOrReason(type, name);
  if (typeof cred === 'string') it.skip(`${title} (skipped: ${cred})`, () => {});
  else it(title, () => body(cred));
}

/** Bytes of every value, so that no byte is special to the transport. */
export function randomData(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

/** Where `needle` first occurs in `haystack`, or -1. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
}

/** Our NSS key-log lines, and a file for OpenSSL's `-keylogfile`, to compare once the connection is over. */
export function keyLogRecorder(): { readonly keyLog: KeyLog; readonly ours: string[]; readonly file: string; theirs(): string[] } {
  const ours: string[] = [];
  const file = join(mkdtempSync(join(tmpdir(), 'puretls-keylog-')), 'openssl.keylog');
  return {
    keyLog: (label, clientRandom, secret) => ours.push(`${label} ${toHex(clientRandom)} ${toHex(secret)}`),
    ours,
    file,
    theirs: () => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#')),
  };
}
