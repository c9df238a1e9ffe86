import { describe, expect, it } from 'vitest';
import { encodeRecordHeader, MAX_CIPHERTEXT_TLS12, MAX_CIPHERTEXT_TLS13, MAX_PLAINTEXT, parseRecordHeader } from '../../src/record/framing.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { expectFailure } from './helpers.ts';

describe('record header', () => {
  it('has the RFC limits', () => {
    expect(MAX_PLAINTEXT).toBe(16384);
    expect(MAX_CIPHERTEXT_TLS13).toBe(16640);
    expect(MAX_CIPHERTEXT_TLS12).toBe(18432);
  });

  it('round-trips', () => {
    const header = encodeRecordHeader(22, 0x0301, 0x1234);
    expect(header).toEqual(new Uint8Array([0x16, 0x03, 0x01, 0x12, 0x34]));
    expect(parseRecordHeader(header)).toEqual({ type: 22, version: 0x0301, length: 0x1234 });
  });

  it('accepts any 0x03xx version (legacy_record_version is otherwise ignored, RFC 8446 §5.1)', () => {
    expect(parseRecordHeader(new Uint8Array([23, 3, 0, 0, 1])).version).toBe(0x0300);
    expect(parseRecordHeader(new Uint8Array([23, 3, 9, 0, 1])).version).toBe(0x0309);
  });

  it('refuses a version whose first byte is not 3', () => {
    expectFailure(() => parseRecordHeader(new Uint8Array([22, 2, 0, 0, 1])), 'WrongRecordVersion', AlertDescription.protocol_version);
    expectFailure(() => parseRecordHeader(new Uint8Array([22, 0x30, 3, 0, 1])), 'WrongRecordVersion', AlertDescription.protocol_version);
  });

  it('reports a plain HTTP request as a wrong version, as OpenSSL does', () => {
    const error = expectFailure(() => parseRecordHeader(utf8('GET / HTTP/1.1\r\n')), 'WrongRecordVersion', AlertDescription.protocol_version);
    expect(error.reason).toBe('WRONG_VERSION_NUMBER');
  });

  it('refuses unknown content types', () => {
    for (const type of [0, 19, 24, 25, 255]) {
      expectFailure(() => parseRecordHeader(new Uint8Array([type, 3, 3, 0, 1])), 'UnknownContentType', AlertDescription.unexpected_message);
    }
    for (const type of [20, 21, 22, 23]) expect(parseRecordHeader(new Uint8Array([type, 3, 3, 0, 1])).type).toBe(type);
  });
});
