/**
 * The handshake transcript hash (RFC 8446 §4.4.1). Until the cipher suite is
 * known (the client's view before ServerHello) messages are kept; once the hash
 * is chosen they are folded into a running hash. After a HelloRetryRequest the
 * first ClientHello is replaced by the synthetic message_hash message.
 *
 * TLS 1.2 also signs the messages themselves: a client CertificateVerify
 * covers handshake_messages with the hash of the scheme it signs with, which
 * need not be the PRF's (RFC 5246 §7.4.8). A transcript built with
 * `keepMessages` therefore keeps every message for `messages()`; TLS 1.3
 * does not ask for it and keeps only the running hash.
 * @module
 */
import type { CryptoProvider, HashContext, HashName } from '../crypto/provider.ts';
import { concatBytes } from '../wire/bytes.ts';
import { encodeMessageHash } from './messages/message-hash.ts';

export interface TranscriptOptions {
  /** Keep every message added, for `messages()` (TLS 1.2 CertificateVerify). */
  readonly keepMessages?: boolean;
}

export class Transcript {
  #pending: Uint8Array[] = [];
  #context: HashContext | undefined;
  /** Every message added, when asked for at construction; null otherwise. */
  #kept: Uint8Array[] | null;

  constructor(options: TranscriptOptions = {}) {
    this.#kept = options.keepMessages ? [] : null;
  }

  /** Adds one whole handshake message (with its 4-byte header). */
  add(message: Uint8Array): void {
    // A copy: `message` may be a view into a buffer the caller reuses, and kept messages outlive the flight.
    this.#kept?.push(message.slice());
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

  /** RFC 5246 §7.4.8 handshake_messages: every message added so far, concatenated. Only with `keepMessages`. */
  messages(): Uint8Array {
    if (!this.#kept) throw new Error('transcript was not built to keep its messages');
    return concatBytes(...this.#kept);
  }

  /**
   * RFC 8446 §4.4.1: on HelloRetryRequest, ClientHello1 is replaced by
   * message_hash(Hash(ClientHello1)) = 254 || 00 00 Hash.length || Hash(ClientHello1).
   * Kept messages are replaced the same way, so they always hash to `current()`.
   */
  replaceWithMessageHash(provider: CryptoProvider, hash: HashName): void {
    const messageHash = encodeMessageHash(this.current());
    this.#context = provider.hash(hash).create().update(messageHash);
    if (this.#kept) this.#kept = [messageHash];
  }
}
