/**
 * The handshake transcript hash (RFC 8446 §4.4.1). Until the cipher suite is
 * known (the client's view before ServerHello) messages are kept; once the hash
 * is chosen they are folded into a running hash. After a HelloRetryRequest the
 * first ClientHello is replaced by the synthetic message_hash message.
 * @module
 */
import type { CryptoProvider, HashContext, HashName } from '../crypto/provider.ts';
import { encodeMessageHash } from './messages/message-hash.ts';

export class Transcript {
  #pending: Uint8Array[] = [];
  #context: HashContext | undefined;

  /** Adds one whole handshake message (with its 4-byte header). */
  add(message: Uint8Array): void {
    if (this.#context) this.#context.update(message);
    else this.#pending.push(message);
  }

  get hashChosen(): boolean {
    return this.#context !== undefined;
  }

  /** Fixes the hash (at ServerHello / HelloRetryRequest) and folds in what was kept. */
  chooseHash(provider: CryptoProvider, hash: HashName): void {
    if (this.#context) throw new Error('transcript hash already chosen');
    const context = provider.hash(hash).create();
    for (const m of this.#pending) context.update(m);
    this.#pending = [];
    this.#context = context;
  }

  /** Transcript-Hash of everything added so far. */
  current(): Uint8Array {
    if (!this.#context) throw new Error('transcript hash not chosen yet');
    return this.#context.digest();
  }

  /**
   * RFC 8446 §4.4.1: on HelloRetryRequest, ClientHello1 is replaced by
   * message_hash(Hash(ClientHello1)) = 254 || 00 00 Hash.length || Hash(ClientHello1).
   */
  replaceWithMessageHash(provider: CryptoProvider, hash: HashName): void {
    this.#context = provider.hash(hash).create().update(encodeMessageHash(this.current()));
  }
}
