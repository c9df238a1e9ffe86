/**
 * Extensions as plain data (RFC 8446 §4.2): the generic `Extension` with its
 * data left undecoded, the `Extension extensions<..>` list codec with the rule
 * that no type appears twice, and the tables saying which extension may
 * appear in which message — RFC 8446 §4.2's for TLS 1.3, RFC 5246 §7.4.1.4 and
 * the extensions' RFCs for TLS 1.2 — with the rule that a server (or a
 * Certificate) only answers what the peer offered. Typed codecs for each
 * extension live in their own files; they read and build `Extension.data`.
 * @module
 */
import type { Reader, Writer } from '../../wire/codec.ts';
import { encode } from '../../wire/codec.ts';
import { DecodeError, ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, nameOf } from '../../wire/registry.ts';

/** One extension; `type` stays a number so unknown extensions survive decoding. */
export interface Extension {
  readonly type: number;
  readonly data: Uint8Array;
}

/**
 * The messages of the RFC 8446 §4.2 table: ClientHello, ServerHello,
 * HelloRetryRequest, EncryptedExtensions, Certificate (each CertificateEntry),
 * CertificateRequest, NewSessionTicket.
 */
export type MessageKind = 'CH' | 'SH' | 'HRR' | 'EE' | 'CT' | 'CR' | 'NST';

/** Reads `Extension extensions<min..max>`; a repeated type is illegal_parameter (RFC 8446 §4.2). */
export function decodeExtensions(r: Reader, field: string, min: number, max: number): Extension[] {
  const extensions = r.list(
    2,
    field,
    (x): Extension => ({ type: x.u16('Extension.extension_type'), data: x.opaque(2, 'Extension.extension_data') }),
    min,
    max,
  );
  const seen = new Set<number>();
  for (const { type } of extensions) {
    if (seen.has(type)) throw new ProtocolError('DuplicateExtension', `${field}: ${nameOf(ExtensionType, type)} appears twice`);
    seen.add(type);
  }
  return extensions;
}

/**
 * Writes the list in the caller's order, duplicates included: the encoders
 * build what they are given, so a test peer can send anything.
 */
export function encodeExtensions(w: Writer, extensions: readonly Extension[]): void {
  w.vector(2, (v) => {
    for (const e of extensions) v.u16(e.type).opaque(2, e.data);
  });
}

/** The data of the extension of `type`, if present. */
export function findExtension(extensions: readonly Extension[], type: number): Uint8Array | undefined {
  return extensions.find((e) => e.type === type)?.data;
}

/** An extension whose data `body` writes. */
export function makeExtension(type: number, body: (w: Writer) => void): Extension {
  return { type, data: encode(body) };
}

/** The typed value of the extension of `type`, if present, read by its own decoder. */
export function decodeExtension<T>(extensions: readonly Extension[], type: number, decode: (data: Uint8Array) => T): T | undefined {
  const data = findExtension(extensions, type);
  return data === undefined ? undefined : decode(data);
}

/** Data that must be empty: early_data in CH/EE, post_handshake_auth, the server's server_name (RFC 8446 §4.2). */
export function decodeEmpty(data: Uint8Array, field: string): true {
  if (data.length !== 0) throw new DecodeError(field, `${data.length} bytes where none belong`);
  return true;
}

const X = ExtensionType;

/** Which messages of one protocol version may carry each extension we know. */
type Table<Kind extends string> = ReadonlyMap<number, readonly Kind[]>;

/**
 * RFC 8446 §4.2's table (the "TLS 1.3" column of the IANA registry), plus
 * record_size_limit (RFC 8449 §5: CH, EE). Extensions that exist only for
 * TLS 1.2 and below (the registry's "-") may appear in a ClientHello that also
 * offers TLS 1.2, and in no TLS 1.3 server message.
 */
const ALLOWED13: Table<MessageKind> = new Map<number, readonly MessageKind[]>([
  [X.server_name, ['CH', 'EE']],
  [X.max_fragment_length, ['CH', 'EE']],
  [X.status_request, ['CH', 'CR', 'CT']],
  [X.supported_groups, ['CH', 'EE']],
  [X.signature_algorithms, ['CH', 'CR']],
  [X.use_srtp, ['CH', 'EE']],
  [X.heartbeat, ['CH', 'EE']],
  [X.application_layer_protocol_negotiation, ['CH', 'EE']],
  [X.signed_certificate_timestamp, ['CH', 'CR', 'CT']],
  [X.client_certificate_type, ['CH', 'EE']],
  [X.server_certificate_type, ['CH', 'EE']],
  [X.padding, ['CH']],
  [X.record_size_limit, ['CH', 'EE']],
  [X.pre_shared_key, ['CH', 'SH']],
  [X.early_data, ['CH', 'EE', 'NST']],
  [X.supported_versions, ['CH', 'SH', 'HRR']],
  [X.cookie, ['CH', 'HRR']],
  [X.psk_key_exchange_modes, ['CH']],
  [X.certificate_authorities, ['CH', 'CR']],
  [X.oid_filters, ['CR']],
  [X.post_handshake_auth, ['CH']],
  [X.signature_algorithms_cert, ['CH', 'CR']],
  [X.key_share, ['CH', 'SH', 'HRR']],
  [X.ec_point_formats, ['CH']],
  [X.encrypt_then_mac, ['CH']],
  [X.extended_master_secret, ['CH']],
  [X.session_ticket, ['CH']],
  [X.renegotiation_info, ['CH']],
]);

