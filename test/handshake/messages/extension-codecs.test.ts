import { describe, expect, it } from 'vitest';
import { alpnExtension, decodeAlpn, decodeAlpnSelected } from '../../../src/handshake/messages/alpn.ts';
import { cookieExtension, decodeCookie } from '../../../src/handshake/messages/cookie.ts';
import { decodeEarlyData, decodeEarlyDataTicket, earlyDataExtension, earlyDataTicketExtension } from '../../../src/handshake/messages/early-data.ts';
import type { Extension } from '../../../src/handshake/messages/extensions.ts';
import {
  decodeKeyShareClient,
  decodeKeyShareRetry,
  decodeKeyShareServer,
  keyShareClientExtension,
  keyShareRetryExtension,
  keyShareServerExtension,
} from '../../../src/handshake/messages/key-share.ts';
import { decodeMaxFragmentLength, maxFragmentLengthExtension } from '../../../src/handshake/messages/max-fragment-length.ts';
import {
  checkPreSharedKeyLast,
  decodePreSharedKeyClient,
  decodePreSharedKeyServer,
  decodePskKeyExchangeModes,
  preSharedKeyClientExtension,
  preSharedKeyServerExtension,
  pskKeyExchangeModesExtension,
} from '../../../src/handshake/messages/psk.ts';
import { decodeRecordSizeLimit, recordSizeLimitExtension } from '../../../src/handshake/messages/record-size-limit.ts';
import { decodeServerName, decodeServerNameAck, serverNameAckExtension, serverNameExtension } from '../../../src/handshake/messages/server-name.ts';
import {
  decodeSignatureAlgorithms,
  signatureAlgorithmsCertExtension,
  signatureAlgorithmsExtension,
} from '../../../src/handshake/messages/signature-algorithms.ts';
import {
  certificateStatusExtension,
  decodeCertificateStatus,
  decodeStatusRequest,
  statusRequestExtension,
} from '../../../src/handshake/messages/status-request.ts';
import { decodeSupportedGroups, supportedGroupsExtension } from '../../../src/handshake/messages/supported-groups.ts';
import {
  decodeSupportedVersionsClient,
  decodeSupportedVersionsServer,
  supportedVersionsClientExtension,
  supportedVersionsServerExtension,
} from '../../../src/handshake/messages/supported-versions.ts';
import { toHex, utf8 } from '../../../src/wire/bytes.ts';
import { AlertDescription as A } from '../../../src/wire/registry.ts';
import { expectDecodeError, expectRejected, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

const b32 = new Uint8Array(32).fill(0xbb);

interface Case {
  readonly name: string;
  readonly extension: Extension;
  /** The extension_type and extension_data, written out by hand from the RFC's structs. */
  readonly type: number;
  readonly data: string;
  readonly decode: (data: Uint8Array) => unknown;
  readonly value: unknown;
}

const CASES: Case[] = [
  {
    name: 'server_name (RFC 6066 §3)',
    extension: serverNameExtension('example.com'),
    type: 0,
    data: '000e' + '00' + '000b' + toHex(utf8('example.com')),
    decode: decodeServerName,
    value: 'example.com',
  },
  { name: 'supported_versions, client', extension: supportedVersionsClientExtension([0x0304, 0x0303]), type: 43, data: '0403040303', decode: decodeSupportedVersionsClient, value: [0x0304, 0x0303] },
  { name: 'supported_versions, server', extension: supportedVersionsServerExtension(0x0304), type: 43, data: '0304', decode: decodeSupportedVersionsServer, value: 0x0304 },
  { name: 'supported_groups', extension: supportedGroupsExtension([0x1d, 0x17]), type: 10, data: '0004001d0017', decode: decodeSupportedGroups, value: [0x1d, 0x17] },
  {
    name: 'key_share, client',
    extension: keyShareClientExtension([{ group: 0x1d, keyExchange: hex('0102') }, { group: 0x17, keyExchange: hex('04') }]),
    type: 51,
    data: '000b' + '001d00020102' + '0017000104',
    decode: decodeKeyShareClient,
    value: [{ group: 0x1d, keyExchange: hex('0102') }, { group: 0x17, keyExchange: hex('04') }],
  },
  { name: 'key_share, server', extension: keyShareServerExtension({ group: 0x1d, keyExchange: hex('aabb') }), type: 51, data: '001d0002aabb', decode: decodeKeyShareServer, value: { group: 0x1d, keyExchange: hex('aabb') } },
  { name: 'key_share, HelloRetryRequest', extension: keyShareRetryExtension(0x17), type: 51, data: '0017', decode: decodeKeyShareRetry, value: 0x17 },
  { name: 'signature_algorithms', extension: signatureAlgorithmsExtension([0x0403, 0x0804]), type: 13, data: '000404030804', decode: decodeSignatureAlgorithms, value: [0x0403, 0x0804] },
  { name: 'signature_algorithms_cert', extension: signatureAlgorithmsCertExtension([0x0807]), type: 50, data: '00020807', decode: decodeSignatureAlgorithms, value: [0x0807] },
  {
    name: 'ALPN, client (RFC 7301 §3.1)',
    extension: alpnExtension([utf8('h2'), utf8('http/1.1')]),
    type: 16,
    data: '000c' + '026832' + '08' + toHex(utf8('http/1.1')),
    decode: decodeAlpn,
    value: [utf8('h2'), utf8('http/1.1')],
  },
  { name: 'ALPN, server', extension: alpnExtension([utf8('h2')]), type: 16, data: '0003026832', decode: decodeAlpnSelected, value: utf8('h2') },
  { name: 'cookie', extension: cookieExtension(hex('c0ffee')), type: 44, data: '0003c0ffee', decode: decodeCookie, value: hex('c0ffee') },
  { name: 'psk_key_exchange_modes', extension: pskKeyExchangeModesExtension([1, 0]), type: 45, data: '020100', decode: decodePskKeyExchangeModes, value: [1, 0] },
  {
    name: 'pre_shared_key, client',
    extension: preSharedKeyClientExtension({ identities: [{ identity: hex('abcd'), obfuscatedTicketAge: 0x01020304 }], binders: [b32] }),
    type: 41,
    data: '0008' + '0002abcd' + '01020304' + '0021' + '20' + toHex(b32),
    decode: decodePreSharedKeyClient,
    value: { identities: [{ identity: hex('abcd'), obfuscatedTicketAge: 0x01020304 }], binders: [b32] },
  },
  { name: 'pre_shared_key, server', extension: preSharedKeyServerExtension(0), type: 41, data: '0000', decode: decodePreSharedKeyServer, value: 0 },
  { name: 'early_data, NewSessionTicket', extension: earlyDataTicketExtension(16384), type: 42, data: '00004000', decode: decodeEarlyDataTicket, value: 16384 },
  {
    name: 'status_request, client (RFC 6066 §8)',
    extension: statusRequestExtension({ responderIdList: [hex('3003')], requestExtensions: hex('3000') }),
    type: 5,
    data: '01' + '0004' + '00023003' + '00023000',
    decode: decodeStatusRequest,
    value: { statusType: 1, ocsp: { responderIdList: [hex('3003')], requestExtensions: hex('3000') } },
  },
  { name: 'status_request, CertificateEntry', extension: certificateStatusExtension(hex('3082')), type: 5, data: '01' + '000002' + '3082', decode: decodeCertificateStatus, value: hex('3082') },
  { name: 'max_fragment_length (RFC 6066 §4)', extension: maxFragmentLengthExtension(2), type: 1, data: '02', decode: decodeMaxFragmentLength, value: 2 },
  { name: 'record_size_limit (RFC 8449 §4)', extension: recordSizeLimitExtension(16385), type: 28, data: '4001', decode: decodeRecordSizeLimit, value: 16385 },
];

describe('typed extension codecs', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      it('encodes as the RFC lays it out and decodes back', () => {
        expect(c.extension.type).toBe(c.type);
        expect(toHex(c.extension.data)).toBe(c.data);
        expect(c.decode(c.extension.data)).toEqual(c.value);
      });
      it('rejects every truncation with a decode_error', () => expectTruncationsRejected(c.extension.data, c.decode));
      it('rejects trailing bytes', () => expectTrailingRejected(c.extension.data, c.decode));
    });
  }

  it('default status_request asks for OCSP with empty lists, as browsers send', () => {
    expect(toHex(statusRequestExtension().data)).toBe('0100000000');
  });

  it('empty extensions: early_data in CH/EE, the server_name acknowledgement', () => {
    expect(earlyDataExtension()).toEqual({ type: 42, data: new Uint8Array(0) });
    expect(serverNameAckExtension()).toEqual({ type: 0, data: new Uint8Array(0) });
    expect(decodeEarlyData(new Uint8Array(0))).toBe(true);
    expect(decodeServerNameAck(new Uint8Array(0))).toBe(true);
    expectDecodeError(() => decodeEarlyData(hex('00')), 'EarlyDataIndication');
    expectDecodeError(() => decodeServerNameAck(hex('0000')), 'server_name');
  });
});

