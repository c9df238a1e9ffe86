import { describe, expect, it } from 'vitest';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { SUITES13 } from '../../src/handshake/suites.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { ExtensionType, NamedGroup } from '../../src/wire/registry.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { MaxFragmentLength, maxFragmentLengthExtension } from '../../src/handshake/messages/max-fragment-length.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { pinnedVerifier, pump } from '../helpers/pump.ts';

const P = nobleProvider;

function connect(type: KeyType, suite: number, group: number) {
  const cred = credential(type);
  const server = TlsConnection.server(serverDefaults(P, { certificates: [cred], cipherSuites: [suite], groups: [group] }));
  const client = TlsConnection.client(clientDefaults(P, { verifier: pinnedVerifier(cred.chain[0]!), groups: [group] }), 'localhost');
  pump(client, server);
  return { client, server };
}

describe('in-memory TLS 1.3 handshake', () => {
  for (const type of ['p256', 'p384', 'rsa2048', 'ed25519'] as const) {
    for (const suite of SUITES13) {
      it(`${type} ${suite.name}`, () => {
        const { client, server } = connect(type, suite.id, NamedGroup.x25519);
        expect(client.handshakeComplete).toBe(true);
        expect(server.handshakeComplete).toBe(true);
        expect(client.negotiated.cipherSuite?.id).toBe(suite.id);
        client.write(utf8('ping'));
        pump(client, server);
        expect(fromUtf8(server.read()!)).toBe('ping');
        server.write(utf8('pong'));
        pump(client, server);
        expect(fromUtf8(client.read()!)).toBe('pong');
        expect(client.takeSessionTickets()).toHaveLength(2);
      });
    }
  }
});

describe('max_fragment_length (RFC 6066 §4)', () => {
  it('the server does not negotiate it: the handshake completes and EncryptedExtensions carries no answer', () => {
    const cred = credential('p256');
    let answered: Extension[] = [];
    const server = TlsConnection.server(
      serverDefaults(P, { certificates: [cred], encryptedExtensions: (ours) => (answered = ours) }),
    );
    const client = TlsConnection.client(
      clientDefaults(P, {
        verifier: pinnedVerifier(cred.chain[0]!),
        clientHelloExtensions: (ours) => [...ours, maxFragmentLengthExtension(MaxFragmentLength['2^9'])],
      }),
      'localhost',
    );
    pump(client, server);
    expect(server.handshakeComplete && client.handshakeComplete).toBe(true);
    expect(answered.map((e) => e.type)).not.toContain(ExtensionType.max_fragment_length);
    expect(answered.map((e) => e.type)).toContain(ExtensionType.server_name);
  });
});
