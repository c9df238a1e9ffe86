/**
 * What a peer can make the engine hold or do is bounded (issue 14): KeyUpdate
 * floods (RFC 8446 §4.6.3) are capped per unit of application data and their
 * answers coalesced; only the newest few session tickets are kept, none
 * oversized; nothing is exported after a fatal error; record_size_limit
 * (RFC 8449) is offered, honoured and enforced.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig, ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, ContentType, HandshakeType, ProtocolVersion } from '../../src/wire/registry.ts';
import { RecordLayer } from '../../src/record/record-layer.ts';
import { protection13 } from '../../src/record/protection13.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier, pump } from '../helpers/pump.ts';

const cred = credential('p256');

function connected(client: Partial<ClientConfig> = {}, server: Partial<ServerConfig> = {}) {
  const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], ...server }));
  const c = TlsConnection.client(clientDefaults(nobleProvider, { verifier: pinnedVerifier(cred.chain[0]!), ...client }), 'localhost');
  pump(c, s);
  return { c, s };
}

describe('KeyUpdate floods', () => {
  it('32 KeyUpdates without application data are accepted; the 33rd → TooManyKeyUpdates (unexpected_message)', () => {
    const { c, s } = connected();
    for (let i = 0; i < 32; i++) s.keyUpdate(false);
    c.receive(s.takeOutgoing());
    for (let i = 0; i < 32; i++) s.keyUpdate(false);
    expect(() => c.receive(s.takeOutgoing())).toThrow(ProtocolError);
    expect(c.failed?.cause).toBe('TooManyKeyUpdates');
    expect((c.failed as ProtocolError).alert).toBe(AlertDescription.unexpected_message);
  });

  it('answers to KeyUpdates we requested are not counted (a peer such as s_server answers each request)', () => {
    const { c, s } = connected();
    // Our 40 requests are not delivered (to our server they would be a flood); its 40 KeyUpdates stand for the answers.
    for (let i = 0; i < 40; i++) c.keyUpdate(true);
    c.takeOutgoing();
    for (let i = 0; i < 40; i++) s.keyUpdate(false);
    c.receive(s.takeOutgoing());
    expect(c.failed).toBeUndefined();
    for (let i = 0; i < 33; i++) s.keyUpdate(false);
    expect(() => c.receive(s.takeOutgoing())).toThrow(ProtocolError);
    expect(c.failed?.cause).toBe('TooManyKeyUpdates');
  });

  it('application data resets the count', () => {
    const { c, s } = connected();
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 30; i++) s.keyUpdate(false);
      s.write(utf8('data'));
      c.receive(s.takeOutgoing());
      expect(c.read()).toEqual(utf8('data'));
    }
    expect(c.failed).toBeUndefined();
  });

  it('a burst of update_requested is answered by one KeyUpdate, before our next data', () => {
    const sent: number[] = [];
    const trace = (direction: 'sent' | 'received', type: number, message: Uint8Array) => {
      if (direction === 'sent' && type === ContentType.handshake) sent.push(message[0]!);
    };
    const { c, s } = connected({ messageTrace: trace });
    sent.length = 0;
    for (let i = 0; i < 20; i++) s.keyUpdate(true);
    c.receive(s.takeOutgoing());
    expect(sent).toEqual([HandshakeType.key_update]);
    c.write(utf8('after'));
    pump(c, s);
    expect(s.read()).toEqual(utf8('after'));
  });
});

describe('session tickets', () => {
  it('the newest 4 are kept of 10', () => {
    const { c } = connected({}, { ticketsToSend: 10 });
    const tickets = c.takeSessionTickets();
    expect(tickets).toHaveLength(4);
  });
});

describe('after a fatal error', () => {
  it('exportKeyingMaterial raises the error instead of returning keys', () => {
    const { c } = connected();
    expect(c.exportKeyingMaterial('EXPERIMENTAL-x', null, 16)).toHaveLength(16);
    expect(() => c.receive(Uint8Array.of(23, 3, 3, 0, 20, ...new Uint8Array(20)))).toThrow(ProtocolError);
    expect(() => c.exportKeyingMaterial('EXPERIMENTAL-x', null, 16)).toThrow(c.failed);
  });
});

describe('record_size_limit (RFC 8449), on by default', () => {
  for (const version of [ProtocolVersion.TLSv1_3, ProtocolVersion.TLSv1_2] as const) {
    it(`${version === ProtocolVersion.TLSv1_3 ? 'TLS 1.3' : 'TLS 1.2'}: a client advertising 64 gets records of at most 64 bytes of plaintext, and data flows`, () => {
      const { c, s } = connected({ recordSizeLimit: 64, versions: [version] });
      const data = nobleProvider.randomBytes(1000);
      s.write(data);
      const wire = s.takeOutgoing();
      // Each record: 5-byte header, then the AEAD's body (TLS 1.3: content + type byte + 16-byte tag).
      const bodies: number[] = [];
      for (let offset = 0; offset < wire.length; offset += 5 + ((wire[offset + 3]! << 8) | wire[offset + 4]!)) bodies.push((wire[offset + 3]! << 8) | wire[offset + 4]!);
      const overhead = version === ProtocolVersion.TLSv1_3 ? 16 : c.negotiated.cipherSuite!.aead === 'CHACHA20-POLY1305' ? 16 : 24;
      expect(Math.max(...bodies) - overhead).toBeLessThanOrEqual(64);
      c.receive(wire);
      expect(c.read()).toEqual(data);
    });
  }
});

describe('record_size_limit enforced on input (RFC 8449 §4)', () => {
  const key = new Uint8Array(16).fill(3);
  const iv = new Uint8Array(12).fill(4);
  /** A TLS 1.3 record carrying `size` bytes of application data, and a reader that advertised 64. */
  function readerFor(size: number): RecordLayer {
    const writer = new RecordLayer();
    writer.setWriteProtection(protection13(nobleProvider, 'AES-128-GCM', key, iv));
    writer.writeApplicationData(new Uint8Array(size));
    const reader = new RecordLayer();
    reader.setReadProtection(protection13(nobleProvider, 'AES-128-GCM', key, iv));
    reader.setReadRecordSizeLimit(64);
    reader.receive(writer.takeOutgoing());
    return reader;
  }

  it('63 bytes of content (64 with the inner type) pass; 64 → record_overflow, before decryption', () => {
    expect(readerFor(63).nextEvent()).toMatchObject({ kind: 'application_data' });
    expect(() => readerFor(64).nextEvent()).toThrow(expect.objectContaining({ cause: 'RecordOverflow', alert: AlertDescription.record_overflow }));
  });
});

describe('secrets die with the connection', () => {
  it('after close_notify both ways: nothing is exported, what was negotiated and the data read stay', () => {
    const logged: Uint8Array[] = [];
    const { c, s } = connected({ keyLog: (_l, _r, secret) => logged.push(secret) });
    s.write(utf8('last words'));
    s.close();
    c.receive(s.takeOutgoing());
    c.close();
    s.receive(c.takeOutgoing());
    expect(() => c.exportKeyingMaterial('EXPERIMENTAL-x', null, 16)).toThrow(/secrets are gone/);
    expect(() => s.exportKeyingMaterial('EXPERIMENTAL-x', null, 16)).toThrow(/secrets are gone/);
    expect(c.read()).toEqual(utf8('last words'));
    expect(c.negotiated.version).toBe(ProtocolVersion.TLSv1_3);
    expect(c.handshakeComplete).toBe(true);
    // The key log received copies, so what it keeps is not zeroed with the connection.
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.every((secret) => secret.some((b) => b !== 0))).toBe(true);
  });
});
