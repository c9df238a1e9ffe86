/**
 * The server refusing what a client sends (RFC 8446 §4.1.1, §4.1.2, §4.2,
 * §4.4, §4.6): each test alters the client's ClientHello (through the
 * `clientHelloExtensions` hook or on the wire) or a later client message, and
 * asserts the server's error, cause and alert.
 */
import { describe, expect, it } from 'vitest';
import { encodeCertificate } from '../../src/handshake/messages/certificate.ts';
import { decodeCertificateVerify, encodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { decodeKeyShareClient, keyShareClientExtension } from '../../src/handshake/messages/key-share.ts';
import type { KeyShareEntry } from '../../src/handshake/messages/key-share.ts';
import { supportedGroupsExtension } from '../../src/handshake/messages/supported-groups.ts';
import { supportedVersionsClientExtension } from '../../src/handshake/messages/supported-versions.ts';
import { encodeNewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { CertificateVerifyError } from '../../src/wire/errors.ts';
import {
  AlertDescription as A,
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
import { chain, onMessage, pair } from '../helpers/tamper.ts';
import type { Item, PairOptions, Rewrite, Side, Wire } from '../helpers/tamper.ts';
import { capture, editClientHello, flipBit, setExtension } from './edits.ts';
import { expectFatal } from './fatal.ts';

function serverRefuses(options: PairOptions, expected: { cause: string; alert: number; type?: typeof CertificateVerifyError }, client?: Rewrite) {
  const wire = pair(options);
  return expectFatal(wire, wire.pump(client ? { client } : {}), { side: 'server', ...expected });
}

/** Options whose client reshapes its ClientHello extensions with `edit`. */
function hello(edit: (extensions: Extension[]) => Extension[], options: PairOptions = {}): PairOptions {
  return { ...options, client: { ...options.client, clientHelloExtensions: edit } };
}

const without = (type: number) => (e: Extension[]) => setExtension(e, type, null);

function shares(h: ClientHello): KeyShareEntry[] {
  return decodeKeyShareClient(h.extensions.find((e) => e.type === ExtensionType.key_share)!.data);
}

function withShares(h: ClientHello, entries: readonly KeyShareEntry[]): ClientHello {
  return { ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareClientExtension(entries)) };
}

function connected(options: PairOptions = {}): Wire {
  const wire = pair(options);
  expect(wire.pump()).toBeNull();
  expect(wire.server.handshakeComplete).toBe(true);
  return wire;
}

/** A handshake message `from` sends under its current application keys. */
function postHandshake(wire: Wire, from: Side, type: number, body: Uint8Array): Item {
  return { kind: 'handshake', type, body, epoch: wire.epoch(from) };
}

describe('ClientHello', () => {
  // A server restricted to TLS 1.3 (a TLS 1.2 server's answers are in test/engine/tls12-*.test.ts).
  const ONLY13: PairOptions = { server: { versions: [ProtocolVersion.TLSv1_3] } };

  it('supported_versions without TLS 1.3 → protocol_version', () => {
    const tls12 = (e: Extension[]) => setExtension(e, ExtensionType.supported_versions, supportedVersionsClientExtension([ProtocolVersion.TLSv1_2]));
    serverRefuses(hello(tls12, ONLY13), { cause: 'UnsupportedVersion', alert: A.protocol_version });
  });

  it('no supported_versions (a TLS 1.2 ClientHello) → protocol_version', () => {
    serverRefuses(hello(without(ExtensionType.supported_versions), ONLY13), { cause: 'UnsupportedVersion', alert: A.protocol_version });
  });

  it('no extensions at all (an old ClientHello) → protocol_version', () => {
    serverRefuses(hello(() => [], ONLY13), { cause: 'UnsupportedVersion', alert: A.protocol_version });
  });

  it('no cipher suite in common → handshake_failure', () => {
    serverRefuses({
      client: { cipherSuites: [CipherSuite.TLS_AES_128_GCM_SHA256] },
      server: { cipherSuites: [CipherSuite.TLS_AES_256_GCM_SHA384] },
    }, { cause: 'NoSharedCipher', alert: A.handshake_failure });
  });

  it('only TLS 1.2 suites offered → handshake_failure', () => {
    const edit = editClientHello((h) => ({ ...h, cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] }));
    serverRefuses({}, { cause: 'NoSharedCipher', alert: A.handshake_failure }, edit);
  });

  it('no group in common → handshake_failure', () => {
    serverRefuses({
      client: { groups: [NamedGroup.x25519] },
      server: { groups: [NamedGroup.secp384r1] },
    }, { cause: 'NoSharedGroup', alert: A.handshake_failure });
  });

  it('no signature scheme that fits the server\'s key → handshake_failure', () => {
    serverRefuses({ client: { signatureSchemes: [SignatureScheme.ed25519] } }, { cause: 'NoSharedSignatureScheme', alert: A.handshake_failure });
  });

  for (const [name, type] of [
    ['key_share', ExtensionType.key_share],
    ['supported_groups', ExtensionType.supported_groups],
    ['signature_algorithms', ExtensionType.signature_algorithms],
  ] as const) {
    it(`no ${name} → missing_extension`, () => {
      serverRefuses(hello(without(type)), { cause: 'MissingExtension', alert: A.missing_extension });
    });
  }

  it('a key_share for a group not in supported_groups → illegal_parameter', () => {
    const groups = (e: Extension[]) => setExtension(e, ExtensionType.supported_groups, supportedGroupsExtension([NamedGroup.secp256r1]));
    serverRefuses(hello(groups), { cause: 'IllegalParameter', alert: A.illegal_parameter });
  });

  it('legacy_compression_methods other than [0] → illegal_parameter', () => {
    serverRefuses({}, { cause: 'BadCompressionMethods', alert: A.illegal_parameter }, editClientHello((h) => ({ ...h, legacyCompressionMethods: [1, 0] })));
  });

  it('a duplicate extension → illegal_parameter', () => {
    const twice = (e: Extension[]) => [...e, e.find((x) => x.type === ExtensionType.supported_groups)!];
    serverRefuses(hello(twice), { cause: 'DuplicateExtension', alert: A.illegal_parameter });
  });

  it('an extension that belongs in CertificateRequest only (oid_filters) → illegal_parameter', () => {
    const oidFilters = (e: Extension[]) => [...e, { type: ExtensionType.oid_filters, data: Uint8Array.of(0, 0) }];
    serverRefuses(hello(oidFilters), { cause: 'ExtensionNotAllowedHere', alert: A.illegal_parameter });
  });

  it('a malformed extension → decode_error', () => {
    const bad = (e: Extension[]) => setExtension(e, ExtensionType.supported_groups, { type: ExtensionType.supported_groups, data: Uint8Array.of(0, 3, 0, 0x1d, 0) });
    serverRefuses(hello(bad), { cause: 'MalformedMessage', alert: A.decode_error });
  });

  it('unknown extensions are ignored (RFC 8446 §4.2)', () => {
    const wire = pair(hello((e) => [{ type: 0x7a7a, data: utf8('grease') }, ...e]));
    expect(wire.pump()).toBeNull();
    expect(wire.server.handshakeComplete).toBe(true);
  });

  it('ALPN with no protocol in common → no_application_protocol', () => {
    serverRefuses({
      client: { alpnProtocols: [utf8('http/1.1')] },
      server: { alpnProtocols: [utf8('h2')] },
    }, { cause: 'NoApplicationProtocol', alert: A.no_application_protocol });
  });
});

describe('the second ClientHello after HelloRetryRequest', () => {
  const RETRY: PairOptions = { server: { groups: [NamedGroup.secp384r1] } };

  it('without the requested key share → illegal_parameter', () => {
    const first = capture(HandshakeType.client_hello);
    const sameShares = editClientHello((h) => withShares(h, shares(decodeClientHello(first.seen[0]!.body))), 1);
    serverRefuses(RETRY, { cause: 'IllegalParameter', alert: A.illegal_parameter }, chain(first.rewrite, sameShares));
  });

  it('with the requested share and another one → illegal_parameter', () => {
    const first = capture(HandshakeType.client_hello);
    const extraShare = editClientHello((h) => withShares(h, [...shares(decodeClientHello(first.seen[0]!.body)), ...shares(h)]), 1);
    serverRefuses(RETRY, { cause: 'IllegalParameter', alert: A.illegal_parameter }, chain(first.rewrite, extraShare));
  });

  it('that drops the cipher suite chosen for the HelloRetryRequest → illegal_parameter', () => {
    const edit = editClientHello((h) => ({ ...h, cipherSuites: h.cipherSuites.filter((s) => s !== CipherSuite.TLS_AES_128_GCM_SHA256) }), 1);
    serverRefuses(RETRY, { cause: 'IllegalParameter', alert: A.illegal_parameter }, edit);
  });
});

describe('the client\'s second flight', () => {
  it('a second ClientHello in place of Finished → unexpected_message', () => {
    const wire = pair();
    wire.send('client', wire.take('client'));
    wire.send('server', wire.take('server'));
    const helloItem = wire.sent.client.find((i) => i.kind === 'handshake' && i.type === HandshakeType.client_hello)!;
    const failure = wire.send('client', [{ ...helloItem, epoch: 'handshake' } as Item]);
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  const client = credential('p256', 'client');
  const CLIENT_AUTH: PairOptions = {
    client: { clientCertificate: client },
    server: { clientAuth: 'required', verifier: pinnedVerifier(client.chain[0]!) },
  };

  it('a wrong client Finished → decrypt_error', () => {
    serverRefuses({}, { cause: 'IncorrectFinished', alert: A.decrypt_error }, onMessage(HandshakeType.finished, (item) => flipBit(item.body, -1)));
  });

  it('required client certificate, empty Certificate → certificate_required', () => {
    serverRefuses({ server: { clientAuth: 'required', verifier: pinnedVerifier(client.chain[0]!) } }, { cause: 'CertificateRequired', alert: A.certificate_required });
  });

  it('a bad client CertificateVerify signature → decrypt_error', () => {
    const edit = onMessage(HandshakeType.certificate_verify, (item) => {
      const verify = decodeCertificateVerify(item.body);
      return encodeCertificateVerify({ ...verify, signature: flipBit(verify.signature, -1) });
    });
    serverRefuses(CLIENT_AUTH, { cause: 'BadSignature', alert: A.decrypt_error }, edit);
  });

  it('a client CertificateVerify with a scheme the server did not offer → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate_verify, (item) => encodeCertificateVerify({ ...decodeCertificateVerify(item.body), algorithm: SignatureScheme.ecdsa_secp521r1_sha512 }));
    serverRefuses({ ...CLIENT_AUTH, server: { ...CLIENT_AUTH.server, signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256] } }, { cause: 'IllegalParameter', alert: A.illegal_parameter }, edit);
  });

  it('a client certificate the verifier rejects → unknown_ca', () => {
    serverRefuses({ ...CLIENT_AUTH, server: { ...CLIENT_AUTH.server, verifier: pinnedVerifier(credential('p384').chain[0]!) } }, {
      type: CertificateVerifyError, cause: 'CertificateVerifyFailed', alert: A.unknown_ca,
    });
  });

  it('client authentication without a verifier on the server → internal_error', () => {
    serverRefuses({ ...CLIENT_AUTH, server: { ...CLIENT_AUTH.server, verifier: null } }, { cause: 'NoCertificateVerifier', alert: A.internal_error });
  });

  it('a client Certificate with a certificate_request_context the server did not send → illegal_parameter', () => {
    const edit = onMessage(HandshakeType.certificate, () => encodeCertificate({ certificateRequestContext: Uint8Array.of(9), certificateList: [] }));
    serverRefuses({ server: { clientAuth: 'optional', verifier: pinnedVerifier(client.chain[0]!) } }, { cause: 'IllegalParameter', alert: A.illegal_parameter }, edit);
  });

  it('a Certificate the server did not ask for → unexpected_message', () => {
    const unasked = onMessage(HandshakeType.finished, (fin) => [
      { kind: 'handshake', type: HandshakeType.certificate, body: encodeCertificate({ certificateRequestContext: new Uint8Array(0), certificateList: [] }), epoch: fin.epoch },
      fin,
    ]);
    serverRefuses({}, { cause: 'UnexpectedMessage', alert: A.unexpected_message }, unasked);
  });

  it('no Finished: application data right after the ServerHello flight → unexpected_message', () => {
    const early = onMessage(HandshakeType.finished, (fin) => [{ kind: 'record', contentType: ContentType.application_data, content: utf8('x'), epoch: fin.epoch }]);
    serverRefuses({}, { cause: 'UnexpectedMessage', alert: A.unexpected_message }, early);
  });
});

describe('after the handshake', () => {
  for (const from of ['client', 'server'] as const) {
    const to = from === 'client' ? 'server' : 'client';
    it(`KeyUpdate with request_update 2 from the ${from} → illegal_parameter`, () => {
      const wire = connected();
      const failure = wire.send(from, [postHandshake(wire, from, HandshakeType.key_update, Uint8Array.of(2))]);
      expectFatal(wire, failure, { side: to, cause: 'BadKeyUpdate', alert: A.illegal_parameter });
    });

    it(`KeyUpdate of two bytes from the ${from} → decode_error`, () => {
      const wire = connected();
      const failure = wire.send(from, [postHandshake(wire, from, HandshakeType.key_update, Uint8Array.of(0, 0))]);
      expectFatal(wire, failure, { side: to, cause: 'MalformedMessage', alert: A.decode_error });
    });

    it(`a ClientHello from the ${from} after the handshake → unexpected_message`, () => {
      const wire = connected();
      const failure = wire.send(from, [postHandshake(wire, from, HandshakeType.client_hello, new Uint8Array(40))]);
      expectFatal(wire, failure, { side: to, cause: 'UnexpectedMessage', alert: A.unexpected_message });
    });
  }

  it('NewSessionTicket sent by a client → unexpected_message', () => {
    const wire = connected();
    const ticket = encodeNewSessionTicket({ ticketLifetime: 60, ticketAgeAdd: 0, ticketNonce: Uint8Array.of(0), ticket: utf8('t'), extensions: [] });
    const failure = wire.send('client', [postHandshake(wire, 'client', HandshakeType.new_session_ticket, ticket)]);
    expectFatal(wire, failure, { side: 'server', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });

  it('a CertificateRequest from the server (post_handshake_auth was not offered) → unexpected_message', () => {
    const wire = connected();
    const failure = wire.send('server', [postHandshake(wire, 'server', HandshakeType.certificate_request, Uint8Array.of(1, 5, 0, 0))]);
    expectFatal(wire, failure, { side: 'client', cause: 'UnexpectedMessage', alert: A.unexpected_message });
  });
});
