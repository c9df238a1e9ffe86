import { describe, expect, it } from 'vitest';
import { nobleProvider as P } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import type { PeerVerifier } from '../../src/handshake/config.ts';
import { MAX_PEER_CHAIN_BYTES, MAX_PEER_CHAIN_CERTIFICATES, acceptPeerChain } from '../../src/handshake/peer-certificate.ts';
import { x509Verifier } from '../../src/handshake/x509-verifier.ts';
import { AlertReceived, CertificateVerifyError, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { MAX_SIGNATURE_CHECKS, type VerificationStats } from '../../src/x509/verification-budget.ts';
import { VerifyFlag } from '../../src/x509/verify.ts';
import { X509_V } from '../../src/x509/verify-codes.ts';
import { NOW } from '../fixtures/x509-validate/builder.ts';
import { credential } from '../helpers/credentials.ts';
import { pump } from '../helpers/pump.ts';
import { lookAlikeChain } from '../x509/look-alike-chain.ts';
import { expectRejected, thrown } from './messages/support.ts';

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

describe('what one Certificate message can make us do (issue 14)', () => {
  // A leaf with 7,000 DNS names and 64 CAs named like the trusted root, each with 149 excluded
  // subtrees and a bogus signature: 64 candidate paths of 7,001 × 149 name comparisons each, were
  // the look-alikes not refused on their signature first.
  const attack = lookAlikeChain();
  const identity = { role: 'server', serverName: attack.hostname } as const;

  it('the look-alike construction costs one signature check per look-alike and no name-constraint work', () => {
    // CPython's default flags (TRUSTED_FIRST), and those of create_default_context in 3.13 (STRICT, PARTIAL_CHAIN).
    for (const flags of [VerifyFlag.TRUSTED_FIRST, VerifyFlag.TRUSTED_FIRST | VerifyFlag.X509_STRICT | VerifyFlag.PARTIAL_CHAIN]) {
      const stats: VerificationStats = { signatureChecks: 0, nameConstraintComparisons: 0 };
      const verifier = x509Verifier({ provider: P, trust: [attack.root.cert], now: () => NOW, checkHostname: true, flags, stats });
      const error = thrown(() => verifier.verify(attack.chain, identity));
      expect(error).toBeInstanceOf(CertificateVerifyError);
      expect((error as CertificateVerifyError).verifyCode).toBe(X509_V.ERR_CERT_SIGNATURE_FAILURE);
      expect((error as CertificateVerifyError).alert).toBe(AlertDescription.decrypt_error);
      expect(stats).toEqual({ signatureChecks: 64, nameConstraintComparisons: 0 });
    }
  });

  it('for a name the leaf does not have, it costs no signature check at all', () => {
    const stats: VerificationStats = { signatureChecks: 0, nameConstraintComparisons: 0 };
    const verifier = x509Verifier({ provider: P, trust: [attack.root.cert], now: () => NOW, checkHostname: true, flags: VerifyFlag.TRUSTED_FIRST, stats });
    const error = thrown(() => verifier.verify(attack.chain, { role: 'server', serverName: 'elsewhere.example' }));
    expect((error as CertificateVerifyError).verifyCode).toBe(X509_V.ERR_HOSTNAME_MISMATCH);
    expect(stats).toEqual({ signatureChecks: 0, nameConstraintComparisons: 0 });
  });

  it('more look-alikes than the signature budget end the verification at the budget', () => {
    const many = lookAlikeChain({ names: 10, cas: MAX_SIGNATURE_CHECKS + 20, subtrees: 1 });
    const stats: VerificationStats = { signatureChecks: 0, nameConstraintComparisons: 0 };
    const verifier = x509Verifier({ provider: P, trust: [many.root.cert], now: () => NOW, checkHostname: true, stats });
    const error = thrown(() => verifier.verify(many.chain, { role: 'server', serverName: many.hostname }));
    expect((error as CertificateVerifyError).verifyCode).toBe(X509_V.ERR_UNSPECIFIED);
    expect(stats.signatureChecks).toBe(MAX_SIGNATURE_CHECKS);
  });

  /** A verifier that records whether it was asked. */
  function spy(): PeerVerifier & { calls: number } {
    return {
      calls: 0,
      verify(chain) {
        this.calls++;
        return chain;
      },
    };
  }

  it('refuses the whole construction as an excessive Certificate message before the verifier runs', () => {
    expect(attack.chain.length).toBeGreaterThan(MAX_PEER_CHAIN_CERTIFICATES);
    const verifier = spy();
    expectRejected(() => acceptPeerChain(verifier, attack.chain, identity), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
    expect(verifier.calls).toBe(0);
  });

  it(`caps a chain at ${MAX_PEER_CHAIN_CERTIFICATES} certificates and ${MAX_PEER_CHAIN_BYTES} bytes`, () => {
    const extras = (n: number) => Array.from({ length: n }, () => server.caDer);
    const atCap = spy();
    acceptPeerChain(atCap, [...server.chain, ...extras(MAX_PEER_CHAIN_CERTIFICATES - server.chain.length)], identity);
    expect(atCap.calls).toBe(1);
    const overCount = spy();
    const tooMany = [...server.chain, ...extras(MAX_PEER_CHAIN_CERTIFICATES + 1 - server.chain.length)];
    expectRejected(() => acceptPeerChain(overCount, tooMany, identity), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
    expect(overCount.calls).toBe(0);

    // Two certificates: the leaf, and a blob that brings the total one byte over.
    const leafBytes = server.chain[0]!.length;
    const fits = spy();
    acceptPeerChain(fits, [server.chain[0]!, new Uint8Array(MAX_PEER_CHAIN_BYTES - leafBytes)], identity);
    expect(fits.calls).toBe(1);
    const overBytes = spy();
    const tooBig = [server.chain[0]!, new Uint8Array(MAX_PEER_CHAIN_BYTES - leafBytes + 1)];
    expectRejected(() => acceptPeerChain(overBytes, tooBig, identity), 'HandshakeMessageTooLarge', AlertDescription.illegal_parameter);
    expect(overBytes.calls).toBe(0);
  });

  it('a server sending a chain over the cap fails the handshake with illegal_parameter', () => {
    const padded = { ...server, chain: [...server.chain, ...Array.from({ length: MAX_PEER_CHAIN_CERTIFICATES }, () => server.caDer)] };
    const { client, error } = handshake('localhost', server.caDer, serverDefaults(P, { certificates: [padded] }));
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).cause).toBe('HandshakeMessageTooLarge');
    expect((client.failed as ProtocolError).alert).toBe(AlertDescription.illegal_parameter);
  });
});
