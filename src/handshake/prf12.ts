/**
 * The TLS 1.2 pseudorandom function and everything derived with it: the PRF
 * itself (RFC 5246 §5), the master secret (§8.1) and its extended form bound
 * to the session hash (RFC 7627 §4), the key block (§6.3; AEAD suites have no
 * MAC keys), Finished's verify_data (§7.4.9) and the keying-material exporter
 * (RFC 5705 §4). The PRF's hash is the suite's (RFC 5246 §5, RFC 5289 §3.2,
 * RFC 7905 §2).
 * @module
 */
import type { CryptoProvider, HashName } from '../crypto/provider.ts';
import { concatBytes, uintBytes, utf8 } from '../wire/bytes.ts';
import type { Suite12 } from './suites.ts';

/** RFC 5246 §8.1: the master secret is always 48 bytes. */
const MASTER_SECRET_LENGTH = 48;

/** RFC 5246 §7.4.9: verify_data_length is 12 for every suite we implement. */
const VERIFY_DATA_LENGTH = 12;

/**
 * PRF(secret, label, seed) = P_<hash>(secret, label + seed) (RFC 5246 §5), where
 * P_hash = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...,
 * A(0) = seed and A(i) = HMAC(secret, A(i-1)), cut to `length` bytes.
 */
export function prf12(provider: CryptoProvider, hash: HashName, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelAndSeed = concatBytes(utf8(label), seed);
  const out = new Uint8Array(length);
  let a = labelAndSeed;
  for (let offset = 0; offset < length; ) {
    a = provider.hmac(hash, secret, a);
    const block = provider.hmac(hash, secret, concatBytes(a, labelAndSeed));
    out.set(block.subarray(0, length - offset), offset);
    offset += block.length;
  }
  return out;
}

/** master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47] (RFC 5246 §8.1). */
export function masterSecret12(provider: CryptoProvider, suite: Suite12, preMasterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): Uint8Array {
  return prf12(provider, suite.hash, preMasterSecret, 'master secret', concatBytes(clientRandom, serverRandom), MASTER_SECRET_LENGTH);
}

/**
 * master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
 * (RFC 7627 §4), session_hash being the hash of the handshake messages up to
 * and including the ClientKeyExchange (§3).
 */
export function extendedMasterSecret(provider: CryptoProvider, suite: Suite12, preMasterSecret: Uint8Array, sessionHash: Uint8Array): Uint8Array {
  return prf12(provider, suite.hash, preMasterSecret, 'extended master secret', sessionHash, MASTER_SECRET_LENGTH);
}

/** The parts of the key block an AEAD suite uses (RFC 5246 §6.3, with mac_key_length 0 per RFC 5288 §3, RFC 7905 §2). */
export interface KeyBlock12 {
  readonly clientWriteKey: Uint8Array;
  readonly serverWriteKey: Uint8Array;
  /** The implicit nonce part (a GCM salt, or ChaCha20's whole IV). */
  readonly clientWriteIv: Uint8Array;
  readonly serverWriteIv: Uint8Array;
}

/**
 * key_block = PRF(master_secret, "key expansion", server_random + client_random)
 * (RFC 5246 §6.3; note the randoms in the other order than for the master
 * secret), split into the client and server write keys, then their IVs.
 */
export function keyBlock12(provider: CryptoProvider, suite: Suite12, masterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array): KeyBlock12 {
  const { keyLength, fixedIvLength } = suite;
  const block = prf12(provider, suite.hash, masterSecret, 'key expansion', concatBytes(serverRandom, clientRandom), 2 * (keyLength + fixedIvLength));
  let offset = 0;
  const take = (length: number) => block.slice(offset, (offset += length));
  return {
    clientWriteKey: take(keyLength),
    serverWriteKey: take(keyLength),
    clientWriteIv: take(fixedIvLength),
    serverWriteIv: take(fixedIvLength),
  };
}

/**
 * verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]
 * (RFC 5246 §7.4.9), the label "client finished" or "server finished" after the
 * side that sends the Finished.
 */
export function finishedVerifyData12(provider: CryptoProvider, suite: Suite12, masterSecret: Uint8Array, side: 'client' | 'server', transcriptHash: Uint8Array): Uint8Array {
  return prf12(provider, suite.hash, masterSecret, `${side} finished`, transcriptHash, VERIFY_DATA_LENGTH);
}

/**
 * Labels the TLS 1.2 key derivation itself uses: RFC 5705 §4 forbids
 * exporter labels that collide with them (the IANA TLS Exporter Labels
 * registry lists the first four as reserved; RFC 7627 §4 adds the fifth).
 */
const RESERVED_EXPORTER_LABELS: ReadonlySet<string> = new Set([
  'client finished',
  'server finished',
  'master secret',
  'key expansion',
  'extended master secret',
]);

/**
 * RFC 5705 §4: PRF(master_secret, label, client_random + server_random
 * [+ uint16 context_length + context])[length]. Without a context the seed has
 * no length field at all, so `null` and an empty context give different output.
 */
export function exporter12(
  provider: CryptoProvider,
  suite: Suite12,
  masterSecret: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
  label: string,
  context: Uint8Array | null,
  length: number,
): Uint8Array {
  if (RESERVED_EXPORTER_LABELS.has(label)) throw new RangeError(`exporter label "${label}" is reserved for TLS itself (RFC 5705 §4)`);
  const randoms = concatBytes(clientRandom, serverRandom);
  if (context === null) return prf12(provider, suite.hash, masterSecret, label, randoms, length);
  // RFC 5705 §4: the context's length is a uint16, so a context must be shorter than 2^16.
  if (context.length >= 2 ** 16) throw new RangeError(`exporter context of ${context.length} bytes`);
  return prf12(provider, suite.hash, masterSecret, label, concatBytes(randoms, uintBytes(context.length, 2), context), length);
}
