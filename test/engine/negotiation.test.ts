/**
 * What two of our endpoints agree on in memory (RFC 8446 §4.1.1, §4.1.4,
 * §4.2.7, §4.2.8; RFC 7301; RFC 6066 §3; RFC 8446 §D.4), checked on both
 * sides and on the wire between them.
 */
import { describe, expect, it } from 'vitest';
import { decodeAlpnSelected } from '../../src/handshake/messages/alpn.ts';
import { decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeEncryptedExtensions } from '../../src/handshake/messages/encrypted-extensions.ts';
import { findExtension } from '../../src/handshake/messages/extensions.ts';
import { decodeKeyShareClient } from '../../src/handshake/messages/key-share.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { bytesEqual, fromHex, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { ContentType, ExtensionType, HandshakeType, NamedGroup } from '../../src/wire/registry.ts';
import { pair } from '../helpers/tamper.ts';
import type { HandshakeItem, Item, PairOptions, Side, Wire } from '../helpers/tamper.ts';

/** RFC 8446 §4.1.3: the HelloRetryRequest random, SHA-256("HelloRetryRequest"). */
const HRR_RANDOM = fromHex('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c');

function connect(options: PairOptions = {}): Wire {
  const wire = pair(options);
  expect(wire.pump()).toBeNull();
  expect(wire.client.handshakeComplete).toBe(true);
  expect(wire.server.handshakeComplete).toBe(true);
  wire.client.write(utf8('ping'));
  wire.server.write(utf8('pong'));
  expect(wire.pump()).toBeNull();
  expect(fromUtf8(wire.server.read()!)).toBe('ping');
  expect(fromUtf8(wire.client.read()!)).toBe('pong');
  return wire;
}

function messages(wire: Wire, side: Side, type: number): HandshakeItem[] {
  return wire.sent[side].filter((i): i is HandshakeItem => i.kind === 'handshake' && i.type === type);
}

function clientHellos(wire: Wire): ClientHello[] {
  return messages(wire, 'client', HandshakeType.client_hello).map((m) => decodeClientHello(m.body));
}

function shareGroups(hello: ClientHello): number[] {
  return decodeKeyShareClient(findExtension(hello.extensions, ExtensionType.key_share)!).map((s) => s.group);
}

const isCcs = (i: Item) => i.kind === 'record' && i.contentType === ContentType.change_cipher_spec;

describe('key exchange groups', () => {
  for (const group of [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1]) {
    it(`group 0x${group.toString(16)} when it is the only one`, () => {
      const wire = connect({ client: { groups: [group] }, server: { groups: [group] } });
      expect(wire.client.negotiated.group).toBe(group);
      expect(wire.server.negotiated.group).toBe(group);
      expect(wire.client.negotiated.helloRetryRequest).toBe(false);
      expect(shareGroups(clientHellos(wire)[0]!)).toEqual([group]);
    });
  }

  it('the server\'s preferred group among the shares the client sent, without a retry', () => {
    const wire = connect({
      client: { keyShareGroups: [NamedGroup.x25519, NamedGroup.secp256r1] },
      server: { groups: [NamedGroup.secp256r1, NamedGroup.x25519] },
    });
    expect(wire.server.negotiated.group).toBe(NamedGroup.secp256r1);
    expect(wire.client.negotiated.group).toBe(NamedGroup.secp256r1);
    expect(wire.server.negotiated.helloRetryRequest).toBe(false);
  });

  it('a group the client sent a share for beats a retry for a more preferred one', () => {
    const wire = connect({ server: { groups: [NamedGroup.secp384r1, NamedGroup.x25519] } });
    expect(wire.server.negotiated.group).toBe(NamedGroup.x25519);
    expect(wire.server.negotiated.helloRetryRequest).toBe(false);
  });
});

describe('HelloRetryRequest', () => {
  for (const middleboxCompatibility of [true, false]) {
    it(`server wants secp384r1, client shared x25519 (compatibility mode ${middleboxCompatibility ? 'on' : 'off'})`, () => {
      const wire = connect({ client: { middleboxCompatibility }, server: { groups: [NamedGroup.secp384r1] } });
      for (const side of [wire.client, wire.server]) {
        expect(side.negotiated.helloRetryRequest).toBe(true);
        expect(side.negotiated.group).toBe(NamedGroup.secp384r1);
      }
      const [first, second] = clientHellos(wire);
      expect(shareGroups(first!)).toEqual([NamedGroup.x25519]);
      expect(shareGroups(second!)).toEqual([NamedGroup.secp384r1]);
      // §4.1.2: the second hello keeps the random and session id.
      expect(second!.random).toEqual(first!.random);
      expect(second!.legacySessionId).toEqual(first!.legacySessionId);
      const [hrr, serverHello] = messages(wire, 'server', HandshakeType.server_hello).map((m) => decodeServerHello(m.body));
      expect(hrr!.random).toEqual(HRR_RANDOM);
      expect(bytesEqual(serverHello!.random, HRR_RANDOM)).toBe(false);
      expect(wire.sent.client.filter(isCcs)).toHaveLength(middleboxCompatibility ? 1 : 0);
      expect(wire.sent.server.filter(isCcs)).toHaveLength(middleboxCompatibility ? 1 : 0);
    });
  }
});

