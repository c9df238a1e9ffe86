/**
 * Each TLS 1.2 check, one wrong input at a time (RFC 5246, RFC 5746, RFC 7507,
 * RFC 7627, RFC 8422, RFC 8446 §4.1.3): the side that refuses, the cause and
 * the one fatal alert it sends (`expectFatal`); and the inputs TLS 1.2 must
 * accept (a peer without the extended master secret, renegotiation answered
 * with a warning, an empty client Certificate when it is optional).
 * Messages are altered on a TLS 1.2-aware tamper wire (`tamper12.ts`), in the
 * clear before a sender's ChangeCipherSpec and re-sealed after it.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import { clientDefaults } from '../../src/handshake/config.ts';
import { decodeCertificateVerify, encodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import type { CertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { encodeCertificate12 } from '../../src/handshake/messages/certificate12.ts';
import { encodeClientKeyExchange12 } from '../../src/handshake/messages/client-key-exchange12.ts';
import { ecPointFormatsExtension } from '../../src/handshake/messages/ec-point-formats.ts';
import { extendedMasterSecretExtension } from '../../src/handshake/messages/extended-master-secret.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { renegotiationInfoExtension } from '../../src/handshake/messages/renegotiation-info.ts';
import { alpnExtension } from '../../src/handshake/messages/alpn.ts';
import { decodeServerHello, DOWNGRADE_TLS11, DOWNGRADE_TLS12 } from '../../src/handshake/messages/server-hello.ts';
import { decodeServerKeyExchange12, encodeServerKeyExchange12 } from '../../src/handshake/messages/server-key-exchange12.ts';
import type { ServerKeyExchange12 } from '../../src/handshake/messages/server-key-exchange12.ts';
import type { TlsSession12 } from '../../src/handshake/session.ts';
import type { TicketKeys } from '../../src/handshake/session-ticket12.ts';
import { supportedVersionsServerExtension } from '../../src/handshake/messages/supported-versions.ts';
import { bytesEqual, concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { DecodeError } from '../../src/wire/errors.ts';
import {
  AlertDescription as A,
  AlertLevel,
  CipherSuite,
  ContentType,
  ExtensionType,
  HandshakeType,
  NamedGroup,
  ProtocolVersion,
  SignatureScheme,
} from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { chain, onMessage } from '../helpers/tamper.ts';
import type { Item, PairOptions, Rewrite, Side } from '../helpers/tamper.ts';
import { pair12, PROTECTED } from '../helpers/tamper12.ts';
import type { Wire12 } from '../helpers/tamper12.ts';
import { editClientHello, editServerHello, flipBit, setExtension } from './edits.ts';
import { expectFatal } from './fatal.ts';

const TLS12 = ProtocolVersion.TLSv1_2;
const TLS13 = ProtocolVersion.TLSv1_3;

interface Refusal {
  readonly cause: string;
  readonly alert: number;
  readonly type?: typeof DecodeError;
}

/** A TLS 1.2 handshake with `rewrite` applied to what `from` sends; the other side must refuse. */
function refuses(from: Side, rewrite: Rewrite, expected: Refusal, options: PairOptions = {}) {
  const wire = pair12(options);
  return expectFatal(wire, wire.pump({ [from]: rewrite }), { side: from === 'server' ? 'client' : 'server', ...expected });
}

const clientRefuses = (server: Rewrite, expected: Refusal, options?: PairOptions) => refuses('server', server, expected, options);
const serverRefuses = (client: Rewrite, expected: Refusal, options?: PairOptions) => refuses('client', client, expected, options);
const untouched: Rewrite = () => undefined;

/** A completed TLS 1.2 handshake on the wire, with data through it both ways. */
function connects(options: PairOptions = {}, rewrite: Partial<Record<Side, Rewrite>> = {}): Wire12 {
  const wire = pair12(options);
  expect(wire.pump(rewrite)).toBeNull();
  expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
  expect(wire.client.negotiated.version).toBe(TLS12);
  exchange(wire);
  return wire;
}

