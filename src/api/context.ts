/**
 * `ssl.SSLContext`: the settings connections are made from — protocol and
 * version range, verification mode and flags, trust store, certificate chain,
 * ALPN, algorithm lists, SNI callback, key log — with CPython's defaults,
 * interlocks and errors. `wrap_bio` snapshots them into an engine
 * configuration (`engine-config.ts`) for each new `SSLObject`.
 * @module
 */
import { nobleProvider } from '../crypto/noble.ts';
import type { CertifiedKey, MessageTrace, ServerConfig } from '../handshake/config.ts';
import { TlsConnection } from '../handshake/connection.ts';
import type { TlsSession } from '../handshake/session.ts';
import { DEFAULT_GROUPS, DEFAULT_SIGNATURE_SCHEMES } from '../handshake/suites.ts';
import { ApplicationAlert } from '../wire/errors.ts';
import { AlertDescription, ContentType } from '../wire/registry.ts';
import type { PeerCertDict } from '../x509/decode-cert.ts';
import { TrustStore } from '../x509/trust-store.ts';
import { idnaEncode, IdnaError } from '../x509/idna.ts';
import {
  CERT_NONE,
  CERT_OPTIONAL,
  CERT_REQUIRED,
  OP_ALL,
  OP_CIPHER_SERVER_PREFERENCE,
  OP_ENABLE_MIDDLEBOX_COMPAT,
  OP_NO_COMPRESSION,
  OP_NO_SSLv3,
  PROTOCOL_TLS,
  PROTOCOL_TLS_CLIENT,
  PROTOCOL_TLS_SERVER,
  PROTOCOL_TLSv1_2,
  TLSVersion,
  VERIFY_X509_TRUSTED_FIRST,
} from './constants.ts';
import { NotImplementedError, SSLError, UnicodeError, ValueError } from './exceptions.ts';
import { clientConfig, serverConfig, versionRefusal, type ContextSettings } from './engine-config.ts';
import { loadDefaultCerts, setDefaultVerifyPaths } from './default-verify-paths.ts';
import { type ContextHooks, internals } from './internal.ts';
import { openKeyLog } from './keylog.ts';
import { MemoryBIO } from './memory-bio.ts';
import { nowSeconds } from './runtime/host.ts';
import { ContextTicketKeys, SessionCache } from './session-cache.ts';
import { SSLSession } from './session.ts';
import { SSLObject } from './ssl-object.ts';
import { SSLSocket, type WrapSocketOptions } from './ssl-socket.ts';
import type { socket } from './socket/socket.ts';
import { type CaData, type PathInput, certStoreStats, getCaCerts, loadVerifyLocations } from './trust.ts';
import { Purpose } from './x509.ts';
import { applyCipherString } from './cipher-string.ts';
import { type CipherDict, DEFAULT_CIPHER_STRING, DEFAULT_CIPHERSUITES, cipherAllowedAtSecurityLevel, cipherById, cipherDicts, parseCiphersuites } from './ciphers.ts';
import { loadDhParams } from './dh-params.ts';
import { getGroups, parseEcdhCurve, parseGroups } from './groups.ts';
import { getSigalgs, parseSigalgs } from './sigalgs.ts';
import { type PasswordArgument, certChainFromPem, loadCertChain } from './cert-chain.ts';

/**
 * CPython's context options: OP_ALL and the settings `SSLContext.__new__` adds
 * (`_ssl.c`); unsigned, as Python reads the bit set (JavaScript's `|` gives a signed int32).
 */
const DEFAULT_OPTIONS = (OP_ALL | OP_NO_SSLv3 | OP_NO_COMPRESSION | OP_CIPHER_SERVER_PREFERENCE | OP_ENABLE_MIDDLEBOX_COMPAT) >>> 0;

/** OpenSSL's default security level, CPython's too. */
const DEFAULT_SECURITY_LEVEL = 2;

const PROTOCOLS = new Set<number>([PROTOCOL_TLS, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER, PROTOCOL_TLSv1_2]);
const VERSIONS = new Set<number>(Object.values(TLSVersion));

/**
 * CPython's debugging hook `SSLContext._msg_callback(conn, direction, version,
 * content_type, msg_type, data)`: direction 'read' or 'write', the TLSVersion,
 * the record content type, the handshake type (or alert description, or 1 for
 * ChangeCipherSpec), and the message bytes.
 */
