/**
 * Hand-made hello bytes for OpenSSL: plaintext records, our engine's hellos
 * decoded for editing, and `RawPeer`, a TCP stream read a whole record at a
 * time, which tells what the peer answered (its alert, or the handshake
 * message it went on with). Every wait ends after DEFAULT_TIMEOUT_MS.
 * @module
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { TlsConnection } from '../../src/handshake/connection.ts';
import { decodeClientHello, encodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import { encodeHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { encodeRecordHeader } from '../../src/record/framing.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertReceived } from '../../src/wire/errors.ts';
import { AlertDescription, ContentType, HandshakeType, nameOf } from '../../src/wire/registry.ts';
import { DEFAULT_TIMEOUT_MS } from '../helpers/net-pump.ts';

/** What a peer did with what it was given: the alert it sent, or how it went on. */
export type Answer = { readonly alert: string } | { readonly answer: string };

export const alert = (description: number): Answer => ({ alert: nameOf(AlertDescription, description) });
export const SERVER_HELLO: Answer = { answer: 'server_hello' };
/** The handshake went on under keys (a Finished accepted, data read): nothing in the clear to name. */
export const WENT_ON: Answer = { answer: 'went on' };

/** Plaintext records of one content type, one per body. */
export function records(type: number, ...bodies: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...bodies.map((b) => concatBytes(encodeRecordHeader(type, 0x0303, b.length), b)));
}

export function changeCipherSpecs(count: number): Uint8Array {
  return records(ContentType.change_cipher_spec, ...Array.from({ length: count }, () => Uint8Array.of(1)));
}

export function clientHelloRecord(hello: ClientHello): Uint8Array {
  return records(ContentType.handshake, encodeHandshake(HandshakeType.client_hello, encodeClientHello(hello)));
}

/** The ClientHello among plaintext records our engine wrote (each hello is one record). */
export function clientHelloIn(bytes: Uint8Array): ClientHello {
  for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) {
    if (bytes[at] === ContentType.handshake && bytes[at + 5] === HandshakeType.client_hello) {
      const length = (bytes[at + 3]! << 8) | bytes[at + 4]!;
      return decodeClientHello(bytes.subarray(at + 9, at + 5 + length));
    }
  }
  throw new Error('no ClientHello in these records');
}

/** The first alert or handshake message among plaintext records. */
export function firstAnswerIn(bytes: Uint8Array): Answer | null {
  for (let at = 0; at + 5 <= bytes.length; at += 5 + ((bytes[at + 3]! << 8) | bytes[at + 4]!)) {
    if (bytes[at] === ContentType.alert) return alert(bytes[at + 6]!);
    if (bytes[at] === ContentType.handshake) return { answer: nameOf(HandshakeType, bytes[at + 5]!) };
  }
  return null;
}

export interface RawRecord {
  readonly type: number;
  readonly content: Uint8Array;
  /** Header and content, as received. */
  readonly raw: Uint8Array;
}

export class RawPeer {
  readonly #socket: Socket;
  #received: Uint8Array = new Uint8Array(0);
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#received = concatBytes(this.#received, new Uint8Array(chunk));
      this.#wake?.();
    });
    const end = () => {
      this.#closed = true;
      this.#wake?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawPeer(socket)));
      socket.once('error', reject);
    });
  }

  send(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** The next whole record, or null once the peer has closed without one. */
  async record(): Promise<RawRecord | null> {
    for (;;) {
      if (this.#received.length >= 5) {
        const end = 5 + ((this.#received[3]! << 8) | this.#received[4]!);
        if (this.#received.length >= end) {
          const raw = this.#received.slice(0, end);
          this.#received = this.#received.slice(end);
          return { type: raw[0]!, content: raw.subarray(5), raw };
        }
      }
      if (this.#closed) return null;
      await this.#changed();
    }
  }

  /** The peer's answer in the clear: its first alert or handshake message (change_cipher_spec skipped). */
  async answer(): Promise<Answer> {
    for (;;) {
      const record = await this.record();
      if (record === null) return { answer: 'closed' };
      const answer = firstAnswerIn(record.raw);
      if (answer !== null) return answer;
    }
  }

  /** The peer's answer under keys, read by `connection`: the alert it received, or WENT_ON once a record passed. */
  async answerTo(connection: TlsConnection): Promise<Answer> {
    const record = await this.record();
    if (record === null) return { answer: 'closed' };
    try {
      connection.receive(record.raw);
    } catch (error) {
      if (error instanceof AlertReceived) return alert(error.description);
      throw error;
    }
    return WENT_ON;
  }

  end(): void {
    this.#socket.destroy();
  }

  #changed(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw peer: nothing more within ${DEFAULT_TIMEOUT_MS} ms`)), DEFAULT_TIMEOUT_MS);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
    });
  }
}
