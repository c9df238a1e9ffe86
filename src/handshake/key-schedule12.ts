/**
 * The TLS 1.2 secrets of one handshake, shared by client and server: the
 * master secret (RFC 5246 §8.1, or RFC 7627 §4's extended master secret over
 * the session hash), the key block and each direction's record protection
 * (§6.3), Finished.verify_data (§7.4.9) and the exporter (RFC 5705 §4).
 * @module
 */
import type { CryptoProvider } from '../crypto/provider.ts';
import { protection12 } from '../record/protection12.ts';
import type { RecordProtection } from '../record/protection.ts';
import { exporter12, extendedMasterSecret, finishedVerifyData12, keyBlock12, masterSecret12 } from './prf12.ts';
import type { KeyBlock12 } from './prf12.ts';
import type { Suite12 } from './suites.ts';

export type Side12 = 'client' | 'server';

/** How the master secret is made from the ECDHE shared secret. */
export interface MasterSecretInputs {
  readonly preMasterSecret: Uint8Array;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  /** RFC 7627 §3: the transcript hash through ClientKeyExchange, when both sides use the extended master secret; null otherwise. */
  readonly sessionHash: Uint8Array | null;
}

export function deriveMasterSecret12(provider: CryptoProvider, suite: Suite12, inputs: MasterSecretInputs): Uint8Array {
  if (inputs.sessionHash !== null) return extendedMasterSecret(provider, suite, inputs.preMasterSecret, inputs.sessionHash);
  return masterSecret12(provider, suite, inputs.preMasterSecret, inputs.clientRandom, inputs.serverRandom);
}

export class KeySchedule12 {
  readonly #provider: CryptoProvider;
  readonly suite: Suite12;
  readonly #masterSecret: Uint8Array;
  readonly #clientRandom: Uint8Array;
  readonly #serverRandom: Uint8Array;
  readonly #keys: KeyBlock12;

  constructor(provider: CryptoProvider, suite: Suite12, masterSecret: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array) {
    this.#provider = provider;
    this.suite = suite;
    // A copy: a session the caller keeps must outlive `wipe()`.
    this.#masterSecret = masterSecret.slice();
    this.#clientRandom = clientRandom;
    this.#serverRandom = serverRandom;
    this.#keys = keyBlock12(provider, suite, masterSecret, clientRandom, serverRandom);
  }

  /** A copy of the master secret, for the session a later handshake may resume (RFC 5246 §7.3). */
  get masterSecret(): Uint8Array {
    return this.#masterSecret.slice();
  }

  /** Zeroes the master secret and the key block this schedule holds (the connection is over). */
  wipe(): void {
    this.#masterSecret.fill(0);
    for (const part of Object.values(this.#keys)) part.fill(0);
  }

  /** The protection of records `side` writes (RFC 5246 §6.3: client_write_key/IV or server_write_key/IV). */
  protection(side: Side12): RecordProtection {
    const keys = this.#keys;
    return side === 'client'
      ? protection12(this.#provider, this.suite, keys.clientWriteKey, keys.clientWriteIv)
      : protection12(this.#provider, this.suite, keys.serverWriteKey, keys.serverWriteIv);
  }

  /** RFC 5246 §7.4.9: PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
  verifyData(side: Side12, transcriptHash: Uint8Array): Uint8Array {
    return finishedVerifyData12(this.#provider, this.suite, this.#masterSecret, side, transcriptHash);
  }

  /** RFC 5705 §4; a null context is "no context", which differs from an empty one. */
  exporter(label: string, context: Uint8Array | null, length: number): Uint8Array {
    return exporter12(this.#provider, this.suite, this.#masterSecret, this.#clientRandom, this.#serverRandom, label, context, length);
  }
}
