import { describe, expect, it } from 'vitest';
import type { Extension, MessageKind } from '../../../src/handshake/messages/extensions.ts';
import { checkAllowed, checkAllowed12, decodeEmpty, decodeExtensions, encodeExtensions, findExtension } from '../../../src/handshake/messages/extensions.ts';
import { Reader, encode } from '../../../src/wire/codec.ts';
import { AlertDescription as A, ExtensionType as X } from '../../../src/wire/registry.ts';
import { expectDecodeError, expectRejected, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

function decode(bytes: Uint8Array, min = 0, max = 2 ** 16 - 1): Extension[] {
  const r = new Reader(bytes);
  const list = decodeExtensions(r, 'Test.extensions', min, max);
  r.end('Test');
  return list;
}

const ext = (type: number, data = ''): Extension => ({ type, data: hex(data) });

describe('Extension extensions<..> (RFC 8446 §4.2)', () => {
  // server_name 00 00 (empty), then unknown type 0x1234 with 2 bytes, then supported_versions 03 04
  const bytes = hex('0010' + '00000000' + '12340002abcd' + '002b00020304');

  it('decodes in order, keeping unknown types and data', () => {
    const list = decode(bytes);
    expect(list.map((e) => e.type)).toEqual([0, 0x1234, 43]);
    expect(list[1]!.data).toEqual(hex('abcd'));
    expect(findExtension(list, 43)).toEqual(hex('0304'));
    expect(findExtension(list, 10)).toBeUndefined();
  });

  it('round-trips', () => {
    expect(encode((w) => encodeExtensions(w, decode(bytes)))).toEqual(bytes);
  });

  it('rejects truncation and trailing bytes', () => {
    expectTruncationsRejected(bytes, (b) => decode(b));
    expectTrailingRejected(bytes, (b) => decode(b));
  });

  it('enforces the list bounds', () => {
    expectDecodeError(() => decode(hex('0000'), 2), 'Test.extensions');
    expect(decode(hex('0000'), 0)).toEqual([]);
    expectDecodeError(() => decode(hex('0004ffff0000'), 0, 3), 'Test.extensions');
  });

  it('rejects an extension whose data overruns the list', () => {
    expectDecodeError(() => decode(hex('0005000a0002aa')), 'Extension.extension_data');
  });

  it('rejects two extensions of one type with illegal_parameter', () => {
    const twice = hex('000c' + '000a00020017' + '000a0002001d');
    const e = expectRejected(() => decode(twice), 'DuplicateExtension', A.illegal_parameter);
    expect(e.message).toContain('supported_groups');
    // Unknown types are no exception to the rule.
    expectRejected(() => decode(hex('0008' + 'fafa0000' + 'fafa0000')), 'DuplicateExtension', A.illegal_parameter);
  });

  it('lets an encoder send duplicates (a test peer may)', () => {
    const list = [ext(0x1234), ext(0x1234)];
    expect(encode((w) => encodeExtensions(w, list))).toEqual(hex('000812340000' + '12340000'));
  });

  it('requires flag extensions to be empty', () => {
    expect(decodeEmpty(new Uint8Array(0), 'early_data')).toBe(true);
    expectDecodeError(() => decodeEmpty(hex('00'), 'early_data'), 'early_data');
  });
});

describe('checkAllowed: the RFC 8446 §4.2 table', () => {
  // The RFC's table, written out again here from the RFC text (not from the code under test).
  const TABLE: [number, string][] = [
    [X.server_name, 'CH EE'],
    [X.max_fragment_length, 'CH EE'],
    [X.status_request, 'CH CR CT'],
    [X.supported_groups, 'CH EE'],
    [X.signature_algorithms, 'CH CR'],
    [X.use_srtp, 'CH EE'],
    [X.heartbeat, 'CH EE'],
    [X.application_layer_protocol_negotiation, 'CH EE'],
    [X.signed_certificate_timestamp, 'CH CR CT'],
    [X.client_certificate_type, 'CH EE'],
    [X.server_certificate_type, 'CH EE'],
    [X.padding, 'CH'],
    [X.pre_shared_key, 'CH SH'],
    [X.early_data, 'CH EE NST'],
    [X.supported_versions, 'CH SH HRR'],
    [X.cookie, 'CH HRR'],
    [X.psk_key_exchange_modes, 'CH'],
    [X.certificate_authorities, 'CH CR'],
    [X.oid_filters, 'CR'],
    [X.post_handshake_auth, 'CH'],
    [X.signature_algorithms_cert, 'CH CR'],
    [X.key_share, 'CH SH HRR'],
    [X.record_size_limit, 'CH EE'], // RFC 8449 §5
    // TLS 1.2 only: never in a TLS 1.3 server message.
    [X.extended_master_secret, 'CH'],
    [X.renegotiation_info, 'CH'],
    [X.ec_point_formats, 'CH'],
    [X.session_ticket, 'CH'],
    [X.encrypt_then_mac, 'CH'],
  ];
  const KINDS: MessageKind[] = ['CH', 'SH', 'HRR', 'EE', 'CT', 'CR', 'NST'];

  function check(kind: MessageKind, extensions: Extension[], offered: number[]): void {
    if (kind === 'CH' || kind === 'CR' || kind === 'NST') checkAllowed(kind, extensions);
    else checkAllowed(kind, extensions, offered);
  }

  for (const [type, where] of TABLE) {
    for (const kind of KINDS) {
      const allowed = where.split(' ').includes(kind);
      it(`${type} in ${kind}: ${allowed ? 'allowed' : 'illegal_parameter'}`, () => {
        // Offered, so only the table decides.
        if (allowed) check(kind, [ext(type)], [type]);
        else expectRejected(() => check(kind, [ext(type)], [type]), 'ExtensionNotAllowedHere', A.illegal_parameter);
      });
    }
  }

  it('ignores unknown extensions in ClientHello, CertificateRequest and NewSessionTicket', () => {
    checkAllowed('CH', [ext(0x7a7a), ext(0xfe0d)]);
    checkAllowed('CR', [ext(0x7a7a)]);
    checkAllowed('NST', [ext(0x7a7a)]);
  });

  it('rejects an answer to an extension the client did not offer with unsupported_extension', () => {
    const offered = [X.supported_versions, X.key_share];
    checkAllowed('SH', [ext(X.supported_versions), ext(X.key_share)], offered);
    for (const kind of ['SH', 'EE', 'HRR', 'CT'] as const) {
      expectRejected(() => checkAllowed(kind, [ext(0x7a7a)], offered), 'UnsolicitedExtension', A.unsupported_extension);
    }
    expectRejected(() => checkAllowed('EE', [ext(X.server_name)], offered), 'UnsolicitedExtension', A.unsupported_extension);
    expectRejected(() => checkAllowed('SH', [ext(X.pre_shared_key)], offered), 'UnsolicitedExtension', A.unsupported_extension);
  });

  it('lets a HelloRetryRequest carry a cookie the client never sent (RFC 8446 §4.2)', () => {
    checkAllowed('HRR', [ext(X.supported_versions), ext(X.cookie)], [X.supported_versions]);
    expectRejected(() => checkAllowed('EE', [ext(X.cookie)], []), 'ExtensionNotAllowedHere', A.illegal_parameter);
  });

  it('allows only status_request and SCT in Certificate entries, and only when requested (RFC 8446 §4.4.2)', () => {
    checkAllowed('CT', [ext(X.status_request), ext(X.signed_certificate_timestamp)], [X.status_request, X.signed_certificate_timestamp]);
    expectRejected(() => checkAllowed('CT', [ext(X.status_request)], [X.server_name]), 'UnsolicitedExtension', A.unsupported_extension);
    expectRejected(() => checkAllowed('CT', [ext(X.server_name)], [X.server_name]), 'ExtensionNotAllowedHere', A.illegal_parameter);
  });
});

describe('checkAllowed12: the TLS 1.2 hellos (RFC 5246 §7.4.1.4)', () => {
  // Written out from each extension's RFC, not from the code under test.
  const TABLE: [number, string][] = [
    [X.server_name, 'CH SH'], // RFC 6066 §3
    [X.max_fragment_length, 'CH SH'], // RFC 6066 §4
    [X.status_request, 'CH SH'], // RFC 6066 §8
    [X.supported_groups, 'CH SH'], // OpenSSL's tolerance beyond RFC 8422 §5.1
    [X.ec_point_formats, 'CH SH'], // RFC 8422 §5.2
    [X.signature_algorithms, 'CH'], // RFC 5246 §7.4.1.4.1
    [X.application_layer_protocol_negotiation, 'CH SH'], // RFC 7301 §3.1
    [X.extended_master_secret, 'CH SH'], // RFC 7627 §5.1
    [X.session_ticket, 'CH SH'], // RFC 5077 §3.2
    [X.record_size_limit, 'CH SH'], // RFC 8449 §4
    [X.renegotiation_info, 'CH SH'], // RFC 5746 §3.2
    [X.padding, 'CH'],
    [X.signature_algorithms_cert, 'CH'],
    // TLS 1.3 only (RFC 8446 §4.2): in a ClientHello offering both versions, never in a TLS 1.2 ServerHello.
    [X.key_share, 'CH'],
    [X.supported_versions, 'CH'],
    [X.pre_shared_key, 'CH'],
    [X.early_data, 'CH'],
    [X.cookie, 'CH'],
    [X.psk_key_exchange_modes, 'CH'],
    [X.certificate_authorities, 'CH'],
    [X.post_handshake_auth, 'CH'],
  ];

  it('allows every one of them in a ClientHello', () => {
    checkAllowed12('CH', TABLE.map(([type]) => ext(type)));
  });

  for (const [type, where] of TABLE) {
    const inServerHello = where.split(' ').includes('SH');
    it(`${type} in SH when offered: ${inServerHello ? 'allowed' : 'illegal_parameter'}`, () => {
      if (inServerHello) checkAllowed12('SH', [ext(type)], [type]);
      else expectRejected(() => checkAllowed12('SH', [ext(type)], [type]), 'ExtensionNotAllowedHere', A.illegal_parameter);
    });
  }

  it('accepts a ServerHello answering a typical ClientHello', () => {
    const offered = [X.server_name, X.ec_point_formats, X.supported_groups, X.session_ticket, X.extended_master_secret, X.renegotiation_info, X.key_share];
    checkAllowed12('SH', [ext(X.renegotiation_info, '00'), ext(X.server_name), ext(X.ec_point_formats, '0100'), ext(X.session_ticket), ext(X.extended_master_secret)], offered);
    checkAllowed12('SH', [], offered);
  });

  it('rejects an answer to an extension the client did not offer with unsupported_extension', () => {
    const offered = [X.server_name, X.ec_point_formats];
    for (const type of [X.extended_master_secret, X.renegotiation_info, X.application_layer_protocol_negotiation, X.encrypt_then_mac, 0x7a7a]) {
      expectRejected(() => checkAllowed12('SH', [ext(type)], offered), 'UnsolicitedExtension', A.unsupported_extension);
    }
  });

  it('ignores unknown extensions in a ClientHello, and TLS 1.2-only ones the table leaves out', () => {
    checkAllowed12('CH', [ext(0x7a7a), ext(X.encrypt_then_mac), ext(X.use_srtp)]);
  });
});