describe('server_name (RFC 6066 §3)', () => {
  const entry = (type: string, name: string) => type + (name.length / 2).toString(16).padStart(4, '0') + name;
  const list = (...entries: string[]) => hex((entries.join('').length / 2).toString(16).padStart(4, '0') + entries.join(''));
  const host = (s: string) => toHex(utf8(s));

  it('skips name types it does not know (each starts with a 16-bit length)', () => {
    expect(decodeServerName(list(entry('05', 'aabbcc'), entry('00', host('a.example'))))).toBe('a.example');
    expect(decodeServerName(list(entry('05', '')))).toBeUndefined();
  });

  it('rejects an empty list and an empty name (decode_error), two host names, non-ASCII and a trailing dot (illegal_parameter)', () => {
    expectDecodeError(() => decodeServerName(hex('0000')), 'ServerNameList.server_name_list');
    expectDecodeError(() => decodeServerName(list(entry('00', ''))), 'HostName');
    expectRejected(() => decodeServerName(list(entry('00', host('a')), entry('00', host('b')))), 'DuplicateServerName', A.illegal_parameter);
    expectRejected(() => decodeServerName(list(entry('00', 'c3a9'))), 'BadServerName', A.illegal_parameter);
    expectRejected(() => decodeServerName(list(entry('00', host('a') + '00' + host('b')))), 'BadServerName', A.illegal_parameter);
    expectRejected(() => decodeServerName(list(entry('00', host('example.com.')))), 'BadServerName', A.illegal_parameter);
  });
});