export type MsgCallback = (conn: SSLObject, direction: 'read' | 'write', version: number, content_type: number, msg_type: number, data: Uint8Array) => void;

/** The callback of `sni_callback`: returns null, or an ALERT_DESCRIPTION_* to end the handshake with that alert. */
export type SniCallback = (sslObject: SSLObject, serverName: string | null, context: SSLContext) => number | null | undefined | void;

export interface WrapBioOptions {
  readonly server_side?: boolean;
  readonly server_hostname?: string | null;
  readonly session?: SSLSession | null;
}

/** How long a TLS 1.2 session may be resumed, seconds: OpenSSL's default (`SSL_get_default_timeout`). */
const SESSION_TIMEOUT = 7200;

/** CPython's `session_stats()` keys: handshakes, and the TLS 1.2 session cache's counters. */
export interface SessionStats {
  number: number;
  connect: number;
  connect_good: number;
  connect_renegotiate: number;
  accept: number;
  accept_good: number;
  accept_renegotiate: number;
  hits: number;
  misses: number;
  timeouts: number;
  cache_full: number;
}

export class SSLContext {
  readonly protocol: number;
  /** CPython 3.5+: the class `wrap_bio` instantiates. */
  readonly sslobject_class = SSLObject;
  /** CPython 3.7: the class `wrap_socket` makes (read-only here: no subclassing hook). */
  readonly sslsocket_class = SSLSocket;
  #options = DEFAULT_OPTIONS;
  #verifyMode: number;
  #checkHostname: boolean;
  #verifyFlags: number = VERIFY_X509_TRUSTED_FIRST;
  #minimumVersion: number;
  #maximumVersion: number = TLSVersion.MAXIMUM_SUPPORTED;
  #keylogFilename: string | null = null;
  #numTickets = 2;
  #sniCallback: SniCallback | null = null;
  /** CPython's `_msg_callback` (see MsgCallback). */
  _msg_callback: MsgCallback | null = null;
  #alpnProtocols: Uint8Array[] = [];
  #certificate: CertifiedKey | null = null;
  /** TLS 1.3 suites (`set_ciphersuites`) and the TLS 1.2 list `set_ciphers` selects. */
  #cipherSuites: readonly number[] = DEFAULT_CIPHERSUITES;
  #ciphers12: readonly number[];
  #securityLevel: number;
  #groups: readonly number[] = DEFAULT_GROUPS;
  #clientSigalgs: readonly number[] | null = null;
  #serverSigalgs: readonly number[] | null = null;
  readonly #store = new TrustStore(nobleProvider);
  readonly #stats: SessionStats = { number: 0, connect: 0, connect_good: 0, connect_renegotiate: 0, accept: 0, accept_good: 0, accept_renegotiate: 0, hits: 0, misses: 0, timeouts: 0, cache_full: 0 };
  /** TLS 1.2 server sessions by ID, and the ticket keys (RFC 5077), as an SSL_CTX keeps them. */
  readonly #sessionCache = new SessionCache(this.#stats, nowSeconds, () => SESSION_TIMEOUT);
  readonly #ticketKeys = new ContextTicketKeys((n) => nobleProvider.randomBytes(n), nowSeconds, () => SESSION_TIMEOUT);
  hostname_checks_common_name = true;
  /**
   * A puretls addition: refuse a TLS 1.2 peer that does not use the extended
   * master secret (RFC 7627). False by default, as OpenSSL 3 completes such
   * handshakes (the master secret is then not bound to the transcript, so a
   * man in the middle can synchronise two sessions: the triple handshake
   * attack); resumption of such sessions is always refused (RFC 7627 §5.3).
   */
  require_extended_master_secret = false;
  /** CPython 3.8: whether a client offers TLS 1.3 post-handshake authentication (stored; not implemented yet, HAS_PHA is false). */
  post_handshake_auth = false;

