/**
 * Key usage limits (RFC 8446 §5.5): the record layer asks the engine to change
 * the write key one record before its confidentiality limit (leaving room for
 * the KeyUpdate), stops application data with KeyUsageLimit when the key
 * cannot change (TLS 1.2), and opens no record past a read key's integrity limit.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { protection13 } from '../../src/record/protection13.ts';
import type { RecordProtection } from '../../src/record/protection.ts';
import { RecordLayer } from '../../src/record/record-layer.ts';
import { USAGE_LIMITS } from '../../src/record/usage-limits.ts';
import { AlertDescription as A } from '../../src/wire/registry.ts';
import { splitRecords } from './helpers.ts';

const key = (n: number) => protection13(nobleProvider, 'AES-128-GCM', new Uint8Array(16).fill(n), new Uint8Array(12).fill(n));

/** A real protection whose limits are small enough to reach in a test. */
function limited(protection: RecordProtection, seal: number, open = Infinity): RecordProtection {
  return Object.create(protection, { limits: { value: { seal, open } } }) as RecordProtection;
}

describe('key usage limits', () => {
  it('AES-GCM may seal 2^24.5 records per key; ChaCha20-Poly1305 up to the sequence limit; both open at most 2^36', () => {
    expect(USAGE_LIMITS['AES-128-GCM']).toEqual({ seal: 23_726_566, open: 2 ** 36 });
    expect(USAGE_LIMITS['CHACHA20-POLY1305'].seal).toBe(2 ** 48);
  });

  it('one record before the limit the engine changes the key, and data goes on under the new one', () => {
    const layer = new RecordLayer();
    const first = limited(key(1), 4);
    layer.setWriteProtection(first);
    let changes = 0;
    layer.onWriteKeyExhausted(() => {
      changes++;
      layer.writeHandshake(Uint8Array.of(24, 0, 0, 1, 0)); // the KeyUpdate, under the old key
      layer.setWriteProtection(key(2));
    });
    layer.writeApplicationData(new Uint8Array(16384 * 6));
    expect(changes).toBe(1);
    expect(first.records).toBe(4);
    expect(splitRecords(layer.takeOutgoing())).toHaveLength(7);
  });

  it('without a way to change keys (TLS 1.2), application data stops with KeyUsageLimit', () => {
    const layer = new RecordLayer();
    layer.setWriteProtection(limited(key(1), 3));
    layer.writeApplicationData(new Uint8Array(10));
    layer.writeApplicationData(new Uint8Array(10));
    expect(() => layer.writeApplicationData(new Uint8Array(10))).toThrow(expect.objectContaining({ cause: 'KeyUsageLimit', alert: A.internal_error }));
  });

  it("no record is opened past the read key's integrity limit", () => {
    const writer = new RecordLayer();
    writer.setWriteProtection(key(5));
    for (let i = 0; i < 3; i++) writer.writeApplicationData(Uint8Array.of(i));
    const reader = new RecordLayer();
    reader.setReadProtection(limited(key(5), Infinity, 2));
    reader.receive(writer.takeOutgoing());
    expect(reader.nextEvent()).toMatchObject({ kind: 'application_data' });
    expect(reader.nextEvent()).toMatchObject({ kind: 'application_data' });
    expect(() => reader.nextEvent()).toThrow(expect.objectContaining({ cause: 'KeyUsageLimit' }));
  });

  it('retired keys are zeroed and refuse any further record', () => {
    const layer = new RecordLayer();
    const trafficKey = new Uint8Array(16).fill(9);
    const protection = protection13(nobleProvider, 'AES-128-GCM', trafficKey, new Uint8Array(12).fill(9));
    layer.setWriteProtection(protection);
    layer.retireKeys();
    expect(trafficKey.every((b) => b === 9)).toBe(true); // the protection zeroed its own copy, not the caller's
    expect(() => protection.seal(23, new Uint8Array(1))).not.toThrow(); // a zero key, no longer the secret one
    expect(() => layer.writeApplicationData(new Uint8Array(1))).toThrow(expect.objectContaining({ cause: 'InternalError' }));
  });
});
