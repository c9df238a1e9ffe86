import { describe, expect, it } from 'vitest';
import { applyCipherString } from '../../src/api/cipher-string.ts';
import { cipherAllowedAtSecurityLevel, cipherById, cipherDicts, cipherTuple, DEFAULT_CIPHER_STRING, DEFAULT_CIPHERSUITES, parseCiphersuites, TLS12_CIPHERS } from '../../src/api/ciphers.ts';
import { SSLError, ValueError } from '../../src/api/exceptions.ts';
import { CipherSuite } from '../../src/wire/registry.ts';
import { askSelectionOracle, type CiphersAnswer } from './selection-oracle.ts';

/** Python's default context's security level, which every oracle context starts from. */
const START_LEVEL = 2;
const OUR_NAMES = new Set([...TLS12_CIPHERS.map((c) => c.name), 'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);

const CIPHER_STRINGS = [
  'ALL', 'DEFAULT', 'HIGH', 'FIPS', 'MEDIUM', 'LOW', 'SHA256', 'SHA384', 'SHA1', 'TLSv1.2', 'TLSv1', 'SSLv3', 'AEAD',
  'ECDHE+AESGCM', 'ECDHE+CHACHA20', 'kECDHE', 'kEECDH+aECDSA', 'EECDH', 'AECDH', 'ECDH', 'aECDSA', 'aRSA', 'ECDSA', 'RSA',
  'AESGCM', 'CHACHA20', 'AES128', 'AES256', 'AES', 'AES128:AES256', 'CHACHA20:AES', 'CAMELLIA', 'ARIA', '3DES',
  'ECDHE+AESGCM:ECDHE+CHACHA20:@STRENGTH', 'CHACHA20:AES128:@STRENGTH', '@STRENGTH', '-ALL:ECDHE', 'ECDHE:-aRSA:aRSA',
  'ECDHE:!aRSA:aRSA', 'ECDHE:+aRSA', 'ECDHE:+AES128', 'aECDSA:ECDHE:-CHACHA20:CHACHA20', 'ECDHE:!AES256:+aECDSA',
  'ECDHE:FOO!aRSA', 'ECDHE:CBC!aRSA', 'ECDHE:RC4!aRSA', 'ECDHE:3DES!aRSA', 'ECDHE:GOST!aRSA', 'ECDHE:EDH-RSA-DES-CBC3-SHA!aRSA',
  'ECDHE*', 'FOO*', 'ECDHE+', '!', 'ECDHE:DEFAULT', 'DEFAULTX', 'DEFAULT:!aRSA', 'DEFAULT:-CHACHA20:CHACHA20',
  'HIGH+FIPS', 'AES128+AES256!ECDHE', 'ECDHE-RSA-AES128-GCM-SHA256+AES256', 'TLSv1.2+ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256+TLSv1.2', 'SSLv3+ECDHE-RSA-AES128-GCM-SHA256', ' ECDHE-RSA-AES128-GCM-SHA256 ',
  'ECDHE-ECDSA-CHACHA20-POLY1305,ECDHE-RSA-AES256-GCM-SHA384;ECDHE-ECDSA-AES128-GCM-SHA256 ECDHE-RSA-CHACHA20-POLY1305',
  'TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ecdhe', 'FOO', '', 'AES128-SHA',
  'COMPLEMENTOFDEFAULT', 'ALL:COMPLEMENTOFALL', 'ALL:!COMPLEMENTOFDEFAULT:!eNULL', 'ALL:@SECLEVEL=5', '@SECLEVEL=1:FOO',
  '@SECLEVEL=9', '@SECLEVEL=3:@FOO', '@SECLEVEL=0:ECDHE', 'ECDHE:@SECLEVEL=x', DEFAULT_CIPHER_STRING,
];

describe('set_ciphers / get_ciphers against CPython 3.11 on OpenSSL 3.0', () => {
  const answers = askSelectionOracle([{ op: 'defaultCiphers' }, ...CIPHER_STRINGS.map((text) => ({ op: 'setCiphers' as const, text }))]) as CiphersAnswer[];
  const defaults = answers[0]!;
  const ours = (answer: CiphersAnswer) => answer.ciphers.filter((c) => OUR_NAMES.has(c['name'] as string));
  const defaultTls12 = applyCipherString(DEFAULT_CIPHER_STRING, START_LEVEL).ciphers12!;

  it('a new context (the default cipher string) lists our suites as CPython does, dict for dict', () => {
    expect(cipherDicts(DEFAULT_CIPHERSUITES, defaultTls12)).toEqual(ours(defaults));
  });

  it.each(CIPHER_STRINGS.map((text, i) => [text, answers[i + 1]!] as const))('%j selects, orders, errs and sets the level as CPython', (text, answer) => {
    const result = applyCipherString(text, START_LEVEL);
    expect(result.securityLevel).toBe(answer.level);
    const selectsOurs = ours(answer).some((c) => c['protocol'] === 'TLSv1.2');
    if (answer.error === null && !selectsOurs) {
      // OpenSSL selected only suites puretls lacks (CBC, DHE, ...): we raise as OpenSSL does when nothing matches.
      expect(result.error?.args).toEqual(['No cipher can be selected.']);
      expect(result.ciphers12).toEqual([]);
    } else if (answer.error === null) {
      expect(result.error).toBeNull();
    } else {
      expect(result.error).toBeInstanceOf(SSLError);
      expect(answer.error.type).toBe('SSLError');
      expect(result.error!.args).toEqual(answer.error.args);
      expect(result.error!.errno).toBe(answer.error.errno);
      expect(result.error!.message).toBe(answer.error.str);
    }
    // A failed string leaves the old list (here the default one), except "nothing selected", which empties it.
    const tls12 = result.ciphers12 ?? defaultTls12;
    expect(cipherDicts(DEFAULT_CIPHERSUITES, tls12)).toEqual(ours(answer));
  });

  it('most strings select some of our suites, so the comparison above is not mostly of empty lists', () => {
    const selecting = CIPHER_STRINGS.filter((text) => (applyCipherString(text, START_LEVEL).ciphers12 ?? []).length > 0);
    expect(selecting.length).toBeGreaterThan(40);
  });
});

describe('set_ciphers details', () => {
  it('keeps OpenSSL preference order for ALL and puts aRSA after a re-add', () => {
    const names = (text: string) => applyCipherString(text, 2).ciphers12!.map((id) => cipherById(id)!.name);
    expect(names('ALL')).toEqual([
      'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256',
    ]);
    expect(names('ECDHE:+aRSA').slice(3)).toEqual(['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305', 'ECDHE-RSA-AES128-GCM-SHA256']);
  });

  it('an invalid character leaves the list (null) but keeps an earlier @SECLEVEL', () => {
    const result = applyCipherString('@SECLEVEL=4:ECDHE*', 2);
    expect(result.ciphers12).toBeNull();
    expect(result.securityLevel).toBe(4);
    expect(result.error?.args).toEqual(['No cipher can be selected.']);
  });

  it('refuses an embedded NUL as CPython argument parsing does', () => {
    expect(() => applyCipherString('ECDHE\0', 2)).toThrow(ValueError);
    expect(() => applyCipherString('ECDHE\0', 2)).toThrow('embedded null character');
  });
});

describe('cipher() tuples and security levels', () => {
  it('gives (name, protocol, secret bits) as CPython', () => {
    expect(cipherTuple(CipherSuite.TLS_AES_256_GCM_SHA384)).toEqual(['TLS_AES_256_GCM_SHA384', 'TLSv1.3', 256]);
    expect(cipherTuple(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).toEqual(['ECDHE-RSA-AES128-GCM-SHA256', 'TLSv1.2', 128]);
    expect(() => cipherTuple(0x00ff)).toThrow(RangeError);
  });

  it('drops 128-bit suites from level 4 on', () => {
    expect(cipherAllowedAtSecurityLevel(CipherSuite.TLS_AES_128_GCM_SHA256, 3)).toBe(true);
    expect(cipherAllowedAtSecurityLevel(CipherSuite.TLS_AES_128_GCM_SHA256, 4)).toBe(false);
    expect(cipherAllowedAtSecurityLevel(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, 5)).toBe(true);
  });
});

const CIPHERSUITE_STRINGS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256',
  'tls_aes_128_gcm_sha256', '', 'foo', 'foo:TLS_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256:TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256::TLS_AES_256_GCM_SHA384', ':',
  ' TLS_AES_128_GCM_SHA256 : TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES128-GCM-SHA256',
];

describe('set_ciphersuites against OpenSSL 3.0 SSL_CTX_set_ciphersuites', () => {
  const answers = askSelectionOracle(CIPHERSUITE_STRINGS.map((text) => ({ op: 'ciphersuites' as const, text }))) as { ok: boolean; names: string[] }[];

  it.each(CIPHERSUITE_STRINGS.map((text, i) => [text, answers[i]!] as const))('%j', (text, answer) => {
    if (answer.ok) {
      expect(parseCiphersuites(text).map((id) => cipherById(id)!.name)).toEqual(answer.names);
    } else {
      let error: unknown;
      try {
        parseCiphersuites(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SSLError);
      expect((error as SSLError).errno).toBe(0);
      expect((error as SSLError).strerror).toMatch(/^No cipher suite can be selected\. \(_ssl\.c:\d+\)$/);
      expect((error as SSLError).reason).toBeNull();
    }
  });

  it('refuses a suite OpenSSL has and puretls lacks', () => {
    expect(() => parseCiphersuites('TLS_AES_128_CCM_SHA256')).toThrow(SSLError);
  });
});
