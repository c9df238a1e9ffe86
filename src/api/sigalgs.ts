/**
 * Signature-algorithm names as CPython 3.15's `ssl` module takes and gives
 * them: `ssl.get_sigalgs()`, `SSLContext.set_client_sigalgs()` and
 * `set_server_sigalgs()` (OpenSSL's `SSL_CTX_set1_client_sigalgs_list` and
 * `SSL_CTX_set1_sigalgs_list`), and the names `SSLObject.client_sigalg()` /
 * `server_sigalg()` report. OpenSSL's scheme names are the RFC 8446 §4.2.3
 * names, which `SignatureScheme` in the registry already spells.
 * @module
 */
import { DEFAULT_SIGNATURE_SCHEMES } from '../handshake/suites.ts';
import { nameOf, SignatureScheme } from '../wire/registry.ts';
import { SSLError, withSslLine } from './exceptions.ts';
import { opensslListElements, refuseEmbeddedNul } from './openssl-list.ts';

const S = SignatureScheme;

/**
 * The schemes puretls can sign and verify, in the order of OpenSSL's
 * `sigalg_lookup_tbl` (what `ssl.get_sigalgs()` lists, and which entry an
 * `ALG+HASH` pair picks first): our TLS 1.3 preference order is that order,
 * and PKCS#1 v1.5 follows it there. PKCS#1 v1.5 schemes serve certificate
 * signatures in TLS 1.3 and handshake signatures in TLS 1.2 (RFC 8446 §4.2.3).
 */
const SIGALGS: readonly number[] = DEFAULT_SIGNATURE_SCHEMES;

/** `ALG+HASH` pairs (`ECDSA+SHA256`): the public-key words of OpenSSL's `get_sigorhash`, then our schemes per hash. */
const KEY_WORDS: Readonly<Record<string, string>> = { RSA: 'rsa_pkcs1', 'RSA-PSS': 'rsa_pss_rsae', PSS: 'rsa_pss_rsae', ECDSA: 'ecdsa', DSA: 'dsa' };
/** Digest short and long names (`OBJ_sn2nid`, `OBJ_ln2nid`) of the hashes our schemes use. */
const HASH_WORDS: Readonly<Record<string, string>> = { SHA256: 'sha256', sha256: 'sha256', SHA384: 'sha384', sha384: 'sha384', SHA512: 'sha512', sha512: 'sha512' };

/** The first of our schemes for a key kind and hash, in table order (`ECDSA`'s curve follows from the hash). */
function schemeFor(kind: string, hash: string): number | undefined {
  return SIGALGS.find((id) => {
    const name = nameOf(S, id);
    return name.startsWith(`${kind}_`) && name.endsWith(`_${hash}`);
  });
}

/** `ssl.get_sigalgs()` (CPython 3.15): the names of the signature algorithms available. */
export function getSigalgs(): string[] {
  return SIGALGS.map((id) => nameOf(S, id));
}

/** The name `client_sigalg()`/`server_sigalg()` (CPython 3.15) report for a scheme, or null for one we do not know. */
export function sigalgName(id: number): string | null {
  return SIGALGS.includes(id) ? nameOf(S, id) : null;
}

function element(text: string): number | undefined {
  const plus = text.indexOf('+');
  if (plus < 0) return SIGALGS.find((id) => nameOf(S, id) === text);
  // get_sigorhash reads each side as either a key word or a digest name, in either order; a later one of a kind wins.
  let kind: string | undefined;
  let hash: string | undefined;
  for (const part of [text.slice(0, plus), text.slice(plus + 1)]) {
    if (Object.hasOwn(KEY_WORDS, part)) kind = KEY_WORDS[part];
    else hash = Object.hasOwn(HASH_WORDS, part) ? HASH_WORDS[part] : undefined;
  }
  return kind === undefined || hash === undefined ? undefined : schemeFor(kind, hash);
}

/**
 * `set_client_sigalgs(text)` / `set_server_sigalgs(text)` (CPython 3.15):
 * OpenSSL 3.0's list, each element a scheme name (`rsa_pss_rsae_sha256`,
 * case-sensitive) or `ALG+HASH` (`ECDSA+SHA256`, `RSA-PSS+SHA384`). An
 * unknown, empty, repeated or unimplemented element (`ed448`, `RSA+SHA1`)
 * fails the whole list; CPython 3.15 raises its own `SSLError` text through
 * `_setSSLError` (errno 0, no library or reason).
 */
export function parseSigalgs(text: string): number[] {
  refuseEmbeddedNul(text);
  const ids: number[] = [];
  for (const part of opensslListElements(text)) {
    const id = element(part);
    if (id === undefined || ids.includes(id)) throw new SSLError(0, withSslLine('unrecognized signature algorithm'));
    ids.push(id);
  }
  return ids;
}
