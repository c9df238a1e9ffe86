/**
 * Property tests for the TLS 1.2 codecs (RFC 5246 §7.4, RFC 8422 §5, RFC 5077,
 * RFC 5746, RFC 7627): round trip and arbitrary bytes, as
 * `codec-properties.ts` defines them.
 */
import fc from 'fast-check';
import { decodeCertificateRequest12, encodeCertificateRequest12 } from '../../src/handshake/messages/certificate-request12.ts';
import { decodeCertificate12, encodeCertificate12 } from '../../src/handshake/messages/certificate12.ts';
import { decodeClientKeyExchange12, encodeClientKeyExchange12 } from '../../src/handshake/messages/client-key-exchange12.ts';
import { decodeEcPointFormats, ecPointFormatsExtension } from '../../src/handshake/messages/ec-point-formats.ts';
import { decodeEmptyMessage } from '../../src/handshake/messages/empty-message.ts';
import { decodeExtendedMasterSecret, extendedMasterSecretExtension } from '../../src/handshake/messages/extended-master-secret.ts';
import { decodeNewSessionTicket12, encodeNewSessionTicket12 } from '../../src/handshake/messages/new-session-ticket12.ts';
import { decodeRenegotiationInfo, renegotiationInfoExtension } from '../../src/handshake/messages/renegotiation-info.ts';
import { decodeServerKeyExchange12, encodeServerKeyExchange12 } from '../../src/handshake/messages/server-key-exchange12.ts';
import { decodeSessionTicket, sessionTicketExtension } from '../../src/handshake/messages/session-ticket.ts';
import { bytes, u16, u16List, u32, u8 } from './codec-arbitraries.ts';
import { describeCodec } from './codec-properties.ts';

describeCodec({ name: 'TLS 1.2 Certificate (RFC 5246 §7.4.2)', value: fc.array(bytes(1, 60), { maxLength: 4 }), encode: encodeCertificate12, decode: decodeCertificate12 });
describeCodec({
  name: 'TLS 1.2 CertificateRequest (RFC 5246 §7.4.4)',
  value: fc.record({
    certificateTypes: fc.array(u8, { minLength: 1, maxLength: 4 }),
    signatureAlgorithms: u16List(1, 8),
    certificateAuthorities: fc.array(bytes(1, 30), { maxLength: 3 }),
  }),
  encode: encodeCertificateRequest12,
  decode: decodeCertificateRequest12,
});
describeCodec({
  name: 'TLS 1.2 ServerKeyExchange, ECDHE (RFC 8422 §5.4)',
  value: fc.record({ group: u16, publicKey: bytes(1, 97), algorithm: u16, signature: bytes(0, 80) }),
  encode: encodeServerKeyExchange12,
  decode: decodeServerKeyExchange12,
});
describeCodec({ name: 'TLS 1.2 ClientKeyExchange, ECDHE (RFC 8422 §5.7)', value: bytes(1, 97), encode: encodeClientKeyExchange12, decode: decodeClientKeyExchange12 });
describeCodec({
  name: 'TLS 1.2 NewSessionTicket (RFC 5077 §3.3)',
  value: fc.record({ ticketLifetimeHint: u32, ticket: bytes(0, 80) }),
  encode: encodeNewSessionTicket12,
  decode: decodeNewSessionTicket12,
});
describeCodec({
  name: 'HelloRequest and ServerHelloDone (RFC 5246 §7.4.1.1, §7.4.5)',
  value: fc.constant(undefined),
  encode: () => new Uint8Array(0),
  decode: (body) => decodeEmptyMessage(body, 'ServerHelloDone'),
});
describeCodec({ name: 'ec_point_formats (RFC 8422 §5.1.2)', value: fc.array(u8, { minLength: 1, maxLength: 4 }), encode: (f) => ecPointFormatsExtension(f).data, decode: decodeEcPointFormats });
describeCodec({ name: 'extended_master_secret (RFC 7627 §5.1)', value: fc.constant(true as const), encode: () => extendedMasterSecretExtension().data, decode: decodeExtendedMasterSecret });
describeCodec({ name: 'renegotiation_info (RFC 5746 §3.2)', value: bytes(0, 48), encode: (v) => renegotiationInfoExtension(v).data, decode: decodeRenegotiationInfo });
describeCodec({ name: 'session_ticket (RFC 5077 §3.2)', value: bytes(0, 80), encode: (t) => sessionTicketExtension(t).data, decode: decodeSessionTicket });
