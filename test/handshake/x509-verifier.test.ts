import { describe, expect, it } from 'vitest';
import { nobleProvider as P } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { x509Verifier } from '../../src/handshake/x509-verifier.ts';
import { AlertReceived, CertificateVerifyError, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { credential } from '../helpers/credentials.ts';
import { pump } from '../helpers/pump.ts';
import { thrown } from './messages/support.ts';

const now = () => Date.now() / 1000;
const server = credential('p256');
const other = credential('p256', 'other.example');
const verifier = (ca: Uint8Array, checkHostname = true) => x509Verifier({ provider: P, trust: [parseCertificate(ca)], now, checkHostname });

function handshake(name: string, ca: Uint8Array, serverConfig = serverDefaults(P, { certificates: [server] })) {
  const s = TlsConnection.server(serverConfig);
  const c = TlsConnection.client(clientDefaults(P, { verifier: verifier(ca) }), name);
  let error: unknown;
  try {
    pump(c, s);
  } catch (e) {
    error = e;
  }
  return { client: c, server: s, error };
}

function alertSentBy(c: TlsConnection): number {
  // The client's alert goes out under its handshake keys; the server records it as a received alert.
  return (c.failed as CertificateVerifyError).alert;
}

describe('the X.509 verifier in the engine', () => {
  it('accepts a chain to the trusted CA for the right host name, and for the IP address in the SAN', () => {
    for (const name of ['localhost', '127.0.0.1']) {
      const { client, error } = handshake(name, server.caDer);
      expect(error).toBeUndefined();
      expect(client.negotiated.verifiedChain).toHaveLength(2); // leaf and CA
    }
  });

  it('refuses a chain to another CA with verify code 20 and unknown_ca', () => {
    const { client, error } = handshake('localhost', other.caDer);
    expect(error).toBeInstanceOf(CertificateVerifyError);
    expect((error as CertificateVerifyError).verifyCode).toBe(20);
    expect(alertSentBy(client)).toBe(AlertDescription.unknown_ca);
  });

  it('refuses a host name the certificate does not name (62) and an IP address it does not name (64)', () => {
    expect((handshake('wrong.example', server.caDer).error as CertificateVerifyError).verifyCode).toBe(62);
    expect((handshake('127.0.0.2', server.caDer).error as CertificateVerifyError).verifyCode).toBe(64);
  });

  it('fails closed when host names are checked but the client has no server name (internal_error)', () => {
    const s = TlsConnection.server(serverDefaults(P, { certificates: [server] }));
    const c = TlsConnection.client(clientDefaults(P, { verifier: verifier(server.caDer) }), null);
    const error = thrown(() => pump(c, s));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).cause).toBe('ServerNameRequired');
    expect((error as ProtocolError).alert).toBe(AlertDescription.internal_error);
    expect(c.handshakeComplete).toBe(false);
    // The server learns why.
    expect(thrown(() => s.receive(c.takeOutgoing()))).toBeInstanceOf(AlertReceived);
    expect((s.failed as AlertReceived).description).toBe(AlertDescription.internal_error);
  });

  it('with hostname checking off, a client without a server name verifies the chain only', () => {
    const s = TlsConnection.server(serverDefaults(P, { certificates: [server] }));
    const c = TlsConnection.client(clientDefaults(P, { verifier: verifier(server.caDer, false) }), null);
    pump(c, s);
    expect(c.negotiated.verifiedChain).toHaveLength(2);
    const untrusted = TlsConnection.client(clientDefaults(P, { verifier: verifier(other.caDer, false) }), null);
    expect(thrown(() => pump(untrusted, TlsConnection.server(serverDefaults(P, { certificates: [server] }))))).toBeInstanceOf(CertificateVerifyError);
  });

  it('verifies client certificates for client authentication on the server', () => {
    const client = credential('p256', 'client.example');
    const s = TlsConnection.server(serverDefaults(P, { certificates: [server], clientAuth: 'required', verifier: verifier(client.caDer, false) }));
    const c = TlsConnection.client(clientDefaults(P, { verifier: verifier(server.caDer), clientCertificate: client }), 'localhost');
    pump(c, s);
    expect(s.negotiated.verifiedChain).toHaveLength(2);

    const s2 = TlsConnection.server(serverDefaults(P, { certificates: [server], clientAuth: 'required', verifier: verifier(other.caDer, false) }));
    const c2 = TlsConnection.client(clientDefaults(P, { verifier: verifier(server.caDer), clientCertificate: client }), 'localhost');
    expect(() => pump(c2, s2)).toThrow();
    expect((s2.failed as CertificateVerifyError).verifyCode).toBe(20);
  });
});
