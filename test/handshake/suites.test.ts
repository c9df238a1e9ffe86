import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Suite, Suite13 } from '../../src/handshake/suites.ts';
import { SUITES12, SUITES13, suite12, suite13, suiteById } from '../../src/handshake/suites.ts';
import { CipherSuite, ProtocolVersion } from '../../src/wire/registry.ts';

/** OpenSSL 3.0's own description of each TLS 1.2 ECDHE suite with AES-GCM or ChaCha20-Poly1305 (DESIGN §2.4). */
interface OpensslSuite {
  readonly id: number;
  readonly name: string;
  readonly auth: string;
  readonly bits: number;
  readonly enc: string;
}

function opensslTls12Suites(): OpensslSuite[] {
  const text = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ECDHE+AESGCM:ECDHE+CHACHA20'], { encoding: 'utf8' });
  // "0xC0,0x2C - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 Kx=ECDH Au=ECDSA Enc=AESGCM(256) Mac=AEAD"
  const line = /0x([0-9A-F]{2}),0x([0-9A-F]{2}) - (\S+)\s+- \S+\s+TLSv1\.2 Kx=ECDH\s+Au=(\S+)\s+Enc=(\S+)\((\d+)\)\s+Mac=AEAD/;
  return text.split('\n').flatMap((l) => {
    const m = line.exec(l);
    return m ? [{ id: parseInt(m[1]! + m[2]!, 16), name: m[3]!, auth: m[4]!, enc: m[5]!, bits: Number(m[6]) }] : [];
  });
}

describe('TLS 1.2 suite data (RFC 5289, RFC 7905)', () => {
  const openssl = opensslTls12Suites();

  it('is exactly the ECDHE AES-GCM and ChaCha20-Poly1305 suites OpenSSL knows', () => {
    expect(openssl.length).toBe(6);
    expect(SUITES12.map((s) => s.id).sort()).toEqual(openssl.map((s) => s.id).sort());
  });

  it('agrees with OpenSSL on IANA name, authentication, AEAD and key bits', () => {
    for (const theirs of openssl) {
      const ours = suite12(theirs.id)!;
      expect(ours.name).toBe(theirs.name);
      expect(ours.auth).toBe(theirs.auth);
      expect(ours.bits).toBe(theirs.bits);
      expect(ours.keyLength * 8).toBe(theirs.bits);
      expect(ours.aead.startsWith('AES') ? 'AESGCM' : 'CHACHA20/POLY1305').toBe(theirs.enc);
    }
  });

  it('uses the hash its name ends with as the PRF hash (RFC 5289 §3.2, RFC 7905 §2)', () => {
    for (const s of SUITES12) expect(s.hash).toBe(s.name.endsWith('_SHA384') ? 'sha384' : 'sha256');
  });

  it('splits the 12-byte AEAD nonce as RFC 5288 §3 (GCM: 4 fixed + 8 explicit) and RFC 7905 §2 (ChaCha20: 12 fixed) say', () => {
    for (const s of SUITES12) {
      const expected = s.aead === 'CHACHA20-POLY1305' ? [12, 0] : [4, 8];
      expect([s.fixedIvLength, s.explicitNonceLength]).toEqual(expected);
    }
  });

  it('tags every suite with its protocol version', () => {
    for (const s of SUITES12) expect(s.version).toBe(ProtocolVersion.TLSv1_2);
    for (const s of SUITES13) expect(s.version).toBe(ProtocolVersion.TLSv1_3);
  });
});

describe('suite lookups', () => {
  it('finds a suite of either version by id, and each version only its own', () => {
    expect(suiteById(CipherSuite.TLS_AES_128_GCM_SHA256)?.version).toBe(ProtocolVersion.TLSv1_3);
    expect(suiteById(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256)?.version).toBe(ProtocolVersion.TLSv1_2);
    expect(suite13(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).toBeUndefined();
    expect(suite12(CipherSuite.TLS_AES_128_GCM_SHA256)).toBeUndefined();
  });

  it('knows no static-RSA, CBC or SCSV value (DESIGN §2.4)', () => {
    // TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    for (const id of [0x009c, 0xc027, 0x00ff]) expect(suiteById(id)).toBeUndefined();
  });

  it('narrows to Suite13 on the version, with no cast', () => {
    const suite: Suite | undefined = suiteById(CipherSuite.TLS_AES_256_GCM_SHA384);
    if (suite?.version !== ProtocolVersion.TLSv1_3) throw new Error('expected a TLS 1.3 suite');
    const narrowed: Suite13 = suite;
    expect(narrowed.hash).toBe('sha384');
  });
});
