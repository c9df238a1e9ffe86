import { describe, expect, it } from 'vitest';
import { SSLError, ValueError } from '../../src/api/exceptions.ts';
import { getGroups, groupName, parseEcdhCurve, parseGroups } from '../../src/api/groups.ts';
import { getSigalgs, parseSigalgs, sigalgName } from '../../src/api/sigalgs.ts';
import { NamedGroup, SignatureScheme as S } from '../../src/wire/registry.ts';
import { askSelectionOracle, type PythonError } from './selection-oracle.ts';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/** CPython 3.15's `_setSSLError(state, text, 0, ...)`: errno 0, `text (_ssl.c:N)`, no library or reason. */
function expectUncodedSslError(error: unknown, text: string): void {
  expect(error).toBeInstanceOf(SSLError);
  const e = error as SSLError;
  expect(e.errno).toBe(0);
  expect(e.strerror).toMatch(new RegExp(`^${text.replace(/[.]/g, '\\.')} \\(_ssl\\.c:\\d+\\)$`));
  expect(e.message).toBe(e.strerror);
  expect(e.library).toBeNull();
  expect(e.reason).toBeNull();
}

const G = NamedGroup;
/** Group lists OpenSSL accepts, with what they mean to us (null: OpenSSL has the group, puretls does not). */
const GROUP_LISTS: readonly (readonly [string, readonly number[] | null])[] = [
  ['X25519:P-256:secp384r1', [G.x25519, G.secp256r1, G.secp384r1]],
  ['x25519', [G.x25519]],
  ['X25519', [G.x25519]],
  ['P-256', [G.secp256r1]],
  ['prime256v1', [G.secp256r1]],
  ['secp256r1', [G.secp256r1]],
  ['P-384:secp256r1', [G.secp384r1, G.secp256r1]],
  ['x25519 : secp256r1', [G.x25519, G.secp256r1]],
  ['secp521r1', [G.secp521r1]],
  ['P-521', [G.secp521r1]],
  ['x448', [G.x448]],
  ['X25519:X448', [G.x25519, G.x448]],
  ['X448:P-521:P-384:X25519:P-256', [G.x448, G.secp521r1, G.secp384r1, G.x25519, G.secp256r1]],
  ['ffdhe2048', null],
  ['X25519:ffdhe3072', null],
  ['secp256k1', null],
];
const BAD_GROUP_LISTS = ['p-521', 'X448:x448', 'secp521r1:P-521', 'P521', 'p-256', 'PRIME256V1', 'SECP256R1', 'foo', 'X25519:foo', '', 'X25519::P-256', 'X25519:X25519', 'P-256:prime256v1', 'X25519,P-256', 'X25519 P-256', ':X25519', '?foo:X25519'];

describe('set_groups against OpenSSL 3.0 SSL_CTX_set1_groups_list', () => {
  const texts = [...GROUP_LISTS.map(([text]) => text), ...BAD_GROUP_LISTS];
  const accepted = askSelectionOracle(texts.map((text) => ({ op: 'groups' as const, text }))) as boolean[];

  it.each(GROUP_LISTS.map(([text, ids], i) => [text, ids, accepted[i]] as const))('%j is accepted by OpenSSL and gives %j', (text, ids, ok) => {
    expect(ok).toBe(true);
    if (ids === null) expectUncodedSslError(thrown(() => parseGroups(text)), 'unrecognized group');
    else expect(parseGroups(text)).toEqual(ids);
  });

  it.each(BAD_GROUP_LISTS.map((text, i) => [text, accepted[GROUP_LISTS.length + i]] as const))('%j is refused by OpenSSL and by us', (text, ok) => {
    expect(ok).toBe(false);
    expectUncodedSslError(thrown(() => parseGroups(text)), 'unrecognized group');
  });

  it('get_groups lists our groups by TLS name, with OpenSSL aliases when asked', () => {
    expect(getGroups()).toEqual(['secp256r1', 'secp384r1', 'secp521r1', 'x25519', 'x448']);
    expect(getGroups(true)).toEqual(['secp256r1', 'P-256', 'secp384r1', 'P-384', 'secp521r1', 'P-521', 'x25519', 'x448']);
    expect(groupName(G.x25519)).toBe('x25519');
    expect(groupName(G.x448)).toBe('x448');
    expect(groupName(G.secp521r1)).toBe('secp521r1');
    expect(groupName(G.ffdhe2048)).toBeNull();
  });
});

const CURVES = ['prime256v1', 'secp384r1', 'X25519', 'P-256', 'secp256r1', 'x25519', 'P-384', 'foo', '', "it's", 'secp521r1', 'X448', 'P-521', 'x448', 'brainpoolP256r1', 'sect163k1', 'ffdhe2048', 'secp256k1'];

