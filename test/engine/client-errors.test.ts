/**
 * The client refusing what a server sends (RFC 8446 §4.1.3 – §4.4.4): each
 * test alters one server message on the wire (or the server's configuration)
 * and asserts the client's error, cause and alert.
 */
import { describe, expect, it } from 'vitest';
import { alpnExtension } from '../../src/handshake/messages/alpn.ts';
import { decodeCertificate, encodeCertificate } from '../../src/handshake/messages/certificate.ts';
import { decodeCertificateVerify, encodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { cookieExtension } from '../../src/handshake/messages/cookie.ts';
import { makeExtension } from '../../src/handshake/messages/extensions.ts';
import { keyShareRetryExtension, keyShareServerExtension, decodeKeyShareServer } from '../../src/handshake/messages/key-share.ts';
import { maxFragmentLengthExtension } from '../../src/handshake/messages/max-fragment-length.ts';
import { DOWNGRADE_TLS11, DOWNGRADE_TLS12 } from '../../src/handshake/messages/server-hello.ts';
import { serverNameAckExtension } from '../../src/handshake/messages/server-name.ts';
import { supportedVersionsServerExtension } from '../../src/handshake/messages/supported-versions.ts';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { CertificateVerifyError, DecodeError } from '../../src/wire/errors.ts';
import {
  AlertDescription as A,
  CipherSuite,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  ProtocolVersion,
  SignatureScheme,
} from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { chain, onMessage, pair } from '../helpers/tamper.ts';
import type { PairOptions, Rewrite } from '../helpers/tamper.ts';
import { capture, editServerHello, flipBit, setExtension } from './edits.ts';
import { expectFatal } from './fatal.ts';

/** Runs a handshake with the server's traffic rewritten and expects the client to fail. */
function clientRefuses(server: Rewrite, expected: { cause: string; alert: number; type?: typeof DecodeError | typeof CertificateVerifyError }, options: PairOptions = {}) {
  const wire = pair(options);
  return expectFatal(wire, wire.pump({ server }), { side: 'client', ...expected });
}

/** A server that must answer with HelloRetryRequest: it only accepts secp384r1, the client shares x25519. */
const RETRY: PairOptions = { server: { groups: [NamedGroup.secp384r1] } };

describe('ServerHello', () => {
  it('a second ServerHello → unexpected_message', () => {
    const hello = capture(HandshakeType.server_hello);
    const again = onMessage(HandshakeType.encrypted_extensions, (ee) => [{ ...hello.seen[0]!, epoch: ee.epoch }, ee]);
    clientRefuses(chain(hello.rewrite, again), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('a cipher suite the client did not offer → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_AES_256_GCM_SHA384 })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter }, {
      client: { cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256] },
    });
  });

  it('an unknown cipher suite → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: 0x0a0a })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter });
  });

  it('a TLS 1.2 suite → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter });
  });

  it('a legacy_session_id_echo that differs → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, legacySessionIdEcho: flipBit(h.legacySessionIdEcho, 0) })), { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('a legacy_session_id_echo when none was sent → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, legacySessionIdEcho: new Uint8Array(32) })), { cause: 'IllegalParameter', alert: A.illegal_parameter }, {
      client: { middleboxCompatibility: false },
    });
  });

  it('legacy_version other than 0x0303 → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, legacyVersion: ProtocolVersion.TLSv1_3 })), { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('no supported_versions (a TLS 1.2 ServerHello) to a client restricted to TLS 1.3 → protocol_version', () => {
    const tls12 = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.supported_versions, null) }));
    clientRefuses(tls12, { cause: 'UnsupportedVersion', alert: A.protocol_version }, { client: { versions: [ProtocolVersion.TLSv1_3] } });
  });

  it('a TLS 1.3 ServerHello without supported_versions, to a client that offers TLS 1.2 → illegal_parameter (key_share has no place in TLS 1.2)', () => {
    const tls12 = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.supported_versions, null) }));
    clientRefuses(tls12, { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter });
  });

  for (const [name, sentinel] of [['DOWNGRADE_TLS12', DOWNGRADE_TLS12], ['DOWNGRADE_TLS11', DOWNGRADE_TLS11]] as const) {
    it(`a TLS 1.2 ServerHello whose random ends in ${name} → illegal_parameter`, () => {
      const downgraded = editServerHello((h) => ({
        ...h,
        random: concatBytes(h.random.subarray(0, 24), sentinel),
        extensions: setExtension(h.extensions, ExtensionType.supported_versions, null),
      }));
      clientRefuses(downgraded, { cause: 'DowngradeDetected', alert: A.illegal_parameter });
    });
  }

  it('supported_versions selecting TLS 1.2 → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.supported_versions, supportedVersionsServerExtension(ProtocolVersion.TLSv1_2)) }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('a key_share for a group the client sent no share for → illegal_parameter', () => {
    const edit = editServerHello((h) => {
      const share = decodeKeyShareServer(h.extensions.find((e) => e.type === ExtensionType.key_share)!.data);
      return { ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareServerExtension({ ...share, group: NamedGroup.secp256r1 })) };
    });
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('no key_share → missing_extension', () => {
    clientRefuses(editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, null) })), { cause: 'MissingExtension', alert: A.missing_extension });
  });

  it('an extension the client did not offer → unsupported_extension', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, { type: 0xfafa, data: new Uint8Array(0) }] }));
    clientRefuses(edit, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension });
  });

  it('ALPN in the ServerHello (it belongs in EncryptedExtensions) → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, alpnExtension([utf8('h2')])] }));
    clientRefuses(edit, { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter }, { client: { alpnProtocols: [utf8('h2')] } });
  });

  it('a duplicate extension → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, supportedVersionsServerExtension(ProtocolVersion.TLSv1_3)] }));
    clientRefuses(edit, { cause: 'DuplicateExtension', alert: A.illegal_parameter });
  });
});

