/**
 * ClientHello (RFC 8446 §4.1.2), raw and typed. The raw form keeps every field
 * and the extensions as an ordered list, so a caller can build any hello
 * byte for byte (a transparent test peer, the RFC 8448 replay), and a decoded
 * hello keeps the exact bytes it came from for the transcript. The typed view
 * decodes the extensions TLS 1.3 uses. TLS 1.2 hellos share the layout, so the
 * decoder accepts what RFC 5246 §7.4.1.2 allows too; `checkClientHello13` adds
 * the rules that hold once the hello is known to offer TLS 1.3.
 * @module
 */
import { decodeEcPointFormats } from './ec-point-formats.ts';
import { decodeExtendedMasterSecret } from './extended-master-secret.ts';
import { decodeRenegotiationInfo } from './renegotiation-info.ts';
import { decodeSessionTicket } from './session-ticket.ts';
import { bytesEqual } from '../../wire/bytes.ts';
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, ProtocolVersion, nameOf } from '../../wire/registry.ts';
import { decodeAlpn } from './alpn.ts';
import { decodeCookie } from './cookie.ts';
import { decodeEarlyData } from './early-data.ts';
import type { Extension } from './extensions.ts';
import { decodeEmpty, decodeExtension, decodeExtensions, encodeExtensions } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';
import type { KeyShareEntry } from './key-share.ts';
import { decodeKeyShareClient } from './key-share.ts';
import { decodeMaxFragmentLength } from './max-fragment-length.ts';
import type { OfferedPsks } from './psk.ts';
import { checkPreSharedKeyLast, decodePreSharedKeyClient, decodePskKeyExchangeModes } from './psk.ts';
import { decodeRecordSizeLimit } from './record-size-limit.ts';
import { decodeServerName } from './server-name.ts';
import { decodeSignatureAlgorithms } from './signature-algorithms.ts';
import type { StatusRequest } from './status-request.ts';
import { decodeStatusRequest } from './status-request.ts';
import { decodeSupportedGroups } from './supported-groups.ts';
import { decodeSupportedVersionsClient } from './supported-versions.ts';

export interface ClientHello {
  /** 0x0303 in TLS 1.3 (RFC 8446 §4.1.2); the real versions are in supported_versions. */
  readonly legacyVersion: number;
  /** 32 bytes. */
  readonly random: Uint8Array;
  /** `opaque legacy_session_id<0..32>`. */
  readonly legacySessionId: Uint8Array;
  /** `CipherSuite cipher_suites<2..2^16-2>`, in the client's preference order. */
  readonly cipherSuites: readonly number[];
  /** `opaque legacy_compression_methods<1..2^8-1>`; exactly [0] in TLS 1.3. */
  readonly legacyCompressionMethods: readonly number[];
  /** In order; an empty list is encoded as no extensions block at all (RFC 5246 §7.4.1.2)… */
  readonly extensions: readonly Extension[];
  /** …unless this is set: a received hello that carried an empty block (`00 00`), re-encoded as it came. */
  readonly emptyExtensionsBlock?: boolean;
}

/** A received hello, with the body bytes exactly as they came (the transcript hashes these). */
export interface DecodedClientHello extends ClientHello {
  readonly raw: Uint8Array;
}

/** The body of a ClientHello message (wrap with `encodeHandshake`). */
export function encodeClientHello(hello: ClientHello): Uint8Array {
  return encode((w) => {
    w.u16(hello.legacyVersion).bytes(hello.random).opaque(1, hello.legacySessionId);
    w.vector(2, (v) => hello.cipherSuites.forEach((s) => v.u16(s)));
    w.vector(1, (v) => hello.legacyCompressionMethods.forEach((m) => v.u8(m)));
    if (hello.extensions.length > 0 || hello.emptyExtensionsBlock) encodeExtensions(w, hello.extensions);
  });
}

/**
 * Decodes a ClientHello body. Duplicate extensions (RFC 8446 §4.2) and a
 * pre_shared_key that is not last (§4.2.11) are illegal_parameter. The
 * extensions block may be absent, as in a TLS 1.2 or older hello (RFC 5246
 * §7.4.1.2), and its lower bound is RFC 5246's 0 rather than RFC 8446's 8 for
 * the same reason; a TLS 1.3 hello without its mandatory extensions fails on
 * their absence (RFC 8446 §9.2), which names the problem better.
 */
