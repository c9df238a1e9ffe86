/**
 * The sans-I/O TLS connection (TLS 1.3 and 1.2): bytes in (`receive`), bytes out
 * (`takeOutgoing`), application data through `write`/`read`. It owns the record
 * layer and the handshake state machine (a hello front that hands over to the
 * negotiated version's machine), applies the rules that span both (alerts,
 * close_notify, application data only once connected), and turns
 * every failure into exactly one fatal alert, after which nothing more is
 * processed (RFC 8446 §6.2). The `ssl` module's SSLObject is built on this.
 * @module
 */
import { RecordLayer } from '../record/record-layer.ts';
import type { InboundEvent } from '../record/record-layer.ts';
import { concatBytes } from '../wire/bytes.ts';
import { ConnectionClosedError, ProtocolError, TlsError, AlertReceived, fatalAlertFor } from '../wire/errors.ts';
import { AlertDescription, AlertLevel, ContentType, HandshakeType, ProtocolVersion } from '../wire/registry.ts';
import type { ClientConfig, MessageTrace, ServerConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import { encodeHandshake, parseHandshake } from './messages/handshake-message.ts';
import type { TlsSession } from './session.ts';
import type { Transcript } from './transcript.ts';
import type { HandshakeMachine } from './machine.ts';
import { retiredMachine } from './machine.ts';
import { clientFront } from './client-front.ts';
import { serverFront } from './server-front.ts';
import type { Negotiated } from './negotiated.ts';

/** RFC 8446 §5.1: alerts other than close_notify/user_canceled are fatal in TLS 1.3; cap harmless ones. */
const MAX_USER_CANCELED = 4;

/**
 * ChangeCipherSpec records accepted in one connection: TLS 1.2 has one per
 * handshake (renegotiation is refused), and TLS 1.3 drops compatibility ones
 * inside the handshake (RFC 8446 §5) — a few, not a stream of them.
 */
const MAX_CHANGE_CIPHER_SPECS = 4;

/**
 * KeyUpdates accepted in a row without application data between them (RFC
 * 8446 §4.6.3 gives no number; a peer rotating keys has data to protect). More
 * is a flood: TooManyKeyUpdates.
 */
const MAX_KEY_UPDATES_WITHOUT_DATA = 32;

/** Sessions kept for the caller until taken: the newest few (a server may send any number of tickets). */
const MAX_KEPT_SESSIONS = 4;

/** A ticket larger than this is not kept (RFC 8446 §4.6.1 allows 2^16 - 1 bytes; real ones are far smaller). */
const MAX_KEPT_TICKET_BYTES = 16 * 1024;

/** The one byte of a ChangeCipherSpec message (RFC 5246 §7.1), as a trace shows it. */
const CHANGE_CIPHER_SPEC = Uint8Array.of(1);

export class TlsConnection {
  readonly #record = new RecordLayer();
  readonly #plaintext: Uint8Array[] = [];
  #plaintextBytes = 0;
  /** Raw bytes after the peer's close_notify. */
  readonly #unprocessed: Uint8Array[] = [];
  readonly #tickets: TlsSession[] = [];
  readonly #keyLog;
  readonly #trace: MessageTrace | null;
  #machine: HandshakeMachine;
  /** Set when the connection is retired after a completed handshake, which then stays complete. */
  #handshakeCompleted = false;
  /** Closed both ways or failed: secrets and keys are gone (`#retire`). */
  #retired = false;
  #error: TlsError | undefined;
  #peerClosed = false;
  #closeSent = false;
  #changeCipherSpecs = 0;
  #keyUpdatesWithoutData = 0;
  /** KeyUpdates we asked the peer for (update_requested) and not yet received: its answers are not a flood. */
  #keyUpdatesRequested = 0;
  /** The peer requested a KeyUpdate that we have not answered yet (sent once the records at hand are read). */
  #keyUpdateAnswerDue = false;
  #userCanceled = 0;
  /** Handshake messages of the flight being built, written as few records as fit (RFC 8446 §5.1). */
  #flight: Uint8Array[] = [];
  #flightRecordVersion: number = ProtocolVersion.TLSv1_2;

  private constructor(machine: HandshakeMachine, config: ClientConfig | ServerConfig) {
    this.#machine = machine;
    this.#keyLog = config.keyLog;
    this.#trace = config.messageTrace;
    // RFC 8446 §5.5: a TLS 1.3 write key near its usage limit is changed by a KeyUpdate; TLS 1.2 has none.
    this.#record.onWriteKeyExhausted(() => this.#machine.connected?.keyUpdate?.(false, this.#io()));
  }

  /** A client that sends its ClientHello at once; `serverName` goes in SNI and is checked against the certificate. */
  static client(config: ClientConfig, serverName: string | null = null): TlsConnection {
    const machine = clientFront(config, serverName);
    const connection = new TlsConnection(machine, config);
    connection.#run(() => machine.start(connection.#io()));
    return connection;
  }

  static server(config: ServerConfig): TlsConnection {
    return new TlsConnection(serverFront(config), config);
  }

  /**
   * Bytes from the network. Throws the error that ended the connection, after
   * queuing its alert. After the peer's close_notify the bytes are not TLS any
   * more (RFC 8446 §6.1): they are kept, uninterpreted, for `takeUnprocessed`.
   */
  receive(bytes: Uint8Array): void {
    this.#throwIfFailed();
    if (this.#peerClosed) return this.#keepUnprocessed(bytes.slice());
    this.#run(() => {
      this.#record.receive(bytes);
      for (let event = this.#record.nextEvent(); event; event = this.#peerClosed ? null : this.#record.nextEvent()) {
        this.#dispatch(event);
      }
      if (this.#peerClosed) this.#keepUnprocessed(this.#record.takeUnread());
      this.#answerKeyUpdate();
    });
    if (this.#peerClosed && this.#closeSent) this.#retire();
  }

  /**
   * The raw bytes received after the record that carried the peer's
   * close_notify, neither decrypted nor interpreted, each returned once: what a
   * protocol that goes on in the clear after TLS (STARTTLS, `unwrap()`) reads next.
   * Empty before close_notify.
   */
  takeUnprocessed(): Uint8Array {
    const chunks = this.#unprocessed.splice(0);
    return chunks.length === 1 ? chunks[0]! : concatBytes(...chunks);
  }

  /** Bytes for the network, queued since the last call. */
  takeOutgoing(): Uint8Array {
    return this.#record.takeOutgoing();
  }

  get handshakeComplete(): boolean {
    return this.#handshakeCompleted || this.#machine.connected !== null;
  }

  /** What was negotiated; fields fill in as the handshake goes. */
  get negotiated(): Negotiated {
    return this.#machine.negotiated;
  }

  get failed(): TlsError | undefined {
    return this.#error;
  }

  /** The peer sent close_notify (RFC 8446 §6.1). */
  get peerClosed(): boolean {
    return this.#peerClosed;
  }

  get closeSent(): boolean {
    return this.#closeSent;
  }

  /**
   * Decrypted application data waiting for `read()`. An adapter stops feeding
   * `receive()` while this is above its high-water mark, so a peer cannot make
   * us hold more plaintext than the application is willing to take.
   */
  get bufferedPlaintext(): number {
    return this.#plaintextBytes;
  }

  write(data: Uint8Array): void {
    this.#throwIfFailed();
    if (this.#closeSent) throw new ConnectionClosedError('cannot write after close_notify was sent');
    if (!this.handshakeComplete) throw new ConnectionClosedError('cannot write application data before the handshake completes');
    this.#record.writeApplicationData(data);
  }

  /**
   * Application data received so far (possibly empty); null once the peer has
   * closed and everything was read. Data that arrived before a failure is
   * returned before the failure is thrown.
   */
  read(): Uint8Array | null {
    if (this.#plaintext.length > 0) {
      const out = this.#plaintext.length === 1 ? this.#plaintext[0]! : concatBytes(...this.#plaintext);
      this.#plaintext.length = 0;
      this.#plaintextBytes = 0;
      return out;
    }
    this.#throwIfFailed();
    return this.#peerClosed ? null : new Uint8Array(0);
  }

  /**
   * Queues close_notify (RFC 8446 §6.1); reading may go on until the peer
   * closes too. It is the last record we send: whatever the engine would write
   * later (a KeyUpdate answer, tickets, a fatal alert) is dropped.
   */
  close(): void {
    if (this.#closeSent || this.#error) return;
    this.#closeSent = true;
    this.#writeAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.#record.closeOutbound();
    if (this.#peerClosed) this.#retire();
  }

  /** Sends KeyUpdate and moves to the next write secret; `requestPeer` asks the peer to do the same (RFC 8446 §4.6.3). */
  keyUpdate(requestPeer: boolean): void {
    this.#throwIfFailed();
    const connected = this.#machine.connected;
    if (!connected) throw new ConnectionClosedError('KeyUpdate before the handshake completes');
    const keyUpdate = connected.keyUpdate;
    if (!keyUpdate) throw new ConnectionClosedError('KeyUpdate exists only in TLS 1.3');
    if (this.#closeSent) throw new ConnectionClosedError('cannot send KeyUpdate after close_notify was sent');
    this.#run(() => keyUpdate(requestPeer, this.#io()));
    if (requestPeer) this.#keyUpdatesRequested++;
  }

  /** TLS-Exporter (RFC 8446 §7.5; RFC 5705 §4 in TLS 1.2, where no context (null) differs from an empty one). */
  exportKeyingMaterial(label: string, context: Uint8Array | null, length: number): Uint8Array {
    // Secrets die with the connection: nothing is exported after a fatal error or a close both ways.
    this.#throwIfFailed();
    if (this.#retired) throw new ConnectionClosedError('the connection is closed: its secrets are gone');
    const connected = this.#machine.connected;
    if (!connected) throw new ConnectionClosedError('keying material is exported only after the handshake');
    return connected.exportKeyingMaterial(label, context, length);
  }

  /** Sessions the server gave (client side: TLS 1.3 tickets, a TLS 1.2 session), oldest first, each returned once; the newest 4 are kept. */
  takeSessionTickets(): TlsSession[] {
    return this.#tickets.splice(0);
  }

  /** RFC 8446 §4.6.3: one KeyUpdate of ours answers every update_requested read since the last answer. */
  #answerKeyUpdate(): void {
    if (!this.#keyUpdateAnswerDue) return;
    this.#keyUpdateAnswerDue = false;
    const keyUpdate = this.#machine.connected?.keyUpdate;
    if (keyUpdate && !this.#closeSent) keyUpdate(false, this.#io());
  }

  /** Keeps the newest few sessions, and none whose ticket is unreasonably large. */
  #keepSession(session: TlsSession): void {
    if (session.ticket !== null && session.ticket.length > MAX_KEPT_TICKET_BYTES) return;
    this.#tickets.push(session);
    if (this.#tickets.length > MAX_KEPT_SESSIONS) this.#tickets.shift();
  }

  #keepUnprocessed(bytes: Uint8Array): void {
    if (bytes.length > 0) this.#unprocessed.push(bytes);
  }

  #dispatch(event: InboundEvent): void {
    switch (event.kind) {
      case 'handshake': {
        this.#trace?.('received', ContentType.handshake, event.message);
        const { type, body } = parseHandshake(event.message);
        if (type === HandshakeType.key_update && this.#keyUpdatesRequested > 0) this.#keyUpdatesRequested--;
        else if (type === HandshakeType.key_update && ++this.#keyUpdatesWithoutData > MAX_KEY_UPDATES_WITHOUT_DATA) {
          throw new ProtocolError('TooManyKeyUpdates', `more than ${MAX_KEY_UPDATES_WITHOUT_DATA} KeyUpdates without application data`);
        }
        this.#machine.step({ type, body, raw: event.message }, this.#io());
        return;
      }
      case 'application_data':
        // RFC 8446 §2: application data flows only once the handshake is done (no 0-RTT yet).
        if (!this.handshakeComplete) throw new ProtocolError('UnexpectedMessage', 'application data before the handshake completed');
        if (event.data.length > 0) {
          this.#keyUpdatesWithoutData = 0;
          this.#plaintext.push(event.data);
          this.#plaintextBytes += event.data.length;
        }
        return;
      case 'alert':
        this.#trace?.('received', ContentType.alert, Uint8Array.of(event.level, event.description));
        return this.#onAlert(event.level, event.description);
      case 'change_cipher_spec':
        this.#trace?.('received', ContentType.change_cipher_spec, CHANGE_CIPHER_SPEC);
        if (++this.#changeCipherSpecs > MAX_CHANGE_CIPHER_SPECS) {
          throw new ProtocolError('UnexpectedChangeCipherSpec', `more than ${MAX_CHANGE_CIPHER_SPECS} change_cipher_spec records`);
        }
        return this.#machine.changeCipherSpec(this.#io());
    }
  }

  #onAlert(level: number, description: number): void {
    if (description === AlertDescription.close_notify) {
      this.#peerClosed = true;
      return;
    }
    if (description === AlertDescription.user_canceled && level === AlertLevel.warning && ++this.#userCanceled <= MAX_USER_CANCELED) return;
    // RFC 5246 §7.2: TLS 1.2 warnings (e.g. a server's unrecognized_name, RFC 6066 §3) leave the connection up,
    // as in OpenSSL; the record layer caps how many arrive in a row.
    if (level === AlertLevel.warning && this.#machine.negotiated.version === ProtocolVersion.TLSv1_2) return;
    throw new AlertReceived(description);
  }

  #io(): HandshakeIO {
    const record = this.#record;
    const keyLog = this.#keyLog;
    return {
      send: (transcript: Transcript, type: number, body: Uint8Array, recordVersion = ProtocolVersion.TLSv1_2) => {
        const message = encodeHandshake(type, body);
        transcript.add(message);
        this.#flight.push(message);
        this.#flightRecordVersion = recordVersion;
        return message;
      },
      sendPostHandshake: (type, body) => {
        this.#flight.push(encodeHandshake(type, body));
      },
      sendChangeCipherSpec: () => {
        this.#flushFlight();
        this.#trace?.('sent', ContentType.change_cipher_spec, CHANGE_CIPHER_SPEC);
        record.writeChangeCipherSpec();
      },
      sendWarningAlert: (description) => {
        this.#flushFlight();
        this.#writeAlert(AlertLevel.warning, description);
      },
      setReadProtection: (protection, plaintextAlertsUntilFirstRecord = false) => record.setReadProtection(protection, plaintextAlertsUntilFirstRecord),
      setWriteProtection: (protection) => {
        this.#flushFlight();
        record.setWriteProtection(protection);
      },
      logSecret(label, clientRandom, secret) {
        // Copies: the secrets are zeroed when the connection is over, and the log may keep them.
        keyLog?.(label, clientRandom.slice(), secret.slice());
      },
      setPeerRecordSizeLimit: (limit) => record.setMaxFragment(limit),
      setOwnRecordSizeLimit: (limit) => record.setReadRecordSizeLimit(limit),
      sessionReceived: (session) => this.#keepSession(session),
      keyUpdateRequested: () => {
        this.#keyUpdateAnswerDue = true;
      },
    };
  }

  /** Runs `action`; any failure becomes one fatal alert and a dead connection (RFC 8446 §6.2). */
  #run(action: () => void): void {
    try {
      action();
      this.#flushFlight();
    } catch (cause) {
      // Messages of a flight that failed half-way are never sent: the alert is all the peer gets.
      this.#flight = [];
      const error = cause instanceof TlsError ? cause : new ProtocolError('InternalError', String((cause as Error)?.message ?? cause));
      this.#error = error;
      if (!(error instanceof AlertReceived)) {
        try {
          this.#writeAlert(AlertLevel.fatal, fatalAlertFor(error));
        } catch {
          // The record layer itself failed (e.g. sequence numbers exhausted): nothing more can be sent.
        }
      }
      this.#retire();
      throw error;
    }
  }

  /** Writes the pending flight under the current write keys, before anything else is written. */
  #flushFlight(): void {
    if (this.#flight.length === 0) return;
    for (const message of this.#flight) this.#trace?.('sent', ContentType.handshake, message);
    const flight = this.#flight.length === 1 ? this.#flight[0]! : concatBytes(...this.#flight);
    this.#flight = [];
    this.#record.writeHandshake(flight, this.#flightRecordVersion);
    this.#flightRecordVersion = ProtocolVersion.TLSv1_2;
  }

  #writeAlert(level: number, description: number): void {
    this.#trace?.('sent', ContentType.alert, Uint8Array.of(level, description));
    this.#record.writeAlert(level, description);
  }

  /**
   * The connection is over (closed both ways, or failed): the machine zeroes
   * its secrets and is replaced by what was negotiated; both record keys are
   * zeroed. Plaintext already decrypted stays readable.
   */
  #retire(): void {
    if (this.#retired) return;
    this.#retired = true;
    this.#handshakeCompleted ||= this.#machine.connected !== null;
    const negotiated = this.#machine.negotiated;
    this.#machine.retire();
    this.#machine = retiredMachine(negotiated);
    this.#record.retireKeys();
  }

  #throwIfFailed(): void {
    if (this.#error) throw this.#error;
  }
}

