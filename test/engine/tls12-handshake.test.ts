/**
 * TLS 1.2 between our own client and server (RFC 5246, RFC 8422 ECDHE, RFC
 * 5289/7905 AEAD suites): every suite with the key types that authenticate it,
 * every group, client certificates, ALPN, SNI, version negotiation by the hello
 * fronts, the downgrade sentinel, the exporter, and data both ways.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig, ServerConfig, SessionCache12 } from '../../src/handshake/config.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import type { TlsSession12 } from '../../src/handshake/session.ts';
import type { ServerSession12 } from '../../src/handshake/session-state12.ts';
import type { TicketKeys } from '../../src/handshake/session-ticket12.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { SUITES12 } from '../../src/handshake/suites.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import type { ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, ExtensionType, NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { pinnedVerifier, pump } from '../helpers/pump.ts';

const TLS12 = ProtocolVersion.TLSv1_2;
const TLS13 = ProtocolVersion.TLSv1_3;

interface Options {
  readonly keyType?: KeyType;
  readonly client?: Partial<ClientConfig>;
  readonly server?: Partial<ServerConfig>;
}

function connect({ keyType = 'p256', client = {}, server = {} }: Options = {}) {
  const cred = credential(keyType);
  const keys = { client: new Map<string, Uint8Array>(), server: new Map<string, Uint8Array>() };
  const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], keyLog: (l, _r, v) => keys.server.set(l, v), ...server }));
  const c = TlsConnection.client(clientDefaults(nobleProvider, { verifier: pinnedVerifier(cred.chain[0]!), keyLog: (l, _r, v) => keys.client.set(l, v), ...client }), 'localhost');
  pump(c, s);
  return { c, s, keys };
}

function exchange(c: TlsConnection, s: TlsConnection): void {
  c.write(utf8('ping'));
  pump(c, s);
  expect(s.read()).toEqual(utf8('ping'));
  const big = nobleProvider.randomBytes(100_000);
  s.write(big);
  pump(c, s);
  expect(c.read()).toEqual(big);
}

describe('TLS 1.2 full handshakes', () => {
  for (const suite of SUITES12) {
    const keyTypes: KeyType[] = suite.auth === 'RSA' ? ['rsa2048'] : ['p256', 'p384', 'ed25519'];
    for (const keyType of keyTypes) {
      it(`${suite.name} with a ${keyType} certificate`, () => {
        const { c, s, keys } = connect({ keyType, client: { versions: [TLS12] }, server: { cipherSuites: [suite.id] } });
        expect(c.handshakeComplete && s.handshakeComplete).toBe(true);
        for (const side of [c, s]) {
          expect(side.negotiated.version).toBe(TLS12);
          expect(side.negotiated.cipherSuite).toBe(suite);
        }
        // Both sides log the same master secret as CLIENT_RANDOM (NSS key log format for TLS 1.2).
        expect(keys.client.get('CLIENT_RANDOM')).toHaveLength(48);
        expect(keys.client.get('CLIENT_RANDOM')).toEqual(keys.server.get('CLIENT_RANDOM'));
        exchange(c, s);
        expect(c.exportKeyingMaterial('EXPERIMENTAL-test', null, 32)).toEqual(s.exportKeyingMaterial('EXPERIMENTAL-test', null, 32));
        expect(c.exportKeyingMaterial('EXPERIMENTAL-test', new Uint8Array(0), 32)).not.toEqual(c.exportKeyingMaterial('EXPERIMENTAL-test', null, 32));
      });
    }
  }

  for (const group of [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1]) {
    it(`ECDHE over group ${group}`, () => {
      // An Ed25519 certificate: an ECDSA one's curve would also have to be in supported_groups (RFC 8422 §5.1).
      const { c, s } = connect({ keyType: 'ed25519', client: { versions: [TLS12], groups: [group] } });
      expect(c.negotiated.group).toBe(group);
      expect(s.negotiated.group).toBe(group);
    });
  }

  it('client certificates: required, with a chain the server verifies, and the CertificateVerify scheme', () => {
    const clientCred = credential('rsa2048', 'client');
    const { c, s } = connect({
      client: { versions: [TLS12], clientCertificate: clientCred },
      server: { clientAuth: 'required', verifier: pinnedVerifier(clientCred.chain[0]!) },
    });
    expect(s.negotiated.peerCertificates[0]).toEqual(clientCred.chain[0]);
    expect(s.negotiated.peerSignatureScheme).toBe(c.negotiated.localSignatureScheme);
    exchange(c, s);
  });

  it('client certificates: optional, and the client has none (an empty Certificate)', () => {
    const { c, s } = connect({ client: { versions: [TLS12] }, server: { clientAuth: 'optional', verifier: pinnedVerifier() } });
    expect(s.negotiated.peerCertificates).toEqual([]);
    exchange(c, s);
  });

  it('client certificates: required, and the client has none → handshake_failure (TLS 1.2 has no certificate_required; OpenSSL sends this)', () => {
    const cred = credential('p256');
    const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], clientAuth: 'required', verifier: pinnedVerifier() }));
    const c = TlsConnection.client(clientDefaults(nobleProvider, { versions: [TLS12], verifier: pinnedVerifier(cred.chain[0]!) }), 'localhost');
    expect(() => pump(c, s)).toThrow();
    expect(s.failed?.cause).toBe('NoClientCertificate12');
    expect((s.failed as ProtocolError).alert).toBe(AlertDescription.handshake_failure);
  });

  it('ALPN and SNI', () => {
    const { c, s } = connect({ client: { versions: [TLS12], alpnProtocols: [utf8('h2'), utf8('http/1.1')] }, server: { alpnProtocols: [utf8('http/1.1')] } });
    expect(c.negotiated.alpnProtocol).toEqual(utf8('http/1.1'));
    expect(s.negotiated.alpnProtocol).toEqual(utf8('http/1.1'));
    expect(s.negotiated.serverName).toBe('localhost');
  });

  it('tls-unique material: both sides agree on both Finished values', () => {
    const { c, s } = connect({ client: { versions: [TLS12] } });
    expect(c.negotiated.clientFinished).toHaveLength(12);
    expect(c.negotiated.clientFinished).toEqual(s.negotiated.clientFinished);
    expect(c.negotiated.serverFinished).toEqual(s.negotiated.serverFinished);
  });
});

describe('version negotiation between the hello fronts', () => {
  const cases: [string, readonly (typeof TLS12 | typeof TLS13)[], readonly (typeof TLS12 | typeof TLS13)[], number][] = [
    ['both enable both', [TLS13, TLS12], [TLS13, TLS12], TLS13],
    ['client 1.2 only', [TLS12], [TLS13, TLS12], TLS12],
    ['server 1.2 only', [TLS13, TLS12], [TLS12], TLS12],
    ['client 1.3 only', [TLS13], [TLS13, TLS12], TLS13],
  ];
  for (const [name, client, server, expected] of cases) {
    it(`${name} → ${expected === TLS13 ? 'TLS 1.3' : 'TLS 1.2'}`, () => {
      const { c, s } = connect({ client: { versions: client }, server: { versions: server } });
      expect(c.negotiated.version).toBe(expected);
      expect(s.negotiated.version).toBe(expected);
      exchange(c, s);
    });
  }

  it("an ECDSA certificate on a curve the client's supported_groups lack is not chosen (RFC 8422 §5.1): no shared cipher", () => {
    const cred = credential('p256');
    const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred] }));
    const c = TlsConnection.client(clientDefaults(nobleProvider, { versions: [TLS12], groups: [NamedGroup.x25519], verifier: pinnedVerifier(cred.chain[0]!) }), 'localhost');
    expect(() => pump(c, s)).toThrow();
    expect(s.failed?.cause).toBe('NoSharedCipher');
  });

  it('no version in common → protocol_version', () => {
    const cred = credential('p256');
    const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], versions: [TLS13] }));
    const c = TlsConnection.client(clientDefaults(nobleProvider, { versions: [TLS12], verifier: pinnedVerifier(cred.chain[0]!) }), 'localhost');
    expect(() => pump(c, s)).toThrow();
    expect(s.failed?.cause).toBe('UnsupportedVersion');
  });
});

describe('TLS 1.2 resumption (RFC 5246 §7.3 session IDs, RFC 5077 tickets)', () => {
  const cred = credential('p256');
  const ticketKey = { name: new Uint8Array(16).fill(7), key: new Uint8Array(32).fill(9) };
  const keys: TicketKeys = { current: () => ticketKey, find: (name) => (name.every((b, i) => b === ticketKey.name[i]) ? ticketKey : undefined) };

  function mapCache(): SessionCache12 & { readonly size: number } {
    const map = new Map<string, ServerSession12>();
    const hex = (id: Uint8Array) => Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
    return { store: (id, s) => void map.set(hex(id), s), find: (id) => map.get(hex(id)), get size() { return map.size; } };
  }

  function handshake(server: Partial<ServerConfig>, client: Partial<ClientConfig>) {
    const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], ...server }));
    const c = TlsConnection.client(clientDefaults(nobleProvider, { versions: [TLS12], verifier: pinnedVerifier(cred.chain[0]!), ...client }), 'localhost');
    pump(c, s);
    exchange(c, s);
    const sessions = c.takeSessionTickets();
    return { c, s, session: sessions.at(-1) as TlsSession12 | undefined };
  }

  it('by session ID: the server caches, the client resumes, nothing is re-sent or re-verified', () => {
    const cache = mapCache();
    const first = handshake({ sessionCache: cache, now: () => 1000 }, { sessionTickets: false });
    expect(first.session?.sessionId).toHaveLength(32);
    expect(first.session?.ticket).toBeNull();
    expect(cache.size).toBe(1);
    let verifications = 0;
    const counting = { verify: (chain: readonly Uint8Array[]) => (verifications++, pinnedVerifier(cred.chain[0]!).verify(chain, { role: 'server', serverName: 'localhost' })) };
    const second = handshake({ sessionCache: cache, now: () => 1100 }, { sessionTickets: false, session: first.session!, verifier: counting });
    expect(second.c.negotiated.resumed).toBe(true);
    expect(second.s.negotiated.resumed).toBe(true);
    expect(verifications).toBe(0);
    expect(second.c.negotiated.peerCertificates).toEqual(first.c.negotiated.peerCertificates);
    // RFC 5929 §3.1: after resumption the first Finished is the server's; both sides agree on both.
    expect(second.c.negotiated.serverFinished).toEqual(second.s.negotiated.serverFinished);
    expect(second.c.negotiated.clientFinished).toEqual(second.s.negotiated.clientFinished);
  });

  it('by ticket: sealed under the server key, opened on return; a ticket from another key gives a full handshake', () => {
    const first = handshake({ ticketKeys: keys, now: () => 1000 }, {});
    expect(first.session?.ticket?.length).toBeGreaterThan(48);
    expect(first.session?.lifetimeHint).toBe(7200);
    const second = handshake({ ticketKeys: keys, now: () => 1000 }, { session: first.session! });
    expect(second.s.negotiated.resumed).toBe(true);
    const otherKey = { name: new Uint8Array(16).fill(8), key: new Uint8Array(32).fill(1) };
    const third = handshake({ ticketKeys: { current: () => otherKey, find: () => undefined }, now: () => 1000 }, { session: first.session! });
    expect(third.s.negotiated.resumed).toBe(false);
    expect(third.c.negotiated.resumed).toBe(false);
  });

  it('expired sessions, another server name, or a suite no longer enabled give a full handshake', () => {
    const cache = mapCache();
    const first = handshake({ sessionCache: cache, ticketLifetime: 300, now: () => 1000 }, { sessionTickets: false });
    expect(handshake({ sessionCache: cache, ticketLifetime: 300, now: () => 1301 }, { sessionTickets: false, session: first.session! }).s.negotiated.resumed).toBe(false);
    expect(handshake({ sessionCache: cache, ticketLifetime: 300, now: () => 1300 }, { sessionTickets: false, session: first.session! }).s.negotiated.resumed).toBe(true);
    const otherSuite = SUITES12.find((s) => s.auth === 'ECDSA' && s.id !== first.session!.cipherSuite)!.id;
    expect(handshake({ sessionCache: cache, cipherSuites: [otherSuite], now: () => 1000 }, { sessionTickets: false, session: first.session! }).s.negotiated.resumed).toBe(false);
  });

  it('no session is kept or offered without the extended master secret (RFC 7627 §5.3)', () => {
    const cache = mapCache();
    const noEms = (extensions: Extension[]) => extensions.filter((e) => e.type !== ExtensionType.extended_master_secret);
    const first = handshake({ sessionCache: cache, ticketKeys: keys }, { clientHelloExtensions: noEms });
    expect(first.session).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