function exchange(wire: Wire12): void {
  wire.client.write(utf8('ping'));
  wire.server.write(utf8('pong'));
  expect(wire.pump()).toBeNull();
  expect(wire.server.read()).toEqual(utf8('ping'));
  expect(wire.client.read()).toEqual(utf8('pong'));
}

/** The first message of `type` that `side` sent (before any rewrite). */
function sentMessage(wire: Wire12, side: Side, type: number): Uint8Array {
  const item = wire.sent[side].find((i) => i.kind === 'handshake' && i.type === type);
  if (item?.kind !== 'handshake') throw new Error(`the ${side} sent no message of type ${type}`);
  return item.body;
}

const serverHello = (wire: Wire12) => decodeServerHello(sentMessage(wire, 'server', HandshakeType.server_hello));

const withoutExtension = (type: number) => (extensions: readonly Extension[]) => setExtension(extensions, type, null);
const withExtension = (extension: Extension) => (extensions: readonly Extension[]) => setExtension(extensions, extension.type, extension);

/** Rewrites the ServerKeyExchange's fields. */
function editServerKeyExchange(edit: (ske: ServerKeyExchange12) => ServerKeyExchange12): Rewrite {
  return onMessage(HandshakeType.server_key_exchange, (item) => encodeServerKeyExchange12(edit(decodeServerKeyExchange12(item.body))));
}

/** Rewrites the client's CertificateVerify. */
function editCertificateVerify(edit: (verify: CertificateVerify) => CertificateVerify): Rewrite {
  return onMessage(HandshakeType.certificate_verify, (item) => encodeCertificateVerify(edit(decodeCertificateVerify(item.body))));
}

/** A provider whose ECDHE key pairs announce `publicKey` instead of their own: the server then signs that point. */
function announcing(publicKey: Uint8Array): CryptoProvider {
  return { ...nobleProvider, keyExchange: (group, secret) => ({ ...nobleProvider.keyExchange(group, secret), publicKey }) };
}

/** An uncompressed P-256 point (RFC 8422 §5.4.1) whose y does not fit its x. */
function offCurveP256(): Uint8Array {
  return flipBit(nobleProvider.keyExchange('secp256r1').publicKey, -1);
}

const CCS: Item = { kind: 'record', contentType: ContentType.change_cipher_spec, content: Uint8Array.of(1), epoch: 'plaintext' };
const isCcs = (item: Item) => item.kind === 'record' && item.contentType === ContentType.change_cipher_spec;
const dropCcs: Rewrite = (item) => (isCcs(item) ? [] : undefined);
/** A message inserted before the `type` one. */
const before = (type: number, inserted: Item): Rewrite => onMessage(type, (item) => [inserted, item]);

