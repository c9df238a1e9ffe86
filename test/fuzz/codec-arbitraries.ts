/**
 * fast-check arbitraries for the values the handshake codecs carry, each
 * within its RFC bounds (RFC 8446 §4 presentation-language `<min..max>`):
 * integers of a width, opaque vectors, extension lists with no repeated type
 * (RFC 8446 §4.2), host names as RFC 6066 §3 accepts them.
 * @module
 */
import fc from 'fast-check';
import { alpnExtension } from '../../src/handshake/messages/alpn.ts';
import { cookieExtension } from '../../src/handshake/messages/cookie.ts';
import { earlyDataExtension } from '../../src/handshake/messages/early-data.ts';
import { ecPointFormatsExtension } from '../../src/handshake/messages/ec-point-formats.ts';
import { extendedMasterSecretExtension } from '../../src/handshake/messages/extended-master-secret.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { keyShareClientExtension } from '../../src/handshake/messages/key-share.ts';
import { maxFragmentLengthExtension } from '../../src/handshake/messages/max-fragment-length.ts';
import type { OfferedPsks } from '../../src/handshake/messages/psk.ts';
import { preSharedKeyClientExtension, pskKeyExchangeModesExtension } from '../../src/handshake/messages/psk.ts';
import { recordSizeLimitExtension } from '../../src/handshake/messages/record-size-limit.ts';
import { renegotiationInfoExtension } from '../../src/handshake/messages/renegotiation-info.ts';
import { serverNameExtension } from '../../src/handshake/messages/server-name.ts';
import { sessionTicketExtension } from '../../src/handshake/messages/session-ticket.ts';
import { signatureAlgorithmsCertExtension, signatureAlgorithmsExtension } from '../../src/handshake/messages/signature-algorithms.ts';
import { statusRequestExtension } from '../../src/handshake/messages/status-request.ts';
import { supportedGroupsExtension } from '../../src/handshake/messages/supported-groups.ts';
import { supportedVersionsClientExtension } from '../../src/handshake/messages/supported-versions.ts';
import { ExtensionType } from '../../src/wire/registry.ts';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });

export function bytes(minLength: number, maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ minLength, maxLength });
}

/** Known extension types (so typed views see them) and any other 16-bit value. */
const extensionType = fc.oneof(fc.constantFrom(...Object.values(ExtensionType)), u16);

/** An extension of any type but pre_shared_key, with opaque data. */
export const genericExtension: fc.Arbitrary<Extension> = fc.record({
  type: extensionType.filter((t) => t !== ExtensionType.pre_shared_key),
  data: bytes(0, 24),
});

/**
 * `Extension extensions<..>` with distinct types and opaque data. Never
 * pre_shared_key, which RFC 8446 §4.2.11 pins to the end of a ClientHello;
 * hellos that carry one add it last themselves.
 */
export function extensions(maxLength = 6): fc.Arbitrary<Extension[]> {
  return fc.uniqueArray(genericExtension, { maxLength, selector: (e) => e.type });
}

/** A list of 16-bit code points (cipher suites, groups, schemes, versions) of `min..max` entries. */
export function u16List(min: number, max: number): fc.Arbitrary<number[]> {
  return fc.array(u16, { minLength: min, maxLength: max });
}

/** A host_name RFC 6066 §3 accepts here: printable ASCII, no trailing dot. */
export const hostName: fc.Arbitrary<string> = fc
  .array(fc.integer({ min: 0x21, max: 0x7e }), { minLength: 1, maxLength: 40 })
  .map((codes) => String.fromCharCode(...codes))
  .filter((name) => !name.endsWith('.'));

/** An extension TLS 1.3 or TLS 1.2 uses, with well-formed data, so typed views get past the first byte. */
export const wellFormedExtension: fc.Arbitrary<Extension> = fc.oneof(
  hostName.map(serverNameExtension),
  u16List(1, 6).map(supportedVersionsClientExtension),
  u16List(1, 6).map(supportedGroupsExtension),
  u16List(1, 6).map(signatureAlgorithmsExtension),
  u16List(1, 6).map(signatureAlgorithmsCertExtension),
  fc.uniqueArray(fc.record({ group: u16, keyExchange: bytes(1, 40) }), { maxLength: 3, selector: (e) => e.group }).map(keyShareClientExtension),
  fc.array(bytes(1, 10), { minLength: 1, maxLength: 3 }).map(alpnExtension),
  bytes(1, 40).map(cookieExtension),
  fc.array(u8, { minLength: 1, maxLength: 3 }).map(pskKeyExchangeModesExtension),
  fc.constant(earlyDataExtension()),
  fc.integer({ min: 0, max: 5 }).map(maxFragmentLengthExtension),
  fc.integer({ min: 0, max: 0xffff }).map(recordSizeLimitExtension),
  fc.constant(statusRequestExtension()),
  fc.constant<Extension>({ type: ExtensionType.post_handshake_auth, data: new Uint8Array(0) }),
  // TLS 1.2's (RFC 7627, RFC 5746, RFC 8422 §5.1.2, RFC 5077 §3.2).
  fc.constant(extendedMasterSecretExtension()),
  bytes(0, 12).map(renegotiationInfoExtension),
  fc.array(u8, { minLength: 1, maxLength: 3 }).map(ecPointFormatsExtension),
  bytes(0, 40).map(sessionTicketExtension),
);

/** Extension lists that mix opaque data and well-formed known extensions, distinct types, no pre_shared_key. */
export function mixedExtensions(maxLength = 8): fc.Arbitrary<Extension[]> {
  return fc.uniqueArray(fc.oneof(genericExtension, wellFormedExtension), { maxLength, selector: (e) => e.type });
}

/** OfferedPsks (RFC 8446 §4.2.11): one binder per identity. */
export const offeredPsks: fc.Arbitrary<OfferedPsks> = fc.integer({ min: 1, max: 3 }).chain((n) =>
  fc.record({
    identities: fc.array(fc.record({ identity: bytes(1, 20), obfuscatedTicketAge: u32 }), { minLength: n, maxLength: n }),
    binders: fc.array(bytes(32, 48), { minLength: n, maxLength: n }),
  }),
);

/** A pre_shared_key offer, which a ClientHello must carry last. */
export const preSharedKeyOffer: fc.Arbitrary<Extension> = offeredPsks.map(preSharedKeyClientExtension);
