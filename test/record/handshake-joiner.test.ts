import { describe, expect, it } from 'vitest';
import { HandshakeJoiner } from '../../src/record/handshake-joiner.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { expectFailure, handshakeMessage, pattern } from './helpers.ts';

const messages = [handshakeMessage(2, pattern(90)), handshakeMessage(8, new Uint8Array(0)), handshakeMessage(11, pattern(3000, 5)), handshakeMessage(20, pattern(32, 9))];
const stream = concatBytes(...messages);

function joinAll(fragmentSize: number): Uint8Array[] {
  const joiner = new HandshakeJoiner(1 << 20);
  const out: Uint8Array[] = [];
  for (let i = 0; i < stream.length; i += fragmentSize) {
    joiner.push(stream.subarray(i, i + fragmentSize));
    for (let m = joiner.next(); m !== null; m = joiner.next()) out.push(m);
  }
  expect(joiner.buffered).toBe(0);
  return out;
}

describe('HandshakeJoiner', () => {
  it('returns whole messages with headers, whatever the fragmentation', () => {
    for (const size of [1, 2, 3, 4, 5, 17, 100, 4096, stream.length]) expect(joinAll(size)).toEqual(messages);
  });

  it('counts partial and not-yet-returned bytes as buffered', () => {
    const joiner = new HandshakeJoiner(1000);
    joiner.push(concatBytes(messages[0] as Uint8Array, messages[1] as Uint8Array));
    expect(joiner.next()).toEqual(messages[0]);
    expect(joiner.buffered).toBe(4);
    expect(joiner.next()).toEqual(messages[1]);
    expect(joiner.buffered).toBe(0);
    joiner.push(new Uint8Array([20, 0]));
    expect(joiner.next()).toBeNull();
    expect(joiner.buffered).toBe(2);
  });

  it('refuses an oversized message from its header alone', () => {
    const joiner = new HandshakeJoiner(100);
    joiner.push(new Uint8Array([11, 0, 0, 100]));
    expect(joiner.next()).toBeNull();
    const big = new HandshakeJoiner(100);
    big.push(new Uint8Array([11, 0, 0, 101]));
    expectFailure(() => big.next(), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
  });
});
