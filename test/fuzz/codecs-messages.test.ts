/**
 * Property tests for every handshake message codec (RFC 8446 §4): the
 * message frame, the hellos, EncryptedExtensions, Certificate,
 * CertificateRequest, CertificateVerify, Finished, EndOfEarlyData, KeyUpdate,
 * NewSessionTicket and message_hash; each message's typed view runs on every
 * decoded value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { certificateRequestView, decodeCertificateRequest, encodeCertificateRequest } from '../../src/handshake/messages/certificate-request.ts';
import { decodeCertificateVerify, encodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { certificateEntryExtensions, decodeCertificate, encodeCertificate } from '../../src/handshake/messages/certificate.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import { checkClientHello13, clientHelloExtensions, decodeClientHello, encodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeEncryptedExtensions, encodeEncryptedExtensions, encryptedExtensionsView } from '../../src/handshake/messages/encrypted-extensions.ts';
import { decodeEndOfEarlyData, encodeEndOfEarlyData } from '../../src/handshake/messages/end-of-early-data.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { checkAllowed, checkAllowed12 } from '../../src/handshake/messages/extensions.ts';
import { decodeFinished, encodeFinished } from '../../src/handshake/messages/finished.ts';
import { encodeHandshake, parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeKeyUpdate, encodeKeyUpdate } from '../../src/handshake/messages/key-update.ts';
import { encodeMessageHash } from '../../src/handshake/messages/message-hash.ts';
import { decodeNewSessionTicket, encodeNewSessionTicket, MAX_TICKET_LIFETIME, newSessionTicketView } from '../../src/handshake/messages/new-session-ticket.ts';
import type { ServerHello } from '../../src/handshake/messages/server-hello.ts';
import {
  decodeServerHello,
  encodeServerHello,
  HELLO_RETRY_REQUEST_RANDOM,
  helloRetryRequestExtensions,
  isHelloRetryRequest,
  serverHelloExtensions,
} from '../../src/handshake/messages/server-hello.ts';
import { signatureAlgorithmsExtension } from '../../src/handshake/messages/signature-algorithms.ts';
import { concatBytes, toHex } from '../../src/wire/bytes.ts';
import { DecodeError } from '../../src/wire/errors.ts';
import { ExtensionType, HandshakeType, KeyUpdateRequest } from '../../src/wire/registry.ts';
import { bytes, extensions, mixedExtensions, preSharedKeyOffer, u16, u16List, u32, u8 } from './codec-arbitraries.ts';
import { describeCodec } from './codec-properties.ts';

/** Every type we know counts as offered, so `checkAllowed` judges a response by RFC 8446 §4.2's table alone. */
const EVERY_TYPE: readonly number[] = Object.values(ExtensionType);

describeCodec({
  name: 'Handshake frame (RFC 8446 §4)',
  value: fc.record({ type: u8, body: bytes(0, 100) }),
  encode: (m) => encodeHandshake(m.type, m.body),
  decode: parseHandshake,
});

describeCodec({
  name: 'message_hash (RFC 8446 §4.4.1)',
  value: bytes(32, 48),
  encode: encodeMessageHash,
  decode: (message) => {
    const { type, body } = parseHandshake(message);
    if (type !== HandshakeType.message_hash) throw new DecodeError('Handshake.msg_type', `${type} is not message_hash`);
    return body;
  },
});

const clientHello: fc.Arbitrary<ClientHello> = fc.record({
  legacyVersion: u16,
  random: bytes(32, 32),
  legacySessionId: bytes(0, 32),
  cipherSuites: u16List(1, 12),
  legacyCompressionMethods: fc.array(u8, { minLength: 1, maxLength: 4 }),
  extensions: fc
    .tuple(mixedExtensions(), fc.option(preSharedKeyOffer))
    .map(([list, psk]): Extension[] => (psk ? [...list, psk] : list)),
});

describeCodec({
  name: 'ClientHello (RFC 8446 §4.1.2)',
  value: clientHello,
  encode: encodeClientHello,
  decode: decodeClientHello,
  decoded: (hello, raw) => ({ ...hello, raw }),
  views: [checkClientHello13, (hello) => checkAllowed('CH', hello.extensions), (hello) => checkAllowed12('CH', hello.extensions), clientHelloExtensions],
});

const serverHello: fc.Arbitrary<ServerHello> = fc.record({
  legacyVersion: u16,
  random: fc.oneof(bytes(32, 32), fc.constant(HELLO_RETRY_REQUEST_RANDOM)),
  legacySessionIdEcho: bytes(0, 32),
  cipherSuite: u16,
  extensions: mixedExtensions(),
});

