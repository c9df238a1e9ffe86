/**
 * The handshake steps both versions share, checked on their own: ALPN choice,
 * the server's certificate and scheme choice, SNI acknowledgement, handshake
 * signing and the peer's chain. The state machines' use of them is covered by
 * the engine, RFC 8448 and interop tests.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider as P } from '../../src/crypto/noble.ts';
import { acceptAlpnSelection, chooseAlpn } from '../../src/handshake/alpn-choice.ts';
import { chooseCredential } from '../../src/handshake/credential-choice.ts';
import { acceptPeerChain, leafPublicKey } from '../../src/handshake/peer-certificate.ts';
import { verifyHandshakeSignature } from '../../src/handshake/proofs.ts';
import { serverNameAck } from '../../src/handshake/server-name-ack.ts';
import { signHandshake } from '../../src/handshake/signatures.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription as A, ExtensionType, SignatureScheme as S } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { expectRejected } from './messages/support.ts';

const h2 = utf8('h2');
const http11 = utf8('http/1.1');

describe('chooseAlpn (RFC 7301 §3.2)', () => {
  const server = { alpnProtocols: [h2, http11], alpnNoOverlap: 'refuse' } as const;

  it('takes the server\'s most preferred protocol among the client\'s', () => {
    expect(chooseAlpn(server, [http11, h2])).toEqual(h2);
    expect(chooseAlpn(server, [utf8('spdy/3'), http11])).toEqual(http11);
  });

  it('negotiates nothing when either side has no ALPN', () => {
    expect(chooseAlpn(server, undefined)).toBeNull();
    expect(chooseAlpn({ ...server, alpnProtocols: [] }, [h2])).toBeNull();
  });

  it('refuses no overlap with no_application_protocol, or goes on without ALPN when configured to', () => {
    expectRejected(() => chooseAlpn(server, [utf8('spdy/3')]), 'NoApplicationProtocol', A.no_application_protocol);
    expect(chooseAlpn({ ...server, alpnNoOverlap: 'continue' }, [utf8('spdy/3')])).toBeNull();
  });
});

describe('acceptAlpnSelection (RFC 7301 §3.1)', () => {
  it('accepts one of the protocols offered and refuses any other with illegal_parameter', () => {
    expect(acceptAlpnSelection([http11, h2], h2)).toEqual(h2);
    expectRejected(() => acceptAlpnSelection([http11], h2), 'IllegalParameter', A.illegal_parameter);
  });
});

describe('chooseCredential', () => {
  const ec = credential('p256');
  const rsa = credential('rsa2048');
  const all = [S.ecdsa_secp256r1_sha256, S.rsa_pss_rsae_sha256, S.rsa_pss_rsae_sha384];

  it('takes the first configured chain whose key fits a scheme the client offers', () => {
    expect(chooseCredential({ certificates: [ec, rsa], signatureSchemes: all }, [S.rsa_pss_rsae_sha256, S.ecdsa_secp256r1_sha256])).toEqual({ credential: ec, scheme: S.ecdsa_secp256r1_sha256 });
    expect(chooseCredential({ certificates: [ec, rsa], signatureSchemes: all }, [S.rsa_pss_rsae_sha256])).toEqual({ credential: rsa, scheme: S.rsa_pss_rsae_sha256 });
  });

  it('picks the scheme by the client\'s order, among those our configuration allows', () => {
    expect(chooseCredential({ certificates: [rsa], signatureSchemes: all }, [S.rsa_pss_rsae_sha384, S.rsa_pss_rsae_sha256]).scheme).toBe(S.rsa_pss_rsae_sha384);
    expect(chooseCredential({ certificates: [rsa], signatureSchemes: [S.rsa_pss_rsae_sha256] }, [S.rsa_pss_rsae_sha384, S.rsa_pss_rsae_sha256]).scheme).toBe(S.rsa_pss_rsae_sha256);
  });

  it('fails with handshake_failure when no chain fits, or there is no chain at all', () => {
    expectRejected(() => chooseCredential({ certificates: [ec], signatureSchemes: all }, [S.rsa_pss_rsae_sha256]), 'NoSharedSignatureScheme', A.handshake_failure);
    expectRejected(() => chooseCredential({ certificates: [ec], signatureSchemes: [S.rsa_pss_rsae_sha256] }, [S.ecdsa_secp256r1_sha256]), 'NoSharedSignatureScheme', A.handshake_failure);
    expectRejected(() => chooseCredential({ certificates: [], signatureSchemes: all }, all), 'NoSharedCipher', A.handshake_failure);
  });
});

describe('serverNameAck (RFC 6066 §3)', () => {
  it('answers a client\'s server_name with an empty one, and nothing to a client without', () => {
    expect(serverNameAck('example.com')).toEqual([{ type: ExtensionType.server_name, data: new Uint8Array(0) }]);
    expect(serverNameAck(undefined)).toEqual([]);
  });
});

describe('signHandshake', () => {
  const ec = credential('p256');
  const content = utf8('content either version builds');

  it('signs so that the peer\'s check accepts it, and that check refuses other content', () => {
    const signature = signHandshake(P, ec.key, S.ecdsa_secp256r1_sha256, content);
    const key = leafPublicKey(ec.chain[0]!);
    expect(verifyHandshakeSignature(P, [S.ecdsa_secp256r1_sha256], S.ecdsa_secp256r1_sha256, key, content, signature)).toBeDefined();
    expectRejected(() => verifyHandshakeSignature(P, [S.ecdsa_secp256r1_sha256], S.ecdsa_secp256r1_sha256, key, utf8('other'), signature), 'BadSignature', A.decrypt_error);
  });

  it('refuses a scheme that does not fit our key as our own error (internal_error)', () => {
    expectRejected(() => signHandshake(P, ec.key, S.ed25519, content), 'InternalError', A.internal_error);
  });
});

describe('the peer\'s chain', () => {
  const ec = credential('p256');
  const identity = { role: 'server', serverName: 'localhost' } as const;

  it('yields the leaf key and the verifier\'s chain', () => {
    const { peerKey, peer } = acceptPeerChain(pinnedVerifier(ec.chain[0]!), ec.chain, identity);
    expect(peerKey.type).toBe('ec');
    expect(peer.chain).toEqual(ec.chain);
  });

  it('refuses a leaf that does not parse with bad_certificate, before the verifier runs', () => {
    const garbage = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00);
    expectRejected(() => leafPublicKey(garbage), 'BadCertificate', A.bad_certificate);
    expectRejected(() => acceptPeerChain(pinnedVerifier(ec.chain[0]!), [garbage], identity), 'BadCertificate', A.bad_certificate);
  });

  it('cannot accept a chain with no verifier configured', () => {
    expectRejected(() => acceptPeerChain(null, ec.chain, identity), 'NoCertificateVerifier', A.internal_error);
  });
});
