/**
 * ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4), which share one
 * layout: a HelloRetryRequest is a ServerHello whose random is
 * SHA-256("HelloRetryRequest"). Also the downgrade sentinels a server writes
 * into the end of its random when it negotiates an older version, and the
 * client's check for them. Raw form with ordered extensions, typed views for
 * each of the two messages.
 * @module
 */
import { bytesEqual, fromHex } from '../../wire/bytes.ts';
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, ProtocolVersion } from '../../wire/registry.ts';
import { decodeCookie } from './cookie.ts';
import type { Extension } from './extensions.ts';
import { decodeExtension, decodeExtensions, encodeExtensions } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';
import type { KeyShareEntry } from './key-share.ts';
import { decodeKeyShareRetry, decodeKeyShareServer } from './key-share.ts';
import { decodePreSharedKeyServer } from './psk.ts';
import { decodeSupportedVersionsServer } from './supported-versions.ts';

export interface ServerHello {
  /** 0x0303 in TLS 1.3 (RFC 8446 §4.1.3). */
  readonly legacyVersion: number;
  /** 32 bytes; `HELLO_RETRY_REQUEST_RANDOM` marks a HelloRetryRequest. */
  readonly random: Uint8Array;
  /** `opaque legacy_session_id_echo<0..32>`. */
  readonly legacySessionIdEcho: Uint8Array;
  readonly cipherSuite: number;
  /** In order; an empty list is encoded as no extensions block (RFC 5246 §7.4.1.3)… */
  readonly extensions: readonly Extension[];
  /** …unless this is set: a received hello that carried an empty block (`00 00`), re-encoded as it came. */
  readonly emptyExtensionsBlock?: boolean;
}

/** RFC 8446 §4.1.3: SHA-256("HelloRetryRequest"), the random of every HelloRetryRequest. */
export const HELLO_RETRY_REQUEST_RANDOM: Uint8Array = fromHex(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c',
);

/** RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.2. */
export const DOWNGRADE_TLS12: Uint8Array = fromHex('444f574e47524401');
/** RFC 8446 §4.1.3: the same when it negotiates TLS 1.1 or below. */
export const DOWNGRADE_TLS11: Uint8Array = fromHex('444f574e47524400');

/** The body of a ServerHello (or HelloRetryRequest) message; legacy_compression_method is 0. */
export function encodeServerHello(hello: ServerHello): Uint8Array {
  return encode((w) => {
    w.u16(hello.legacyVersion).bytes(hello.random).opaque(1, hello.legacySessionIdEcho).u16(hello.cipherSuite).u8(0);
    if (hello.extensions.length > 0 || hello.emptyExtensionsBlock) encodeExtensions(w, hello.extensions);
  });
}

/**
 * Decodes a ServerHello or HelloRetryRequest body. legacy_compression_method
 * other than 0 is illegal_parameter: RFC 8446 §4.1.3 fixes it, and in TLS 1.2
 * it must be one the client offered, and we only offer none. As in the
 * ClientHello, the extensions block may be absent (a TLS 1.2 server, RFC 5246
 * §7.4.1.3) and its lower bound is 0; a TLS 1.3 ServerHello is recognised by
 * supported_versions, whose absence the caller treats as TLS 1.2.
 */
export function decodeServerHello(body: Uint8Array): ServerHello {
  return decodeExact(body, 'ServerHello', (r) => {
    const legacyVersion = r.u16('ServerHello.legacy_version');
    const random = r.bytes(32, 'ServerHello.random');
    const legacySessionIdEcho = r.opaque(1, 'ServerHello.legacy_session_id_echo', 0, 32);
    const cipherSuite = r.u16('ServerHello.cipher_suite');
    const compression = r.u8('ServerHello.legacy_compression_method');
    if (compression !== 0) throw new ProtocolError('BadCompressionMethods', `legacy_compression_method ${compression} is not 0`);
    const blockPresent = !r.atEnd;
    const extensions = blockPresent ? decodeExtensions(r, 'ServerHello.extensions', 0, 2 ** 16 - 1) : [];
    const emptyExtensionsBlock = blockPresent && extensions.length === 0;
    return { legacyVersion, random, legacySessionIdEcho, cipherSuite, extensions, ...(emptyExtensionsBlock ? { emptyExtensionsBlock } : {}) };
  });
}

export function isHelloRetryRequest(hello: ServerHello): boolean {
  return bytesEqual(hello.random, HELLO_RETRY_REQUEST_RANDOM);
}

/**
 * RFC 8446 §4.1.3: a client that offered `clientMaxVersion` and negotiated
 * the older `negotiatedVersion` aborts with illegal_parameter if the server's
 * random ends in a sentinel saying the server could have done better:
 * DOWNGRADE_TLS12 or DOWNGRADE_TLS11 when the client offered TLS 1.3,
 * DOWNGRADE_TLS11 when it offered TLS 1.2.
 */
export function checkDowngradeSentinel(serverRandom: Uint8Array, negotiatedVersion: number, clientMaxVersion: number): void {
  if (negotiatedVersion >= clientMaxVersion) return;
  const tail = serverRandom.subarray(24);
  const from13 = clientMaxVersion >= ProtocolVersion.TLSv1_3 && bytesEqual(tail, DOWNGRADE_TLS12);
  const from12 = clientMaxVersion >= ProtocolVersion.TLSv1_2 && bytesEqual(tail, DOWNGRADE_TLS11);
  if (from13 || from12) {
    throw new ProtocolError('DowngradeDetected', 'server random carries a downgrade sentinel');
  }
}

/** The ServerHello extensions TLS 1.3 uses, decoded (call `checkAllowed('SH', ...)` first). */
export interface ServerHelloExtensions {
  readonly types: readonly number[];
  readonly selectedVersion: number | undefined;
  readonly keyShare: KeyShareEntry | undefined;
  /** The index of the PSK identity the server accepted. */
  readonly preSharedKey: number | undefined;
}

export function serverHelloExtensions(hello: ServerHello): ServerHelloExtensions {
  const exts = hello.extensions;
  return {
    types: exts.map((e) => e.type),
    selectedVersion: decodeExtension(exts, ExtensionType.supported_versions, decodeSupportedVersionsServer),
    keyShare: decodeExtension(exts, ExtensionType.key_share, decodeKeyShareServer),
    preSharedKey: decodeExtension(exts, ExtensionType.pre_shared_key, decodePreSharedKeyServer),
  };
}

/** The HelloRetryRequest extensions, decoded (call `checkAllowed('HRR', ...)` first). */
export interface HelloRetryRequestExtensions {
  readonly types: readonly number[];
  readonly selectedVersion: number | undefined;
  /** The group the server wants a key share for (RFC 8446 §4.2.8). */
  readonly selectedGroup: number | undefined;
  readonly cookie: Uint8Array | undefined;
}

export function helloRetryRequestExtensions(hello: ServerHello): HelloRetryRequestExtensions {
  const exts = hello.extensions;
  return {
    types: exts.map((e) => e.type),
    selectedVersion: decodeExtension(exts, ExtensionType.supported_versions, decodeSupportedVersionsServer),
    selectedGroup: decodeExtension(exts, ExtensionType.key_share, decodeKeyShareRetry),
    cookie: decodeExtension(exts, ExtensionType.cookie, decodeCookie),
  };
}
