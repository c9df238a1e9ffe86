/**
 * Two things the adapters above the engine rely on: the message trace
 * (`messageTrace`, behind `--trace` and `SSLContext._msg_callback`) sees the
 * handshake of RFC 8446 §2 in order on both sides, with every alert; and
 * `bufferedPlaintext` counts what waits for `read()`, so an adapter can stop
 * feeding `receive()` at its high-water mark.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults, type MessageTrace } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { AlertDescription, AlertLevel, ContentType, HandshakeType } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier, pump } from '../helpers/pump.ts';

type Seen = [direction: string, what: string];

function recorder(into: Seen[]): MessageTrace {
  return (direction, contentType, message) => {
    const what =
      contentType === ContentType.handshake ? `handshake ${message[0]}` : contentType === ContentType.alert ? `alert ${message[0]}/${message[1]}` : `ccs ${message[0]}`;
    into.push([direction, what]);
  };
}

function connectedPair(clientSeen: Seen[], serverSeen: Seen[]) {
  const server = credential('p256');
  const serverConnection = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [server], messageTrace: recorder(serverSeen), ticketsToSend: 1 }));
  const clientConnection = TlsConnection.client(clientDefaults(nobleProvider, { verifier: pinnedVerifier(server.chain[0]!), messageTrace: recorder(clientSeen) }), 'localhost');
  pump(clientConnection, serverConnection);
  return { client: clientConnection, server: serverConnection };
}

const H = HandshakeType;

describe('messageTrace', () => {
  it('sees each side of the handshake in order, then close_notify both ways', () => {
    const clientSeen: Seen[] = [];
    const serverSeen: Seen[] = [];
    const { client, server } = connectedPair(clientSeen, serverSeen);
    client.close();
    server.close();
    pump(client, server);
    // Middlebox compatibility mode (RFC 8446 §D.4): each side sends one ChangeCipherSpec before its encrypted flight.
    const flight = [`handshake ${H.server_hello}`, 'ccs 1', ...[H.encrypted_extensions, H.certificate, H.certificate_verify, H.finished].map((t) => `handshake ${t}`)];
    expect(clientSeen).toEqual([
      ['sent', `handshake ${H.client_hello}`],
      ...flight.map((w) => ['received', w]),
      ['sent', 'ccs 1'],
      ['sent', `handshake ${H.finished}`],
      ['received', `handshake ${H.new_session_ticket}`],
      ['sent', `alert ${AlertLevel.warning}/${AlertDescription.close_notify}`],
      ['received', `alert ${AlertLevel.warning}/${AlertDescription.close_notify}`],
    ]);
    expect(serverSeen).toEqual([
      ['received', `handshake ${H.client_hello}`],
      ...flight.map((w) => ['sent', w]),
      ['received', 'ccs 1'],
      ['received', `handshake ${H.finished}`],
      ['sent', `handshake ${H.new_session_ticket}`],
      // Both closed before the bytes moved: the server's own close_notify goes out first.
      ['sent', `alert ${AlertLevel.warning}/${AlertDescription.close_notify}`],
      ['received', `alert ${AlertLevel.warning}/${AlertDescription.close_notify}`],
    ]);
  });

  it('sees the fatal alert a failure sends', () => {
    const seen: Seen[] = [];
    const server = TlsConnection.server(serverDefaults(nobleProvider, { certificates: [credential('p256')], messageTrace: recorder(seen) }));
    expect(() => server.receive(Uint8Array.of(22, 3, 1, 0, 4, 1, 0, 0, 0))).toThrow();
    expect(seen).toEqual([
      ['received', `handshake ${H.client_hello}`],
      ['sent', `alert ${AlertLevel.fatal}/${AlertDescription.decode_error}`],
    ]);
  });
});

describe('bufferedPlaintext', () => {
  it('counts decrypted bytes until read() takes them', () => {
    const { client, server } = connectedPair([], []);
    expect(server.bufferedPlaintext).toBe(0);
    client.write(new Uint8Array(40_000));
    client.write(new Uint8Array(2));
    server.receive(client.takeOutgoing());
    expect(server.bufferedPlaintext).toBe(40_002);
    expect(server.read()?.length).toBe(40_002);
    expect(server.bufferedPlaintext).toBe(0);
  });
});
