/**
 * What a state function may do to the connection while handling a message:
 * send handshake messages (added to the transcript as they go), install record
 * protection, log secrets and hand events to the caller. `connection.ts` implements
 * it over the record layer; tests may implement it to watch a state machine.
 * @module
 */
import type { RecordProtection } from '../record/protection.ts';
import type { TlsSession } from './session.ts';
import type { Transcript } from './transcript.ts';

export interface HandshakeIO {
  /**
   * Encodes, adds to `transcript` and queues one handshake message; returns its bytes.
   * The messages of a flight share records until keys change. `recordVersion` is
   * 0x0301 for an initial ClientHello (RFC 8446 §5.1), otherwise left at 0x0303.
   */
  send(transcript: Transcript, type: number, body: Uint8Array, recordVersion?: number): Uint8Array;
  /** Queues a post-handshake message that is not part of any transcript (NewSessionTicket, KeyUpdate). */
  sendPostHandshake(type: number, body: Uint8Array): void;
  /**
   * A ChangeCipherSpec record after the queued flight: TLS 1.3's unprotected
   * compatibility record (RFC 8446 §D.4), or TLS 1.2's, under the current write
   * protection, before the new one is installed (RFC 5246 §7.1).
   */
  sendChangeCipherSpec(): void;
  /** A warning alert after the queued flight (TLS 1.2's no_renegotiation, RFC 5246 §7.2.2). */
  sendWarningAlert(description: number): void;
  /**
   * Installs the protection of a new read or write epoch, built by the state
   * machine from its own key schedule; must follow a handshake-message boundary.
   * `plaintextAlertsUntilFirstRecord`: the record layer's rule for a server whose
   * client may still reject the ServerHello in the clear.
   */
  setReadProtection(protection: RecordProtection, plaintextAlertsUntilFirstRecord?: boolean): void;
  /** Flushes the queued flight under the old protection first. */
  setWriteProtection(protection: RecordProtection): void;
  /** An NSS key-log line: the label, the ClientHello.random that identifies the connection, the secret. */
  logSecret(label: string, clientRandom: Uint8Array, secret: Uint8Array): void;
  /** RFC 8449: the peer's record_size_limit caps our outgoing plaintext. */
  setPeerRecordSizeLimit(limit: number): void;
  /** RFC 8449 §4: the limit we advertised, once the peer acknowledged it, caps the records we accept (record_overflow). */
  setOwnRecordSizeLimit(limit: number): void;
  /** The peer asked for our KeyUpdate (RFC 8446 §4.6.3); the connection answers once for a burst of such requests. */
  keyUpdateRequested(): void;
  /** A session the server issued (client side): a TLS 1.3 ticket, or a TLS 1.2 session once the handshake completes. */
  sessionReceived(session: TlsSession): void;
}
