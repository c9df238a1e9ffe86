/**
 * Key-exchange group names as CPython's `ssl` module takes and gives them:
 * `SSLContext.set_groups()`/`get_groups()` (CPython 3.15, OpenSSL's
 * `SSL_CTX_set1_groups_list`), the older `set_ecdh_curve()` (one OpenSSL curve
 * short name), and the name `SSLObject.group()` reports.
 * @module
 */
import { NamedGroup } from '../wire/registry.ts';
import { SSLError, ValueError, withSslLine } from './exceptions.ts';
import { opensslListElements, refuseEmbeddedNul } from './openssl-list.ts';
import { pythonStrRepr } from './python-text.ts';

interface GroupNames {
  readonly id: number;
  /** The TLS name OpenSSL's default provider gives the group. */
  readonly name: string;
  /** Further entries of the provider's group table for the same group. */
  readonly aliases: readonly string[];
  /** OpenSSL's object short name for the curve (`OBJ_sn2nid`), what `set_ecdh_curve` takes. */
  readonly shortName: string;
}

/** The groups puretls implements, in OpenSSL 3's provider table order. */
const GROUPS: readonly GroupNames[] = [
  { id: NamedGroup.secp256r1, name: 'secp256r1', aliases: ['P-256'], shortName: 'prime256v1' },
  { id: NamedGroup.secp384r1, name: 'secp384r1', aliases: ['P-384'], shortName: 'secp384r1' },
  { id: NamedGroup.secp521r1, name: 'secp521r1', aliases: ['P-521'], shortName: 'secp521r1' },
  { id: NamedGroup.x25519, name: 'x25519', aliases: [], shortName: 'X25519' },
  { id: NamedGroup.x448, name: 'x448', aliases: [], shortName: 'X448' },
];

/**
 * Short names of TLS groups that OpenSSL has and puretls lacks (RFC 8422
 * §5.1.1, RFC 7919, RFC 8734): CPython's `set_ecdh_curve` accepts them, so
 * here they raise what CPython raises for a curve its OpenSSL cannot use for
 * TLS, rather than claim the name is unknown.
 */
const OPENSSL_GROUPS_WE_LACK = new Set([
  'sect163k1', 'sect163r1', 'sect163r2', 'sect193r1', 'sect193r2', 'sect233k1', 'sect233r1', 'sect239k1', 'sect283k1',
  'sect283r1', 'sect409k1', 'sect409r1', 'sect571k1', 'sect571r1', 'secp160k1', 'secp160r1', 'secp160r2', 'secp192k1',
  'prime192v1', 'secp224k1', 'secp224r1', 'secp256k1', 'brainpoolP256r1', 'brainpoolP384r1', 'brainpoolP512r1',
  'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe6144', 'ffdhe8192',
]);

/** `SSLContext.get_groups(include_aliases)` (CPython 3.15): the groups implemented, with OpenSSL's aliases after each if asked. */
export function getGroups(includeAliases = false): string[] {
  return GROUPS.flatMap((g) => (includeAliases ? [g.name, ...g.aliases] : [g.name]));
}

/** The name `SSLObject.group()` (CPython 3.15) reports for a negotiated group, or null for one we do not know. */
export function groupName(id: number): string | null {
  return GROUPS.find((g) => g.id === id)?.name ?? null;
}

/**
 * `SSLContext.set_groups(text)` (CPython 3.15): OpenSSL 3.0's group list,
 * names between colons (TLS names, aliases and curve short names,
 * case-sensitive), most preferred first. An unknown, missing, repeated or
 * unimplemented name fails the whole list; CPython 3.15 raises its own
 * `SSLError` text through `_setSSLError` (errno 0, no library or reason).
 */
export function parseGroups(text: string): number[] {
  refuseEmbeddedNul(text);
  const ids: number[] = [];
  for (const element of opensslListElements(text)) {
    const id = GROUPS.find((g) => g.name === element || g.shortName === element || g.aliases.includes(element))?.id;
    if (id === undefined || ids.includes(id)) throw new SSLError(0, withSslLine('unrecognized group'));
    ids.push(id);
  }
  return ids;
}

/**
 * `SSLContext.set_ecdh_curve(name)`: the one group a context then uses, by
 * OpenSSL short name (`prime256v1`, `secp384r1`, `secp521r1`, `X25519`, `X448`;
 * not `P-256`).
 * Unknown names raise CPython's `ValueError`; OpenSSL's other TLS groups raise
 * the `SSLError` CPython gives for a curve its OpenSSL cannot use (errno 0,
 * "unknown error"). CPython also gives that `SSLError` for any other OpenSSL
 * object short name (`secp112r1`, `sha256`); puretls does not carry OpenSSL's
 * object table, so those are unknown names here.
 */
export function parseEcdhCurve(name: string): number {
  refuseEmbeddedNul(name, 'byte');
  const group = GROUPS.find((g) => g.shortName === name);
  if (group !== undefined) return group.id;
  if (OPENSSL_GROUPS_WE_LACK.has(name)) throw new SSLError(0, withSslLine('unknown error'));
  throw new ValueError(`unknown elliptic curve name ${pythonStrRepr(name)}`);
}