describe('the ServerHello of TLS 1.2 (the client refuses)', () => {
  it('a cipher suite the client did not offer → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 }));
    clientRefuses(edit, { cause: 'WrongCipherReturned', alert: A.illegal_parameter }, { client: { cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] } });
  });

  for (const [name, id] of [['a CBC suite (0xc013)', 0xc013], ['a static-RSA suite (0x002f)', 0x002f], ['a DHE suite (0x009e)', 0x009e]] as const) {
    it(`${name}, never offered → illegal_parameter`, () => {
      clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: id })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter });
    });

    it(`${name}, offered by a test configuration, is still never accepted → illegal_parameter`, () => {
      const suites = [...clientDefaults(nobleProvider).cipherSuites, id];
      clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: id })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter }, { client: { cipherSuites: suites } });
    });
  }

  it('a TLS 1.3 suite in a TLS 1.2 ServerHello → illegal_parameter', () => {
    clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_AES_128_GCM_SHA256 })), { cause: 'WrongCipherReturned', alert: A.illegal_parameter });
  });

  it('no renegotiation_info (RFC 5746 §3.4; OpenSSL 3 refuses legacy renegotiation) → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: withoutExtension(ExtensionType.renegotiation_info)(h.extensions) }));
    clientRefuses(edit, { cause: 'UnsafeLegacyRenegotiation', alert: A.handshake_failure });
  });

  it('a non-empty renegotiation_info in an initial handshake (RFC 5746 §3.4) → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: withExtension(renegotiationInfoExtension(new Uint8Array(24)))(h.extensions) }));
    clientRefuses(edit, { cause: 'RenegotiationMismatch', alert: A.handshake_failure });
  });

  it('no extended_master_secret, to a client that requires it (RFC 7627 §5.2) → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: withoutExtension(ExtensionType.extended_master_secret)(h.extensions) }));
    clientRefuses(edit, { cause: 'ExtendedMasterSecretRequired', alert: A.handshake_failure }, { client: { extendedMasterSecret: 'require' } });
  });

  it('extended_master_secret the client did not offer → unsupported_extension', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, extendedMasterSecretExtension()] }));
    clientRefuses(edit, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension }, { client: { clientHelloExtensions: withoutExtension(ExtensionType.extended_master_secret) } });
  });

  it('ALPN the client did not offer → unsupported_extension', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, alpnExtension([utf8('h2')])] }));
    clientRefuses(edit, { cause: 'UnsolicitedExtension', alert: A.unsupported_extension });
  });

  it('supported_versions in a TLS 1.2 ServerHello to a TLS 1.2-only client → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: [...h.extensions, supportedVersionsServerExtension(TLS12)] }));
    clientRefuses(edit, { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter });
  });

  it('ec_point_formats without uncompressed (RFC 8422 §5.2) → illegal_parameter', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: withExtension(ecPointFormatsExtension([1]))(h.extensions) }));
    clientRefuses(edit, { cause: 'BadPointFormats', alert: A.illegal_parameter });
  });

  it('an RSA certificate for an ECDHE-ECDSA suite → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 }));
    clientRefuses(edit, { cause: 'WrongCertificateType', alert: A.handshake_failure }, {
      keyType: 'rsa2048',
      server: { cipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256] },
    });
  });

  it('an ECDSA certificate for an ECDHE-RSA suite → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, cipherSuite: CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 }));
    clientRefuses(edit, { cause: 'WrongCertificateType', alert: A.handshake_failure }, { server: { cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] } });
  });
});

describe('downgrade protection (RFC 8446 §4.1.3)', () => {
  const CLIENT_BOTH: PairOptions = { client: { versions: [TLS13, TLS12] }, server: { versions: [TLS12] } };

  for (const [name, sentinel] of [['DOWNGRADE_TLS12', DOWNGRADE_TLS12], ['DOWNGRADE_TLS11', DOWNGRADE_TLS11]] as const) {
    it(`${name} in a TLS 1.2 ServerHello to a TLS 1.3-capable client → illegal_parameter`, () => {
      const edit = editServerHello((h) => ({ ...h, random: concatBytes(h.random.subarray(0, 24), sentinel) }));
      clientRefuses(edit, { cause: 'DowngradeDetected', alert: A.illegal_parameter }, CLIENT_BOTH);
    });
  }

  const serverRandom = (wire: Wire12) => serverHello(wire).random;

  it('a server with TLS 1.3 disabled sends no sentinel, and a TLS 1.3-capable client accepts TLS 1.2', () => {
    const tail = serverRandom(connects(CLIENT_BOTH)).subarray(24);
    expect(bytesEqual(tail, DOWNGRADE_TLS12) || bytesEqual(tail, DOWNGRADE_TLS11)).toBe(false);
  });

  it('a TLS 1.3-capable server that negotiates TLS 1.2 ends its random in DOWNGRADE_TLS12, and a TLS 1.2-only client accepts it', () => {
    expect(serverRandom(connects({ server: { versions: [TLS13, TLS12] } })).subarray(24)).toEqual(DOWNGRADE_TLS12);
  });
});

