/**
 * What the TLS 1.2 interop tests run over: our TLS 1.2 suites with OpenSSL's
 * names for them, the server key types that can authenticate each, and the
 * cases both directions run (see tls12-openssl.test.ts for why not the full
 * cross product).
 * @module
 */
import { expect } from 'vitest';
import type { Negotiated } from '../../src/handshake/negotiated.ts';
import { SUITES12 } from '../../src/handshake/suites.ts';
import type { Suite12 } from '../../src/handshake/suites.ts';
import { ProtocolVersion, SignatureScheme } from '../../src/wire/registry.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { GROUPS } from './matrix.ts';
import type { GroupCase } from './matrix.ts';

/** OpenSSL names TLS 1.2 suites its own way; written out here, not taken from src/api, to be an independent check. */
export const OPENSSL_NAME: Readonly<Record<string, string>> = {
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
};

export interface KeyCase12 {
  readonly type: KeyType;
  /** ServerKeyExchange schemes that fit the key in TLS 1.2 (RFC 5246 §7.4.1.4.1: ECDSA names a hash, not a curve). */
  readonly schemes: readonly number[];
  /** How s_client names the signature: `Peer signature type: <this>`. */
  readonly opensslSignatureType: RegExp;
}

const S = SignatureScheme;

/** ECDHE-ECDSA suites take ECDSA and EdDSA keys (RFC 8422 §2), ECDHE-RSA suites RSA keys. */
const KEY_CASES: Readonly<Record<Suite12['auth'], readonly KeyCase12[]>> = {
  ECDSA: [
    { type: 'p256', schemes: [S.ecdsa_secp256r1_sha256, S.ecdsa_secp384r1_sha384, S.ecdsa_secp521r1_sha512], opensslSignatureType: /^Peer signature type: ECDSA$/m },
    { type: 'ed25519', schemes: [S.ed25519], opensslSignatureType: /^Peer signature type: ed25519$/m },
  ],
  RSA: [
    {
      type: 'rsa2048',
      schemes: [S.rsa_pss_rsae_sha256, S.rsa_pss_rsae_sha384, S.rsa_pss_rsae_sha512, S.rsa_pkcs1_sha256, S.rsa_pkcs1_sha384, S.rsa_pkcs1_sha512],
      opensslSignatureType: /^Peer signature type: RSA(-PSS)?$/m,
    },
  ],
};

export interface Case12 {
  readonly suite: Suite12;
  readonly key: KeyCase12;
  readonly group: GroupCase;
  /** For test titles: the suite's OpenSSL name, the key type and the group. */
  readonly title: string;
}

/** Each suite with each key type that authenticates it, the group rotating so that each group meets both kinds of suite. */
export const MATRIX12: readonly Case12[] = SUITES12.flatMap((suite) => KEY_CASES[suite.auth].map((key) => ({ suite, key })))
  .map(({ suite, key }, i) => {
    const group = GROUPS[i % GROUPS.length]!;
    return { suite, key, group, title: `${OPENSSL_NAME[suite.name]} ${key.type} ${group.openssl}` };
  });

/** What our side must report for a case; `signedBy` is the side whose key signed the ServerKeyExchange. */
export function expectNegotiated12(n: Negotiated, { suite, key, group }: Case12, signedBy: 'peer' | 'local'): void {
  expect(n.version).toBe(ProtocolVersion.TLSv1_2);
  expect(n.cipherSuite?.id).toBe(suite.id);
  expect(n.group).toBe(group.id);
  expect(key.schemes).toContain(signedBy === 'peer' ? n.peerSignatureScheme : n.localSignatureScheme);
}