describe('HelloRetryRequest', () => {
  it('a ServerHello after it with a different cipher suite → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_CHACHA20_POLY1305_SHA256 }), 1);
    clientRefuses(edit, { cause: 'WrongCipherReturned', alert: A.illegal_parameter }, RETRY);
  });

  it('a second HelloRetryRequest → unexpected_message', () => {
    const hello = capture(HandshakeType.server_hello);
    const again = onMessage(HandshakeType.server_hello, () => hello.seen[0]!.body, 1);
    clientRefuses(chain(hello.rewrite, again), { cause: 'SecondHelloRetryRequest', alert: A.unexpected_message }, RETRY);
  });

  it('asking for the group the client already sent a share for → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareRetryExtension(NamedGroup.x25519)) }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, RETRY);
  });

  it('asking for a group the client did not offer → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareRetryExtension(NamedGroup.ffdhe2048)) }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, RETRY);
  });

  it('asking for a group the client supports but is not configured for → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareRetryExtension(NamedGroup.secp384r1)) }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, {
      server: { groups: [NamedGroup.secp256r1] },
      client: { groups: [NamedGroup.x25519, NamedGroup.secp256r1] },
    });
  });

  it('a cookie too large to echo within the ClientHello extensions (65,500 of 2^16 - 1 bytes) → illegal_parameter, nothing encoded', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, cookieExtension(new Uint8Array(65_500).fill(7))] }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, RETRY);
  });

  it('one that would change nothing (no key_share, no cookie) → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, null) }));
    clientRefuses(edit, { cause: 'BadHelloRetryRequest', alert: A.illegal_parameter }, RETRY);
  });

  it('a cipher suite the client did not offer → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_AES_256_GCM_SHA384 }));
    clientRefuses(edit, { cause: 'WrongCipherReturned', alert: A.illegal_parameter }, { ...RETRY, client: { cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256] } });
  });

  it('an extension the client did not offer → unsupported_extension', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, { type: 0xfafa, data: new Uint8Array(0) }] }));
    clientRefuses(edit, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension }, RETRY);
  });

  it('a cookie in a ServerHello (only HelloRetryRequest may carry one) → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, cookieExtension(utf8('cookie'))] }), 1);
    clientRefuses(edit, { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter }, RETRY);
  });
});

describe('EncryptedExtensions', () => {
  it('ALPN the client did not offer → unsupported_extension', () => {
    const options: PairOptions = { server: { encryptedExtensions: (e) => [...e, alpnExtension([utf8('h2')])] } };
    clientRefuses(() => undefined, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension }, options);
  });

  it('an ALPN protocol outside the client\'s list → illegal_parameter', () => {
    const options: PairOptions = {
      client: { alpnProtocols: [utf8('h2')] },
      server: { encryptedExtensions: (e) => [...e, alpnExtension([utf8('spdy/3')])] },
    };
    clientRefuses(() => undefined, { cause: 'IllegalParameter', alert: A.illegal_parameter }, options);
  });

  it('max_fragment_length (never offered) → unsupported_extension', () => {
    const options: PairOptions = { server: { encryptedExtensions: (e) => [...e, maxFragmentLengthExtension(1)] } };
    clientRefuses(() => undefined, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension }, options);
  });

  it('a server_name acknowledgement when no SNI was sent → unsupported_extension', () => {
    const options: PairOptions = { serverName: null, server: { encryptedExtensions: (e) => [...e, serverNameAckExtension()] } };
    clientRefuses(() => undefined, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension }, { ...options, client: { verifier: pinnedVerifier(credential('p256').chain[0]!) } });
  });

  it('key_share (not allowed in EncryptedExtensions) → illegal_parameter', () => {
    const options: PairOptions = { server: { encryptedExtensions: (e) => [...e, makeExtension(ExtensionType.key_share, (w) => w.u16(NamedGroup.x25519))] } };
    clientRefuses(() => undefined, { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter }, options);
  });

  it('a duplicate extension → illegal_parameter', () => {
    const options: PairOptions = { server: { encryptedExtensions: (e) => [...e, serverNameAckExtension()] } };
    clientRefuses(() => undefined, { cause: 'DuplicateExtension', alert: A.illegal_parameter }, options);
  });

  it('missing (Certificate where EncryptedExtensions belongs) → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.encrypted_extensions, () => []), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });
});