describe('the ClientHello of TLS 1.2 (the server refuses)', () => {
  const FALLBACK: PairOptions = { client: { cipherSuites: [...clientDefaults(nobleProvider).cipherSuites, CipherSuite.TLS_FALLBACK_SCSV] } };

  it('TLS_FALLBACK_SCSV with TLS 1.2 as the client\'s highest, to a TLS 1.3-capable server (RFC 7507 §3) → inappropriate_fallback', () => {
    serverRefuses(untouched, { cause: 'InappropriateFallback', alert: A.inappropriate_fallback }, FALLBACK);
  });

  it('TLS_FALLBACK_SCSV to a server whose highest is TLS 1.2 is accepted', () => {
    connects({ ...FALLBACK, server: { versions: [TLS12] } });
  });

  it('only CBC, static-RSA and DHE suites → handshake_failure', () => {
    serverRefuses(untouched, { cause: 'NoSharedCipher', alert: A.handshake_failure }, { client: { cipherSuites: [0x002f, 0x009e, 0xc013] } });
  });

  it('a non-empty renegotiation_info in an initial handshake (RFC 5746 §3.6) → handshake_failure', () => {
    serverRefuses(untouched, { cause: 'RenegotiationMismatch', alert: A.handshake_failure }, {
      client: { clientHelloExtensions: withExtension(renegotiationInfoExtension(new Uint8Array(12))) },
    });
  });

  it('ec_point_formats without uncompressed (RFC 8422 §5.1.2) → illegal_parameter', () => {
    serverRefuses(untouched, { cause: 'BadPointFormats', alert: A.illegal_parameter }, { client: { clientHelloExtensions: withExtension(ecPointFormatsExtension([1, 2])) } });
  });

  it('no null compression method → illegal_parameter', () => {
    serverRefuses(editClientHello((h) => ({ ...h, legacyCompressionMethods: [1] })), { cause: 'BadCompressionMethods', alert: A.illegal_parameter });
  });

  it('no extended_master_secret, to a server that requires it (RFC 7627 §5.2) → handshake_failure', () => {
    serverRefuses(untouched, { cause: 'ExtendedMasterSecretRequired', alert: A.handshake_failure }, {
      client: { clientHelloExtensions: withoutExtension(ExtensionType.extended_master_secret) },
      server: { extendedMasterSecret: 'require' },
    });
  });
});