describeCodec({
  name: 'ServerHello and HelloRetryRequest (RFC 8446 §4.1.3)',
  value: serverHello,
  encode: encodeServerHello,
  decode: decodeServerHello,
  views: [
    (hello) => checkAllowed(isHelloRetryRequest(hello) ? 'HRR' : 'SH', hello.extensions, EVERY_TYPE),
    (hello) => isHelloRetryRequest(hello) || checkAllowed12('SH', hello.extensions, EVERY_TYPE),
    (hello) => (isHelloRetryRequest(hello) ? helloRetryRequestExtensions(hello) : serverHelloExtensions(hello)),
  ],
});

describeCodec({
  name: 'EncryptedExtensions (RFC 8446 §4.3.1)',
  value: fc.record({ extensions: mixedExtensions() }),
  encode: encodeEncryptedExtensions,
  decode: decodeEncryptedExtensions,
  views: [(message) => checkAllowed('EE', message.extensions, EVERY_TYPE), encryptedExtensionsView],
});

describeCodec({
  name: 'Certificate (RFC 8446 §4.4.2)',
  value: fc.record({
    certificateRequestContext: bytes(0, 8),
    certificateList: fc.array(fc.record({ certData: bytes(1, 60), extensions: extensions(3) }), { maxLength: 3 }),
  }),
  encode: encodeCertificate,
  decode: decodeCertificate,
  views: [
    (message) => message.certificateList.forEach((entry) => checkAllowed('CT', entry.extensions, EVERY_TYPE)),
    (message) => message.certificateList.map(certificateEntryExtensions),
  ],
});

describeCodec({
  name: 'CertificateRequest (RFC 8446 §4.3.2)',
  value: fc
    .tuple(bytes(0, 8), mixedExtensions(5), u16List(1, 6), fc.nat())
    .map(([certificateRequestContext, others, schemes, at]) => {
      const list = others.filter((e) => e.type !== ExtensionType.signature_algorithms);
      list.splice(at % (list.length + 1), 0, signatureAlgorithmsExtension(schemes));
      return { certificateRequestContext, extensions: list };
    }),
  encode: encodeCertificateRequest,
  decode: decodeCertificateRequest,
  views: [(message) => checkAllowed('CR', message.extensions), certificateRequestView],
});

describeCodec({
  name: 'CertificateVerify (RFC 8446 §4.4.3)',
  value: fc.record({ algorithm: u16, signature: bytes(0, 120) }),
  encode: encodeCertificateVerify,
  decode: decodeCertificateVerify,
});

describeCodec({ name: 'Finished, SHA-256 (RFC 8446 §4.4.4)', value: bytes(32, 32), encode: encodeFinished, decode: (body) => decodeFinished(body, 32) });
describeCodec({ name: 'Finished, SHA-384', value: bytes(48, 48), encode: encodeFinished, decode: (body) => decodeFinished(body, 48) });

describeCodec({
  name: 'EndOfEarlyData (RFC 8446 §4.5)',
  value: fc.constant(undefined),
  encode: encodeEndOfEarlyData,
  decode: decodeEndOfEarlyData,
});

describeCodec({
  name: 'KeyUpdate (RFC 8446 §4.6.3)',
  value: fc.constantFrom<number>(KeyUpdateRequest.update_not_requested, KeyUpdateRequest.update_requested),
  encode: encodeKeyUpdate,
  decode: decodeKeyUpdate,
});

describeCodec({
  name: 'NewSessionTicket (RFC 8446 §4.6.1)',
  value: fc.record({
    ticketLifetime: fc.integer({ min: 0, max: MAX_TICKET_LIFETIME }),
    ticketAgeAdd: u32,
    ticketNonce: bytes(0, 20),
    ticket: bytes(1, 80),
    extensions: mixedExtensions(4),
  }),
  encode: encodeNewSessionTicket,
  decode: decodeNewSessionTicket,
  views: [(message) => checkAllowed('NST', message.extensions), newSessionTicketView],
});

describe('found by the properties, and fixed', () => {
  const emptyBlock = Uint8Array.of(0, 0);
  const hello = encodeClientHello({ legacyVersion: 0x0303, random: new Uint8Array(32), legacySessionId: new Uint8Array(0), cipherSuites: [0x1301], legacyCompressionMethods: [0], extensions: [] });
  const server = encodeServerHello({ legacyVersion: 0x0303, random: new Uint8Array(32), legacySessionIdEcho: new Uint8Array(0), cipherSuite: 0x1301, extensions: [] });

  // RFC 5246 §7.4.1.2 lets the block be absent or present: the decoded value says which
  // (`emptyExtensionsBlock`), so `extensions<0..2^16-1>` sent empty comes back with its two length bytes.
  it('a ClientHello with an empty extensions block re-encodes with it (client-hello.ts)', () => {
    const input = concatBytes(hello, emptyBlock);
    expect(toHex(encodeClientHello(decodeClientHello(input)))).toBe(toHex(input));
  });

  it('a ServerHello with an empty extensions block re-encodes with it (server-hello.ts)', () => {
    const input = concatBytes(server, emptyBlock);
    expect(toHex(encodeServerHello(decodeServerHello(input)))).toBe(toHex(input));
  });
});