export function decodeClientHello(body: Uint8Array): DecodedClientHello {
  const hello = decodeExact(body, 'ClientHello', (r) => {
    const legacyVersion = r.u16('ClientHello.legacy_version');
    const random = r.bytes(32, 'ClientHello.random');
    const legacySessionId = r.opaque(1, 'ClientHello.legacy_session_id', 0, 32);
    const cipherSuites = r.list(2, 'ClientHello.cipher_suites', (x) => x.u16('ClientHello.cipher_suites'), 2, 2 ** 16 - 2);
    const legacyCompressionMethods = r.list(1, 'ClientHello.legacy_compression_methods', (x) => x.u8('ClientHello.legacy_compression_methods'), 1);
    const blockPresent = !r.atEnd;
    const extensions = blockPresent ? decodeExtensions(r, 'ClientHello.extensions', 0, 2 ** 16 - 1) : [];
    const emptyExtensionsBlock = blockPresent && extensions.length === 0;
    return { legacyVersion, random, legacySessionId, cipherSuites, legacyCompressionMethods, extensions, ...(emptyExtensionsBlock ? { emptyExtensionsBlock } : {}), raw: body };
  });
  checkPreSharedKeyLast(hello.extensions);
  return hello;
}

/**
 * Rules for a hello that offers TLS 1.3:
 * - legacy_compression_methods is exactly [0], else illegal_parameter (RFC 8446 §4.1.2);
 * - pre_shared_key needs psk_key_exchange_modes, else missing_extension (§4.2.9).
 */
export function checkClientHello13(hello: ClientHello): void {
  const methods = hello.legacyCompressionMethods;
  if (methods.length !== 1 || methods[0] !== 0) {
    throw new ProtocolError('BadCompressionMethods', `legacy_compression_methods [${methods.join(', ')}] is not [0]`);
  }
  const has = (type: number) => hello.extensions.some((e) => e.type === type);
  if (has(ExtensionType.pre_shared_key) && !has(ExtensionType.psk_key_exchange_modes)) {
    throw new ProtocolError('MissingExtension', 'pre_shared_key without psk_key_exchange_modes');
  }
}

/**
 * legacy_version of a hello that has supported_versions, which alone says
 * what the client offers (RFC 8446 §4.2.1). RFC 8446 §D.5: "Any endpoint
 * receiving a Hello message with ClientHello.legacy_version ... set to 0x0300
 * MUST abort the handshake with a protocol_version alert" (we refuse anything
 * at or below it); §4.1.2: a hello offering TLS 1.3 sets it to 0x0303, so
 * below that it is refused too. Above 0x0303 it is ignored, as §4.2.1 says.
 * Without supported_versions, legacy_version is the offer itself (RFC 5246
 * §E.1), and the version choice refuses what we do not speak.
 */
export function checkLegacyVersion(legacyVersion: number, supportedVersions: readonly number[] | undefined): void {
  if (supportedVersions === undefined) return;
  const offers13 = supportedVersions.includes(ProtocolVersion.TLSv1_3);
  const lowest = offers13 ? ProtocolVersion.TLSv1_2 : ProtocolVersion.TLSv1_0;
  if (legacyVersion < lowest) {
    const version = `0x${legacyVersion.toString(16).padStart(4, '0')}`;
    throw new ProtocolError('BadLegacyVersion', `legacy_version ${version} in a ClientHello ${offers13 ? 'offering TLS 1.3' : 'with supported_versions'}`);
  }
}

/**
 * RFC 8446 §4.1.2: after a HelloRetryRequest the client "MUST send the same
 * ClientHello without modification", except: key_share replaced by one share
 * of the requested group (the server checks that against its request);
 * early_data removed (§4.2.10); a cookie included if the HelloRetryRequest
 * carried one (ours carry none, so cookie is compared like any other
 * extension); pre_shared_key updated, with new ticket ages and binders and
 * identities only dropped (§4.2.11); padding added, removed or resized
 * (RFC 7685). Every other change is illegal_parameter.
 */