describe('accepted as OpenSSL 3 accepts it', () => {
  it('a client without extended_master_secret: both sides default to completing without it (RFC 7627 §5.2)', () => {
    const wire = connects({ client: { clientHelloExtensions: withoutExtension(ExtensionType.extended_master_secret) } });
    expect(serverHello(wire).extensions.map((e) => e.type)).not.toContain(ExtensionType.extended_master_secret);
    expect(wire.keys.secret('client', 'CLIENT_RANDOM')).toEqual(wire.keys.secret('server', 'CLIENT_RANDOM'));
  });

  it('a client that signals secure renegotiation by the SCSV alone is answered with an empty renegotiation_info (RFC 5746 §3.6)', () => {
    const wire = pair12({
      client: {
        cipherSuites: [...clientDefaults(nobleProvider).cipherSuites, CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
        clientHelloExtensions: withoutExtension(ExtensionType.renegotiation_info),
      },
    });
    expect(wire.send('client', wire.take('client'))).toBeNull();
    wire.take('server');
    expect(serverHello(wire).extensions).toContainEqual(renegotiationInfoExtension(new Uint8Array(0)));
  });

  it('a client with neither renegotiation_info nor the SCSV gets none, and our client then refuses → handshake_failure', () => {
    clientRefuses(untouched, { cause: 'UnsafeLegacyRenegotiation', alert: A.handshake_failure }, {
      client: { clientHelloExtensions: withoutExtension(ExtensionType.renegotiation_info) },
    });
  });
});

describe('the ServerKeyExchange (RFC 8422 §5.4; the client refuses)', () => {
  it('a signature that does not verify → decrypt_error', () => {
    clientRefuses(editServerKeyExchange((s) => ({ ...s, signature: flipBit(s.signature, -1) })), { cause: 'BadSignature', alert: A.decrypt_error });
  });

  it('a point changed after signing → decrypt_error', () => {
    clientRefuses(editServerKeyExchange((s) => ({ ...s, publicKey: flipBit(s.publicKey, 0) })), { cause: 'BadSignature', alert: A.decrypt_error });
  });

  it('an RSA signature that does not verify → decrypt_error', () => {
    clientRefuses(editServerKeyExchange((s) => ({ ...s, signature: flipBit(s.signature, 7) })), { cause: 'BadSignature', alert: A.decrypt_error }, { keyType: 'rsa2048' });
  });

  it('a signature scheme the client did not offer → illegal_parameter', () => {
    const edit = editServerKeyExchange((s) => ({ ...s, algorithm: SignatureScheme.ecdsa_secp384r1_sha384 }));
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, { client: { signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256] } });
  });

  it('an offered signature scheme that does not fit the key → illegal_parameter', () => {
    clientRefuses(editServerKeyExchange((s) => ({ ...s, algorithm: SignatureScheme.rsa_pss_rsae_sha256 })), { cause: 'WrongSignatureType', alert: A.illegal_parameter });
  });

  it('a group the client did not offer → illegal_parameter', () => {
    const edit = editServerKeyExchange((s) => ({ ...s, group: NamedGroup.secp384r1 }));
    // An Ed25519 certificate: an ECDSA one's curve would have to be in the client's supported_groups (RFC 8422 §5.1).
    clientRefuses(edit, { cause: 'IllegalParameter', alert: A.illegal_parameter }, { client: { groups: [NamedGroup.x25519] }, keyType: 'ed25519' });
  });

  it('a group we do not implement → illegal_parameter', () => {
    clientRefuses(editServerKeyExchange((s) => ({ ...s, group: NamedGroup.ffdhe2048 })), { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('an explicit curve instead of a named one → illegal_parameter', () => {
    clientRefuses(onMessage(HandshakeType.server_key_exchange, (item) => concatBytes(Uint8Array.of(1), item.body.subarray(1))), { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('a signed P-256 point that is not on the curve → illegal_parameter', () => {
    clientRefuses(untouched, { cause: 'BadKeyShare', alert: A.illegal_parameter }, { client: { groups: [NamedGroup.secp256r1] }, server: { provider: announcing(offCurveP256()) } });
  });

  it('a signed compressed P-256 point (RFC 8422 §5.1.2: uncompressed only) → illegal_parameter', () => {
    const compressed = concatBytes(Uint8Array.of(2), nobleProvider.keyExchange('secp256r1').publicKey.subarray(1, 33));
    clientRefuses(untouched, { cause: 'BadKeyShare', alert: A.illegal_parameter }, { client: { groups: [NamedGroup.secp256r1] }, server: { provider: announcing(compressed) } });
  });

  it('a signed low-order X25519 point → illegal_parameter', () => {
    clientRefuses(untouched, { cause: 'BadKeyShare', alert: A.illegal_parameter }, { client: { groups: [NamedGroup.x25519] }, server: { provider: announcing(new Uint8Array(32)) }, keyType: 'ed25519' });
  });

  it('a truncated ServerKeyExchange → decode_error', () => {
    clientRefuses(onMessage(HandshakeType.server_key_exchange, (item) => item.body.subarray(0, item.body.length - 1)), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });
});

describe('the server\'s flight out of order (the client refuses)', () => {
  it('an empty Certificate → decode_error', () => {
    clientRefuses(onMessage(HandshakeType.certificate, () => encodeCertificate12([])), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('no Certificate → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.certificate, () => []), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('no ServerKeyExchange → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.server_key_exchange, () => []), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('a TLS 1.3 EncryptedExtensions where the Certificate belongs → unexpected_message', () => {
    clientRefuses(onMessage(HandshakeType.certificate, (item) => [{ ...item, type: HandshakeType.encrypted_extensions, body: Uint8Array.of(0, 0) }]), {
      cause: 'UnexpectedMessage',
      alert: A.unexpected_message,
    });
  });

  it('a ServerHelloDone with a body → decode_error', () => {
    clientRefuses(onMessage(HandshakeType.server_hello_done, () => Uint8Array.of(0)), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('a HelloRequest during the handshake is ignored (RFC 5246 §7.4.1.1; OpenSSL skips it)', () => {
    connects({}, { server: before(HandshakeType.server_hello_done, { kind: 'handshake', type: HandshakeType.hello_request, body: new Uint8Array(0), epoch: 'plaintext' }) });
  });
});

describe('the client\'s flight (the server refuses)', () => {
  it('a ClientKeyExchange P-256 point not on the curve → illegal_parameter', () => {
    serverRefuses(onMessage(HandshakeType.client_key_exchange, () => encodeClientKeyExchange12(offCurveP256())), { cause: 'BadKeyShare', alert: A.illegal_parameter }, {
      client: { groups: [NamedGroup.secp256r1] },
    });
  });

  it('a ClientKeyExchange X25519 key of the wrong length → illegal_parameter', () => {
    serverRefuses(onMessage(HandshakeType.client_key_exchange, () => encodeClientKeyExchange12(new Uint8Array(31).fill(9))), { cause: 'BadKeyShare', alert: A.illegal_parameter });
  });

  it('a ClientKeyExchange low-order X25519 point → illegal_parameter', () => {
    serverRefuses(onMessage(HandshakeType.client_key_exchange, () => encodeClientKeyExchange12(new Uint8Array(32))), { cause: 'BadKeyShare', alert: A.illegal_parameter });
  });

  it('a Certificate nobody asked for → unexpected_message', () => {
    const certificate: Item = { kind: 'handshake', type: HandshakeType.certificate, body: encodeCertificate12(credential('p256', 'client').chain), epoch: 'plaintext' };
    serverRefuses(before(HandshakeType.client_key_exchange, certificate), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('no ClientKeyExchange (Finished after a ChangeCipherSpec) → unexpected_message', () => {
    serverRefuses(onMessage(HandshakeType.client_key_exchange, () => []), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });
});

describe('client certificates in TLS 1.2 (RFC 5246 §7.4.6, §7.4.8)', () => {
  const clientCred = credential('p256', 'client');
  const CLIENT_AUTH: PairOptions = { client: { clientCertificate: clientCred }, server: { clientAuth: 'required', verifier: pinnedVerifier(clientCred.chain[0]!) } };

  it('an empty Certificate when the certificate is optional is accepted', () => {
    const wire = connects({ server: { clientAuth: 'optional', verifier: pinnedVerifier() } });
    expect(wire.server.negotiated.peerCertificates).toEqual([]);
  });

  it('an empty Certificate when the certificate is required → handshake_failure (TLS 1.2 has no certificate_required)', () => {
    serverRefuses(untouched, { cause: 'NoClientCertificate12', alert: A.handshake_failure }, { server: CLIENT_AUTH.server });
  });

  it('a CertificateVerify that does not verify → decrypt_error', () => {
    serverRefuses(editCertificateVerify((v) => ({ ...v, signature: flipBit(v.signature, -1) })), { cause: 'BadSignature', alert: A.decrypt_error }, CLIENT_AUTH);
  });

  it('a CertificateVerify whose scheme does not fit the key → illegal_parameter', () => {
    serverRefuses(editCertificateVerify((v) => ({ ...v, algorithm: SignatureScheme.rsa_pss_rsae_sha256 })), { cause: 'WrongSignatureType', alert: A.illegal_parameter }, CLIENT_AUTH);
  });

  it('no CertificateVerify after a certificate → unexpected_message', () => {
    serverRefuses(onMessage(HandshakeType.certificate_verify, () => []), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message }, CLIENT_AUTH);
  });
});

describe('Finished (RFC 5246 §7.4.9)', () => {
  it('a wrong client verify_data → decrypt_error', () => {
    serverRefuses(onMessage(HandshakeType.finished, (item) => flipBit(item.body, 0)), { cause: 'IncorrectFinished', alert: A.decrypt_error });
  });

  it('a wrong server verify_data → decrypt_error', () => {
    clientRefuses(onMessage(HandshakeType.finished, (item) => flipBit(item.body, -1)), { cause: 'IncorrectFinished', alert: A.decrypt_error });
  });

  it('a client Finished of the wrong length → decode_error', () => {
    serverRefuses(onMessage(HandshakeType.finished, (item) => item.body.subarray(1)), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('a server Finished of the wrong length → decode_error', () => {
    clientRefuses(onMessage(HandshakeType.finished, (item) => concatBytes(item.body, Uint8Array.of(0))), { type: DecodeError, cause: 'MalformedMessage', alert: A.decode_error });
  });

  // A ClientHello altered in the clear (an extension added in front): the two sides hold different transcripts.
  const altered = () => editClientHello((h) => ({ ...h, extensions: [{ type: 0x7a7a, data: new Uint8Array(0) }, ...h.extensions] }));

  it('an altered transcript without the extended master secret is caught by the client Finished → decrypt_error', () => {
    serverRefuses(altered(), { cause: 'IncorrectFinished', alert: A.decrypt_error }, { client: { clientHelloExtensions: withoutExtension(ExtensionType.extended_master_secret) } });
  });

  it('an altered transcript with the extended master secret (RFC 7627 §4) gives each side other keys: the client Finished does not open → bad_record_mac', () => {
    serverRefuses(altered(), { cause: 'BadRecordMac', alert: A.bad_record_mac });
  });
});

describe('ChangeCipherSpec (RFC 5246 §7.1, §7.4.9)', () => {
  it('before the ServerHello, to a TLS 1.2-only client → unexpected_message', () => {
    clientRefuses(before(HandshakeType.server_hello, CCS), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  it('before the ClientHello → unexpected_message', () => {
    serverRefuses(before(HandshakeType.client_hello, CCS), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  it('from the server before its ServerHelloDone → unexpected_message', () => {
    clientRefuses(before(HandshakeType.server_hello_done, CCS), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  it('from the client before its ClientKeyExchange → unexpected_message', () => {
    serverRefuses(before(HandshakeType.client_key_exchange, CCS), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
  });

  for (const side of ['client', 'server'] as const) {
    const peer = side === 'client' ? 'server' : 'client';

    it(`a ${side} Finished without a ChangeCipherSpec before it → unexpected_message`, () => {
      const inTheClear = onMessage(HandshakeType.finished, (item) => [{ ...item, epoch: 'plaintext' }]);
      refuses(side, chain(dropCcs, inTheClear), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
    });

    it(`a ${side} Finished in the clear after its ChangeCipherSpec → bad_record_mac`, () => {
      refuses(side, onMessage(HandshakeType.finished, (item) => [{ ...item, epoch: 'plaintext' }]), { cause: 'BadRecordMac', alert: A.bad_record_mac });
    });

    it(`a second ${side} ChangeCipherSpec → unexpected_message`, () => {
      refuses(side, (item) => (isCcs(item) ? [item, { ...CCS, epoch: PROTECTED }] : undefined), { cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
    });

    it(`a ${side} ChangeCipherSpec after the handshake → unexpected_message`, () => {
      const wire = connects();
      expectFatal(wire, wire.send(side, [{ ...CCS, epoch: PROTECTED }]), { side: peer, cause: 'UnexpectedChangeCipherSpec', alert: A.unexpected_message });
    });
  }

  it('a ChangeCipherSpec whose body is not 0x01 → unexpected_message', () => {
    serverRefuses((item) => (isCcs(item) ? [{ ...CCS, content: Uint8Array.of(2) }] : undefined), { cause: 'InvalidChangeCipherSpec', alert: A.unexpected_message });
  });

  it('application data between the ChangeCipherSpec and the Finished → unexpected_message', () => {
    const data: Item = { kind: 'record', contentType: ContentType.application_data, content: utf8('early'), epoch: PROTECTED };
    serverRefuses(before(HandshakeType.finished, data), { cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });
});

describe('renegotiation refused after the handshake (RFC 5746 §4.5, §4.4)', () => {
  /** Sends `type` from `from` after the handshake; the peer must answer one no_renegotiation warning and go on. */
  function answeredWithWarning(from: Side, type: number, body: (wire: Wire12) => Uint8Array) {
    const wire = connects();
    const peer = from === 'server' ? 'client' : 'server';
    expect(wire.send(from, [{ kind: 'handshake', type, body: body(wire), epoch: PROTECTED }])).toBeNull();
    expect(wire.take(peer)).toEqual([{ kind: 'record', contentType: ContentType.alert, content: Uint8Array.of(AlertLevel.warning, A.no_renegotiation), epoch: PROTECTED }]);
    expect(wire.connection(peer).failed).toBeUndefined();
    exchange(wire);
  }

  it('a HelloRequest: the client answers a no_renegotiation warning and the connection goes on', () => {
    answeredWithWarning('server', HandshakeType.hello_request, () => new Uint8Array(0));
  });

  it('a ClientHello (the first one again): the server answers a no_renegotiation warning and the connection goes on', () => {
    answeredWithWarning('client', HandshakeType.client_hello, (wire) => sentMessage(wire, 'client', HandshakeType.client_hello));
  });

  it('a HelloRequest with a body → decode_error', () => {
    const wire = connects();
    expectFatal(wire, wire.send('server', [{ kind: 'handshake', type: HandshakeType.hello_request, body: Uint8Array.of(0), epoch: PROTECTED }]), {
      side: 'client',
      type: DecodeError,
      cause: 'MalformedMessage',
      alert: A.decode_error,
    });
  });

  for (const [from, type] of [['server', HandshakeType.server_hello], ['client', HandshakeType.finished]] as const) {
    it(`any other handshake message from the ${from} after the handshake → unexpected_message`, () => {
      const wire = connects();
      const failure = wire.send(from, [{ kind: 'handshake', type, body: new Uint8Array(12), epoch: PROTECTED }]);
      expectFatal(wire, failure, { side: from === 'server' ? 'client' : 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
    });
  }
});

describe('resumption and the extended master secret (RFC 7627 §5.3)', () => {
  const key = { name: new Uint8Array(16).fill(1), key: new Uint8Array(32).fill(2) };
  const ticketKeys: TicketKeys = { current: () => key, find: (name) => (bytesEqual(name, key.name) ? key : undefined) };
  /** A ticket session from a full handshake with a server holding `ticketKeys`. */
  function ticketSession(): TlsSession12 {
    const sessions = connects({ server: { ticketKeys } }).client.takeSessionTickets();
    expect(sessions.at(-1)?.version).toBe(TLS12);
    return sessions.at(-1) as TlsSession12;
  }

  it('a ClientHello resuming an extended-master-secret session without extended_master_secret → handshake_failure', () => {
    serverRefuses(untouched, { cause: 'InconsistentExtendedMasterSecret', alert: A.handshake_failure }, {
      server: { ticketKeys },
      client: { session: ticketSession(), clientHelloExtensions: withoutExtension(ExtensionType.extended_master_secret) },
    });
  });

  it('a ServerHello resuming that session without extended_master_secret → handshake_failure', () => {
    const edit = editServerHello((h) => ({ ...h, extensions: withoutExtension(ExtensionType.extended_master_secret)(h.extensions) }));
    clientRefuses(edit, { cause: 'InconsistentExtendedMasterSecret', alert: A.handshake_failure }, { server: { ticketKeys }, client: { session: ticketSession() } });
  });
});

describe('resumption keeps its cipher suite (RFC 5246 §7.4.1.3)', () => {
  const key = { name: new Uint8Array(16).fill(3), key: new Uint8Array(32).fill(4) };
  const ticketKeys: TicketKeys = { current: () => key, find: (name) => (bytesEqual(name, key.name) ? key : undefined) };

  it('a ServerHello that resumes the session under another offered suite → illegal_parameter', () => {
    const session = connects({ server: { ticketKeys } }).client.takeSessionTickets().at(-1) as TlsSession12;
    const other = CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256;
    expect(session.cipherSuite).not.toBe(other);
    clientRefuses(editServerHello((h) => ({ ...h, cipherSuite: other })), { cause: 'IllegalParameter', alert: A.illegal_parameter }, { server: { ticketKeys }, client: { session } });
  });
});
