/**
 * Reassembly of handshake messages from handshake records (RFC 8446 §5.1,
 * RFC 5246 §6.2.1): a message may span several records and a record may carry
 * several messages. Each message is returned whole, with its 4-byte header
 * (msg_type u8, length u24). An oversized length is refused from the header,
 * before the body is buffered.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { ByteQueue } from './byte-queue.ts';

/** msg_type (1) and length (3), RFC 8446 §4. */
const HANDSHAKE_HEADER_LENGTH = 4;

export class HandshakeJoiner {
  readonly #maxMessage: number;
  readonly #queue = new ByteQueue();

  /** `maxMessage`: the largest handshake message body (the length field) accepted. */
  constructor(maxMessage: number) {
    this.#maxMessage = maxMessage;
  }

  /**
   * Bytes held: a partial message, or whole messages not yet returned. A key
   * change must find this 0 (RFC 8446 §5.1).
   */
  get buffered(): number {
    return this.#queue.length;
  }

  /** Adds the content of one handshake record; keeps a reference to it. */
  push(fragment: Uint8Array): void {
    this.#queue.push(fragment);
  }

  /** The next whole message, or null until its last byte arrives. */
  next(): Uint8Array | null {
    if (this.#queue.length < HANDSHAKE_HEADER_LENGTH) return null;
    const header = this.#queue.peek(HANDSHAKE_HEADER_LENGTH);
    const length = ((header[1] as number) << 16) | ((header[2] as number) << 8) | (header[3] as number);
    if (length > this.#maxMessage) {
      throw new ProtocolError(
        'HandshakeMessageTooLarge',
        `handshake message type ${header[0]} of ${length} bytes exceeds ${this.#maxMessage}`,
      );
    }
    if (this.#queue.length < HANDSHAKE_HEADER_LENGTH + length) return null;
    return this.#queue.take(HANDSHAKE_HEADER_LENGTH + length);
  }
}