/** TLS 1.2 carries extensions in the two hellos only (RFC 5246 §7.4.1.4). */
export type MessageKind12 = 'CH' | 'SH';

/**
 * The TLS 1.2 table: what a TLS 1.2 ServerHello may answer, from each
 * extension's own RFC. The TLS 1.3-only extensions may ride in a ClientHello
 * that offers both versions, and never in a TLS 1.2 ServerHello (RFC 8446 §4.2
 * defines them for TLS 1.3 only). Extensions of neither list (encrypt_then_mac,
 * use_srtp...) are ones we never offer, so a ServerHello carrying one is
 * unsolicited.
 */
const ALLOWED12: Table<MessageKind12> = new Map<number, readonly MessageKind12[]>([
  [X.server_name, ['CH', 'SH']], // RFC 6066 §3: the server's is empty
  [X.max_fragment_length, ['CH', 'SH']], // RFC 6066 §4
  [X.status_request, ['CH', 'SH']], // RFC 6066 §8: the server's is empty
  // RFC 8422 §5.1 defines it for the client only; OpenSSL accepts it in a
  // TLS 1.2 ServerHello because some servers send it, and so do we.
  [X.supported_groups, ['CH', 'SH']],
  [X.ec_point_formats, ['CH', 'SH']], // RFC 8422 §5.2
  [X.signature_algorithms, ['CH']], // RFC 5246 §7.4.1.4.1: servers MUST NOT send it
  [X.application_layer_protocol_negotiation, ['CH', 'SH']], // RFC 7301 §3.1
  [X.extended_master_secret, ['CH', 'SH']], // RFC 7627 §5.1
  [X.session_ticket, ['CH', 'SH']], // RFC 5077 §3.2: the server's is empty
  [X.record_size_limit, ['CH', 'SH']], // RFC 8449 §4
  // RFC 5746 §3.6: the server answers the extension or the SCSV, so a client
  // that sent only TLS_EMPTY_RENEGOTIATION_INFO_SCSV counts renegotiation_info as offered.
  [X.renegotiation_info, ['CH', 'SH']],
  [X.padding, ['CH']], // RFC 7685 §3
  [X.signature_algorithms_cert, ['CH']], // RFC 8446 §4.2.3 applies it to TLS 1.2 clients too
  [X.pre_shared_key, ['CH']],
  [X.early_data, ['CH']],
  [X.supported_versions, ['CH']],
  [X.cookie, ['CH']],
  [X.psk_key_exchange_modes, ['CH']],
  [X.certificate_authorities, ['CH']],
  [X.post_handshake_auth, ['CH']],
  [X.key_share, ['CH']],
]);

/** Messages that answer the peer's offer: each extension in them must answer one the peer sent. */
export type ResponseKind = 'SH' | 'HRR' | 'EE' | 'CT';

/**
 * Checks a TLS 1.3 extension block against RFC 8446 §4.2:
 * - an extension we know that is not specified for `kind` → illegal_parameter
 *   (`ExtensionNotAllowedHere`);
 * - in SH, HRR, EE and Certificate entries, an extension whose type is not in
 *   `offered` (the types of the peer's ClientHello, or of the CertificateRequest
 *   for a client's Certificate, RFC 8446 §4.4.2) → unsupported_extension
 *   (`UnsolicitedExtension`); cookie in HRR is the one exception (§4.2.2).
 * Unknown extensions in CH, CR and NST are ignored, as §4.2 and §4.6.1 require.
 * The overloads make `offered` required exactly where it is used.
 */
export function checkAllowed(kind: 'CH' | 'CR' | 'NST', extensions: readonly Extension[]): void;
export function checkAllowed(kind: ResponseKind, extensions: readonly Extension[], offered: readonly number[]): void;
export function checkAllowed(kind: MessageKind, extensions: readonly Extension[], offered?: readonly number[]): void {
  // The server makes the cookie up itself (RFC 8446 §4.2.2): it answers no offer.
  const answerable = kind === 'HRR' && offered !== undefined ? [...offered, X.cookie] : offered;
  checkAgainst(ALLOWED13, kind, extensions, answerable);
}

/**
 * Checks a TLS 1.2 hello's extensions (RFC 5246 §7.4.1.4): an extension we
 * know that `kind` may not carry → illegal_parameter (`ExtensionNotAllowedHere`);
 * in a ServerHello, any type not in `offered` (the ClientHello's types) →
 * unsupported_extension (`UnsolicitedExtension`). Unknown extensions in a
 * ClientHello are ignored.
 */
export function checkAllowed12(kind: 'CH', extensions: readonly Extension[]): void;
export function checkAllowed12(kind: 'SH', extensions: readonly Extension[], offered: readonly number[]): void;
export function checkAllowed12(kind: MessageKind12, extensions: readonly Extension[], offered?: readonly number[]): void {
  checkAgainst(ALLOWED12, kind, extensions, offered);
}

/** The rule both versions share: the table first, then (for an answer) the offer. */
function checkAgainst<Kind extends string>(table: Table<Kind>, kind: Kind, extensions: readonly Extension[], offered: readonly number[] | undefined): void {
  for (const { type } of extensions) {
    const allowed = table.get(type);
    if (allowed !== undefined && !allowed.includes(kind)) {
      throw new ProtocolError('ExtensionNotAllowedHere', `${nameOf(ExtensionType, type)} is not allowed in ${kind}`);
    }
    if (offered !== undefined && !offered.includes(type)) {
      throw new ProtocolError('UnsolicitedExtension', `${nameOf(ExtensionType, type)} in ${kind} was not offered`);
    }
  }
}
