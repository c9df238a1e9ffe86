/**
 * The TLS 1.3 client (RFC 8446 §2, §4), one state per expected message:
 *
 *   (ClientHello sent by client-front.ts) ExpectServerHello ─(HelloRetryRequest: ClientHello again)─┐
 *        ◀────────────────────────────────────────────────────────────────────────────────────┘
 *   ExpectServerHello ─▶ ExpectEncryptedExtensions ─▶ ExpectCertificateOrRequest
 *        ─(CertificateRequest)▶ ExpectCertificate ─▶ ExpectCertificateVerify ─▶ ExpectFinished
 *        ─(our [Certificate, CertificateVerify,] Finished)▶ Connected
 *
 * Each state holds only what is valid in it; `Connected` requires the proofs
 * that the server's chain, signature and Finished were checked.
 * @module
 */
import type { PublicKey } from '../crypto/keys.ts';
import { bytesEqual } from '../wire/bytes.ts';
import { DecodeError, ProtocolError } from '../wire/errors.ts';
import { ExtensionType, HandshakeType, ProtocolVersion, nameOf } from '../wire/registry.ts';
import { acceptAlpnSelection } from './alpn-choice.ts';
import type { ClientConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { expectMessage, unexpectedMessage } from './incoming.ts';
import { KeySchedule13 } from './key-schedule13.ts';
import { keyShares, sendClientHello } from './client-offer.ts';
import type { ClientOffer, HelloInputs } from './client-offer.ts';
import { decodeAlpnSelected } from './messages/alpn.ts';
import { decodeCertificate, encodeCertificate } from './messages/certificate.ts';
import { certificateRequestView, decodeCertificateRequest } from './messages/certificate-request.ts';
import type { CertificateRequest } from './messages/certificate-request.ts';
import { certificateVerifyContent, decodeCertificateVerify, encodeCertificateVerify } from './messages/certificate-verify.ts';
import { decodeCookie } from './messages/cookie.ts';
import { decodeEncryptedExtensions } from './messages/encrypted-extensions.ts';
import { checkAllowed, decodeExtension } from './messages/extensions.ts';
import { decodeFinished, encodeFinished } from './messages/finished.ts';
import { decodeKeyShareRetry, decodeKeyShareServer } from './messages/key-share.ts';
import { receiveKeyUpdate } from './key-update13.ts';
import type { Traffic } from './key-update13.ts';
import { decodeNewSessionTicket, newSessionTicketView } from './messages/new-session-ticket.ts';
import { decodeRecordSizeLimit } from './messages/record-size-limit.ts';
import { checkDowngradeSentinel, decodeServerHello, isHelloRetryRequest } from './messages/server-hello.ts';
import type { ServerHello } from './messages/server-hello.ts';
import { decodeSupportedVersionsServer } from './messages/supported-versions.ts';
import type { Negotiated } from './negotiated.ts';
import type { FinishedVerified, PeerVerified, SignatureVerified } from './proofs.ts';
import { verifyFinished, verifyHandshakeSignature } from './proofs.ts';
import { acceptPeerChain } from './peer-certificate.ts';
import { signHandshake } from './signatures.ts';
import { chooseSignatureScheme, groupName, suite13 } from './suites.ts';
import type { Suite13 } from './suites.ts';
import { protection13ForSecret } from './traffic-protection13.ts';
import { Transcript } from './transcript.ts';

interface Common {
  readonly config: ClientConfig;
  readonly negotiated: Negotiated;
  readonly clientRandom: Uint8Array;
  /** The name the caller wants to reach (a host name or an IP address), which the server's certificate must match. */
  readonly serverName: string | null;
}

interface ExpectServerHello extends Common {
  readonly kind: 'client13/ExpectServerHello';
  readonly inputs: HelloInputs;
  /** Extension types of the hello actually sent: what the server may answer with (RFC 8446 §4.2). */
  readonly offered: readonly number[];
  readonly transcript: Transcript;
  readonly ccsSent: boolean;
  /** Set after a HelloRetryRequest: the server's choices, which the ServerHello must repeat (§4.1.4). */
  readonly retry: { readonly suite: number } | null;
}

interface Handshaking extends Common {
  readonly suite: Suite13;
  readonly schedule: KeySchedule13;
  readonly transcript: Transcript;
  readonly offered: readonly number[];
  readonly handshakeSecret: Uint8Array;
  readonly clientHandshakeSecret: Uint8Array;
  readonly serverHandshakeSecret: Uint8Array;
  readonly ccsSent: boolean;
}

interface ExpectEncryptedExtensions extends Handshaking {
  readonly kind: 'client13/ExpectEncryptedExtensions';
}

interface ExpectCertificateOrRequest extends Handshaking {
  readonly kind: 'client13/ExpectCertificateOrRequest';
}

interface ExpectCertificate extends Handshaking {
  readonly kind: 'client13/ExpectCertificate';
  readonly request: CertificateRequest;
}

interface ExpectCertificateVerify extends Handshaking {
  readonly kind: 'client13/ExpectCertificateVerify';
  readonly request: CertificateRequest | null;
  readonly peerKey: PublicKey;
  readonly peer: PeerVerified;
}

interface ExpectFinished extends Handshaking {
  readonly kind: 'client13/ExpectFinished';
  readonly request: CertificateRequest | null;
  readonly peer: PeerVerified;
  readonly signature: SignatureVerified;
}

export interface ClientConnected extends Common, Traffic {
  readonly kind: 'client13/Connected';
  readonly exporterSecret: Uint8Array;
  readonly resumptionSecret: Uint8Array;
  readonly proofs: { readonly peer: PeerVerified; readonly signature: SignatureVerified; readonly finished: FinishedVerified };
}

export type ClientState =
  | ExpectServerHello
  | ExpectEncryptedExtensions
  | ExpectCertificateOrRequest
  | ExpectCertificate
  | ExpectCertificateVerify
  | ExpectFinished
  | ClientConnected;

/** Where the TLS 1.3 client starts: its first ClientHello is out (RFC 8446 §4.1.2). */
export function afterClientHello(offer: ClientOffer): ClientState {
  const { config, serverName, negotiated, inputs, offered, transcript } = offer;
  return { kind: 'client13/ExpectServerHello', config, serverName, clientRandom: inputs.random, negotiated, inputs, offered, transcript, ccsSent: false, retry: null };
}

/** The change_cipher_spec window of RFC 8446 §5: after our ClientHello, before the server's Finished. */
export function acceptsChangeCipherSpec(state: ClientState): boolean {
  return state.kind !== 'client13/Connected';
}

export function step(state: ClientState, message: Incoming, io: HandshakeIO): ClientState {
  switch (state.kind) {
    case 'client13/ExpectServerHello':
      return expectMessage(message, HandshakeType.server_hello) && onServerHello(state, message, io);
    case 'client13/ExpectEncryptedExtensions':
      return expectMessage(message, HandshakeType.encrypted_extensions) && onEncryptedExtensions(state, message, io);
    case 'client13/ExpectCertificateOrRequest':
      if (message.type === HandshakeType.certificate_request) return onCertificateRequest(state, message);
      return expectMessage(message, HandshakeType.certificate) && onCertificate(state, null, message);
    case 'client13/ExpectCertificate':
      return expectMessage(message, HandshakeType.certificate) && onCertificate(state, state.request, message);
    case 'client13/ExpectCertificateVerify':
      return expectMessage(message, HandshakeType.certificate_verify) && onCertificateVerify(state, message);
    case 'client13/ExpectFinished':
      return expectMessage(message, HandshakeType.finished) && onFinished(state, message, io);
    case 'client13/Connected':
      return onPostHandshake(state, message, io);
  }
}



/** Checks shared by ServerHello and HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4). */
function checkServerHelloBasics(state: ExpectServerHello, hello: ServerHello, what: string): Suite13 {
  const version = decodeExtension(hello.extensions, ExtensionType.supported_versions, decodeSupportedVersionsServer);
  if (version === undefined) {
    // §4.1.3: a TLS 1.3 client seeing TLS 1.2 or below must check the downgrade sentinel first.
    checkDowngradeSentinel(hello.random, hello.legacyVersion, ProtocolVersion.TLSv1_3);
    throw new ProtocolError('UnsupportedVersion', `${what} selects ${nameOf(ProtocolVersion, hello.legacyVersion)}; only TLS 1.3 is enabled`);
  }
  if (version !== ProtocolVersion.TLSv1_3) {
    throw new ProtocolError('IllegalParameter', `${what} supported_versions selects ${nameOf(ProtocolVersion, version)}, which was not offered`);
  }
  if (hello.legacyVersion !== ProtocolVersion.TLSv1_2) throw new ProtocolError('IllegalParameter', `${what}.legacy_version is not 0x0303`);
  if (!bytesEqual(hello.legacySessionIdEcho, state.inputs.sessionId)) {
    throw new ProtocolError('IllegalParameter', `${what}.legacy_session_id_echo does not echo our legacy_session_id`);
  }
  const suite = suite13(hello.cipherSuite);
  if (!suite || !state.config.cipherSuites.includes(hello.cipherSuite)) {
    throw new ProtocolError('WrongCipherReturned', `${what} selects cipher suite 0x${hello.cipherSuite.toString(16)}, which was not offered`);
  }
  if (state.retry && state.retry.suite !== hello.cipherSuite) {
    throw new ProtocolError('WrongCipherReturned', 'ServerHello cipher suite differs from the HelloRetryRequest (RFC 8446 §4.1.4)');
  }
  return suite;
}

/** RFC 8446 §4.1.3 */
function onServerHello(state: ExpectServerHello, message: Incoming, io: HandshakeIO): ClientState {
  const hello = decodeServerHello(message.body);
  if (isHelloRetryRequest(hello)) return onHelloRetryRequest(state, hello, message, io);
  checkAllowed('SH', hello.extensions, state.offered);
  const suite = checkServerHelloBasics(state, hello, 'ServerHello');
  const share = decodeExtension(hello.extensions, ExtensionType.key_share, decodeKeyShareServer);
  if (!share) throw new ProtocolError('MissingExtension', 'ServerHello has no key_share (PSK-only modes are not offered)');
  const ours = state.inputs.shares.find((s) => groupName(share.group) === s.group);
  if (!ours) throw new ProtocolError('IllegalParameter', `ServerHello key_share group ${share.group} is not one we sent a share for`);

  const { transcript, config } = state;
  if (!transcript.hashChosen) transcript.chooseHash(config.provider, suite.hash);
  transcript.add(message.raw);
  const schedule = new KeySchedule13(config.provider, suite);
  const secrets = schedule.handshakeTraffic(ours.agree(share.keyExchange), transcript.current(), (label, secret) => io.logSecret(label, state.clientRandom, secret));
  const { handshakeSecret, client: clientHandshakeSecret, server: serverHandshakeSecret } = secrets;
  io.setReadProtection(protection13ForSecret(schedule, serverHandshakeSecret));
  // From here on everything we send, alerts included, is protected (RFC 8446 §2); the compatibility CCS is the exception.
  io.setWriteProtection(protection13ForSecret(schedule, clientHandshakeSecret));
  return {
    kind: 'client13/ExpectEncryptedExtensions',
    config,
    clientRandom: state.clientRandom,
    serverName: state.serverName,
    negotiated: { ...state.negotiated, version: ProtocolVersion.TLSv1_3, cipherSuite: suite, group: share.group },
    suite,
    schedule,
    transcript,
    offered: state.offered,
    handshakeSecret,
    clientHandshakeSecret,
    serverHandshakeSecret,
    ccsSent: state.ccsSent,
  };
}

/** RFC 8446 §4.1.4 */
function onHelloRetryRequest(state: ExpectServerHello, hello: ServerHello, message: Incoming, io: HandshakeIO): ClientState {
  if (state.retry) throw new ProtocolError('SecondHelloRetryRequest', 'a second HelloRetryRequest in one handshake');
  checkAllowed('HRR', hello.extensions, state.offered);
  const suite = checkServerHelloBasics(state, hello, 'HelloRetryRequest');
  const selected = decodeExtension(hello.extensions, ExtensionType.key_share, decodeKeyShareRetry);
  const cookie = decodeExtension(hello.extensions, ExtensionType.cookie, decodeCookie);
  if (selected === undefined && cookie === undefined) {
    throw new ProtocolError('BadHelloRetryRequest', 'HelloRetryRequest would not change the ClientHello');
  }
  let shares = state.inputs.shares;
  if (selected !== undefined) {
    const name = groupName(selected);
    if (!name || !state.config.groups.includes(selected)) {
      throw new ProtocolError('IllegalParameter', `HelloRetryRequest selects group ${selected}, which we did not offer`);
    }
    if (shares.some((s) => s.group === name)) {
      throw new ProtocolError('IllegalParameter', `HelloRetryRequest selects group ${selected}, for which a share was already sent`);
    }
    shares = keyShares(state.config.provider, [selected]);
  }
  const { transcript, config } = state;
  transcript.chooseHash(config.provider, suite.hash);
  transcript.replaceWithMessageHash(config.provider, suite.hash);
  transcript.add(message.raw);
  // §D.4: in compatibility mode the CCS goes right before the second flight.
  if (config.middleboxCompatibility) io.sendChangeCipherSpec();
  const inputs: HelloInputs = { ...state.inputs, shares, cookie: cookie ?? null };
  const offered = sendClientHello(config, state.serverName, inputs, transcript, io);
  return {
    ...state,
    inputs,
    offered,
    ccsSent: config.middleboxCompatibility,
    retry: { suite: hello.cipherSuite },
    negotiated: { ...state.negotiated, helloRetryRequest: true },
  };
}

/** RFC 8446 §4.3.1 */
function onEncryptedExtensions(state: ExpectEncryptedExtensions, message: Incoming, io: HandshakeIO): ClientState {
  const { extensions } = decodeEncryptedExtensions(message.body);
  checkAllowed('EE', extensions, state.offered);
  let negotiated = state.negotiated;
  const alpn = decodeExtension(extensions, ExtensionType.application_layer_protocol_negotiation, decodeAlpnSelected);
  if (alpn !== undefined) negotiated = { ...negotiated, alpnProtocol: acceptAlpnSelection(state.config.alpnProtocols, alpn) };
  const limit = decodeExtension(extensions, ExtensionType.record_size_limit, decodeRecordSizeLimit);
  if (limit !== undefined) {
    io.setPeerRecordSizeLimit(limit);
    // The server's record_size_limit acknowledges ours (RFC 8449 §4), which now binds what it sends.
    if (state.config.recordSizeLimit !== null) io.setOwnRecordSizeLimit(state.config.recordSizeLimit);
  }
  state.transcript.add(message.raw);
  return { ...state, kind: 'client13/ExpectCertificateOrRequest', negotiated };
}

/** RFC 8446 §4.3.2 */
function onCertificateRequest(state: ExpectCertificateOrRequest, message: Incoming): ClientState {
  const request = decodeCertificateRequest(message.body);
  if (request.certificateRequestContext.length !== 0) {
    throw new ProtocolError('IllegalParameter', 'certificate_request_context must be empty during the handshake');
  }
  state.transcript.add(message.raw);
  return { ...state, kind: 'client13/ExpectCertificate', request };
}

/** RFC 8446 §4.4.2, §4.4.2.4 */
function onCertificate(state: ExpectCertificateOrRequest | ExpectCertificate, request: CertificateRequest | null, message: Incoming): ClientState {
  const certificate = decodeCertificate(message.body);
  if (certificate.certificateRequestContext.length !== 0) throw new ProtocolError('IllegalParameter', 'server Certificate has a non-empty certificate_request_context');
  if (certificate.certificateList.length === 0) throw new DecodeError('Certificate.certificate_list', 'the server sent no certificate');
  for (const entry of certificate.certificateList) checkAllowed('CT', entry.extensions, state.offered);
  const chain = certificate.certificateList.map((e) => e.certData);
  const { peerKey, peer } = acceptPeerChain(state.config.verifier, chain, { role: 'server', serverName: state.serverName });
  state.transcript.add(message.raw);
  return {
    ...state,
    kind: 'client13/ExpectCertificateVerify',
    request,
    peerKey,
    peer,
    negotiated: { ...state.negotiated, peerCertificates: chain, verifiedChain: peer.chain },
  };
}

/** RFC 8446 §4.4.3 */
function onCertificateVerify(state: ExpectCertificateVerify, message: Incoming): ClientState {
  const verify = decodeCertificateVerify(message.body);
  const content = certificateVerifyContent('server', state.transcript.current());
  const signature = verifyHandshakeSignature(state.config.provider, state.config.signatureSchemes, verify.algorithm, state.peerKey, content, verify.signature);
  state.transcript.add(message.raw);
  return {
    ...state,
    kind: 'client13/ExpectFinished',
    signature,
    negotiated: { ...state.negotiated, peerSignatureScheme: verify.algorithm },
  };
}

/** RFC 8446 §4.4.4, then our second flight (§4.4.2, §4.4.3, §4.4.4) and the application secrets (§7.1). */
function onFinished(state: ExpectFinished, message: Incoming, io: HandshakeIO): ClientState {
  const { schedule, transcript, suite, config } = state;
  const expected = schedule.finishedVerifyData(state.serverHandshakeSecret, transcript.current());
  const finished = verifyFinished(expected, decodeFinished(message.body, schedule.hashLength));
  transcript.add(message.raw);

  const application = schedule.applicationTraffic(state.handshakeSecret, transcript.current(), (label, secret) => io.logSecret(label, state.clientRandom, secret));
  const { masterSecret: master, client: clientTrafficSecret, server: serverTrafficSecret, exporter: exporterSecret } = application;
  io.setReadProtection(protection13ForSecret(schedule, serverTrafficSecret));

  if (config.middleboxCompatibility && !state.ccsSent) io.sendChangeCipherSpec();
  const localSignatureScheme = state.request ? sendClientCertificate(state, state.request, io) : null;
  const clientFinished = schedule.finishedVerifyData(state.clientHandshakeSecret, transcript.current());
  io.send(transcript, HandshakeType.finished, encodeFinished(clientFinished));
  io.setWriteProtection(protection13ForSecret(schedule, clientTrafficSecret));
  return {
    kind: 'client13/Connected',
    config,
    clientRandom: state.clientRandom,
    serverName: state.serverName,
    negotiated: { ...state.negotiated, localSignatureScheme, clientFinished, serverFinished: expected },
    suite,
    schedule,
    clientTrafficSecret,
    serverTrafficSecret,
    exporterSecret,
    resumptionSecret: schedule.derive(master, 'res master', transcript.current()),
    proofs: { peer: state.peer, signature: state.signature, finished },
  };
}

/**
 * RFC 8446 §4.4.2: our chain if a scheme the server accepts fits our key, else
 * an empty Certificate. Returns the scheme we signed with, null for none.
 */
function sendClientCertificate(state: ExpectFinished, request: CertificateRequest, io: HandshakeIO): number | null {
  const credential = state.config.clientCertificate;
  const scheme = credential ? chooseSignatureScheme(credential.key, certificateRequestView(request).signatureAlgorithms) : undefined;
  const chain = credential && scheme !== undefined ? credential.chain : [];
  const certificateList = chain.map((certData) => ({ certData, extensions: [] }));
  io.send(state.transcript, HandshakeType.certificate, encodeCertificate({ certificateRequestContext: request.certificateRequestContext, certificateList }));
  if (!credential || scheme === undefined) return null;
  const content = certificateVerifyContent('client', state.transcript.current());
  const signature = signHandshake(state.config.provider, credential.key, scheme, content);
  io.send(state.transcript, HandshakeType.certificate_verify, encodeCertificateVerify({ algorithm: scheme, signature }));
  return scheme;
}

/** RFC 8446 §4.6: NewSessionTicket and KeyUpdate after the handshake. */
function onPostHandshake(state: ClientConnected, message: Incoming, io: HandshakeIO): ClientState {
  switch (message.type) {
    case HandshakeType.new_session_ticket: {
      const ticket = decodeNewSessionTicket(message.body);
      io.sessionReceived({
        version: ProtocolVersion.TLSv1_3,
        cipherSuite: state.suite.id,
        ticket: ticket.ticket,
        psk: state.schedule.resumptionPsk(state.resumptionSecret, ticket.ticketNonce),
        lifetimeSeconds: ticket.ticketLifetime,
        ageAdd: ticket.ticketAgeAdd,
        maxEarlyData: newSessionTicketView(ticket).maxEarlyDataSize ?? 0,
        serverName: state.negotiated.serverName,
        alpnProtocol: state.negotiated.alpnProtocol,
      });
      return state;
    }
    case HandshakeType.key_update:
      return receiveKeyUpdate(state, 'client', message.body, io);
    default:
      // post_handshake_auth is not offered, so a CertificateRequest here is unexpected too (§4.6.2).
      throw unexpectedMessage(message, 'after the handshake');
  }
}
