import { describe, expect, it } from 'vitest';
import type { CertificateRequest12 } from '../../../src/handshake/messages/certificate-request12.ts';
import { ClientCertificateType, decodeCertificateRequest12, encodeCertificateRequest12 } from '../../../src/handshake/messages/certificate-request12.ts';
import { decodeCertificate12, encodeCertificate12 } from '../../../src/handshake/messages/certificate12.ts';
import { decodeClientKeyExchange12, encodeClientKeyExchange12 } from '../../../src/handshake/messages/client-key-exchange12.ts';
import { decodeEcPointFormats, ecPointFormatsExtension, UNCOMPRESSED } from '../../../src/handshake/messages/ec-point-formats.ts';
import { decodeEmptyMessage } from '../../../src/handshake/messages/empty-message.ts';
import { decodeExtendedMasterSecret, extendedMasterSecretExtension } from '../../../src/handshake/messages/extended-master-secret.ts';
import type { NewSessionTicket12 } from '../../../src/handshake/messages/new-session-ticket12.ts';
import { decodeNewSessionTicket12, encodeNewSessionTicket12 } from '../../../src/handshake/messages/new-session-ticket12.ts';
import { decodeRenegotiationInfo, renegotiationInfoExtension } from '../../../src/handshake/messages/renegotiation-info.ts';
import type { ServerKeyExchange12 } from '../../../src/handshake/messages/server-key-exchange12.ts';
import {
  decodeServerKeyExchange12,
  encodeServerKeyExchange12,
  serverKeyExchangeParams,
  serverKeyExchangeSignedContent,
} from '../../../src/handshake/messages/server-key-exchange12.ts';
import { decodeSessionTicket, sessionTicketExtension } from '../../../src/handshake/messages/session-ticket.ts';
import { concatBytes, toHex } from '../../../src/wire/bytes.ts';
import { AlertDescription as A, ExtensionType, NamedGroup, SignatureScheme } from '../../../src/wire/registry.ts';
import { expectDecodeError, expectRejected, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

/** Round trip, every truncation, and a trailing byte. */
function codecProperties<T>(encoded: Uint8Array, decode: (b: Uint8Array) => T, value: T): void {
  expect(decode(encoded)).toEqual(value);
  expectTruncationsRejected(encoded, decode);
  expectTrailingRejected(encoded, decode);
}

const point = (length: number, fill: number) => new Uint8Array(length).fill(fill);

describe('ServerKeyExchange for ECDHE (RFC 8422 §5.4, RFC 5246 §7.4.3)', () => {
  const message: ServerKeyExchange12 = {
    group: NamedGroup.x25519,
    publicKey: point(32, 0xaa),
    algorithm: SignatureScheme.ecdsa_secp256r1_sha256,
    signature: hex('3006020101020102'),
  };
  const body = encodeServerKeyExchange12(message);

  it('lays out curve_type named_curve, namedcurve, point<1..2^8-1>, algorithm and signature<0..2^16-1>', () => {
    expect(toHex(body)).toBe('03' + '001d' + '20' + 'aa'.repeat(32) + '0403' + '0008' + '3006020101020102');
    codecProperties(body, decodeServerKeyExchange12, message);
  });

  it('signs client_random + server_random + the ServerECDHParams bytes it sends', () => {
    const params = serverKeyExchangeParams(message.group, message.publicKey);
    expect(body.subarray(0, params.length)).toEqual(params);
    const clientRandom = point(32, 1);
    const serverRandom = point(32, 2);
    expect(serverKeyExchangeSignedContent(clientRandom, serverRandom, params)).toEqual(concatBytes(clientRandom, serverRandom, params));
  });

  it('reads a P-256 point and an empty signature', () => {
    const p256: ServerKeyExchange12 = { group: NamedGroup.secp256r1, publicKey: concatBytes(hex('04'), point(64, 7)), algorithm: SignatureScheme.rsa_pkcs1_sha256, signature: new Uint8Array(0) };
    expect(decodeServerKeyExchange12(encodeServerKeyExchange12(p256))).toEqual(p256);
  });

  it('refuses an empty point', () => {
    expectDecodeError(() => decodeServerKeyExchange12(hex('03001d00' + '0403' + '0000')), 'ServerECDHParams.public');
  });

  it.each([
    ['explicit_prime', 1],
    ['explicit_char2', 2],
    ['unassigned', 0],
    ['unassigned', 255],
  ])('refuses curve_type %s (%i) with illegal_parameter', (_, curveType) => {
    const other = body.slice();
    other[0] = curveType;
    expectRejected(() => decodeServerKeyExchange12(other), 'IllegalParameter', A.illegal_parameter);
  });
});

describe('ClientKeyExchange for ECDHE (RFC 8422 §5.7)', () => {
  const publicKey = concatBytes(hex('04'), point(96, 9));
  const body = encodeClientKeyExchange12(publicKey);

  it('is `opaque point <1..2^8-1>`', () => {
    expect(toHex(body)).toBe('61' + toHex(publicKey));
    codecProperties(body, decodeClientKeyExchange12, publicKey);
  });

  it('refuses an empty point', () => {
    expectDecodeError(() => decodeClientKeyExchange12(hex('00')), 'ClientECDiffieHellmanPublic.ecdh_Yc');
  });
});

describe('Certificate (RFC 5246 §7.4.2)', () => {
  const chain = [hex('308203'), hex('3082')];
  const body = encodeCertificate12(chain);

  it('is certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>', () => {
    expect(toHex(body)).toBe('00000b' + '000003' + '308203' + '000002' + '3082');
    codecProperties(body, decodeCertificate12, chain);
  });

  it('may be empty (a client without a certificate, RFC 5246 §7.4.6)', () => {
    expect(toHex(encodeCertificate12([]))).toBe('000000');
    expect(decodeCertificate12(hex('000000'))).toEqual([]);
  });

  it('refuses an empty certificate in the list', () => {
    expectDecodeError(() => decodeCertificate12(hex('000003' + '000000')), 'ASN.1Cert');
  });
});

describe('CertificateRequest (RFC 5246 §7.4.4, RFC 8422 §5.5)', () => {
  const message: CertificateRequest12 = {
    certificateTypes: [ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign],
    signatureAlgorithms: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256],
    certificateAuthorities: [hex('3000'), hex('300231')],
  };
  const body = encodeCertificateRequest12(message);

  it('has the registry values rsa_sign(1) and ecdsa_sign(64)', () => {
    expect(ClientCertificateType).toEqual({ rsa_sign: 1, ecdsa_sign: 64 });
  });

  it('lays out certificate_types<1..2^8-1>, supported_signature_algorithms<2..2^16-2>, certificate_authorities<0..2^16-1>', () => {
    expect(toHex(body)).toBe('02' + '0140' + '0004' + '0403' + '0804' + '0009' + '0002' + '3000' + '0003' + '300231');
    codecProperties(body, decodeCertificateRequest12, message);
  });

  it('accepts no certificate authorities', () => {
    const none = { ...message, certificateAuthorities: [] };
    expect(decodeCertificateRequest12(encodeCertificateRequest12(none))).toEqual(none);
  });

  it('refuses an empty type list, an empty or odd algorithm list, and an empty name', () => {
    expectDecodeError(() => decodeCertificateRequest12(hex('00' + '0002' + '0403' + '0000')), 'CertificateRequest.certificate_types');
    expectDecodeError(() => decodeCertificateRequest12(hex('0140' + '0000' + '0000')), 'CertificateRequest.supported_signature_algorithms');
    expectDecodeError(() => decodeCertificateRequest12(hex('0140' + '0003' + '040304' + '0000')), 'CertificateRequest.supported_signature_algorithms');
    expectDecodeError(() => decodeCertificateRequest12(hex('0140' + '0002' + '0403' + '0002' + '0000')), 'DistinguishedName');
  });
});