describe('messages out of order', () => {
  for (const [name, type, body] of [
    ['NewSessionTicket', HandshakeType.new_session_ticket, Uint8Array.of(0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 1, 7, 0, 0)],
    ['KeyUpdate', HandshakeType.key_update, Uint8Array.of(0)],
    ['an unknown handshake type', 99, Uint8Array.of(1, 2, 3)],
    ['EndOfEarlyData', HandshakeType.end_of_early_data, new Uint8Array(0)],
  ] as const) {
    it(`${name} in place of EncryptedExtensions → unexpected_message`, () => {
      clientRefuses(onMessage(HandshakeType.encrypted_extensions, (ee) => [{ ...ee, type, body }]), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
    });
  }

  it('a ClientHello sent to the client → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.server_hello, (sh) => [{ ...sh, type: HandshakeType.client_hello }]), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });
});

describe('server authentication', () => {
  it('an empty Certificate → decode_error', () => {
    const empty = onMessage(HandshakeType.certificate, () => encodeCertificate({ certificateRequestContext: new Uint8Array(0), certificateList: [] }));
    clientRefuses(empty, { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('a Certificate with a certificate_request_context → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate, (item) => encodeCertificate({ ...decodeCertificate(item.body), certificateRequestContext: Uint8Array.of(1) }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('a leaf that is not a certificate → bad_certificate', () => {
    const edit = onMessage(HandshakeType.certificate, () => encodeCertificate({ certificateRequestContext: new Uint8Array(0), certificateList: [{ certData: utf8('not DER'), extensions: [] }] }));
    const accepting = { verify: (chain: readonly Uint8Array[]) => chain };
    clientRefuses(edit, { cause: 'BadCertificate', alert: A.bad_certificate }, { client: { verifier: accepting } });
  });

  it('no verifier configured → internal_error', () => {
    clientRefuses(() => undefined, { cause: 'NoCertificateVerifier', alert: A.internal_error }, { client: { verifier: null } });
  });

  it('a verifier that does not know the issuer → unknown_ca', () => {
    const error = clientRefuses(() => undefined, { type: CertificateVerifyError, cause: 'CertificateVerifyFailed', alert: A.unknown_ca }, {
      client: { verifier: pinnedVerifier(credential('p384').chain[0]!) },
    });
    expect((error as CertificateVerifyError).verifyCode).toBe(20);
  });

  it('a verifier rejection sends the alert the verifier names', () => {
    const expired = { verify: () => { throw new CertificateVerifyError(10, 'certificate has expired', A.certificate_expired); } };
    clientRefuses(() => undefined, { type: CertificateVerifyError, cause: 'CertificateVerifyFailed', alert: A.certificate_expired }, { client: { verifier: expired } });
  });

  for (const keyType of ['p256', 'p384', 'ed25519', 'rsa2048'] as const) {
    it(`a bad CertificateVerify signature (${keyType}) → decrypt_error`, () => {
      const edit = onMessage(HandshakeType.certificate_verify, (item) => {
        const verify = decodeCertificateVerify(item.body);
        return encodeCertificateVerify({ ...verify, signature: flipBit(verify.signature, -1) });
      });
      clientRefuses(edit, { cause: 'BadSignature', alert: A.decrypt_error }, { keyType });
    });
  }

  it('a CertificateVerify with a scheme the client did not offer → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate_verify, (item) => encodeCertificateVerify({ ...decodeCertificateVerify(item.body), algorithm: SignatureScheme.ecdsa_secp384r1_sha384 }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, {
      client: { signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256] },
    });
  });

  it('a CertificateVerify with PKCS#1 v1.5 (offered for TLS 1.2, never for TLS 1.3 handshakes) → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate_verify, (item) => encodeCertificateVerify({ ...decodeCertificateVerify(item.body), algorithm: SignatureScheme.rsa_pkcs1_sha256 }));
    clientRefuses(edit, { cause: 'WrongSignatureType', alert: A.illegal_parameter }, { keyType: 'rsa2048' });
  });

  it('a CertificateVerify whose offered scheme does not fit the key → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate_verify, (item) => encodeCertificateVerify({ ...decodeCertificateVerify(item.body), algorithm: SignatureScheme.rsa_pss_rsae_sha256 }));
    clientRefuses(edit, { cause: 'WrongSignatureType', alert: A.illegal_parameter });
  });

  it('no CertificateVerify (Finished right after Certificate) → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.certificate_verify, () => []), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('no Certificate (CertificateVerify right after EncryptedExtensions) → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.certificate, () => []), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('a wrong server Finished → decrypt_error', () => {
    clientRefuses(onMessage(HandshakeType.finished, (item) => flipBit(item.body, 0)), { cause: 'IncorrectFinished', alert: A.decrypt_error });
  });

  it('a Finished of the wrong length → decode_error', () => {
    clientRefuses(onMessage(HandshakeType.finished, (item) => item.body.subarray(1)), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('a CertificateRequest with a certificate_request_context → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate_request, (item) => concatBytes(Uint8Array.of(1, 7), item.body.subarray(1)));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, { server: { clientAuth: 'optional' } });
  });
});
