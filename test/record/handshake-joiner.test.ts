import { describe, expect, it } from 'vitest';
import { HandshakeJoiner } from '../../src/record/handshake-joiner.ts';
import { concatBytes } from '../../src/wire/bytes.ts';
import { AlertDescription, HandshakeType } from '../../src/wire/registry.ts';
import { expectFailure, handshakeMessage, pattern } from './helpers.ts';

const messages = [handshakeMessage(2, pattern(90)), handshakeMessage(8, new Uint8Array(0)), handshakeMessage(11, pattern(3000, 5)), handshakeMessage(20, pattern(32, 9))];
const stream = concatBytes(...messages);
/** A handshake header: type u8, length u24. */
const header = (type: number, length: number) => new Uint8Array([type, length >> 16, (length >> 8) & 0xff, length & 0xff]);

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

  it('refuses a message over the cap from its header alone (illegal_parameter)', () => {
    const joiner = new HandshakeJoiner(100);
    joiner.push(new Uint8Array([11, 0, 0, 100]));
    expect(joiner.next()).toBeNull();
    const big = new HandshakeJoiner(100);
    big.push(new Uint8Array([11, 0, 0, 101]));
    expectFailure(() => big.next(), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
    // A type we do not know is bounded by the cap alone.
    const unknown = new HandshakeJoiner(100);
    unknown.push(new Uint8Array([99, 0, 0, 101]));
    expectFailure(() => unknown.next(), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
  });

  // The largest body each type can have, summed from its fields' bounds (RFC 8446 §4, RFC 5246 §7.4, RFC 8422 §5).
  const largest: [string, number, number][] = [
    ['HelloRequest', HandshakeType.hello_request, 0],
    ['ClientHello', HandshakeType.client_hello, 131_396],
    ['ServerHello', HandshakeType.server_hello, 65_607],
    ['NewSessionTicket', HandshakeType.new_session_ticket, 131_337],
    ['EndOfEarlyData', HandshakeType.end_of_early_data, 0],
    ['EncryptedExtensions', HandshakeType.encrypted_extensions, 65_537],
    ['ServerKeyExchange', HandshakeType.server_key_exchange, 65_798],
    ['CertificateRequest', HandshakeType.certificate_request, 131_329],
    ['ServerHelloDone', HandshakeType.server_hello_done, 0],
    ['CertificateVerify', HandshakeType.certificate_verify, 65_539],
    ['ClientKeyExchange', HandshakeType.client_key_exchange, 256],
    ['Finished', HandshakeType.finished, 48],
    ['KeyUpdate', HandshakeType.key_update, 1],
  ];

  for (const [name, type, max] of largest) {
    it(`${name}: ${max} bytes wait for the body; ${max + 1} → decode_error from the header, even under a larger cap`, () => {
      const fits = new HandshakeJoiner(1 << 24);
      fits.push(header(type, max));
      if (max > 0) expect(fits.next()).toBeNull();
      else expect(fits.next()).toEqual(header(type, 0));
      const over = new HandshakeJoiner(1 << 24);
      over.push(header(type, max + 1));
      expectFailure(() => over.next(), 'MalformedMessage', AlertDescription.decode_error);
    });
  }

  it('a length over both the cap and its type\'s largest body is decode_error; Certificate is bounded by the cap only', () => {
    const both = new HandshakeJoiner(100);
    both.push(header(HandshakeType.key_update, 256));
    expectFailure(() => both.next(), 'MalformedMessage', AlertDescription.decode_error);
    const certificate = new HandshakeJoiner(1 << 24);
    certificate.push(header(HandshakeType.certificate, 0xffffff));
    expect(certificate.next()).toBeNull();
  });

  it('copies fragments: the caller may reuse its buffer', () => {
    const joiner = new HandshakeJoiner(1000);
    const buffer = (messages[0] as Uint8Array).slice(0, 50);
    joiner.push(buffer);
    buffer.fill(0);
    joiner.push((messages[0] as Uint8Array).subarray(50));
    expect(joiner.next()).toEqual(messages[0]);
  });
});