describe('NewSessionTicket (RFC 5077 §3.3)', () => {
  const message: NewSessionTicket12 = { ticketLifetimeHint: 7200, ticket: hex('0102030405') };
  const body = encodeNewSessionTicket12(message);

  it('is uint32 ticket_lifetime_hint and ticket<0..2^16-1>', () => {
    expect(toHex(body)).toBe('00001c20' + '0005' + '0102030405');
    codecProperties(body, decodeNewSessionTicket12, message);
  });

  it('may carry an empty ticket (the server changed its mind, RFC 5077 §3.3)', () => {
    const empty = { ticketLifetimeHint: 0, ticket: new Uint8Array(0) };
    expect(toHex(encodeNewSessionTicket12(empty))).toBe('000000000000');
    expect(decodeNewSessionTicket12(hex('000000000000'))).toEqual(empty);
  });
});

describe('HelloRequest and ServerHelloDone (RFC 5246 §7.4.1.1, §7.4.5)', () => {
  it.each(['HelloRequest', 'ServerHelloDone'])('%s is empty, and a byte in it is a decode_error naming the message', (name) => {
    expect(decodeEmptyMessage(new Uint8Array(0), name)).toBeUndefined();
    expectDecodeError(() => decodeEmptyMessage(hex('00'), name), name);
    expectDecodeError(() => decodeEmptyMessage(hex('0e000000'), name), name);
  });
});

