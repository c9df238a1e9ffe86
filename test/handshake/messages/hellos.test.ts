import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ClientHello } from '../../../src/handshake/messages/client-hello.ts';
import { checkClientHello13, clientHelloExtensions, decodeClientHello, encodeClientHello } from '../../../src/handshake/messages/client-hello.ts';
import { cookieExtension } from '../../../src/handshake/messages/cookie.ts';
import { earlyDataExtension } from '../../../src/handshake/messages/early-data.ts';
import type { Extension } from '../../../src/handshake/messages/extensions.ts';
import { keyShareClientExtension, keyShareRetryExtension, keyShareServerExtension } from '../../../src/handshake/messages/key-share.ts';
import { preSharedKeyClientExtension, preSharedKeyServerExtension, pskKeyExchangeModesExtension } from '../../../src/handshake/messages/psk.ts';
import type { ServerHello } from '../../../src/handshake/messages/server-hello.ts';
import {
  DOWNGRADE_TLS11,
  DOWNGRADE_TLS12,
  HELLO_RETRY_REQUEST_RANDOM,
  checkDowngradeSentinel,
  decodeServerHello,
  encodeServerHello,
  helloRetryRequestExtensions,
  isHelloRetryRequest,
  serverHelloExtensions,
} from '../../../src/handshake/messages/server-hello.ts';
import { serverNameExtension } from '../../../src/handshake/messages/server-name.ts';
import { supportedVersionsClientExtension, supportedVersionsServerExtension } from '../../../src/handshake/messages/supported-versions.ts';
import { concatBytes, toHex } from '../../../src/wire/bytes.ts';
import { AlertDescription as A, ProtocolVersion as V } from '../../../src/wire/registry.ts';
import { expectDecodeError, expectRejected, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

const random = new Uint8Array(32).map((_, i) => i);
const psk = preSharedKeyClientExtension({ identities: [{ identity: hex('0102'), obfuscatedTicketAge: 7 }], binders: [new Uint8Array(32)] });

const hello: ClientHello = {
  legacyVersion: 0x0303,
  random,
  legacySessionId: new Uint8Array(32).fill(0xee),
  cipherSuites: [0x1301, 0x1303],
  legacyCompressionMethods: [0],
  extensions: [
    serverNameExtension('localhost'),
    supportedVersionsClientExtension([0x0304]),
    keyShareClientExtension([{ group: 0x1d, keyExchange: new Uint8Array(32).fill(9) }]),
    { type: 0x7a7a, data: hex('00') },
    pskKeyExchangeModesExtension([1]),
    earlyDataExtension(),
    psk,
  ],
};

function withHello(changes: Partial<ClientHello>): Uint8Array {
  return encodeClientHello({ ...hello, ...changes });
}

describe('ClientHello (RFC 8446 §4.1.2)', () => {
  const body = encodeClientHello(hello);

  it('lays out the fields in order', () => {
    const expectedHead = '0303' + toHex(random) + '20' + 'ee'.repeat(32) + '0004' + '13011303' + '0100';
    expect(toHex(body).startsWith(expectedHead)).toBe(true);
    const extensionsLength = body.length - expectedHead.length / 2 - 2;
    expect(toHex(body.subarray(expectedHead.length / 2, expectedHead.length / 2 + 2))).toBe(extensionsLength.toString(16).padStart(4, '0'));
  });

  it('round-trips the raw form and keeps the exact bytes', () => {
    const decoded = decodeClientHello(body);
    expect(decoded.raw).toEqual(body);
    const { raw: _raw, ...rest } = decoded;
    expect(rest).toEqual(hello);
    expect(encodeClientHello(decoded)).toEqual(body);
  });

  it('keeps a caller-chosen extension order, unknown extensions included', () => {
    const reordered = [...hello.extensions.slice(0, -1)].reverse().concat([psk]);
    expect(decodeClientHello(withHello({ extensions: reordered })).extensions.map((e) => e.type)).toEqual(reordered.map((e) => e.type));
  });

  it('gives a typed view', () => {
    const view = clientHelloExtensions(decodeClientHello(body));
    expect(view.types).toEqual([0, 43, 51, 0x7a7a, 45, 42, 41]);
    expect(view.serverName).toBe('localhost');
    expect(view.supportedVersions).toEqual([0x0304]);
    expect(view.keyShares).toEqual([{ group: 0x1d, keyExchange: new Uint8Array(32).fill(9) }]);
    expect(view.pskModes).toEqual([1]);
    expect(view.earlyData).toBe(true);
    expect(view.preSharedKey?.identities[0]?.obfuscatedTicketAge).toBe(7);
    expect(view.supportedGroups).toBeUndefined();
    expect(view.alpn).toBeUndefined();
    expect(view.postHandshakeAuth).toBe(false);
  });

  it('rejects every truncation except the one ending before the extensions, and trailing bytes', () => {
    // Without bytes after legacy_compression_methods it is a legal pre-TLS 1.3 hello (RFC 5246 §7.4.1.2).
    const beforeExtensions = 2 + 32 + 33 + 6 + 2;
    expectTruncationsRejected(body, decodeClientHello, [beforeExtensions]);
    expect(decodeClientHello(body.slice(0, beforeExtensions)).extensions).toEqual([]);
    expectTrailingRejected(body, decodeClientHello);
  });

  it('encodes an empty extension list as no extensions block', () => {
    const legacy = withHello({ extensions: [] });
    expect(legacy.length).toBe(2 + 32 + 33 + 6 + 2);
    expect(decodeClientHello(concatBytes(legacy, hex('0000'))).extensions).toEqual([]);
  });

  it('enforces legacy_session_id<0..32>, cipher_suites<2..2^16-2>, legacy_compression_methods<1..2^8-1>', () => {
    const head = '0303' + toHex(random);
    expect(decodeClientHello(hex(head + '00' + '00021301' + '0100')).legacySessionId).toHaveLength(0);
    expectDecodeError(() => decodeClientHello(hex(head + '21' + '00'.repeat(33) + '00021301' + '0100')), 'ClientHello.legacy_session_id');
    expectDecodeError(() => decodeClientHello(hex(head + '00' + '0000' + '0100')), 'ClientHello.cipher_suites');
    expectDecodeError(() => decodeClientHello(hex(head + '00' + '000313011302' + '0100')));
    expectDecodeError(() => decodeClientHello(hex(head + '00' + 'ffff' + '13'.repeat(65535) + '0100')), 'ClientHello.cipher_suites');
    expect(decodeClientHello(hex(head + '00' + 'fffe' + '1301'.repeat(32767) + '0100')).cipherSuites).toHaveLength(32767);
    expectDecodeError(() => decodeClientHello(hex(head + '00' + '00021301' + '00')), 'ClientHello.legacy_compression_methods');
  });

  it('rejects a repeated extension with illegal_parameter', () => {
    const twice = withHello({ extensions: [serverNameExtension('a'), serverNameExtension('b')] });
    expectRejected(() => decodeClientHello(twice), 'DuplicateExtension', A.illegal_parameter);
  });

  it('rejects pre_shared_key before another extension with illegal_parameter (RFC 8446 §4.2.11)', () => {
    const early = withHello({ extensions: [psk, pskKeyExchangeModesExtension([1])] });
    expectRejected(() => decodeClientHello(early), 'PreSharedKeyNotLast', A.illegal_parameter);
  });

  it('in TLS 1.3, legacy_compression_methods must be exactly [0] (RFC 8446 §4.1.2)', () => {
    checkClientHello13(hello);
    for (const methods of [[1, 0], [0, 1], [1], [0, 0]]) {
      const decoded = decodeClientHello(withHello({ legacyCompressionMethods: methods }));
      expect(decoded.legacyCompressionMethods).toEqual(methods); // a TLS 1.2 hello may carry these
      expectRejected(() => checkClientHello13(decoded), 'BadCompressionMethods', A.illegal_parameter);
    }
  });

  it('in TLS 1.3, pre_shared_key needs psk_key_exchange_modes (RFC 8446 §4.2.9)', () => {
    const alone = decodeClientHello(withHello({ extensions: [supportedVersionsClientExtension([0x0304]), psk] }));
    expectRejected(() => checkClientHello13(alone), 'MissingExtension', A.missing_extension);
  });

  it('typed view reports malformed extensions as decode errors naming the field', () => {
    const bad: Extension[] = [{ type: 43, data: hex('0303') }];
    expectDecodeError(() => clientHelloExtensions(decodeClientHello(withHello({ extensions: bad }))), 'SupportedVersions.versions');
  });
});

const serverHello: ServerHello = {
  legacyVersion: 0x0303,
  random,
  legacySessionIdEcho: new Uint8Array(0),
  cipherSuite: 0x1301,
  extensions: [supportedVersionsServerExtension(0x0304), keyShareServerExtension({ group: 0x1d, keyExchange: hex('abcd') }), preSharedKeyServerExtension(0)],
};

describe('ServerHello (RFC 8446 §4.1.3)', () => {
  const body = encodeServerHello(serverHello);

  it('lays out the fields in order and round-trips', () => {
    expect(toHex(body.subarray(0, 2 + 32 + 1 + 2 + 1))).toBe('0303' + toHex(random) + '00' + '1301' + '00');
    expect(decodeServerHello(body)).toEqual(serverHello);
  });

  it('gives a typed view', () => {
    expect(serverHelloExtensions(decodeServerHello(body))).toEqual({
      types: [43, 51, 41],
      selectedVersion: 0x0304,
      keyShare: { group: 0x1d, keyExchange: hex('abcd') },
      preSharedKey: 0,
    });
  });

  it('rejects every truncation except the one ending before the extensions, and trailing bytes', () => {
    const beforeExtensions = 2 + 32 + 1 + 2 + 1;
    expectTruncationsRejected(body, decodeServerHello, [beforeExtensions]);
    expectTrailingRejected(body, decodeServerHello);
  });

  it('enforces legacy_session_id_echo<0..32>', () => {
    expectDecodeError(() => decodeServerHello(hex('0303' + toHex(random) + '21' + '00'.repeat(33) + '130100')), 'ServerHello.legacy_session_id_echo');
  });

  it('rejects a compression method other than 0 with illegal_parameter', () => {
    const compressed = hex('0303' + toHex(random) + '00' + '1301' + '01');
    expectRejected(() => decodeServerHello(compressed), 'BadCompressionMethods', A.illegal_parameter);
  });

  it('rejects a repeated extension with illegal_parameter', () => {
    const twice = encodeServerHello({ ...serverHello, extensions: [supportedVersionsServerExtension(0x0304), supportedVersionsServerExtension(0x0304)] });
    expectRejected(() => decodeServerHello(twice), 'DuplicateExtension', A.illegal_parameter);
  });
});

describe('HelloRetryRequest (RFC 8446 §4.1.4)', () => {
  it('is recognised by the random SHA-256("HelloRetryRequest")', () => {
    const sha = new Uint8Array(createHash('sha256').update('HelloRetryRequest').digest());
    expect(HELLO_RETRY_REQUEST_RANDOM).toEqual(sha);
    const hrr: ServerHello = {
      ...serverHello,
      random: sha,
      extensions: [supportedVersionsServerExtension(0x0304), keyShareRetryExtension(0x17), cookieExtension(hex('abcdef'))],
    };
    const decoded = decodeServerHello(encodeServerHello(hrr));
    expect(isHelloRetryRequest(decoded)).toBe(true);
    expect(isHelloRetryRequest(serverHello)).toBe(false);
    expect(helloRetryRequestExtensions(decoded)).toEqual({ types: [43, 51, 44], selectedVersion: 0x0304, selectedGroup: 0x17, cookie: hex('abcdef') });
  });
});

describe('downgrade sentinels (RFC 8446 §4.1.3)', () => {
  const tail = (sentinel: Uint8Array) => concatBytes(new Uint8Array(24), sentinel);

  it('are "DOWNGRD" and 01 / 00', () => {
    expect(toHex(DOWNGRADE_TLS12)).toBe('444f574e47524401');
    expect(toHex(DOWNGRADE_TLS11)).toBe('444f574e47524400');
  });

  it('a TLS 1.3 client rejects either when TLS 1.2 or below is negotiated', () => {
    for (const sentinel of [DOWNGRADE_TLS12, DOWNGRADE_TLS11]) {
      for (const negotiated of [V.TLSv1_2, V.TLSv1_1]) {
        expectRejected(() => checkDowngradeSentinel(tail(sentinel), negotiated, V.TLSv1_3), 'DowngradeDetected', A.illegal_parameter);
      }
    }
    checkDowngradeSentinel(tail(new Uint8Array(8)), V.TLSv1_2, V.TLSv1_3);
  });

  it('ignores them when the client got the version it asked for', () => {
    checkDowngradeSentinel(tail(DOWNGRADE_TLS12), V.TLSv1_3, V.TLSv1_3);
    checkDowngradeSentinel(tail(DOWNGRADE_TLS12), V.TLSv1_2, V.TLSv1_2);
  });

  it('a TLS 1.2 client rejects only the TLS 1.1 sentinel, and only below TLS 1.2', () => {
    expectRejected(() => checkDowngradeSentinel(tail(DOWNGRADE_TLS11), V.TLSv1_1, V.TLSv1_2), 'DowngradeDetected', A.illegal_parameter);
    checkDowngradeSentinel(tail(DOWNGRADE_TLS12), V.TLSv1_1, V.TLSv1_2);
  });
});