  constructor(protocol: number = PROTOCOL_TLS) {
    if (!PROTOCOLS.has(protocol)) throw new ValueError(`invalid or unsupported protocol version ${protocol}`);
    this.protocol = protocol;
    // PROTOCOL_TLS_CLIENT verifies by default; every other protocol starts with CERT_NONE (CPython 3.10+).
    const client = protocol === PROTOCOL_TLS_CLIENT;
    this.#verifyMode = client ? CERT_REQUIRED : CERT_NONE;
    this.#checkHostname = client;
    // CPython 3.10 raised the floor to TLS 1.2 for the negotiating protocols; a pinned method leaves the range open.
    this.#minimumVersion = protocol === PROTOCOL_TLSv1_2 ? TLSVersion.MINIMUM_SUPPORTED : TLSVersion.TLSv1_2;
    const defaults = applyCipherString(DEFAULT_CIPHER_STRING, DEFAULT_SECURITY_LEVEL);
    this.#ciphers12 = defaults.ciphers12 ?? [];
    this.#securityLevel = defaults.securityLevel;
  }

  get options(): number {
    return this.#options;
  }

  set options(value: number) {
    this.#options = value >>> 0;
  }

  get verify_mode(): number {
    return this.#verifyMode;
  }

  set verify_mode(value: number) {
    if (value !== CERT_NONE && value !== CERT_OPTIONAL && value !== CERT_REQUIRED) throw new ValueError('invalid value for verify_mode');
    if (value === CERT_NONE && this.#checkHostname) throw new ValueError('Cannot set verify_mode to CERT_NONE when check_hostname is enabled.');
    this.#verifyMode = value;
  }

  get check_hostname(): boolean {
    return this.#checkHostname;
  }

  /** Turning hostname checking on also turns verification on (CPython's interlock). */
  set check_hostname(value: boolean) {
    if (value && this.#verifyMode === CERT_NONE) this.#verifyMode = CERT_REQUIRED;
    this.#checkHostname = Boolean(value);
  }

  get verify_flags(): number {
    return this.#verifyFlags;
  }

  set verify_flags(value: number) {
    this.#verifyFlags = value >>> 0;
  }

  get minimum_version(): number {
    return this.#minimumVersion;
  }

  set minimum_version(value: number) {
    this.#minimumVersion = this.#checkedVersion(value);
  }

  get maximum_version(): number {
    return this.#maximumVersion;
  }

  set maximum_version(value: number) {
    this.#maximumVersion = this.#checkedVersion(value);
  }

  /** OpenSSL's security level: 2 (CPython's default) unless a cipher string set `@SECLEVEL=n`. */
  get security_level(): number {
    return this.#securityLevel;
  }

  /** OpenSSL cipher-string syntax; selects among the TLS 1.2 suites (TLS 1.3 suites are `set_ciphersuites`'). */
  set_ciphers(cipherstring: string): void {
    const result = applyCipherString(cipherstring, this.#securityLevel);
    this.#securityLevel = result.securityLevel;
    if (result.ciphers12 !== null) this.#ciphers12 = result.ciphers12;
    if (result.error) throw result.error;
  }

  /** CPython 3.15: the TLS 1.3 suites, colon-separated (`TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256`). */
  set_ciphersuites(ciphersuites: string): void {
    this.#cipherSuites = parseCiphersuites(ciphersuites);
  }

  /** The enabled suites as CPython's dicts, TLS 1.3 first, in preference order. */
  get_ciphers(): CipherDict[] {
    const enabled = this.#enabledSuites();
    return cipherDicts(enabled.filter((id) => cipherById(id)?.protocol === 'TLSv1.3'), enabled.filter((id) => cipherById(id)?.protocol === 'TLSv1.2'));
  }

  /** CPython 3.15: key-exchange groups in preference order (`X25519:P-256`). */
  set_groups(groups: string): void {
    this.#groups = parseGroups(groups);
  }

  /** CPython 3.15: the groups puretls implements. */
  get_groups(options: { readonly include_aliases?: boolean } = {}): string[] {
    return getGroups(options.include_aliases ?? false);
  }

  /** The older single-curve setting: only that group is offered or accepted. */
  set_ecdh_curve(curve_name: string): void {
    this.#groups = [parseEcdhCurve(curve_name)];
  }

  /** CPython 3.15: the signature algorithms puretls implements, by OpenSSL's names. */
  get_sigalgs(): string[] {
    return getSigalgs();
  }

  /**
   * CPython 3.15: signature algorithms for client authentication. The engine
   * keeps one list for both directions, so the two settings narrow it
   * together (docs/ssl-api.md).
   */
  set_client_sigalgs(sigalgs: string): void {
    this.#clientSigalgs = parseSigalgs(sigalgs);
  }

  /** CPython 3.15: signature algorithms for server authentication (see `set_client_sigalgs`). */
  set_server_sigalgs(sigalgs: string): void {
    this.#serverSigalgs = parseSigalgs(sigalgs);
  }

  /**
   * Finite-field Diffie-Hellman is never negotiated (DESIGN §2.4: ECDHE only),
   * so the parameters are read and checked as CPython does, then unused.
   */
  load_dh_params(path: string): void {
    loadDhParams(path);
  }

  get keylog_filename(): string | null {
    return this.#keylogFilename;
  }

  set keylog_filename(path: string | null) {
    if (path !== null) openKeyLog(path);
    this.#keylogFilename = path;
  }

  /** TLS 1.3 tickets a server sends after each handshake (RFC 8446 §4.6.1). */
  get num_tickets(): number {
    return this.#numTickets;
  }

  set num_tickets(value: number) {
    if (!Number.isInteger(value)) throw new TypeError("'float' object cannot be interpreted as an integer");
    if (value < 0) throw new ValueError('value must be non-negative');
    if (this.protocol !== PROTOCOL_TLS_SERVER) throw new ValueError('SSLContext is not a server context.');
    this.#numTickets = value;
  }

  get sni_callback(): SniCallback | null {
    return this.#sniCallback;
  }

  set sni_callback(callback: SniCallback | null) {
    if (this.protocol === PROTOCOL_TLS_CLIENT) throw new ValueError('sni_callback cannot be set on TLS_CLIENT context');
    if (callback !== null && typeof callback !== 'function') throw new TypeError('not a callable object');
    this.#sniCallback = callback;
  }

  /** The older name: the callback receives the same arguments as `sni_callback`. */
  set_servername_callback(callback: SniCallback | null): void {
    this.sni_callback = callback;
  }

  /** ALPN protocol names (RFC 7301), most preferred first. */
  set_alpn_protocols(protocols: readonly string[]): void {
    const encoded = protocols.map((name) => new TextEncoder().encode(name));
    if (encoded.some((p) => p.length === 0 || p.length > 255)) throw new SSLError('ALPN protocols must be 1 to 255 in length');
    this.#alpnProtocols = encoded;
  }

  /** NPN was superseded by ALPN and puretls never had it (HAS_NPN is false). */
  set_npn_protocols(_protocols: readonly string[]): never {
    throw new NotImplementedError('The NPN extension is not supported (HAS_NPN is false); use set_alpn_protocols().');
  }

  /**
   * Our certificate chain (PEM, leaf first) and its private key, which may be
   * in `certfile` or in `keyfile`, encrypted or not; `password` is a string,
   * bytes, or a function returning one.
   */
  load_cert_chain(certfile: string, keyfile: string | null = null, password: PasswordArgument = null): void {
    this.#certificate = loadCertChain(certfile, keyfile, password);
  }

  /**
   * puretls addition: `load_cert_chain` from PEM text (`keydata` null: the key
   * is in `certdata`), for hosts without files, such as an edge worker whose
   * certificate and key are secrets. Same checks and errors.
   */
  load_cert_chain_data(certdata: string, keydata: string | null = null, password: PasswordArgument = null): void {
    this.#certificate = certChainFromPem(certdata, keydata, password);
  }

  /** CAs to verify peers with: a PEM bundle file, a hashed directory searched on demand, PEM text or DER bytes. */
  load_verify_locations(cafile: PathInput | null = null, capath: PathInput | null = null, cadata: CaData | null = null): void {
    loadVerifyLocations(this.#store, cafile, capath, cadata);
  }

  /** The platform's CAs (on Linux and the JavaScript runtimes: `set_default_verify_paths`). */
  load_default_certs(purpose: unknown = Purpose.SERVER_AUTH): void {
    loadDefaultCerts(this.#store, purpose);
  }

  /** `SSL_CERT_FILE`/`SSL_CERT_DIR`, or the usual system bundle locations (docs/ssl-api.md lists them). */
  set_default_verify_paths(): void {
    setDefaultVerifyPaths(this.#store);
  }

  /** The loaded CA certificates as `getpeercert()` dicts, or DER with `binary_form`; capath ones once looked up. */
  get_ca_certs(binary_form = false): PeerCertDict[] | Uint8Array[] {
    return getCaCerts(this.#store, binary_form);
  }

  cert_store_stats(): { x509: number; crl: number; x509_ca: number } {
    return certStoreStats(this.#store);
  }

  session_stats(): SessionStats {
    return { ...this.#stats, number: this.#sessionCache.size };
  }

  /**
   * A puretls addition (OpenSSL's SSL_CTX_set_tlsext_ticket_keys): the keys
   * that seal TLS 1.2 session tickets, each 48 bytes (a 16-byte name, then a
   * 32-byte AES-256-GCM key), the first sealing new tickets and all opening
   * them — so several servers can resume each other's sessions. Without it
   * the context makes its own and rotates them every `SESSION_TIMEOUT` seconds.
   */
  set_ticket_keys(keys: Uint8Array): void {
    try {
      this.#ticketKeys.set(keys);
    } catch (error) {
      throw new ValueError((error as Error).message);
    }
  }

  /**
   * A new `SSLObject` over two `MemoryBIO`s. Python's keyword arguments are
   * the options object; `server_side` may also be given positionally.
   */
  wrap_bio(incoming: MemoryBIO, outgoing: MemoryBIO, options: WrapBioOptions | boolean = {}, server_hostname: string | null = null, session: SSLSession | null = null): SSLObject {
    const opts: WrapBioOptions = typeof options === 'boolean' ? { server_side: options, server_hostname, session } : options;
    if (!(incoming instanceof MemoryBIO) || !(outgoing instanceof MemoryBIO)) throw new TypeError('incoming and outgoing must be MemoryBIO instances');
    const serverSide = Boolean(opts.server_side);
    if (serverSide && this.protocol === PROTOCOL_TLS_CLIENT) throw new SSLError(0, 'Cannot create a server socket with a PROTOCOL_TLS_CLIENT context (_ssl.c:802)');
    if (!serverSide && this.protocol === PROTOCOL_TLS_SERVER) throw new SSLError(0, 'Cannot create a client socket with a PROTOCOL_TLS_SERVER context (_ssl.c:809)');
    const hostname = opts.server_hostname === undefined || opts.server_hostname === null ? null : encodeHostname(opts.server_hostname);
    // CPython's SSLSocket raises this (its SSLObject does not, and then skips the name check); puretls raises it for both.
    if (!serverSide && this.#checkHostname && hostname === null) throw new ValueError('check_hostname requires server_hostname');
    if (serverSide) this.#stats.accept++;
    else this.#stats.connect++;
    const settings = this.#settings();
    return SSLObject.create({
      incoming,
      outgoing,
      context: this,
      serverSide,
      serverHostname: hostname,
      session: opts.session ?? null,
      connect: (self) => {
        const trace = messageTrace(this._msg_callback, self);
        return serverSide ? TlsConnection.server(serverConfig(settings, this.#sniHook(self), trace)) : TlsConnection.client(clientConfig(settings, trace, self.session), hostname);
      },
      refusal: versionRefusal(settings),
    });
  }

  /**
   * An `SSLSocket` over `sock` (which is detached, as in CPython). Returns a
   * Promise: on a connected socket with `do_handshake_on_connect` (the
   * default) it resolves after the handshake; a listening socket handshakes
   * on each `accept()`.
   */
  wrap_socket(sock: socket, options: WrapSocketOptions = {}): Promise<SSLSocket> {
    return SSLSocket._create(this, sock, options);
  }

  /** @internal What an SSLObject needs beyond the public API. */
  get [internals](): ContextHooks {
    return {
      serverConfigFor: (sslObject) => serverConfig(this.#settings(), this.#sniHook(sslObject), messageTrace(this._msg_callback, sslObject)),
      enabledCipherSuites: () => this.#enabledSuites(),
      sessionFromEngine: (session: TlsSession) => SSLSession.fromEngine(nobleProvider.randomBytes(32), nowSeconds(), session),
      handshakeCompleted: (serverSide, resumed) => {
        if (serverSide) this.#stats.accept_good++;
        else this.#stats.connect_good++;
        // OpenSSL counts resumptions, from the cache or a ticket and on either side, as sess_hit.
        if (resumed) this.#stats.hits++;
      },
    };
  }

  #settings(): ContextSettings {
    return {
      protocol: this.protocol,
      options: this.#options,
      verifyMode: this.#verifyMode,
      checkHostname: this.#checkHostname,
      checkCommonName: this.hostname_checks_common_name,
      requireExtendedMasterSecret: this.require_extended_master_secret,
      verifyFlags: this.#verifyFlags,
      minimumVersion: this.#minimumVersion,
      maximumVersion: this.#maximumVersion,
      trust: this.#store,
      certificate: this.#certificate,
      alpnProtocols: this.#alpnProtocols,
      keylogFilename: this.#keylogFilename,
      numTickets: this.#numTickets,
      sessionCache: this.#sessionCache,
      ticketKeys: this.#ticketKeys,
      cipherSuites: this.#enabledSuites(),
      groups: this.#groups,
      signatureSchemes: this.#signatureSchemes(),
    };
  }

  /** TLS 1.3 suites first (OpenSSL's order in a ClientHello), then the TLS 1.2 suites `set_ciphers` selected. */
  #enabledSuites(): number[] {
    return [...this.#cipherSuites, ...this.#ciphers12].filter((id) => cipherAllowedAtSecurityLevel(id, this.#securityLevel));
  }

  /** The engine's one list of schemes: the implemented ones, narrowed by whichever sigalgs settings exist. */
  #signatureSchemes(): readonly number[] {
    return [this.#clientSigalgs, this.#serverSigalgs].reduce<readonly number[]>((list, narrowing) => (narrowing === null ? list : list.filter((id) => narrowing.includes(id))), DEFAULT_SIGNATURE_SCHEMES);
  }

  /**
   * The engine's ClientHello hook for `sni_callback`: the callback may swap
   * `sslObject.context`, whose configuration then applies; a returned alert
   * number, or an exception, ends the handshake with that alert
   * (HANDSHAKE_FAILURE for an exception, as CPython).
   */
  #sniHook(sslObject: SSLObject): ServerConfig['clientHelloHook'] {
    const callback = this.#sniCallback;
    if (callback === null) return null;
    return (hello) => {
      let result: unknown;
      try {
        result = callback(sslObject, hello.serverName, this);
      } catch (error) {
        throw new ApplicationAlert(AlertDescription.handshake_failure, `sni_callback raised ${String((error as Error)?.stack ?? error)}`);
      }
      if (typeof result === 'number') throw new ApplicationAlert(result);
      return sslObject.context[internals].serverConfigFor(sslObject);
    };
  }

  #checkedVersion(value: number): number {
    if (this.protocol !== PROTOCOL_TLS && this.protocol !== PROTOCOL_TLS_CLIENT && this.protocol !== PROTOCOL_TLS_SERVER) {
      throw new ValueError("The context's protocol doesn't support modification of highest and lowest version.");
    }
    if (!VERSIONS.has(value)) throw new ValueError(`Unsupported TLS/SSL version 0x${value.toString(16)}`);
    return value;
  }
}

/**
 * `server_hostname.encode('idna')` as CPython stores it. The codec runs first
 * (its argument converter), so `'.example.com'` fails there with an empty
 * label; `_ssl_configure_hostname` then refuses an empty result or a leading dot.
 */
function encodeHostname(name: string): string {
  if (typeof name !== 'string') throw new TypeError(`server_hostname must be str, not ${typeof name}`);
  let encoded: string;
  try {
    encoded = idnaEncode(name);
  } catch (error) {
    if (error instanceof IdnaError) throw new UnicodeError(error.message);
    throw error;
  }
  if (encoded === '' || encoded.startsWith('.')) throw new ValueError('server_hostname cannot be an empty string or start with a leading dot.');
  return encoded;
}

/** The engine trace that calls `_msg_callback` with CPython's arguments (`_ssl.c`, `_PySSL_msg_callback`). */
function messageTrace(callback: MsgCallback | null, conn: SSLObject): MessageTrace | null {
  if (callback === null) return null;
  return (direction, contentType, message) => {
    // OpenSSL drops a received TLS 1.3 compatibility ChangeCipherSpec (RFC 8446 §5) before its callback sees it.
    if (direction === 'received' && contentType === ContentType.change_cipher_spec) return;
    // A handshake message's first byte is its type, an alert's second byte its description; a CCS is message type 1.
    const msgType = contentType === ContentType.alert ? message[1]! : message[0]!;
    callback(conn, direction === 'sent' ? 'write' : 'read', TLSVersion.TLSv1_3, contentType, msgType, message.slice());
  };
}
