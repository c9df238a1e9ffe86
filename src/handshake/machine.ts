/**
 * What the connection needs from a handshake state machine, whichever the
 * protocol version and side: feed it handshake messages, ask whether a
 * ChangeCipherSpec may arrive now, and — once it is connected — reach the
 * traffic keys (KeyUpdate) and the exporter. The connection holds one machine
 * and never looks at the states inside it, so the version is chosen where the
 * machine is built, not in the connection.
 * @module
 */
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import type { Negotiated } from './negotiated.ts';

export interface HandshakeMachine {
  /** What was negotiated; fields fill in as the handshake goes. */
  readonly negotiated: Negotiated;
  /** The completed handshake's keys, or null while it runs. */
  readonly connected: ConnectedMachine | null;
  /** Whether an unprotected ChangeCipherSpec may arrive now (RFC 8446 §5). */
  acceptsChangeCipherSpec(): boolean;
  /** Moves on by one handshake message; a message that fails leaves the machine where it was. */
  step(message: Incoming, io: HandshakeIO): void;
}

/** A client machine speaks first (RFC 8446 §4.1.2). */
export interface ClientHandshakeMachine extends HandshakeMachine {
  start(io: HandshakeIO): void;
}

export interface ConnectedMachine {
  /** Sends KeyUpdate and moves to the next write secret; `requestPeer` asks the peer to do the same (RFC 8446 §4.6.3). */
  keyUpdate(requestPeer: boolean, io: HandshakeIO): void;
  /** TLS-Exporter (RFC 8446 §7.5; RFC 5705 labels). */
  exportKeyingMaterial(label: string, context: Uint8Array, length: number): Uint8Array;
}