export function checkRetriedClientHello(first: ClientHello, second: ClientHello): void {
  const changed = (what: string) => new ProtocolError('IllegalParameter', `the second ClientHello changes ${what}`);
  if (second.legacyVersion !== first.legacyVersion) throw changed('legacy_version');
  if (!bytesEqual(second.random, first.random)) throw changed('random');
  if (!bytesEqual(second.legacySessionId, first.legacySessionId)) throw changed('legacy_session_id');
  if (!sameNumbers(second.cipherSuites, first.cipherSuites)) throw changed('cipher_suites');
  if (!sameNumbers(second.legacyCompressionMethods, first.legacyCompressionMethods)) throw changed('legacy_compression_methods');

  const X = ExtensionType;
  const now = second.extensions.filter((e) => e.type !== X.padding);
  const keepsPsk = now.some((e) => e.type === X.pre_shared_key);
  // The first hello as the second may show it: no padding, no early_data, pre_shared_key only if still offered.
  const was = first.extensions.filter((e) => e.type !== X.padding && e.type !== X.early_data && (e.type !== X.pre_shared_key || keepsPsk));
  if (now.length !== was.length || now.some((e, i) => e.type !== was[i]!.type)) {
    throw changed(`the extensions from [${was.map((e) => nameOf(X, e.type)).join(', ')}] to [${now.map((e) => nameOf(X, e.type)).join(', ')}]`);
  }
  now.forEach((extension, i) => {
    if (extension.type === X.key_share) return;
    if (extension.type === X.pre_shared_key) return checkPskIdentitiesKept(was[i]!.data, extension.data, changed);
    if (!bytesEqual(extension.data, was[i]!.data)) throw changed(nameOf(X, extension.type));
  });
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** §4.1.2: the retried offer's identities are the first's, some perhaps dropped, none added or reordered. */
function checkPskIdentitiesKept(first: Uint8Array, second: Uint8Array, changed: (what: string) => ProtocolError): void {
  const offered = decodePreSharedKeyClient(first).identities;
  let next = 0;
  for (const { identity } of decodePreSharedKeyClient(second).identities) {
    while (next < offered.length && !bytesEqual(offered[next]!.identity, identity)) next++;
    if (next === offered.length) throw changed('the pre_shared_key identities');
    next++;
  }
}

/** The ClientHello extensions TLS 1.3 and TLS 1.2 use, decoded; absent ones are undefined (flags false). */
export interface ClientHelloExtensions {
  /** Every extension type, in the order sent (unknown ones included). */
  readonly types: readonly number[];
  readonly serverName: string | undefined;
  readonly supportedVersions: readonly number[] | undefined;
  readonly supportedGroups: readonly number[] | undefined;
  readonly keyShares: readonly KeyShareEntry[] | undefined;
  readonly signatureAlgorithms: readonly number[] | undefined;
  readonly signatureAlgorithmsCert: readonly number[] | undefined;
  readonly alpn: readonly Uint8Array[] | undefined;
  readonly cookie: Uint8Array | undefined;
  readonly pskModes: readonly number[] | undefined;
  readonly preSharedKey: OfferedPsks | undefined;
  readonly earlyData: boolean;
  readonly statusRequest: StatusRequest | undefined;
  readonly maxFragmentLength: number | undefined;
  readonly recordSizeLimit: number | undefined;
  readonly postHandshakeAuth: boolean;
  /** RFC 7627 §5.1 */
  readonly extendedMasterSecret: boolean;
  /** RFC 5746 §3.2: renegotiated_connection (empty in an initial handshake). */
  readonly renegotiationInfo: Uint8Array | undefined;
  /** RFC 8422 §5.1.2 */
  readonly ecPointFormats: readonly number[] | undefined;
  /** RFC 5077 §3.2: the ticket offered, empty when the client asks for a new one. */
  readonly sessionTicket: Uint8Array | undefined;
}

/** Decodes each extension either version uses; any malformed one is a decode_error naming its field. */
export function clientHelloExtensions(hello: ClientHello): ClientHelloExtensions {
  const exts = hello.extensions;
  const X = ExtensionType;
  return {
    types: exts.map((e) => e.type),
    serverName: decodeExtension(exts, X.server_name, decodeServerName),
    supportedVersions: decodeExtension(exts, X.supported_versions, decodeSupportedVersionsClient),
    supportedGroups: decodeExtension(exts, X.supported_groups, decodeSupportedGroups),
    keyShares: decodeExtension(exts, X.key_share, decodeKeyShareClient),
    signatureAlgorithms: decodeExtension(exts, X.signature_algorithms, decodeSignatureAlgorithms),
    signatureAlgorithmsCert: decodeExtension(exts, X.signature_algorithms_cert, decodeSignatureAlgorithms),
    alpn: decodeExtension(exts, X.application_layer_protocol_negotiation, decodeAlpn),
    cookie: decodeExtension(exts, X.cookie, decodeCookie),
    pskModes: decodeExtension(exts, X.psk_key_exchange_modes, decodePskKeyExchangeModes),
    preSharedKey: decodeExtension(exts, X.pre_shared_key, decodePreSharedKeyClient),
    earlyData: decodeExtension(exts, X.early_data, decodeEarlyData) ?? false,
    statusRequest: decodeExtension(exts, X.status_request, decodeStatusRequest),
    maxFragmentLength: decodeExtension(exts, X.max_fragment_length, decodeMaxFragmentLength),
    recordSizeLimit: decodeExtension(exts, X.record_size_limit, decodeRecordSizeLimit),
    postHandshakeAuth: decodeExtension(exts, X.post_handshake_auth, (d) => decodeEmpty(d, 'post_handshake_auth')) ?? false,
    extendedMasterSecret: decodeExtension(exts, X.extended_master_secret, decodeExtendedMasterSecret) ?? false,
    renegotiationInfo: decodeExtension(exts, X.renegotiation_info, decodeRenegotiationInfo),
    ecPointFormats: decodeExtension(exts, X.ec_point_formats, decodeEcPointFormats),
    sessionTicket: decodeExtension(exts, X.session_ticket, decodeSessionTicket),
  };
}
