/**
 * The sans-I/O record layer the handshake engine drives (RFC 8446 §5, RFC 5246
 * §6.2). Inbound, it frames network bytes into records, opens them with the
 * current read protection, enforces the record rules (limits, empty records,
 * interleaving, key changes on record boundaries) and yields one event at a time:
 * a whole handshake message, application data, an alert, or a change_cipher_spec.
 * Outbound, it fragments and seals what the engine writes and queues the records
 * until `takeOutgoing()`. It never decides what is allowed in the handshake: an
 * event it yields may still be refused by the engine. What differs between TLS
 * 1.3 and TLS 1.2 comes with the record protection of each epoch (hidden
 * content types, the ciphertext limit); everything else is shared.
 * @module
 */
import { concatBytes } from '../wire/bytes.ts';
import { ProtocolError } from '../wire/errors.ts';
import { AlertLevel, ContentType } from '../wire/registry.ts';
import { decodeAlert, encodeAlert } from './alert.ts';
import { ByteQueue } from './byte-queue.ts';
import {
  encodeRecordHeader,
  MAX_PLAINTEXT,
  parseRecordHeader,
  RECORD_HEADER_LENGTH,
  RECORD_VERSION,
} from './framing.ts';
import { HandshakeJoiner } from './handshake-joiner.ts';
import { nullProtection, retiredProtection, type OpenedRecord, type RecordProtection } from './protection.ts';

export type InboundEvent =
  /** One whole handshake message, including its 4-byte header (type u8, length u24). */
  | { readonly kind: 'handshake'; readonly message: Uint8Array }
  /** Application data; may be empty (RFC 8446 §5.4 allows zero-length records): that is not EOF. */
  | { readonly kind: 'application_data'; readonly data: Uint8Array }
  | { readonly kind: 'alert'; readonly level: number; readonly description: number }
  /** A change_cipher_spec record whose body is exactly 0x01; the engine decides if it is allowed now. */
  | { readonly kind: 'change_cipher_spec' };

export interface RecordLayerOptions {
  /** Largest handshake message body (its length field) accepted; default 256 KiB. */
  readonly maxHandshakeMessage?: number;
}

const DEFAULT_MAX_HANDSHAKE_MESSAGE = 256 * 1024;

/** Consecutive empty records tolerated, against a peer spinning us on nothing (cf. OpenSSL's 32). */
const MAX_EMPTY_RECORDS = 32;

/** Consecutive warning alerts tolerated; OpenSSL fails on the 5th (MAX_WARN_ALERT_COUNT). */
const MAX_WARNING_ALERTS = 4;

/** RFC 8449 §4: a record_size_limit below 64 is invalid. */
const MIN_RECORD_SIZE_LIMIT = 64;

/** RFC 8446 §5 / RFC 5246 §7.1: the one valid change_cipher_spec body. */
const CHANGE_CIPHER_SPEC_BODY = 0x01;

export class RecordLayer {
  readonly #input = new ByteQueue();
  readonly #joiner: HandshakeJoiner;
  #read: RecordProtection = nullProtection();
  #write: RecordProtection = nullProtection();
  /** The peer's record_size_limit (RFC 8449), or null for none. */
  #recordSizeLimit: number | null = null;
  /** Our own acknowledged record_size_limit, which protected records we read must respect; null for none. */
  #readRecordSizeLimit: number | null = null;
  #outgoing: Uint8Array[] = [];
  #emptyRun = 0;
  #warningRun = 0;
  #plaintextAlertsAllowed = false;
  /** Called when the write key nears its usage limit (RFC 8446 §5.5): the engine changes keys, if its version can. */
  #onWriteKeyExhausted: (() => void) | null = null;
  /** Set once our close_notify is queued: nothing more goes out. */
  #outboundClosed = false;
  /** The error that ended the inbound side; rethrown on every later call. */
  #failure: unknown = undefined;

  constructor(options: RecordLayerOptions = {}) {
    this.#joiner = new HandshakeJoiner(options.maxHandshakeMessage ?? DEFAULT_MAX_HANDSHAKE_MESSAGE);
  }

  get readProtected(): boolean {
    return this.#read.encrypted;
  }

  get writeProtected(): boolean {
    return this.#write.encrypted;
  }

  // ---- inbound ----

  /** Appends bytes from the network (copied: the caller may reuse its buffer). */
  receive(bytes: Uint8Array): void {
    this.#throwIfFailed();
    this.#input.push(bytes);
  }

