import { describe, expect, it } from 'vitest';
import { alpnExtension } from '../../../src/handshake/messages/alpn.ts';
import type { Certificate } from '../../../src/handshake/messages/certificate.ts';
import { certificateEntryExtensions, decodeCertificate, encodeCertificate } from '../../../src/handshake/messages/certificate.ts';
import type { CertificateRequest } from '../../../src/handshake/messages/certificate-request.ts';
import { certificateRequestView, decodeCertificateRequest, encodeCertificateRequest } from '../../../src/handshake/messages/certificate-request.ts';
import { certificateVerifyContent, decodeCertificateVerify, encodeCertificateVerify } from '../../../src/handshake/messages/certificate-verify.ts';
import { earlyDataExtension, earlyDataTicketExtension } from '../../../src/handshake/messages/early-data.ts';
import { decodeEncryptedExtensions, encodeEncryptedExtensions, encryptedExtensionsView } from '../../../src/handshake/messages/encrypted-extensions.ts';
import { decodeEndOfEarlyData, encodeEndOfEarlyData } from '../../../src/handshake/messages/end-of-early-data.ts';
import { decodeFinished, encodeFinished } from '../../../src/handshake/messages/finished.ts';
import { decodeKeyUpdate, encodeKeyUpdate } from '../../../src/handshake/messages/key-update.ts';
import type { NewSessionTicket } from '../../../src/handshake/messages/new-session-ticket.ts';
import { decodeNewSessionTicket, encodeNewSessionTicket, newSessionTicketView } from '../../../src/handshake/messages/new-session-ticket.ts';
import { recordSizeLimitExtension } from '../../../src/handshake/messages/record-size-limit.ts';
import { serverNameAckExtension } from '../../../src/handshake/messages/server-name.ts';
import { signatureAlgorithmsCertExtension, signatureAlgorithmsExtension } from '../../../src/handshake/messages/signature-algorithms.ts';
import { certificateStatusExtension } from '../../../src/handshake/messages/status-request.ts';
import { supportedGroupsExtension } from '../../../src/handshake/messages/supported-groups.ts';
import { toHex, utf8 } from '../../../src/wire/bytes.ts';
import { AlertDescription as A } from '../../../src/wire/registry.ts';
import { expectDecodeError, expectRejected, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

/** Round trip, every truncation, and a trailing byte. */
function codecProperties<T>(encoded: Uint8Array, decode: (b: Uint8Array) => T, value: T): void {
  expect(decode(encoded)).toEqual(value);
  expectTruncationsRejected(encoded, decode);
  expectTrailingRejected(encoded, decode);
}

describe('EncryptedExtensions (RFC 8446 §4.3.1)', () => {
  const message = {
    extensions: [serverNameAckExtension(), supportedGroupsExtension([0x1d]), alpnExtension([utf8('h2')]), earlyDataExtension(), recordSizeLimitExtension(1024)],
  };
  const body = encodeEncryptedExtensions(message);

  it('encodes `Extension extensions<0..2^16-1>` and round-trips', () => {
    expect(toHex(body.subarray(0, 2))).toBe((body.length - 2).toString(16).padStart(4, '0'));
    codecProperties(body, decodeEncryptedExtensions, message);
    expect(decodeEncryptedExtensions(hex('0000'))).toEqual({ extensions: [] });
  });

  it('gives a typed view', () => {
    expect(encryptedExtensionsView(message)).toEqual({
      types: [0, 10, 16, 42, 28],
      serverNameAck: true,
      supportedGroups: [0x1d],
      alpn: utf8('h2'),
      earlyData: true,
      maxFragmentLength: undefined,
      recordSizeLimit: 1024,
    });
    expect(encryptedExtensionsView({ extensions: [] }).serverNameAck).toBe(false);
  });

  it('rejects a server ALPN reply naming two protocols', () => {
    expectDecodeError(() => encryptedExtensionsView({ extensions: [alpnExtension([utf8('a'), utf8('b')])] }), 'ProtocolNameList.protocol_name_list');
  });

  it('rejects a repeated extension with illegal_parameter', () => {
    const twice = encodeEncryptedExtensions({ extensions: [earlyDataExtension(), earlyDataExtension()] });
    expectRejected(() => decodeEncryptedExtensions(twice), 'DuplicateExtension', A.illegal_parameter);
  });
});

describe('Certificate (RFC 8446 §4.4.2)', () => {
  const message: Certificate = {
    certificateRequestContext: hex('0a0b'),
    certificateList: [
      { certData: hex('308201'), extensions: [certificateStatusExtension(hex('3003'))] },
      { certData: hex('3082'), extensions: [] },
    ],
  };
  const body = encodeCertificate(message);

  it('lays out context, certificate_list<0..2^24-1>, cert_data<1..2^24-1> and extensions', () => {
    const status = '01' + '000002' + '3003'; // CertificateStatus: ocsp, OCSPResponse<1..2^24-1>
    const entry1 = '000003' + '308201' + '000a' + '0005' + '0006' + status;
    const entry2 = '000002' + '3082' + '0000';
    expect(toHex(body)).toBe('02' + '0a0b' + '000019' + entry1 + entry2);
    codecProperties(body, decodeCertificate, message);
  });

  it('decodes an empty list and an empty context', () => {
    expect(decodeCertificate(hex('00000000'))).toEqual({ certificateRequestContext: new Uint8Array(0), certificateList: [] });
  });

  it('rejects empty cert_data', () => {
    expectDecodeError(() => decodeCertificate(hex('00' + '000005' + '000000' + '0000')), 'CertificateEntry.cert_data');
  });

  it('gives a typed view of an entry', () => {
    expect(certificateEntryExtensions(message.certificateList[0]!)).toEqual({ types: [5], ocspResponse: hex('3003'), signedCertificateTimestamps: undefined });
  });

  it('rejects a repeated extension in an entry with illegal_parameter', () => {
    const twice = encodeCertificate({ certificateRequestContext: new Uint8Array(0), certificateList: [{ certData: hex('30'), extensions: [certificateStatusExtension(hex('30')), certificateStatusExtension(hex('30'))] }] });
    expectRejected(() => decodeCertificate(twice), 'DuplicateExtension', A.illegal_parameter);
  });
});

describe('CertificateRequest (RFC 8446 §4.3.2)', () => {
  const message: CertificateRequest = {
    certificateRequestContext: new Uint8Array(0),
    extensions: [signatureAlgorithmsExtension([0x0403, 0x0804]), signatureAlgorithmsCertExtension([0x0807]), { type: 5, data: new Uint8Array(0) }],
  };
  const body = encodeCertificateRequest(message);

  it('round-trips and gives a typed view', () => {
    expect(toHex(body.subarray(0, 3))).toBe('00' + (body.length - 3).toString(16).padStart(4, '0'));
    codecProperties(body, decodeCertificateRequest, message);
    expect(certificateRequestView(message)).toEqual({
      types: [13, 50, 5],
      signatureAlgorithms: [0x0403, 0x0804],
      signatureAlgorithmsCert: [0x0807],
      statusRequest: true,
      signedCertificateTimestamp: false,
    });
  });

  it('enforces extensions<2..2^16-1> and certificate_request_context<0..255>', () => {
    expectDecodeError(() => decodeCertificateRequest(hex('000000')), 'CertificateRequest.extensions');
    expectDecodeError(() => decodeCertificateRequest(hex('05aa')), 'CertificateRequest.certificate_request_context');
  });

  it('requires signature_algorithms: missing_extension', () => {
    const without = encodeCertificateRequest({ certificateRequestContext: new Uint8Array(0), extensions: [signatureAlgorithmsCertExtension([0x0807])] });
    expectRejected(() => decodeCertificateRequest(without), 'MissingExtension', A.missing_extension);
    expectRejected(() => certificateRequestView({ certificateRequestContext: new Uint8Array(0), extensions: [] }), 'MissingExtension', A.missing_extension);
  });
});

describe('CertificateVerify (RFC 8446 §4.4.3)', () => {
  it('round-trips algorithm and signature<0..2^16-1>', () => {
    const message = { algorithm: 0x0804, signature: hex('0102030405') };
    const body = encodeCertificateVerify(message);
    expect(toHex(body)).toBe('080400050102030405');
    codecProperties(body, decodeCertificateVerify, message);
    expect(decodeCertificateVerify(hex('04030000')).signature).toHaveLength(0);
  });

  it('builds the signed content: 64 spaces, the context string, 0, the transcript hash', () => {
    const hash = new Uint8Array(32).fill(0xab);
    const server = certificateVerifyContent('server', hash);
    expect(toHex(server)).toBe('20'.repeat(64) + toHex(utf8('TLS 1.3, server CertificateVerify')) + '00' + 'ab'.repeat(32));
    expect(toHex(certificateVerifyContent('client', hash)).slice(128, 128 + 66)).toBe(toHex(utf8('TLS 1.3, client CertificateVerify')));
  });
});

describe('Finished (RFC 8446 §4.4.4)', () => {
  it('is verify_data of exactly Hash.length bytes', () => {
    const verifyData = new Uint8Array(32).fill(3);
    expect(encodeFinished(verifyData)).toEqual(verifyData);
    expect(decodeFinished(verifyData, 32)).toEqual(verifyData);
    expectDecodeError(() => decodeFinished(verifyData, 48), 'Finished.verify_data');
    expectDecodeError(() => decodeFinished(verifyData.subarray(1), 32), 'Finished.verify_data');
    expectTruncationsRejected(verifyData, (b) => decodeFinished(b, 32));
    expectTrailingRejected(verifyData, (b) => decodeFinished(b, 32));
  });
});

describe('NewSessionTicket (RFC 8446 §4.6.1)', () => {
  const message: NewSessionTicket = {
    ticketLifetime: 7200,
    ticketAgeAdd: 0xfedcba98,
    ticketNonce: hex('0001'),
    ticket: hex('cafe'),
    extensions: [earlyDataTicketExtension(1024)],
  };
  const body = encodeNewSessionTicket(message);

  it('lays out the fields and round-trips', () => {
    expect(toHex(body)).toBe('00001c20' + 'fedcba98' + '020001' + '0002cafe' + '0008' + '002a0004' + '00000400');
    codecProperties(body, decodeNewSessionTicket, message);
    expect(newSessionTicketView(message)).toEqual({ types: [42], maxEarlyDataSize: 1024 });
  });

  it('enforces ticket<1..2^16-1>, ticket_nonce<0..255> and extensions<0..2^16-2>', () => {
    expectDecodeError(() => decodeNewSessionTicket(hex('00000000' + '00000000' + '00' + '0000' + '0000')), 'NewSessionTicket.ticket');
    expect(decodeNewSessionTicket(hex('00000000' + '00000000' + 'ff' + '00'.repeat(255) + '0001aa' + '0000')).ticketNonce).toHaveLength(255);
    const big = 'ffff' + '00'.repeat(65535);
    expectDecodeError(() => decodeNewSessionTicket(hex('00000000' + '00000000' + '00' + '0001aa' + big)), 'NewSessionTicket.extensions');
  });

  it('rejects a lifetime over 604800 seconds with illegal_parameter', () => {
    expect(decodeNewSessionTicket(encodeNewSessionTicket({ ...message, ticketLifetime: 604800 })).ticketLifetime).toBe(604800);
    const long = encodeNewSessionTicket({ ...message, ticketLifetime: 604801 });
    expectRejected(() => decodeNewSessionTicket(long), 'TicketLifetimeTooLong', A.illegal_parameter);
  });
});

describe('KeyUpdate (RFC 8446 §4.6.3)', () => {
  it('is one byte, 0 or 1', () => {
    expect(toHex(encodeKeyUpdate(1))).toBe('01');
    codecProperties(hex('00'), decodeKeyUpdate, 0);
    codecProperties(hex('01'), decodeKeyUpdate, 1);
  });

  it('rejects any other value with illegal_parameter', () => {
    for (const value of [2, 0x80, 0xff]) {
      expectRejected(() => decodeKeyUpdate(new Uint8Array([value])), 'BadKeyUpdate', A.illegal_parameter);
    }
  });
});

describe('EndOfEarlyData (RFC 8446 §4.5)', () => {
  it('is empty', () => {
    expect(encodeEndOfEarlyData()).toHaveLength(0);
    decodeEndOfEarlyData(new Uint8Array(0));
    expectDecodeError(() => decodeEndOfEarlyData(hex('00')), 'EndOfEarlyData');
  });
});
