/**
 * `ssl.SSLObject`: one TLS connection without I/O (CPython's sans-I/O
 * object). Bytes from the network go into the incoming `MemoryBIO`, bytes for
 * the network come out of the outgoing one; each call runs the engine as far as
 * the incoming bytes allow and raises `SSLWantReadError` where CPython's does.
 * Made by `SSLContext.wrap_bio()`; everything here is synchronous.
 * @module
 */
import type { TlsConnection } from '../handshake/connection.ts';
import { concatBytes, fromUtf8 } from '../wire/bytes.ts';
import { ProtocolVersion } from '../wire/registry.ts';
import { decodeCertificate, type PeerCertDict } from '../x509/decode-cert.ts';
import { cipherTuple } from './ciphers.ts';
import { CHANNEL_BINDING_TYPES, OP_IGNORE_UNEXPECTED_EOF } from './constants.ts';
import { NotImplementedError, SSLEOFError, type SSLError, ValueError, withSslLine } from './exceptions.ts';
import type { SSLContext } from './context.ts';
import { groupName } from './groups.ts';
import { internals } from './internal.ts';
import { MemoryBIO, unread } from './memory-bio.ts';
import type { SSLSession } from './session.ts';
import { sigalgName } from './sigalgs.ts';
import { protocolIsShutdown, translateEngineError, unexpectedEof, wantRead, zeroReturn } from './ssl-errors.ts';

/** `cipher()`'s tuple: OpenSSL's suite name, the protocol version, the secret bits. */
export type CipherTuple = readonly [name: string, protocol: string, secret_bits: number];

/** What `SSLContext.wrap_bio` hands over; the connection is made once the object exists (the SNI hook needs it). */
export interface SSLObjectParts {
  readonly incoming: MemoryBIO;
  readonly outgoing: MemoryBIO;
  readonly context: SSLContext;
  readonly serverSide: boolean;
  readonly serverHostname: string | null;
  readonly session: SSLSession | null;
  readonly connect: (self: SSLObject) => TlsConnection;
  /** Set when the context leaves nothing to negotiate: raised by the first handshake step, as OpenSSL does. */
  readonly refusal: SSLError | null;
}

const CONSTRUCTION = Symbol('SSLObject construction');

/** Decrypted bytes an SSLObject holds for `read()` before it stops decrypting more. */
export const PLAINTEXT_HIGH_WATER_MARK = 256 * 1024;
/** Ciphertext handed to the engine at a time: a few full records (RFC 8446 §5.2: 2^14 + 256 + 5 each). */
const RECEIVE_CHUNK = 64 * 1024;

/** RFC 9266 §3: the label and length of the `tls-exporter` channel binding. */
const TLS_EXPORTER_LABEL = 'EXPORTER-Channel-Binding';
const TLS_EXPORTER_LENGTH = 32;

const VERSION_NAMES: ReadonlyMap<number, string> = new Map([
  [ProtocolVersion.TLSv1_2, 'TLSv1.2'],
  [ProtocolVersion.TLSv1_3, 'TLSv1.3'],
]);

export class SSLObject {
  readonly #incoming: MemoryBIO;
  readonly #outgoing: MemoryBIO;
  readonly #serverSide: boolean;
  readonly #serverHostname: string | null;
  /** Made on first use, so that a `session` set before the handshake goes into the ClientHello. */
  #connectionValue: TlsConnection | null = null;
  readonly #connect: (self: SSLObject) => TlsConnection;
  #context: SSLContext;
  #session: SSLSession | null;
  /** Decrypted application data not yet returned by `read()`. */
  #plaintext: Uint8Array[] = [];
  #pending = 0;
  #handshakeDone = false;
  /** The first failure, raised again by every later call (CPython's object stays failed too). */
  #failure: unknown = null;

  /** @internal Made by `SSLContext.wrap_bio()` only, as in CPython. */
  constructor(token: symbol, parts: SSLObjectParts) {
    if (token !== CONSTRUCTION) throw new TypeError('SSLObject does not have a public constructor. Instances are returned by SSLContext.wrap_bio().');
    this.#incoming = parts.incoming;
    this.#outgoing = parts.outgoing;
    this.#context = parts.context;
    this.#serverSide = parts.serverSide;
    this.#serverHostname = parts.serverHostname;
    this.#session = parts.session;
    this.#connect = parts.connect;
    this.#failure = parts.refusal;
  }

