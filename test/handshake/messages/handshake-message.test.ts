import { describe, expect, it } from 'vitest';
import { encodeHandshake, parseHandshake } from '../../../src/handshake/messages/handshake-message.ts';
import { encodeMessageHash } from '../../../src/handshake/messages/message-hash.ts';
import { toHex } from '../../../src/wire/bytes.ts';
import { expectDecodeError, expectTrailingRejected, expectTruncationsRejected, hex } from './support.ts';

describe('handshake message frame (RFC 8446 §4)', () => {
  it('adds msg_type and a 24-bit length', () => {
    expect(toHex(encodeHandshake(20, hex('a1b2c3')))).toBe('14000003a1b2c3');
    expect(toHex(encodeHandshake(5, new Uint8Array(0)))).toBe('05000000');
  });

  it('splits a whole message', () => {
    const { type, body } = parseHandshake(hex('0b00000201ff'));
    expect(type).toBe(11);
    expect(toHex(body)).toBe('01ff');
  });

  it('round-trips a body longer than 2^16', () => {
    const body = new Uint8Array(70000).fill(7);
    const message = encodeHandshake(11, body);
    expect(toHex(message.subarray(0, 4))).toBe('0b011170');
    expect(parseHandshake(message).body).toEqual(body);
  });

  it('rejects every truncation and any trailing byte: the length must match exactly', () => {
    const message = hex('0f000006040300020102');
    expectTruncationsRejected(message, parseHandshake);
    expectTrailingRejected(message, parseHandshake);
    expectDecodeError(() => parseHandshake(hex('14000004a1b2c3')), 'Handshake.length');
  });

  it('keeps unknown message types as numbers', () => {
    expect(parseHandshake(hex('c8000000')).type).toBe(200);
  });
});

describe('message_hash (RFC 8446 §4.4.1)', () => {
  it('is 254, 00 00 Hash.length, then the hash', () => {
    const digest = new Uint8Array(32).map((_, i) => i);
    expect(toHex(encodeMessageHash(digest))).toBe(`fe000020${toHex(digest)}`);
    expect(toHex(encodeMessageHash(new Uint8Array(48))).slice(0, 8)).toBe('fe000030');
  });
});
