/**
 * A crypto provider for replaying recorded handshakes: randomness and key-share
 * private keys come from queues of recorded values, and signatures are the
 * recorded ones — each checked against the signer's public key over the content
 * the engine asks to sign, so a wrong transcript still fails. Everything else
 * is the noble provider.
 * @module
 */
import { publicKeyOf } from '../../src/crypto/keys.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';

export interface Recorded {
  readonly randoms?: readonly Uint8Array[];
  readonly keyShares?: readonly Uint8Array[];
  readonly signatures?: readonly Uint8Array[];
}

export function deterministicProvider(recorded: Recorded): CryptoProvider {
  const randoms = [...(recorded.randoms ?? [])];
  const keyShares = [...(recorded.keyShares ?? [])];
  const signatures = [...(recorded.signatures ?? [])];
  return {
    ...nobleProvider,
    name: 'deterministic',
    randomBytes(length) {
      const next = randoms.shift();
      if (!next) throw new Error(`deterministic provider: no recorded random left for ${length} bytes`);
      if (next.length !== length) throw new Error(`deterministic provider: asked for ${length} random bytes, the next recorded value has ${next.length}`);
      return next;
    },
    keyExchange(group, secret) {
      const recordedSecret = secret ?? keyShares.shift();
      if (!recordedSecret) throw new Error(`deterministic provider: no recorded ${group} private key left`);
      return nobleProvider.keyExchange(group, recordedSecret);
    },
    sign(algorithm, key, message) {
      const signature = signatures.shift();
      if (!signature) throw new Error('deterministic provider: no recorded signature left');
      if (!nobleProvider.verify(algorithm, publicKeyOf(key), message, signature)) {
        throw new Error('deterministic provider: the recorded signature does not verify over the content the engine signs');
      }
      return signature;
    },
  };
}
