/**
 * Crypto providers for replaying recorded sessions under mutation:
 * - `seededProvider`: the noble provider with randomness and key-share secrets
 *   drawn from a seed, so a fresh connection given the same seed sends the
 *   same bytes as the one that was recorded (signatures must be deterministic:
 *   Ed25519 credentials);
 * - `noSecurityProvider`: a provider with no security at all (DESIGN §2.3):
 *   the AEAD is the identity with an all-zero tag, every HMAC is one constant
 *   (so every Finished and binder matches), signatures always verify, and key
 *   exchange agrees on a constant. A mutated handshake then goes as deep as the
 *   state machines let it, instead of stopping at the first MAC.
 * Both count their calls against a budget: a connection that loops would
 * exhaust it and fail with an untyped error, which the oracle reports, where a
 * synchronous loop would otherwise hang the test worker.
 * @module
 */
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { Aead, AeadName, CryptoProvider, GroupName, KeyExchange } from '../../src/crypto/provider.ts';
import type { PeerVerifier } from '../../src/handshake/config.ts';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';

/** Crypto calls one replayed session may make; a handshake with tickets and a KeyUpdate makes a few hundred. */
export const CALL_BUDGET = 20_000;

/** The length of the zero tag the no-security AEAD appends (that of GCM and Poly1305). */
export const NULL_TAG_LENGTH = 16;

/** Bytes drawn from SHA-256(seed / counter): the same seed gives the same sequence. */
export function seededBytes(seed: string): (length: number) => Uint8Array {
  const sha256 = nobleProvider.hash('sha256');
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 32) out.set(sha256.digest(utf8(`${seed}/${counter++}`)).subarray(0, length - at), at);
    return out;
  };
}

/** Secret lengths of the groups whose keys we can draw from a seed (a scalar of that many bytes, RFC 7748 §5 / SEC 1 §3.2.1). */
const SECRET_LENGTHS: Partial<Record<GroupName, number>> = { x25519: 32, secp256r1: 32, secp384r1: 48 };

/** The noble provider with seeded randomness and key shares. */
export function seededProvider(seed: string): CryptoProvider {
  const random = seededBytes(seed);
  return withBudget({
    ...nobleProvider,
    name: 'seeded',
    randomBytes: random,
    keyExchange(group, secret) {
      const length = SECRET_LENGTHS[group];
      return nobleProvider.keyExchange(group, secret ?? (length === undefined ? undefined : random(length)));
    },
  });
}

function nullAead(name: AeadName, key: Uint8Array): Aead {
  const tag = new Uint8Array(NULL_TAG_LENGTH);
  return {
    name,
    keyLength: key.length,
    nonceLength: 12,
    tagLength: NULL_TAG_LENGTH,
    seal: (_nonce, _aad, plaintext) => concatBytes(plaintext, tag),
    open(_nonce, _aad, ciphertext) {
      if (ciphertext.length < NULL_TAG_LENGTH || ciphertext.subarray(-NULL_TAG_LENGTH).some((b) => b !== 0)) return null;
      return ciphertext.slice(0, -NULL_TAG_LENGTH);
    },
  };
}

/** Public key lengths per group, learnt once from the noble provider (what a peer expects to see). */
const publicKeyLengths = new Map<GroupName, number>();

function fakeKeyExchange(group: GroupName): KeyExchange {
  let length = publicKeyLengths.get(group);
  if (length === undefined) {
    length = nobleProvider.keyExchange(group).publicKey.length;
    publicKeyLengths.set(group, length);
  }
  // 0x04 also starts an uncompressed SEC1 point (RFC 8446 §4.2.8.2).
  return { group, publicKey: new Uint8Array(length).fill(4), agree: () => new Uint8Array(32).fill(7) };
}

export function noSecurityProvider(seed: string): CryptoProvider {
  return withBudget({
    ...nobleProvider,
    name: 'no-security',
    randomBytes: seededBytes(seed),
    hmac: (name) => new Uint8Array(nobleProvider.hash(name).outputLength).fill(0x5a),
    aead: nullAead,
    keyExchange: fakeKeyExchange,
    sign: () => new Uint8Array(64).fill(0x51),
    verify: () => true,
  });
}

/** A verifier that accepts every chain (the leaf must still parse: the engine reads its key first). */
export const acceptAnyChain: PeerVerifier = { verify: (chain) => chain };

/** `provider` with every call counted against `CALL_BUDGET`. */
function withBudget(provider: CryptoProvider): CryptoProvider {
  let calls = 0;
  const spend = () => {
    if (++calls > CALL_BUDGET) throw new Error(`fuzz: crypto call budget of ${CALL_BUDGET} exhausted (a loop?)`);
  };
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      spend();
      return fn(...args);
    };
  return {
    ...provider,
    randomBytes: counted(provider.randomBytes),
    hash: counted(provider.hash),
    hmac: counted(provider.hmac),
    keyExchange: counted(provider.keyExchange),
    sign: counted(provider.sign),
    verify: counted(provider.verify),
    aead(name, key) {
      spend();
      const aead = provider.aead(name, key);
      return { ...aead, seal: counted(aead.seal), open: counted(aead.open) };
    },
  };
}
