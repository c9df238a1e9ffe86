/**
 * Reassembly of handshake messages from handshake records (RFC 8446 §5.1,
 * RFC 5246 §6.2.1): a message may span several records and a record may carry
 * several messages. Each message is returned whole, with its 4-byte header
 * (msg_type u8, length u24). Fragments are copied as they come (ByteQueue), so
 * a partial message costs about its own size however finely it is split.
 *
 * The announced length is judged from the header, before any of the body is
 * buffered:
 * - above the largest body its type can have by definition (the sum of its
 *   fields' largest sizes: a KeyUpdate is 1 byte, a ClientHello at most
 *   131,396), no bytes that could follow would make it a message of that type:
 *   `decode_error` (MalformedMessage; RFC 8446 §6.2, "the length of the message
 *   was incorrect");
 * - otherwise above the size cap (256 KiB by default; only Certificate,
 *   CertificateStatus and types we do not know can reach it):
 *   HandshakeMessageTooLarge, `illegal_parameter`, OpenSSL's alert for its own
 *   per-message caps (EXCESSIVE_MESSAGE_SIZE).
 * OpenSSL sends illegal_parameter in both cases (its caps include the same
 * 131,396 for a ClientHello); rustls sends decode_error in both.
 * @module
 */
import { DecodeError, ProtocolError } from '../wire/errors.ts';
import { HandshakeType } from '../wire/registry.ts';
import { ByteQueue } from './byte-queue.ts';

/** msg_type (1) and length (3), RFC 8446 §4. */
const HANDSHAKE_HEADER_LENGTH = 4;

/** A vector `<..max>` encoded: its length prefix and its largest content. */
const vector = (max: number): number => (max < 0x100 ? 1 : max < 0x10000 ? 2 : 3) + max;

/**
 * The largest body of each message type, over TLS 1.3 (RFC 8446 §4) and TLS
 * 1.2 (RFC 5246 §7.4, RFC 5077, RFC 8422 §5), field by field. Types absent
 * here (Certificate and CertificateStatus, whose largest form passes 2^24 - 1,
 * and unknown types) are bounded by the cap alone.
 */
const LARGEST_BODY: ReadonlyMap<number, number> = new Map([
  [HandshakeType.hello_request, 0],
  // legacy_version, random, legacy_session_id<0..32>, cipher_suites<2..2^16-2>,
  // legacy_compression_methods<1..2^8-1>, extensions<..2^16-1> (131,396)
  [HandshakeType.client_hello, 2 + 32 + vector(32) + vector(0xfffe) + vector(0xff) + vector(0xffff)],
  // legacy_version, random, legacy_session_id_echo<0..32>, cipher_suite, compression_method, extensions
  [HandshakeType.server_hello, 2 + 32 + vector(32) + 2 + 1 + vector(0xffff)],
  // TLS 1.3: lifetime, age_add, ticket_nonce<0..255>, ticket<1..2^16-1>, extensions<0..2^16-2>
  // (larger than RFC 5077's lifetime_hint and ticket<0..2^16-1>)
  [HandshakeType.new_session_ticket, 4 + 4 + vector(0xff) + vector(0xffff) + vector(0xfffe)],
  [HandshakeType.end_of_early_data, 0],
  [HandshakeType.encrypted_extensions, vector(0xffff)],
  // RFC 8422 §5.4, the only key exchange we speak (DESIGN §2.4): named curve (type, id), point<1..2^8-1>,
  // then the signature's algorithm and signature<0..2^16-1>
  [HandshakeType.server_key_exchange, 1 + 2 + vector(0xff) + 2 + vector(0xffff)],
  // TLS 1.2: certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>,
  // certificate_authorities<0..2^16-1> (larger than TLS 1.3's context<0..2^8-1> and extensions)
  [HandshakeType.certificate_request, vector(0xff) + vector(0xfffe) + vector(0xffff)],
  [HandshakeType.server_hello_done, 0],
  // algorithm, signature<0..2^16-1> (both versions)
  [HandshakeType.certificate_verify, 2 + vector(0xffff)],
  // RFC 8422 §5.7: the ECDHE point<1..2^8-1>
  [HandshakeType.client_key_exchange, vector(0xff)],
  // verify_data: Hash.length in TLS 1.3 (SHA-384 at most), 12 bytes in TLS 1.2
  [HandshakeType.finished, 48],
  // request_update, one byte (RFC 8446 §4.6.3)
  [HandshakeType.key_update, 1],
]);

export class HandshakeJoiner {
  readonly #maxMessage: number;
  readonly #queue = new ByteQueue();

  /** `maxMessage`: the size cap, the largest handshake message body (the length field) accepted. */
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

  /** Adds the content of one handshake record (copied). */
  push(fragment: Uint8Array): void {
    this.#queue.push(fragment);
  }

  /** The next whole message, or null until its last byte arrives. */
  next(): Uint8Array | null {
    if (this.#queue.length < HANDSHAKE_HEADER_LENGTH) return null;
    const header = this.#queue.peek(HANDSHAKE_HEADER_LENGTH);
    const type = header[0] as number;
    const length = ((header[1] as number) << 16) | ((header[2] as number) << 8) | (header[3] as number);
    const largest = LARGEST_BODY.get(type);
    if (largest !== undefined && length > largest) {
      throw new DecodeError('Handshake.length', `${length} bytes for message type ${type}, which has at most ${largest}`);
    }
    if (length > this.#maxMessage) {
      throw new ProtocolError('HandshakeMessageTooLarge', `handshake message type ${type} of ${length} bytes exceeds ${this.#maxMessage}`);
    }
    if (this.#queue.length < HANDSHAKE_HEADER_LENGTH + length) return null;
    return this.#queue.take(HANDSHAKE_HEADER_LENGTH + length);
  }
}