  get #connection(): TlsConnection {
    this.#connectionValue ??= this.#connect(this);
    return this.#connectionValue;
  }

  /** @internal */
  static create(parts: SSLObjectParts): SSLObject {
    return new SSLObject(CONSTRUCTION, parts);
  }

  get server_side(): boolean {
    return this.#serverSide;
  }

  /** The host name given to `wrap_bio`, IDNA-encoded (A-labels) as CPython 3.7+ keeps it. */
  get server_hostname(): string | null {
    return this.#serverHostname;
  }

  /** The `SSLContext`; an SNI callback may replace it during the handshake (its certificates, ALPN and verification then apply). */
  get context(): SSLContext {
    return this.#context;
  }

  set context(context: SSLContext) {
    if (!context || typeof context !== 'object' || !(internals in context)) throw new TypeError('The value must be a SSLContext');
    this.#context = context;
  }

  /**
   * The session (client side): the one set before the handshake, which the
   * ClientHello offers (TLS 1.2), then the newest the server gave.
   */
  get session(): SSLSession | null {
    if (!this.#serverSide && this.#connectionValue) {
      for (const session of this.#connectionValue.takeSessionTickets()) this.#session = this.#context[internals].sessionFromEngine(session);
    }
    return this.#session;
  }

  set session(session: SSLSession | null) {
    if (this.#serverSide) throw new ValueError('Cannot set session for server-side SSLSocket.');
    if (this.#handshakeDone) throw new ValueError('Cannot set session after handshake.');
    if (this.#connectionValue) throw new ValueError('Cannot set session after the handshake has started.');
    this.#session = session;
  }

  /** Whether this connection resumed a session (an abbreviated TLS 1.2 handshake). */
  get session_reused(): boolean {
    return this.#handshakeDone && this.#connection.negotiated.resumed;
  }

  /** Runs the handshake as far as the incoming bytes allow (RFC 8446 §4). */
  do_handshake(): null {
    this.#throwIfFailed();
    if (this.#handshakeDone) return null;
    this.#drive();
    const connection = this.#connection;
    if (connection.handshakeComplete) {
      this.#handshakeDone = true;
      this.#context[internals].handshakeCompleted(this.#serverSide, this.#connection.negotiated.resumed);
      return null;
    }
    // A close_notify in the middle of the handshake ends it as OpenSSL reports it: SSL_ERROR_ZERO_RETURN.
    if (connection.peerClosed) this.#fail(zeroReturn());
    if (this.#incoming.eof) this.#fail(unexpectedEof());
    throw wantRead();
  }

  /** Up to `len` bytes of application data; into `buffer` when given (returning the count). */
  read(len = 1024, buffer: Uint8Array | null = null): Uint8Array | number {
    if (len < 0 && buffer === null) throw new ValueError('size should not be negative');
    this.#ensureHandshake();
    this.#drive();
    const size = buffer === null ? len : len <= 0 || len > buffer.length ? buffer.length : len;
    if (this.#pending > 0) return this.#take(size, buffer);
    if (size === 0) return buffer === null ? new Uint8Array(0) : 0;
    this.#throwIfFailed();
    const connection = this.#connection;
    if (connection.peerClosed) {
      // CPython: the peer's close_notify reads as b'' until we have closed too, then as SSLZeroReturnError.
      if (connection.closeSent) throw zeroReturn();
      return buffer === null ? new Uint8Array(0) : 0;
    }
    if (this.#incoming.eof) {
      if (this.#context.options & OP_IGNORE_UNEXPECTED_EOF) throw zeroReturn();
      this.#fail(unexpectedEof());
    }
    throw wantRead();
  }

  /** Encrypts `data` into the outgoing BIO and returns its length. */
  write(data: Uint8Array): number {
    if (!(data instanceof Uint8Array)) throw new TypeError(`a bytes-like object is required, not '${typeof data}'`);
    this.#ensureHandshake();
    this.#throwIfFailed();
    if (this.#connection.closeSent) throw protocolIsShutdown();
    this.#guard(() => this.#connection.write(data));
    return data.length;
  }

  /**
   * Sends close_notify and waits for the peer's (RFC 8446 §6.1): raises
   * `SSLWantReadError` until it arrives. Bytes after the peer's close_notify
   * stay in the incoming BIO, for the protocol that continues in the clear.
   */
  unwrap(): null {
    this.#throwIfFailed();
    if (!this.#connection.closeSent) this.#connection.close();
    this.#drive();
    if (this.#connection.peerClosed) return null;
    if (this.#incoming.eof) this.#fail(unexpectedEof());
    throw wantRead();
  }

  /** Decrypted bytes waiting to be read. */
  pending(): number {
    return this.#pending;
  }

  /**
   * The peer's certificate: the `getpeercert()` dict (empty when it was not
   * validated, as with CERT_NONE), its DER with `binary_form`, null when the
   * peer sent none. ValueError before the handshake.
   */
  getpeercert(binary_form = false): PeerCertDict | Record<string, never> | Uint8Array | null {
    if (!this.#handshakeDone) throw new ValueError('handshake not done yet');
    const { peerCertificates, verifiedChain } = this.#connection.negotiated;
    const leaf = peerCertificates[0];
    if (leaf === undefined) return null;
    if (binary_form) return leaf.slice();
    return verifiedChain.length === 0 ? {} : decodeCertificate(leaf);
  }

  /** CPython 3.13: the chain the verifier built, leaf to trust anchor, as DER; the peer's own chain when it was not verified. */
  get_verified_chain(): Uint8Array[] {
    const { verifiedChain } = this.#connection.negotiated;
    return verifiedChain.length > 0 ? verifiedChain.map((der) => der.slice()) : this.get_unverified_chain();
  }

  /** CPython 3.13: the chain as the peer sent it, leaf first, as DER. */
  get_unverified_chain(): Uint8Array[] {
    return this.#connection.negotiated.peerCertificates.map((der) => der.slice());
  }

  cipher(): CipherTuple | null {
    const suite = this.#handshakeDone ? this.#connection.negotiated.cipherSuite : null;
    return suite === null ? null : cipherTuple(suite.id);
  }

  /** Server side: the client's offered suites that this side also has enabled; null on a client and before the handshake. */
  shared_ciphers(): CipherTuple[] | null {
    if (!this.#serverSide || !this.#handshakeDone) return null;
    const enabled = new Set(this.#context[internals].enabledCipherSuites());
    return this.#connection.negotiated.clientCipherSuites.filter((id) => enabled.has(id)).map(cipherTuple);
  }

  /** CPython 3.15: the key-exchange group of the handshake (`'x25519'`), null before it. */
  group(): string | null {
    const group = this.#handshakeDone ? this.#connection.negotiated.group : null;
    return group === null ? null : groupName(group);
  }

  /** CPython 3.15: the scheme the client signed its CertificateVerify with, null if it did not authenticate. */
  client_sigalg(): string | null {
    return this.#sigalg(this.#serverSide ? 'peer' : 'local');
  }

  /** CPython 3.15: the scheme the server signed its CertificateVerify with. */
  server_sigalg(): string | null {
    return this.#sigalg(this.#serverSide ? 'local' : 'peer');
  }

  #sigalg(whose: 'local' | 'peer'): string | null {
    if (!this.#handshakeDone) return null;
    const { localSignatureScheme, peerSignatureScheme } = this.#connection.negotiated;
    const scheme = whose === 'local' ? localSignatureScheme : peerSignatureScheme;
    return scheme === null ? null : sigalgName(scheme);
  }

  compression(): null {
    return null;
  }

  version(): string | null {
    const version = this.#handshakeDone ? this.#connection.negotiated.version : null;
    return version === null ? null : (VERSION_NAMES.get(version) ?? null);
  }

  selected_alpn_protocol(): string | null {
    const alpn = this.#handshakeDone ? this.#connection.negotiated.alpnProtocol : null;
    return alpn === null ? null : fromUtf8(alpn);
  }

  /** NPN was never implemented (HAS_NPN is false). */
  selected_npn_protocol(): null {
    return null;
  }

  /**
   * RFC 5929 `tls-unique` is defined for TLS 1.2 only (RFC 9266 §1: not for
   * TLS 1.3), so a TLS 1.3 connection gives null. In TLS 1.2 it is the first
   * Finished of the handshake (§3.1): the client's in a full handshake, the
   * server's in a resumed one.
   * `tls-exporter` (RFC 9266, a puretls addition) gives the 32-byte exporter value.
   */
  get_channel_binding(cb_type = 'tls-unique'): Uint8Array | null {
    if (cb_type === 'tls-exporter') return this.#handshakeDone ? this.export_keying_material(TLS_EXPORTER_LABEL, TLS_EXPORTER_LENGTH) : null;
    if (!CHANNEL_BINDING_TYPES.includes(cb_type)) throw new ValueError(`'${cb_type}' channel binding type not implemented`);
    if (!this.#handshakeDone) return null;
    const negotiated = this.#connection.negotiated;
    if (negotiated.version !== ProtocolVersion.TLSv1_2) return null;
    return negotiated.resumed ? negotiated.serverFinished : negotiated.clientFinished;
  }

  /** RFC 8446 §7.5 / RFC 5705 keying material exporter (a puretls addition; OpenSSL's SSL_export_keying_material). */
  export_keying_material(label: string, length: number, context: Uint8Array | null = null): Uint8Array {
    if (!this.#handshakeDone) throw new ValueError('handshake not done yet');
    return this.#guard(() => this.#connection.exportKeyingMaterial(label, context, length));
  }

  /** TLS 1.3 post-handshake client authentication is not implemented (HAS_PHA is false). */
  verify_client_post_handshake(): never {
    throw new NotImplementedError('Post-handshake auth is not supported by your OpenSSL version.');
  }

  /** Feeds the incoming BIO to the engine and queues what it sends; keeps decrypted data. */
  #drive(): void {
    const connection = this.#connection;
    // Decrypt only while less than the high-water mark waits to be read: the rest stays as
    // ciphertext in the incoming BIO, and a transport adapter stops reading while that BIO is full.
    while (this.#failure === null && !connection.peerClosed && this.#incoming.pending > 0 && this.#pending < PLAINTEXT_HIGH_WATER_MARK) {
      this.#guard(() => connection.receive(this.#incoming.read(RECEIVE_CHUNK)));
    }
    // Bytes after the peer's close_notify belong to whatever follows TLS on this stream.
    const leftover = connection.takeUnprocessed();
    if (leftover.length > 0) unread(this.#incoming, leftover);
    this.#flush();
  }

  #flush(): void {
    const bytes = this.#connection.takeOutgoing();
    if (bytes.length > 0) this.#outgoing.write(bytes);
  }

  /** Runs an engine call: its output is queued even when it fails, and a failure becomes CPython's exception. */
  #guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      this.#collectPlaintext();
      this.#flush();
      return this.#fail(translateEngineError(error, this.#serverHostname));
    } finally {
      this.#collectPlaintext();
      this.#flush();
    }
  }

  /** Moves what the engine decrypted into our buffer (data received before a failure stays readable). */
  #collectPlaintext(): void {
    for (;;) {
      let data: Uint8Array | null;
      try {
        data = this.#connection.read();
      } catch {
        return; // the failure itself is raised by #guard
      }
      if (data === null || data.length === 0) return;
      this.#plaintext.push(data);
      this.#pending += data.length;
    }
  }

  #take(size: number, buffer: Uint8Array | null): Uint8Array | number {
    const all = this.#plaintext.length === 1 ? this.#plaintext[0]! : concatBytes(...this.#plaintext);
    const count = Math.min(size, all.length);
    this.#plaintext = count < all.length ? [all.subarray(count)] : [];
    this.#pending -= count;
    if (buffer === null) return all.slice(0, count);
    buffer.set(all.subarray(0, count));
    return count;
  }

  /** OpenSSL runs the handshake implicitly on the first read or write. */
  #ensureHandshake(): void {
    if (!this.#handshakeDone) this.do_handshake();
  }

  #fail(error: unknown): never {
    if (this.#failure === null) {
      this.#failure = error;
    }
    throw error;
  }

  /**
   * A failed object raises again. After a ragged EOF, CPython's next call has
   * an empty OpenSSL error queue and raises a bare SSLEOFError; other failures
   * raise the same exception again.
   */
  #throwIfFailed(): void {
    if (this.#failure === null) return;
    if (this.#failure instanceof SSLEOFError) throw new SSLEOFError(8, withSslLine('EOF occurred in violation of protocol'));
    throw this.#failure;
  }
}