describe('vector bounds', () => {
  const repeat = (unit: string, n: number) => unit.repeat(n);
  const u8len = (n: number) => n.toString(16).padStart(2, '0');
  const u16len = (n: number) => n.toString(16).padStart(4, '0');

  it('supported_versions: versions<2..254>', () => {
    expectDecodeError(() => decodeSupportedVersionsClient(hex('00')), 'SupportedVersions.versions');
    expect(decodeSupportedVersionsClient(hex('fe' + repeat('0304', 127)))).toHaveLength(127);
    expectDecodeError(() => decodeSupportedVersionsClient(hex('ff' + repeat('03', 255))), 'SupportedVersions.versions');
    expectDecodeError(() => decodeSupportedVersionsClient(hex('03030403')));
  });

  it('supported_groups: named_group_list<2..2^16-1>', () => {
    expectDecodeError(() => decodeSupportedGroups(hex('0000')), 'NamedGroupList.named_group_list');
    expectDecodeError(() => decodeSupportedGroups(hex('0003001d00')));
  });

  it('signature_algorithms: <2..2^16-2>', () => {
    expectDecodeError(() => decodeSignatureAlgorithms(hex('0000')), 'SignatureSchemeList.supported_signature_algorithms');
    expect(decodeSignatureAlgorithms(hex('fffe' + repeat('0804', 32767)))).toHaveLength(32767);
    expectDecodeError(() => decodeSignatureAlgorithms(hex('ffff' + repeat('08', 65535))), 'SignatureSchemeList.supported_signature_algorithms');
  });

  it('key_share: client_shares<0..2^16-1>, key_exchange<1..2^16-1>', () => {
    expect(decodeKeyShareClient(hex('0000'))).toEqual([]);
    // An empty key_exchange is a share of the wrong length for its group: illegal_parameter (issue 14).
    expectRejected(() => decodeKeyShareClient(hex('0004001d0000')), 'BadKeyShare', A.illegal_parameter);
    expectRejected(() => decodeKeyShareServer(hex('001d0000')), 'BadKeyShare', A.illegal_parameter);
  });

  it('ALPN: protocol_name_list<2..2^16-1> of ProtocolName<1..2^8-1>', () => {
    expectDecodeError(() => decodeAlpn(hex('0000')), 'ProtocolNameList.protocol_name_list');
    expectDecodeError(() => decodeAlpn(hex('0003' + '00' + '0161')), 'ProtocolName');
    expect(decodeAlpn(hex('0100' + 'ff' + repeat('61', 255)))[0]).toHaveLength(255);
  });

  it('ALPN: the server names exactly one protocol (RFC 7301 §3.1)', () => {
    expectDecodeError(() => decodeAlpnSelected(hex('0006' + '026832' + '026833')), 'ProtocolNameList.protocol_name_list');
  });

  it('cookie<1..2^16-1>', () => {
    expectDecodeError(() => decodeCookie(hex('0000')), 'Cookie.cookie');
  });

  it('psk_key_exchange_modes: ke_modes<1..255>', () => {
    expectDecodeError(() => decodePskKeyExchangeModes(hex('00')), 'PskKeyExchangeModes.ke_modes');
  });

  it('OfferedPsks: identities<7..2^16-1>, identity<1..>, binders<33..2^16-1>, PskBinderEntry<32..255>', () => {
    const binder = (n: number) => u8len(n) + repeat('bb', n);
    const binders = (...bs: string[]) => u16len(bs.join('').length / 2) + bs.join('');
    const identity = '0002abcd' + '00000000';
    expectDecodeError(() => decodePreSharedKeyClient(hex('0000' + binders(binder(32)))), 'OfferedPsks.identities');
    expectDecodeError(() => decodePreSharedKeyClient(hex('000c' + repeat('0000' + '00000000', 2) + binders(binder(32), binder(32)))), 'PskIdentity.identity');
    expectDecodeError(() => decodePreSharedKeyClient(hex('0008' + identity + '0000')), 'OfferedPsks.binders');
    expectDecodeError(() => decodePreSharedKeyClient(hex('0008' + identity + binders(binder(31), '00'))), 'PskBinderEntry');
    expect(decodePreSharedKeyClient(hex('0008' + identity + binders(binder(255)))).binders[0]).toHaveLength(255);
  });

  it('status_request: ResponderID<1..2^16-1>; OCSPResponse<1..2^24-1>', () => {
    expectDecodeError(() => decodeStatusRequest(hex('01' + '0002' + '0000' + '0000')), 'ResponderID');
    expectDecodeError(() => decodeCertificateStatus(hex('01000000')), 'OCSPResponse');
  });
});

