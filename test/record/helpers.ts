/**
 * Shared helpers for the record-layer tests: raw record construction, an
 * independent TLS 1.3 sealer (BigInt nonce arithmetic, straight onto the
 * provider's AEAD) for records the layer would never build itself, and an
 * assertion on the cause and alert of a ProtocolError.
 * @module
 */
import { expect } from 'vitest';
import type { AeadName } from '../../src/crypto/provider.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { ProtocolError, type Cause } from '../../src/wire/errors.ts';
import type { InboundEvent, RecordLayer } from '../../src/record/record-layer.ts';
import type { RecordProtection } from '../../src/record/protection.ts';
import { MAX_CIPHERTEXT_TLS12, MAX_CIPHERTEXT_TLS13 } from '../../src/record/framing.ts';
import { NO_LIMITS } from '../../src/record/usage-limits.ts';

export const AEADS: readonly { name: AeadName; keyLength: number }[] = [
  { name: 'AES-128-GCM', keyLength: 16 },
  { name: 'AES-256-GCM', keyLength: 32 },
  { name: 'CHACHA20-POLY1305', keyLength: 32 },
];

/** A raw record: header and body as given, no checks. */
export function record(type: number, body: Uint8Array | readonly number[], version = 0x0303, length?: number): Uint8Array {
  const b = body instanceof Uint8Array ? body : new Uint8Array(body);
  const len = length ?? b.length;
  return concatBytes(new Uint8Array([type, version >> 8, version & 0xff, len >> 8, len & 0xff]), b);
}

/** A handshake message: type, u24 length, body. */
export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  return concatBytes(new Uint8Array([type, n >> 16, (n >> 8) & 0xff, n & 0xff]), body);
}

/** Deterministic filler bytes. */
export function pattern(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Nonce by the RFC 8446 §5.3 description, in BigInt: iv XOR seq (64-bit, left-padded). */
export function referenceNonce(iv: Uint8Array, seq: bigint): Uint8Array {
  const nonce = iv.slice();
  for (let i = 0; i < 8; i++) {
    const byte = Number((seq >> BigInt(8 * i)) & 0xffn);
    nonce[nonce.length - 1 - i] = (nonce[nonce.length - 1 - i] as number) ^ byte;
  }
  return nonce;
}

/** A TLS 1.3 record from an arbitrary TLSInnerPlaintext, sealed without the code under test. */
export function sealRaw(aead: AeadName, key: Uint8Array, iv: Uint8Array, seq: bigint, inner: Uint8Array): Uint8Array {
  const length = inner.length + 16;
  const header = new Uint8Array([23, 3, 3, length >> 8, length & 0xff]);
  return concatBytes(header, nobleProvider.aead(aead, key).seal(referenceNonce(iv, seq), header, inner));
}

/** Opens a TLS 1.3 record without the code under test; returns the TLSInnerPlaintext. */
export function openRaw(aead: AeadName, key: Uint8Array, iv: Uint8Array, seq: bigint, rec: Uint8Array): Uint8Array {
  const inner = nobleProvider.aead(aead, key).open(referenceNonce(iv, seq), rec.subarray(0, 5), rec.subarray(5));
  if (inner === null) throw new Error('openRaw: tag does not verify');
  return inner;
}

/** Splits concatenated records into [type, version, body] without the code under test. */
export function splitRecords(bytes: Uint8Array): { type: number; version: number; body: Uint8Array }[] {
  const out = [];
  let i = 0;
  while (i < bytes.length) {
    const length = ((bytes[i + 3] as number) << 8) | (bytes[i + 4] as number);
    out.push({
      type: bytes[i] as number,
      version: ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number),
      body: bytes.subarray(i + 5, i + 5 + length),
    });
    i += 5 + length;
  }
  expect(i).toBe(bytes.length);
  return out;
}

/** All events available now. */
export function drain(layer: RecordLayer): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (let e = layer.nextEvent(); e !== null; e = layer.nextEvent()) events.push(e);
  return events;
}

/** Asserts `fn` throws a ProtocolError with `cause` and the RFC alert `alert`; returns it. */
export function expectFailure(fn: () => unknown, cause: Cause, alert: number): ProtocolError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${cause}`).toBeInstanceOf(ProtocolError);
  const error = thrown as ProtocolError;
  expect(error.cause).toBe(cause);
  expect(error.alert).toBe(alert);
  return error;
}

/**
 * An "encrypted" protection that changes nothing (the no-security idea of a
 * fuzzing provider), for exercising the after-keys rules without real crypto;
 * it carries the record rules of the version asked for.
 */
export function transparentProtection(version: 'tls13' | 'tls12' = 'tls13'): RecordProtection & { sealed: number[]; opened: number[] } {
  const sealed: number[] = [];
  const opened: number[] = [];
  return {
    encrypted: true,
    overhead: 0,
    hidesContentType: version === 'tls13',
    maxCiphertext: version === 'tls13' ? MAX_CIPHERTEXT_TLS13 : MAX_CIPHERTEXT_TLS12,
    get records() {
      return sealed.length + opened.length;
    },
    limits: NO_LIMITS,
    retire() {},
    sealed,
    opened,
    seal(type, content) {
      sealed.push(type);
      return { type, body: content.slice() };
    },
    open(outerType, body) {
      opened.push(outerType);
      return { type: outerType, content: body };
    },
  };
}