describe('set_ecdh_curve against CPython 3.11', () => {
  const answers = askSelectionOracle(CURVES.map((text) => ({ op: 'setEcdhCurve' as const, text }))) as (PythonError | null)[];
  const ours = new Map<string, number>([
    ['prime256v1', G.secp256r1], ['secp384r1', G.secp384r1], ['secp521r1', G.secp521r1], ['X25519', G.x25519], ['X448', G.x448],
  ]);

  it.each(CURVES.map((name, i) => [name, answers[i]!] as const))('%j', (name, answer) => {
    const id = ours.get(name);
    if (id !== undefined) {
      expect(answer).toBeNull();
      expect(parseEcdhCurve(name)).toBe(id);
    } else if (answer === null) {
      // A TLS group CPython's OpenSSL has and puretls lacks: the error CPython gives for a curve OpenSSL cannot use.
      expectUncodedSslError(thrown(() => parseEcdhCurve(name)), 'unknown error');
    } else {
      const error = thrown(() => parseEcdhCurve(name)) as ValueError;
      expect(error).toBeInstanceOf(ValueError);
      expect(answer.type).toBe('ValueError');
      expect(error.args).toEqual(answer.args);
    }
  });

  it('refuses an embedded NUL as CPython does', () => {
    expect(thrown(() => parseEcdhCurve('X25519\0'))).toBeInstanceOf(ValueError);
  });
});

/** Sigalg lists OpenSSL accepts, with what they mean to us (null: includes a scheme puretls lacks). */
const SIGALG_LISTS: readonly (readonly [string, readonly number[] | null])[] = [
  ['ECDSA+SHA256:rsa_pss_rsae_sha256:ed25519', [S.ecdsa_secp256r1_sha256, S.rsa_pss_rsae_sha256, S.ed25519]],
  ['ECDSA+sha256', [S.ecdsa_secp256r1_sha256]],
  ['SHA384+ECDSA', [S.ecdsa_secp384r1_sha384]],
  ['ECDSA+SHA512', [S.ecdsa_secp521r1_sha512]],
  ['RSA+SHA256', [S.rsa_pkcs1_sha256]],
  ['RSA-PSS+SHA256', [S.rsa_pss_rsae_sha256]],
  ['PSS+sha512', [S.rsa_pss_rsae_sha512]],
  ['ecdsa_secp521r1_sha512', [S.ecdsa_secp521r1_sha512]],
  ['rsa_pkcs1_sha384 : rsa_pss_rsae_sha384', [S.rsa_pkcs1_sha384, S.rsa_pss_rsae_sha384]],
  ['ECDSA+SHA256:RSA+SHA256', [S.ecdsa_secp256r1_sha256, S.rsa_pkcs1_sha256]],
  ['rsa_pss_pss_sha256', null],
  ['ed448', null],
  ['ECDSA+SHA1', null],
  ['RSA+SHA224', null],
  ['DSA+SHA256', null],
];
const BAD_SIGALG_LISTS = ['ecdsa+SHA256', 'ECDSA+SHA-256', 'RSA_PSS_RSAE_SHA256', 'ED25519', 'ecdsa_sha1', '', 'x', 'ed25519:ed25519', 'ed25519::rsa_pkcs1_sha256', 'ed25519,rsa_pkcs1_sha256', 'ECDSA+SHA256:ecdsa_secp256r1_sha256', 'ECDSA+SHA384+x', 'ECDSA+', '+SHA256', 'ECDSA+RSA', 'SHA256+SHA384', 'toString+SHA256'];

describe('set_client_sigalgs / set_server_sigalgs against OpenSSL 3.0', () => {
  const texts = [...SIGALG_LISTS.map(([text]) => text), ...BAD_SIGALG_LISTS];
  const accepted = askSelectionOracle(texts.map((text) => ({ op: 'sigalgs' as const, text }))) as [boolean, boolean][];

  it.each(SIGALG_LISTS.map(([text, ids], i) => [text, ids, accepted[i]] as const))('%j is accepted by OpenSSL (server and client lists) and gives %j', (text, ids, ok) => {
    expect(ok).toEqual([true, true]);
    if (ids === null) expectUncodedSslError(thrown(() => parseSigalgs(text)), 'unrecognized signature algorithm');
    else expect(parseSigalgs(text)).toEqual(ids);
  });

  it.each(BAD_SIGALG_LISTS.map((text, i) => [text, accepted[SIGALG_LISTS.length + i]] as const))('%j is refused by OpenSSL and by us', (text, ok) => {
    expect(ok).toEqual([false, false]);
    expectUncodedSslError(thrown(() => parseSigalgs(text)), 'unrecognized signature algorithm');
  });

  it('get_sigalgs and the negotiated names use OpenSSL (RFC 8446) names in OpenSSL order', () => {
    expect(getSigalgs()).toEqual([
      'ecdsa_secp256r1_sha256', 'ecdsa_secp384r1_sha384', 'ecdsa_secp521r1_sha512', 'ed25519',
      'rsa_pss_rsae_sha256', 'rsa_pss_rsae_sha384', 'rsa_pss_rsae_sha512', 'rsa_pkcs1_sha256', 'rsa_pkcs1_sha384', 'rsa_pkcs1_sha512',
    ]);
    expect(sigalgName(S.rsa_pss_rsae_sha256)).toBe('rsa_pss_rsae_sha256');
    expect(sigalgName(S.ed448)).toBeNull();
  });
});
