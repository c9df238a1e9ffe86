/**
 * What `Negotiated` reports on each side, checked against the messages on the
 * wire (decoded with the logged secrets): the client's offered suites, the key
 * exchange group, both signature schemes, and both Finished verify_data
 * (RFC 8446 §4.1.2, §4.1.3, §4.4.3, §4.4.4).
 */
import { describe, expect, it } from 'vitest';
import { decodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { decodeKeyShareServer } from '../../src/handshake/messages/key-share.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { findExtension } from '../../src/handshake/messages/extensions.ts';
import { CipherSuite, ExtensionType, HandshakeType, NamedGroup, SignatureScheme } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { pair } from '../helpers/tamper.ts';
import type { HandshakeItem, PairOptions, Side, Wire } from '../helpers/tamper.ts';

function connect(options: PairOptions): Wire {
  const wire = pair(options);
  expect(wire.pump()).toBeNull();
  expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
  return wire;
}

function sent(wire: Wire, side: Side, type: number): HandshakeItem[] {
  return wire.sent[side].filter((i): i is HandshakeItem => i.kind === 'handshake' && i.type === type);
}

const clientCredential = credential('ed25519', 'client.example');
const OFFERED = [CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];

/** RSA server and Ed25519 client, so each side signs with a scheme of its own. */
const MUTUAL: PairOptions = {
  keyType: 'rsa2048',
  client: { cipherSuites: OFFERED, clientCertificate: clientCredential },
  server: { clientAuth: 'required', verifier: pinnedVerifier(clientCredential.chain[0]!) },
};

describe('Negotiated', () => {
  it('before the handshake: nothing, except the suites a client has offered', () => {
    const wire = pair({ client: { cipherSuites: OFFERED } });
    expect(wire.client.negotiated).toMatchObject({ clientCipherSuites: OFFERED, group: null, localSignatureScheme: null, peerSignatureScheme: null, clientFinished: null, serverFinished: null });
    expect(wire.server.negotiated).toMatchObject({ clientCipherSuites: [], group: null, localSignatureScheme: null, peerSignatureScheme: null, clientFinished: null, serverFinished: null });
  });

  it('clientCipherSuites: the client\'s offer, on both sides, not only the chosen suite', () => {
    const wire = connect(MUTUAL);
    for (const side of [wire.client, wire.server]) expect(side.negotiated.clientCipherSuites).toEqual(OFFERED);
    expect(wire.server.negotiated.cipherSuite?.id).toBe(CipherSuite.TLS_AES_256_GCM_SHA384);
  });

  it('clientFinished / serverFinished: each side\'s Finished.verify_data as sent, the same on both sides', () => {
    const wire = connect(MUTUAL);
    const [clientFinished] = sent(wire, 'client', HandshakeType.finished);
    const [serverFinished] = sent(wire, 'server', HandshakeType.finished);
    for (const side of [wire.client, wire.server]) {
      expect(side.negotiated.clientFinished).toEqual(clientFinished!.body);
      expect(side.negotiated.serverFinished).toEqual(serverFinished!.body);
    }
    expect(clientFinished!.body).toHaveLength(48); // SHA-384 (RFC 8446 §4.4.4)
    expect(clientFinished!.body).not.toEqual(serverFinished!.body);
  });

  it('localSignatureScheme and peerSignatureScheme: each side\'s CertificateVerify, seen from both sides', () => {
    const wire = connect(MUTUAL);
    const scheme = (side: Side) => decodeCertificateVerify(sent(wire, side, HandshakeType.certificate_verify)[0]!.body).algorithm;
    expect(scheme('server')).toBe(SignatureScheme.rsa_pss_rsae_sha256);
    expect(scheme('client')).toBe(SignatureScheme.ed25519);
    expect(wire.server.negotiated.localSignatureScheme).toBe(scheme('server'));
    expect(wire.client.negotiated.peerSignatureScheme).toBe(scheme('server'));
    expect(wire.client.negotiated.localSignatureScheme).toBe(scheme('client'));
    expect(wire.server.negotiated.peerSignatureScheme).toBe(scheme('client'));
  });

  it('without client authentication the client signed nothing and the server verified nothing', () => {
    const wire = connect({});
    expect(wire.client.negotiated.localSignatureScheme).toBeNull();
    expect(wire.server.negotiated.peerSignatureScheme).toBeNull();
    expect(wire.server.negotiated.localSignatureScheme).toBe(SignatureScheme.ecdsa_secp256r1_sha256);
    expect(wire.client.negotiated.peerSignatureScheme).toBe(SignatureScheme.ecdsa_secp256r1_sha256);
  });

  it('a client offering a certificate the server\'s schemes do not fit signs nothing', () => {
    const wire = connect({
      client: { clientCertificate: clientCredential },
      server: { clientAuth: 'optional', verifier: pinnedVerifier(clientCredential.chain[0]!), signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256] },
    });
    expect(sent(wire, 'client', HandshakeType.certificate_verify)).toEqual([]);
    expect(wire.client.negotiated.localSignatureScheme).toBeNull();
    expect(wire.server.negotiated.peerSignatureScheme).toBeNull();
  });

  for (const [name, expected, options] of [
    ['the first key share', NamedGroup.secp384r1, { client: { groups: [NamedGroup.secp384r1, NamedGroup.x25519], keyShareGroups: [NamedGroup.secp384r1] } }],
    ['after HelloRetryRequest', NamedGroup.x25519, { client: { groups: [NamedGroup.secp256r1, NamedGroup.x25519], keyShareGroups: [NamedGroup.secp256r1] }, server: { groups: [NamedGroup.x25519] } }],
  ] as const) {
    it(`group: the ServerHello's key_share group on both sides (${name})`, () => {
      const wire = connect(options);
      const hellos = sent(wire, 'server', HandshakeType.server_hello).map((m) => decodeServerHello(m.body));
      expect(decodeKeyShareServer(findExtension(hellos.at(-1)!.extensions, ExtensionType.key_share)!).group).toBe(expected);
      expect(wire.client.negotiated.group).toBe(expected);
      expect(wire.server.negotiated.group).toBe(expected);
    });
  }
});