describe('semantic rejections', () => {
  it('key_share: two shares for one group are illegal_parameter (RFC 8446 §4.2.8)', () => {
    const twice = keyShareClientExtension([
      { group: 0x1d, keyExchange: hex('01') },
      { group: 0x17, keyExchange: hex('02') },
      { group: 0x1d, keyExchange: hex('03') },
    ]);
    expectRejected(() => decodeKeyShareClient(twice.data), 'BadKeyShare', A.illegal_parameter);
  });

  it('pre_shared_key: as many binders as identities (RFC 8446 §4.2.11)', () => {
    const two = { identity: hex('01'), obfuscatedTicketAge: 0 };
    const ext = preSharedKeyClientExtension({ identities: [two, two], binders: [b32] });
    expectRejected(() => decodePreSharedKeyClient(ext.data), 'PskBindersMismatch', A.illegal_parameter);
  });

  it('pre_shared_key must be the last ClientHello extension (RFC 8446 §4.2.11)', () => {
    const psk = preSharedKeyClientExtension({ identities: [{ identity: hex('01'), obfuscatedTicketAge: 0 }], binders: [b32] });
    checkPreSharedKeyLast([cookieExtension(hex('01')), psk]);
    checkPreSharedKeyLast([cookieExtension(hex('01'))]);
    expectRejected(() => checkPreSharedKeyLast([psk, cookieExtension(hex('01'))]), 'PreSharedKeyNotLast', A.illegal_parameter);
  });

  it('record_size_limit below 64 is illegal_parameter (RFC 8449 §4)', () => {
    expect(decodeRecordSizeLimit(hex('0040'))).toBe(64);
    expectRejected(() => decodeRecordSizeLimit(hex('003f')), 'RecordSizeLimitTooSmall', A.illegal_parameter);
    expectRejected(() => decodeRecordSizeLimit(hex('0000')), 'RecordSizeLimitTooSmall', A.illegal_parameter);
  });

  it('max_fragment_length codes other than 1..4 are illegal_parameter (RFC 6066 §4)', () => {
    for (const code of [1, 2, 3, 4]) expect(decodeMaxFragmentLength(new Uint8Array([code]))).toBe(code);
    for (const code of [0, 5, 255]) {
      expectRejected(() => decodeMaxFragmentLength(new Uint8Array([code])), 'MaxFragmentLengthRefused', A.illegal_parameter);
    }
  });

  it('status_request: an unknown status_type is kept, not parsed', () => {
    expect(decodeStatusRequest(hex('07aabbcc'))).toEqual({ statusType: 7, ocsp: undefined });
  });

  it('CertificateStatus of a type other than ocsp is illegal_parameter', () => {
    expectRejected(() => decodeCertificateStatus(hex('02000001aa')), 'IllegalParameter', A.illegal_parameter);
  });
});
