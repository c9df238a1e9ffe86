/**
 * Property tests for every extension codec of src/handshake/messages/
 * (RFC 8446 §4.2 and the extensions' own RFCs): round trip and arbitrary
 * bytes, as `codec-properties.ts` defines them.
 */
import fc from 'fast-check';
import { alpnExtension, decodeAlpn, decodeAlpnSelected } from '../../src/handshake/messages/alpn.ts';
import { cookieExtension, decodeCookie } from '../../src/handshake/messages/cookie.ts';
import { decodeEarlyData, decodeEarlyDataTicket, earlyDataExtension, earlyDataTicketExtension } from '../../src/handshake/messages/early-data.ts';
import {
  decodeKeyShareClient,
  decodeKeyShareRetry,
  decodeKeyShareServer,
  keyShareClientExtension,
  keyShareRetryExtension,
  keyShareServerExtension,
} from '../../src/handshake/messages/key-share.ts';
import { decodeMaxFragmentLength, MaxFragmentLength, maxFragmentLengthExtension } from '../../src/handshake/messages/max-fragment-length.ts';
import {
  decodePreSharedKeyClient,
  decodePreSharedKeyServer,
  decodePskKeyExchangeModes,
  preSharedKeyClientExtension,
  preSharedKeyServerExtension,
  pskKeyExchangeModesExtension,
} from '../../src/handshake/messages/psk.ts';
import { decodeRecordSizeLimit, MIN_RECORD_SIZE_LIMIT, recordSizeLimitExtension } from '../../src/handshake/messages/record-size-limit.ts';
import { decodeServerName, decodeServerNameAck, serverNameAckExtension, serverNameExtension } from '../../src/handshake/messages/server-name.ts';
import { decodeSignatureAlgorithms, signatureAlgorithmsExtension } from '../../src/handshake/messages/signature-algorithms.ts';
import { certificateStatusExtension, decodeCertificateStatus, decodeStatusRequest, statusRequestExtension } from '../../src/handshake/messages/status-request.ts';
import { decodeSupportedGroups, supportedGroupsExtension } from '../../src/handshake/messages/supported-groups.ts';
import {
  decodeSupportedVersionsClient,
  decodeSupportedVersionsServer,
  supportedVersionsClientExtension,
  supportedVersionsServerExtension,
} from '../../src/handshake/messages/supported-versions.ts';
import { CertificateStatusType } from '../../src/wire/registry.ts';
import { bytes, hostName, offeredPsks, u16, u16List, u32, u8 } from './codec-arbitraries.ts';
import { describeCodec } from './codec-properties.ts';

const keyShareEntry = fc.record({ group: u16, keyExchange: bytes(1, 100) });

describeCodec({
  name: 'server_name, client (RFC 6066 §3)',
  value: hostName,
  encode: (name: string | undefined) => serverNameExtension(name!).data,
  decode: decodeServerName,
  lossy: 'RFC 6066 §3: names of unknown NameType are skipped',
  encodable: (name) => name !== undefined,
});
describeCodec({ name: 'server_name, server acknowledgement', value: fc.constant(true as const), encode: () => serverNameAckExtension().data, decode: decodeServerNameAck });
describeCodec({
  name: 'application_layer_protocol_negotiation (RFC 7301 §3.1)',
  value: fc.array(bytes(1, 20), { minLength: 1, maxLength: 6 }),
  encode: (names) => alpnExtension(names).data,
  decode: decodeAlpn,
});
describeCodec({ name: 'ALPN, the server’s one protocol', value: bytes(1, 40), encode: (name) => alpnExtension([name]).data, decode: decodeAlpnSelected });
describeCodec({ name: 'cookie (RFC 8446 §4.2.2)', value: bytes(1, 300), encode: (c) => cookieExtension(c).data, decode: decodeCookie });
describeCodec({ name: 'early_data, empty (RFC 8446 §4.2.10)', value: fc.constant(true as const), encode: () => earlyDataExtension().data, decode: decodeEarlyData });
describeCodec({ name: 'early_data, max_early_data_size', value: u32, encode: (n) => earlyDataTicketExtension(n).data, decode: decodeEarlyDataTicket });
describeCodec({
  name: 'key_share, client (RFC 8446 §4.2.8)',
  value: fc.uniqueArray(keyShareEntry, { maxLength: 5, selector: (e) => e.group }),
  encode: (entries) => keyShareClientExtension(entries).data,
  decode: decodeKeyShareClient,
});
describeCodec({ name: 'key_share, server', value: keyShareEntry, encode: (e) => keyShareServerExtension(e).data, decode: decodeKeyShareServer });
describeCodec({ name: 'key_share, HelloRetryRequest', value: u16, encode: (g) => keyShareRetryExtension(g).data, decode: decodeKeyShareRetry });
describeCodec({
  name: 'max_fragment_length (RFC 6066 §4)',
  value: fc.constantFrom(...Object.values(MaxFragmentLength)),
  encode: (code: number) => maxFragmentLengthExtension(code).data,
  decode: decodeMaxFragmentLength,
});
describeCodec({
  name: 'psk_key_exchange_modes (RFC 8446 §4.2.9)',
  value: fc.array(u8, { minLength: 1, maxLength: 10 }),
  encode: (modes) => pskKeyExchangeModesExtension(modes).data,
  decode: decodePskKeyExchangeModes,
});
describeCodec({
  name: 'pre_shared_key, client (RFC 8446 §4.2.11)',
  value: offeredPsks,
  encode: (offered) => preSharedKeyClientExtension(offered).data,
  decode: decodePreSharedKeyClient,
});
describeCodec({ name: 'pre_shared_key, server', value: u16, encode: (i) => preSharedKeyServerExtension(i).data, decode: decodePreSharedKeyServer });
describeCodec({
  name: 'record_size_limit (RFC 8449 §4)',
  value: fc.integer({ min: MIN_RECORD_SIZE_LIMIT, max: 0xffff }),
  encode: (limit) => recordSizeLimitExtension(limit).data,
  decode: decodeRecordSizeLimit,
});
describeCodec({
  name: 'signature_algorithms (RFC 8446 §4.2.3)',
  value: u16List(1, 20),
  encode: (schemes) => signatureAlgorithmsExtension(schemes).data,
  decode: decodeSignatureAlgorithms,
});
describeCodec({
  name: 'status_request, client (RFC 6066 §8)',
  value: fc.record({
    statusType: fc.constant<number>(CertificateStatusType.ocsp),
    ocsp: fc.record({ responderIdList: fc.array(bytes(1, 20), { maxLength: 4 }), requestExtensions: bytes(0, 20) }),
  }),
  encode: (request) => statusRequestExtension(request.ocsp).data,
  decode: decodeStatusRequest,
  encodable: (request) => request.ocsp !== undefined,
});
describeCodec({ name: 'status_request, CertificateStatus (RFC 8446 §4.4.2.1)', value: bytes(1, 200), encode: (r) => certificateStatusExtension(r).data, decode: decodeCertificateStatus });
describeCodec({ name: 'supported_groups (RFC 8446 §4.2.7)', value: u16List(1, 20), encode: (g) => supportedGroupsExtension(g).data, decode: decodeSupportedGroups });
describeCodec({
  name: 'supported_versions, client (RFC 8446 §4.2.1)',
  value: u16List(1, 127),
  encode: (v) => supportedVersionsClientExtension(v).data,
  decode: decodeSupportedVersionsClient,
});
describeCodec({ name: 'supported_versions, server', value: u16, encode: (v) => supportedVersionsServerExtension(v).data, decode: decodeSupportedVersionsServer });
