/**
 * Client authentication in memory (RFC 8446 §4.3.2, §4.4.2, §4.4.3): required
 * and optional, with and without a certificate, and a client whose key fits
 * none of the schemes the server asks for, which must answer with an empty
 * Certificate and no CertificateVerify.
 */
import { describe, expect, it } from 'vitest';
import { decodeCertificate } from '../../src/handshake/messages/certificate.ts';
import type { Certificate } from '../../src/handshake/messages/certificate.ts';
import { decodeCertificateRequest, certificateRequestView } from '../../src/handshake/messages/certificate-request.ts';
import type { ServerConfig } from '../../src/handshake/config.ts';
import { fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription as A, HandshakeType, SignatureScheme } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { pair } from '../helpers/tamper.ts';
import type { HandshakeItem, PairOptions, Wire } from '../helpers/tamper.ts';
import { expectFatal } from './fatal.ts';

function sentBy(wire: Wire, side: 'client' | 'server', type: number): HandshakeItem[] {
  return wire.sent[side].filter((i): i is HandshakeItem => i.kind === 'handshake' && i.type === type);
}

function clientCertificate(wire: Wire): Certificate {
  const [message] = sentBy(wire, 'client', HandshakeType.certificate);
  return decodeCertificate(message!.body);
}

function options(clientAuth: ServerConfig['clientAuth'], keyType: KeyType | null, server: Partial<ServerConfig> = {}): PairOptions {
  const client = keyType === null ? null : credential(keyType, 'client');
  return {
    client: { clientCertificate: client },
    server: { clientAuth, verifier: pinnedVerifier(credential('ed25519', 'client').chain[0]!, credential('p256', 'client').chain[0]!, credential('rsa2048', 'client').chain[0]!), ...server },
  };
}

function connect(opts: PairOptions): Wire {
  const wire = pair(opts);
  expect(wire.pump()).toBeNull();
  expect(wire.server.handshakeComplete).toBe(true);
  wire.client.write(utf8('hello'));
  expect(wire.pump()).toBeNull();
  expect(fromUtf8(wire.server.read()!)).toBe('hello');
  return wire;
}

describe('client authentication', () => {
  for (const [clientAuth, keyType, scheme] of [
    ['required', 'p256', SignatureScheme.ecdsa_secp256r1_sha256],
    ['required', 'ed25519', SignatureScheme.ed25519],
    ['required', 'rsa2048', SignatureScheme.rsa_pss_rsae_sha256],
    ['optional', 'p256', SignatureScheme.ecdsa_secp256r1_sha256],
  ] as const) {
    it(`${clientAuth}, client has a ${keyType} certificate: the server sees and verifies it`, () => {
      const wire = connect(options(clientAuth, keyType));
      const chain = credential(keyType, 'client').chain;
      expect(wire.server.negotiated.peerCertificates).toEqual(chain);
      expect(wire.server.negotiated.verifiedChain).toEqual(chain);
      expect(wire.server.negotiated.peerSignatureScheme).toBe(scheme);
      expect(clientCertificate(wire).certificateList.map((e) => e.certData)).toEqual(chain);
      expect(sentBy(wire, 'client', HandshakeType.certificate_verify)).toHaveLength(1);
    });
  }

  it('optional, client has no certificate: an empty Certificate, no CertificateVerify', () => {
    const wire = connect(options('optional', null));
    expect(wire.server.negotiated.peerCertificates).toEqual([]);
    expect(wire.server.negotiated.verifiedChain).toEqual([]);
    expect(wire.server.negotiated.peerSignatureScheme).toBeNull();
    expect(clientCertificate(wire).certificateList).toEqual([]);
    expect(sentBy(wire, 'client', HandshakeType.certificate_verify)).toHaveLength(0);
  });

  it('the CertificateRequest lists the server\'s signature schemes', () => {
    const schemes = [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ed25519];
    const wire = connect(options('optional', null, { signatureSchemes: schemes }));
    const [request] = sentBy(wire, 'server', HandshakeType.certificate_request);
    const view = certificateRequestView(decodeCertificateRequest(request!.body));
    expect(view.signatureAlgorithms).toEqual(schemes);
  });

  it('optional, client key fits none of the server\'s schemes: an empty Certificate', () => {
    const wire = connect(options('optional', 'ed25519', { signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256] }));
    expect(clientCertificate(wire).certificateList).toEqual([]);
    expect(sentBy(wire, 'client', HandshakeType.certificate_verify)).toHaveLength(0);
    expect(wire.server.negotiated.peerCertificates).toEqual([]);
  });

  it('required, client key fits none of the server\'s schemes → certificate_required', () => {
    const wire = pair(options('required', 'ed25519', { signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256] }));
    expectFatal(wire, wire.pump(), { side: 'server', cause: 'CertificateRequired', alert: A.certificate_required });
    expect(clientCertificate(wire).certificateList).toEqual([]);
  });

  it('not asked: a client with a certificate sends none', () => {
    const wire = connect(options('none', 'p256'));
    expect(sentBy(wire, 'server', HandshakeType.certificate_request)).toHaveLength(0);
    expect(sentBy(wire, 'client', HandshakeType.certificate)).toHaveLength(0);
    expect(wire.server.negotiated.peerCertificates).toEqual([]);
  });
});