  /**
   * The next event, or null when more bytes are needed. Throws `ProtocolError`
   * on bad input; after that the inbound side is dead and every later
   * `receive`/`nextEvent` throws the same error.
   */
  nextEvent(): InboundEvent | null {
    this.#throwIfFailed();
    try {
      return this.#nextEvent();
    } catch (error) {
      this.#failure = error;
      throw error;
    }
  }

  /**
   * Removes and returns the bytes received but not yet read as records. After
   * the peer's close_notify they are no longer TLS (RFC 8446 §6.1) but may be
   * what a protocol sends in the clear once TLS ends (STARTTLS, `unwrap()`).
   */
  takeUnread(): Uint8Array {
    return this.#input.take(this.#input.length);
  }

  /**
   * Installs the key for records read from now on. RFC 8446 §5.1: handshake
   * messages must not span a key change, so no handshake bytes of the old key
   * may be waiting, whole or partial.
   *
   * `plaintextAlertsUntilFirstRecord`: a TLS 1.3 server switches to the
   * client's handshake key before the client has seen the ServerHello; a
   * client that rejects it has no keys and can only alert in the clear. Such
   * alerts are accepted until the first protected record opens, as OpenSSL
   * does, so the client's reason is not lost.
   */
  setReadProtection(protection: RecordProtection, plaintextAlertsUntilFirstRecord = false): void {
    this.#throwIfFailed();
    if (this.#joiner.buffered > 0) {
      this.#failure = new ProtocolError(
        'KeyChangeNotOnRecordBoundary',
        `${this.#joiner.buffered} handshake bytes under the previous key`,
      );
      throw this.#failure;
    }
    this.#read = protection;
    this.#plaintextAlertsAllowed = plaintextAlertsUntilFirstRecord;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  #nextEvent(): InboundEvent | null {
    for (;;) {
      const message = this.#joiner.next();
      if (message !== null) return { kind: 'handshake', message };
      const record = this.#readRecord();
      if (record === null) return null;
      const event = this.#dispatch(record);
      if (event !== null) return event;
    }
  }

  /** The next whole record, opened; null until all its bytes are here. */
  #readRecord(): OpenedRecord | null {
    if (this.#input.length < RECORD_HEADER_LENGTH) return null;
    const header = parseRecordHeader(this.#input.peek(RECORD_HEADER_LENGTH));
    const keys = this.#read.encrypted;
    const hidesContentType = this.#read.hidesContentType;
    const unprotectedCcs = hidesContentType && header.type === ContentType.change_cipher_spec;
    const toleratedAlert = this.#plaintextAlertsAllowed && header.type === ContentType.alert;
    if (keys && hidesContentType && header.type !== ContentType.application_data && !unprotectedCcs && !toleratedAlert) {
      throw new ProtocolError('PlaintextAfterKeys', `unprotected record of type ${header.type} after keys`);
    }
    // Application data is never sent in the clear, in either version.
    if (!keys && header.type === ContentType.application_data) {
      throw new ProtocolError('UnexpectedMessage', 'application_data record before keys');
    }
    const decrypt = keys && !unprotectedCcs && !toleratedAlert;
    if (decrypt && this.#read.records >= this.#read.limits.open) {
      throw new ProtocolError('KeyUsageLimit', `${this.#read.records} records under one read key: its integrity limit (RFC 8446 §5.5)`);
    }
    const limit = decrypt ? this.#read.maxCiphertext : MAX_PLAINTEXT;
    if (header.length > limit) {
      throw new ProtocolError('RecordOverflow', `record of ${header.length} bytes exceeds ${limit}`);
    }
    // RFC 8449 §4: a protected record whose plaintext (TLS 1.3: with the inner type) exceeds the limit we
    // advertised is a record_overflow; its length says so before any byte of it is buffered or decrypted.
    if (decrypt && this.#readRecordSizeLimit !== null) {
      const plaintext = header.length - this.#read.overhead + (hidesContentType ? 1 : 0);
      if (plaintext > this.#readRecordSizeLimit) {
        throw new ProtocolError('RecordOverflow', `record of ${plaintext} plaintext bytes exceeds our record_size_limit ${this.#readRecordSizeLimit}`);
      }
    }
    if (this.#input.length < RECORD_HEADER_LENGTH + header.length) return null;
    this.#input.take(RECORD_HEADER_LENGTH);
    const body = this.#input.take(header.length);
    if (!decrypt) return { type: header.type, content: body };
    const opened = this.#read.open(header.type, body, header.version);
    this.#plaintextAlertsAllowed = false;
    return opened;
  }

  /** Applies the per-record rules; returns the record's event, or null for a handshake fragment. */
  #dispatch({ type, content }: OpenedRecord): InboundEvent | null {
    // RFC 8446 §5.1: no other record type may interleave with a fragmented handshake message.
    if (type !== ContentType.handshake && this.#joiner.buffered > 0) {
      throw new ProtocolError('InterleavedHandshake', `record of type ${type} inside a fragmented handshake message`);
    }
    this.#countEmpty(type, content);
    if (type !== ContentType.alert) this.#warningRun = 0;
    switch (type) {
      case ContentType.handshake:
        this.#joiner.push(content);
        return null;
      case ContentType.application_data:
        return { kind: 'application_data', data: content };
      case ContentType.alert: {
        const { level, description } = decodeAlert(content);
        this.#warningRun = level === AlertLevel.warning ? this.#warningRun + 1 : 0;
        if (this.#warningRun > MAX_WARNING_ALERTS) {
          throw new ProtocolError('TooManyWarningAlerts', `${this.#warningRun} warning alerts in a row`);
        }
        return { kind: 'alert', level, description };
      }
      case ContentType.change_cipher_spec:
        if (content.length !== 1 || content[0] !== CHANGE_CIPHER_SPEC_BODY) {
          throw new ProtocolError('InvalidChangeCipherSpec', 'change_cipher_spec body is not the single byte 0x01');
        }
        return { kind: 'change_cipher_spec' };
      default:
        throw new ProtocolError('UnknownContentType', `record content type ${type}`);
    }
  }

  /**
   * RFC 8446 §5.1 / RFC 5246 §6.2.1: handshake and alert records must not be
   * empty; application data may be, but a long run of empty records is refused.
   * (change_cipher_spec bodies are checked to be exactly one byte.)
   */
  #countEmpty(type: number, content: Uint8Array): void {
    if (content.length > 0 || type === ContentType.change_cipher_spec) {
      this.#emptyRun = 0;
      return;
    }
    if (type === ContentType.handshake || type === ContentType.alert) {
      throw new ProtocolError('EmptyRecord', `zero-length record of type ${type}`);
    }
    if (++this.#emptyRun > MAX_EMPTY_RECORDS) {
      throw new ProtocolError('TooManyEmptyRecords', `more than ${MAX_EMPTY_RECORDS} empty records in a row`);
    }
  }

  // ---- outbound ----

  /**
   * Ends the outbound side after our close_notify: every later write is dropped,
   * since close_notify must be the last record we send (RFC 8446 §6.1). A
   * KeyUpdate answer, a ticket or an alert the engine produces later goes nowhere.
   */
  closeOutbound(): void {
    this.#outboundClosed = true;
  }

  /** Installs the key for records written from now on (its sequence number starts at 0). */
  setWriteProtection(protection: RecordProtection): void {
    this.#write = protection;
  }

  /**
   * Caps outgoing protected records at the peer's record_size_limit (RFC 8449
   * §4): the largest plaintext of a protected record, which in TLS 1.3 counts the
   * inner content type, so each record then carries at most `size - 1` bytes of
   * content. Values above the protocol maximum (2^14 + 1 in TLS 1.3, 2^14 in
   * TLS 1.2) mean no extra cap; unprotected records are not subject to it.
   */
  setMaxFragment(size: number): void {
    if (!Number.isInteger(size) || size < MIN_RECORD_SIZE_LIMIT) {
      throw new RangeError(`record size limit ${size} is below ${MIN_RECORD_SIZE_LIMIT}`);
    }
    this.#recordSizeLimit = size;
  }

  /**
   * The record_size_limit we advertised and the peer acknowledged (RFC 8449
   * §4): protected records it sends must not carry more plaintext (counting
   * TLS 1.3's inner content type).
   */
  setReadRecordSizeLimit(size: number): void {
    if (!Number.isInteger(size) || size < MIN_RECORD_SIZE_LIMIT) {
      throw new RangeError(`record size limit ${size} is below ${MIN_RECORD_SIZE_LIMIT}`);
    }
    this.#readRecordSizeLimit = size;
  }

  /**
   * Writes handshake bytes: one message, or several concatenated (a flight),
   * packed into as few records as the fragment limit allows, never sharing a
   * record with another content type (RFC 8446 §5.1). `recordVersion` is the
   * legacy_record_version of unprotected records: 0x0301 is allowed for an
   * initial ClientHello (§5.1); protected records always say 0x0303.
   */
  writeHandshake(message: Uint8Array, recordVersion: number = RECORD_VERSION): void {
    this.#writeFragments(ContentType.handshake, message, recordVersion);
  }

  /**
   * Writes application data in records of at most the fragment limit; nothing for
   * empty data. There is no unprotected application data (RFC 8446 §2), so
   * writing it before keys is a bug in the caller.
   */
  writeApplicationData(data: Uint8Array): void {
    if (!this.#write.encrypted) throw new ProtocolError('InternalError', 'application data before write keys');
    this.#writeFragments(ContentType.application_data, data, RECORD_VERSION);
  }

  /** One alert, in one record of its own (RFC 8446 §5.1). */
  writeAlert(level: number, description: number): void {
    this.#writeRecord(ContentType.alert, encodeAlert(level, description), RECORD_VERSION);
  }

  /**
   * A change_cipher_spec record (body 0x01). In TLS 1.3 this is the middlebox
   * compatibility record of RFC 8446 §D.4, always unprotected; in TLS 1.2 it is
   * the real message, sent under the current (outgoing) protection.
   */
  writeChangeCipherSpec(): void {
    this.#writeRecord(ContentType.change_cipher_spec, new Uint8Array([CHANGE_CIPHER_SPEC_BODY]), RECORD_VERSION);
  }

  /** All bytes queued since the last call, joined once (empty if none). */
  takeOutgoing(): Uint8Array {
    const chunks = this.#outgoing;
    this.#outgoing = [];
    return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(...chunks);
  }

  #writeFragments(type: number, data: Uint8Array, recordVersion: number): void {
    const limit = this.#fragmentLimit(type);
    for (let offset = 0; offset < data.length; offset += limit) {
      this.#writeRecord(type, data.subarray(offset, offset + limit), recordVersion);
    }
  }

  /** Most content bytes per record of `type` under the current write protection. */
  #fragmentLimit(type: number): number {
    if (!this.#sealsRecord(type) || this.#recordSizeLimit === null) return MAX_PLAINTEXT;
    const innerTypeByte = this.#write.hidesContentType ? 1 : 0;
    return Math.min(MAX_PLAINTEXT, this.#recordSizeLimit - innerTypeByte);
  }

  #sealsRecord(type: number): boolean {
    return this.#write.encrypted && !(this.#write.hidesContentType && type === ContentType.change_cipher_spec);
  }

  /**
   * `handler` changes the write key when it nears its confidentiality limit
   * (RFC 8446 §5.5): one record is left for the KeyUpdate that announces it.
   * Without a handler, or if it does not change the key, application data
   * stops there with KeyUsageLimit.
   */
  onWriteKeyExhausted(handler: () => void): void {
    this.#onWriteKeyExhausted = handler;
  }

  #checkWriteKeyUsage(): void {
    if (this.#write.records + 1 < this.#write.limits.seal) return;
    const exhausted = this.#write;
    this.#onWriteKeyExhausted?.();
    if (this.#write === exhausted) {
      throw new ProtocolError('KeyUsageLimit', `${exhausted.records} records under one write key: its confidentiality limit (RFC 8446 §5.5)`);
    }
  }

  /** Zeroes both directions' keys and refuses any further protected record (the connection is over). */
  retireKeys(): void {
    this.#read.retire();
    this.#write.retire();
    this.#read = retiredProtection();
    this.#write = retiredProtection();
  }

  #writeRecord(type: number, content: Uint8Array, recordVersion: number): void {
    if (this.#outboundClosed) return;
    if (type === ContentType.application_data) this.#checkWriteKeyUsage();
    if (this.#sealsRecord(type)) {
      // Header and body stay separate chunks; takeOutgoing joins everything once.
      const sealed = this.#write.seal(type, content);
      this.#outgoing.push(encodeRecordHeader(sealed.type, RECORD_VERSION, sealed.body.length), sealed.body);
      return;
    }
    // One copy, so that later changes to the caller's buffer cannot reach the wire.
    const record = new Uint8Array(RECORD_HEADER_LENGTH + content.length);
    record.set(encodeRecordHeader(type, recordVersion, content.length));
    record.set(content, RECORD_HEADER_LENGTH);
    this.#outgoing.push(record);
  }
}