describe('TLS 1.2 extensions', () => {
  it('renegotiation_info (RFC 5746 §3.2): renegotiated_connection<0..255>', () => {
    const empty = renegotiationInfoExtension(new Uint8Array(0));
    expect(empty.type).toBe(ExtensionType.renegotiation_info);
    expect(toHex(empty.data)).toBe('00');
    expect(decodeRenegotiationInfo(empty.data)).toEqual(new Uint8Array(0));
    const verifyData = point(24, 0x5c); // client and server verify_data after a renegotiation (§3.5)
    const full = renegotiationInfoExtension(verifyData);
    expect(toHex(full.data)).toBe('18' + '5c'.repeat(24));
    codecProperties(full.data, decodeRenegotiationInfo, verifyData);
    expectDecodeError(() => decodeRenegotiationInfo(new Uint8Array(0)), 'RenegotiationInfo.renegotiated_connection');
    expect(() => renegotiationInfoExtension(new Uint8Array(256))).toThrow(RangeError);
  });

  it('extended_master_secret (RFC 7627 §5.1): empty, anything else a decode_error', () => {
    const ext = extendedMasterSecretExtension();
    expect(ext).toEqual({ type: ExtensionType.extended_master_secret, data: new Uint8Array(0) });
    expect(decodeExtendedMasterSecret(ext.data)).toBe(true);
    expectDecodeError(() => decodeExtendedMasterSecret(hex('00')), 'extended_master_secret');
  });

  it('ec_point_formats (RFC 8422 §5.1.2): ec_point_format_list<1..2^8-1>', () => {
    expect(UNCOMPRESSED).toBe(0);
    const ext = ecPointFormatsExtension([UNCOMPRESSED]);
    expect(ext.type).toBe(ExtensionType.ec_point_formats);
    expect(toHex(ext.data)).toBe('0100');
    codecProperties(ext.data, decodeEcPointFormats, [UNCOMPRESSED]);
    // OpenSSL's ClientHello lists uncompressed and both deprecated compressed formats.
    expect(decodeEcPointFormats(hex('03000102'))).toEqual([0, 1, 2]);
    expectDecodeError(() => decodeEcPointFormats(hex('00')), 'ECPointFormatList.ec_point_format_list');
  });

  it('session_ticket (RFC 5077 §3.2): the data is the ticket itself, possibly empty', () => {
    const ticket = hex('deadbeef00');
    const ext = sessionTicketExtension(ticket);
    expect(ext).toEqual({ type: ExtensionType.session_ticket, data: ticket });
    expect(decodeSessionTicket(ext.data)).toEqual(ticket);
    const empty = sessionTicketExtension(new Uint8Array(0));
    expect(empty.data.length).toBe(0);
    expect(decodeSessionTicket(empty.data)).toEqual(new Uint8Array(0));
  });
});
