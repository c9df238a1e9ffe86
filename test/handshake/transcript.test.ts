import { describe, expect, it } from 'vitest';
import { nobleProvider as P } from '../../src/crypto/noble.ts';
import { Transcript } from '../../src/handshake/transcript.ts';
import { encodeMessageHash } from '../../src/handshake/messages/message-hash.ts';
import { concatBytes } from '../../src/wire/bytes.ts';

const sha256 = (data: Uint8Array) => P.hash('sha256').digest(data);
const hello = Uint8Array.of(1, 0, 0, 2, 0xaa, 0xbb);
const serverHello = Uint8Array.of(2, 0, 0, 1, 0xcc);
const certificate = Uint8Array.of(11, 0, 0, 3, 1, 2, 3);

function fed(options?: { keepMessages: boolean }): Transcript {
  const t = new Transcript(options);
  t.add(hello);
  t.chooseHash(P, 'sha256');
  t.add(serverHello);
  t.add(certificate);
  return t;
}

describe('Transcript', () => {
  it('hashes every message, those added before the hash was chosen included', () => {
    expect(fed().current()).toEqual(sha256(concatBytes(hello, serverHello, certificate)));
  });

  it('has no hash to give before one is chosen', () => {
    expect(() => new Transcript().current()).toThrow('transcript hash not chosen yet');
  });

  it('keeps no messages unless asked to (TLS 1.3 needs only the running hash)', () => {
    expect(() => fed().messages()).toThrow('transcript was not built to keep its messages');
  });

  it('with keepMessages, gives handshake_messages for a TLS 1.2 CertificateVerify (RFC 5246 §7.4.8), hash unchanged', () => {
    const t = fed({ keepMessages: true });
    expect(t.messages()).toEqual(concatBytes(hello, serverHello, certificate));
    expect(t.current()).toEqual(fed().current());
  });

  it('keeps copies, not views the caller may overwrite', () => {
    const t = new Transcript({ keepMessages: true });
    const buffer = hello.slice();
    t.add(buffer);
    buffer.fill(0);
    expect(t.messages()).toEqual(hello);
  });

  it('replaces the first ClientHello by message_hash in the kept messages too, so they hash to current() (RFC 8446 §4.4.1)', () => {
    const t = new Transcript({ keepMessages: true });
    t.add(hello);
    t.chooseHash(P, 'sha256');
    t.replaceWithMessageHash(P, 'sha256');
    t.add(serverHello);
    expect(t.messages()).toEqual(concatBytes(encodeMessageHash(sha256(hello)), serverHello));
    expect(sha256(t.messages())).toEqual(t.current());
  });
});
