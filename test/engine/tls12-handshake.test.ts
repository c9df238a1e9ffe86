/**
 * TLS 1.2 between our own client and server (RFC 5246, RFC 8422 ECDHE, RFC
 * 5289/7905 AEAD suites): every suite with the key types that authenticate it,
 * every group, client certificates, ALPN, SNI, version negotiation by the hello
 * fronts, the downgrade sentinel, the exporter, and data both ways.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig, ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { SUITES12 } from '../../src/handshake/suites.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import type { ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
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
      const { c, s } = connect({ client: { versions: [TLS12], groups: [group] } });
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

  it('no version in common → protocol_version', () => {
    const cred = credential('p256');
    const s = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [cred], versions: [TLS13] }));
    const c = TlsConnection.client(clientDefaults(nobleProvider, { versions: [TLS12], verifier: pinnedVerifier(cred.chain[0]!) }), 'localhost');
    expect(() => pump(c, s)).toThrow();
    expect(s.failed?.cause).toBe('UnsupportedVersion');
  });
});