describe('ALPN (RFC 7301)', () => {
  const [h2, http11] = [utf8('h2'), utf8('http/1.1')];

  function selected(wire: Wire): Uint8Array | undefined {
    const [ee] = messages(wire, 'server', HandshakeType.encrypted_extensions);
    const data = findExtension(decodeEncryptedExtensions(ee!.body).extensions, ExtensionType.application_layer_protocol_negotiation);
    return data && decodeAlpnSelected(data);
  }

  it('the server\'s preference wins', () => {
    const wire = connect({ client: { alpnProtocols: [http11, h2] }, server: { alpnProtocols: [h2, http11] } });
    expect(wire.client.negotiated.alpnProtocol).toEqual(h2);
    expect(wire.server.negotiated.alpnProtocol).toEqual(h2);
    expect(selected(wire)).toEqual(h2);
  });

  it('the one protocol in common', () => {
    const wire = connect({ client: { alpnProtocols: [http11, h2] }, server: { alpnProtocols: [utf8('spdy/3'), http11] } });
    expect(wire.client.negotiated.alpnProtocol).toEqual(http11);
    expect(wire.server.negotiated.alpnProtocol).toEqual(http11);
  });

  it('none when the server has no ALPN configured', () => {
    const wire = connect({ client: { alpnProtocols: [h2] } });
    expect(wire.client.negotiated.alpnProtocol).toBeNull();
    expect(wire.server.negotiated.alpnProtocol).toBeNull();
    expect(selected(wire)).toBeUndefined();
  });

  it('none when the client offers none', () => {
    const wire = connect({ server: { alpnProtocols: [h2] } });
    expect(findExtension(clientHellos(wire)[0]!.extensions, ExtensionType.application_layer_protocol_negotiation)).toBeUndefined();
    expect(wire.server.negotiated.alpnProtocol).toBeNull();
    expect(selected(wire)).toBeUndefined();
  });
});

describe('SNI (RFC 6066 §3)', () => {
  it('the name reaches the server, which acknowledges it', () => {
    const wire = connect({ serverName: 'localhost' });
    expect(wire.server.negotiated.serverName).toBe('localhost');
    expect(wire.client.negotiated.serverName).toBe('localhost');
    const [ee] = messages(wire, 'server', HandshakeType.encrypted_extensions);
    expect(findExtension(decodeEncryptedExtensions(ee!.body).extensions, ExtensionType.server_name)).toEqual(new Uint8Array(0));
  });

  it('a trailing dot is not sent', () => {
    const wire = connect({ serverName: 'localhost.' });
    expect(wire.server.negotiated.serverName).toBe('localhost');
  });

  for (const name of ['127.0.0.1', '::1', null]) {
    it(`no server_name for ${name}`, () => {
      const wire = connect({ serverName: name });
      expect(findExtension(clientHellos(wire)[0]!.extensions, ExtensionType.server_name)).toBeUndefined();
      expect(wire.server.negotiated.serverName).toBeNull();
      const [ee] = messages(wire, 'server', HandshakeType.encrypted_extensions);
      expect(findExtension(decodeEncryptedExtensions(ee!.body).extensions, ExtensionType.server_name)).toBeUndefined();
    });
  }
});

describe('middlebox compatibility mode (RFC 8446 §D.4)', () => {
  it('on: a 32-byte session id echoed, one CCS each way, before the first protected record', () => {
    const wire = connect({ client: { middleboxCompatibility: true } });
    const [hello] = clientHellos(wire);
    expect(hello!.legacySessionId).toHaveLength(32);
    const [serverHello] = messages(wire, 'server', HandshakeType.server_hello);
    expect(decodeServerHello(serverHello!.body).legacySessionIdEcho).toEqual(hello!.legacySessionId);
    for (const side of ['client', 'server'] as const) {
      const sent = wire.sent[side];
      expect(sent.filter(isCcs)).toHaveLength(1);
      const ccs = sent.findIndex(isCcs);
      const firstProtected = sent.findIndex((i) => i.kind !== 'raw' && i.epoch !== 'plaintext');
      expect(ccs).toBeGreaterThan(0);
      expect(ccs).toBeLessThan(firstProtected);
    }
  });

  it('off: an empty session id and no CCS either way', () => {
    const wire = connect({ client: { middleboxCompatibility: false } });
    expect(clientHellos(wire)[0]!.legacySessionId).toHaveLength(0);
    expect(wire.sent.client.filter(isCcs)).toHaveLength(0);
    expect(wire.sent.server.filter(isCcs)).toHaveLength(0);
  });
});
