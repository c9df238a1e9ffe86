/**
 * The TLS 1.2 client (RFC 5246 §7.3, ECDHE per RFC 8422), one state per
 * expected message, entered from the hello front once a ServerHello picks TLS 1.2:
 *
 *   ExpectServerHello ─▶ ExpectCertificate ─▶ ExpectServerKeyExchange
 *        ─▶ ExpectCertificateRequestOrDone ─(CertificateRequest)▶ ExpectServerHelloDone
 *        ─(our [Certificate,] ClientKeyExchange, [CertificateVerify,] CCS, Finished)▶
 *        [ExpectNewSessionTicket ─▶] ExpectChangeCipherSpec ─▶ ExpectFinished ─▶ Connected
 *
 * Resuming (RFC 5246 §7.3, RFC 5077 §3.1), the ServerHello echoes the session
 * ID we offered and the server's Finished comes first:
 *
 *   ExpectServerHello ─▶ [ExpectNewSessionTicket ─▶] ExpectChangeCipherSpec ─▶ ExpectFinished
 *        ─(our CCS, Finished)▶ Connected
 *
 * The server's chain, its ServerKeyExchange signature and its Finished are
 * each proven before `Connected` (DESIGN §4). The extended master secret
 * (RFC 7627) and secure renegotiation (RFC 5746) are required of the server
 * as OpenSSL 3 requires them; renegotiation itself is always refused.
 * @module
 */
import type { KeyExchange } from '../crypto/provider.ts';
import type { PublicKey } from '../crypto/keys.ts';
import { bytesEqual } from '../wire/bytes.ts';
import { DecodeError, ProtocolError } from '../wire/errors.ts';
import { AlertDescription, CipherSuite, ExtensionType, HandshakeType, ProtocolVersion } from '../wire/registry.ts';
import { acceptAlpnSelection } from './alpn-choice.ts';
import type { ClientOffer } from './client-offer.ts';
import type { ClientConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { expectMessage, unexpectedMessage } from './incoming.ts';
import { deriveMasterSecret12, KeySchedule12 } from './key-schedule12.ts';
import { decodeAlpnSelected } from './messages/alpn.ts';
import { decodeCertificate12, encodeCertificate12 } from './messages/certificate12.ts';
import { decodeCertificateRequest12 } from './messages/certificate-request12.ts';
import type { CertificateRequest12 } from './messages/certificate-request12.ts';
import { encodeCertificateVerify } from './messages/certificate-verify.ts';
import { encodeClientKeyExchange12 } from './messages/client-key-exchange12.ts';
import { decodeEcPointFormats, UNCOMPRESSED } from './messages/ec-point-formats.ts';
import { decodeEmptyMessage } from './messages/empty-message.ts';
import { checkAllowed12, decodeExtension, findExtension } from './messages/extensions.ts';
import { decodeFinished, encodeFinished } from './messages/finished.ts';
import { decodeNewSessionTicket12 } from './messages/new-session-ticket12.ts';
import type { NewSessionTicket12 } from './messages/new-session-ticket12.ts';
import { decodeRecordSizeLimit } from './messages/record-size-limit.ts';
import { decodeRenegotiationInfo } from './messages/renegotiation-info.ts';
import { decodeServerHello } from './messages/server-hello.ts';
import { decodeServerKeyExchange12, serverKeyExchangeParams, serverKeyExchangeSignedContent } from './messages/server-key-exchange12.ts';
import type { Negotiated } from './negotiated.ts';
import type { FinishedVerified, PeerVerified, SignatureVerified } from './proofs.ts';
import { resumedSessionProofs, verifyFinished, verifyHandshakeSignature } from './proofs.ts';
import type { TlsSession12 } from './session.ts';
import { sessionState12 } from './session-state12.ts';
import { acceptPeerChain } from './peer-certificate.ts';
import { signHandshake } from './signatures.ts';
import { chooseSignatureScheme, groupName, keyFitsSuite12, suite12 } from './suites.ts';
import type { Suite12 } from './suites.ts';
import type { Transcript } from './transcript.ts';

const TLS12 = ProtocolVersion.TLSv1_2;

interface Common {
  readonly config: ClientConfig;
  readonly negotiated: Negotiated;
  readonly serverName: string | null;
  readonly clientRandom: Uint8Array;
}

interface ExpectServerHello extends Common {
  readonly kind: 'client12/ExpectServerHello';
  readonly offer: ClientOffer;
}

interface Handshaking extends Common {
  readonly suite: Suite12;
  readonly serverRandom: Uint8Array;
  readonly transcript: Transcript;
  /** RFC 7627: both sides use the extended master secret. */
  readonly extendedMasterSecret: boolean;
  /** RFC 5077 §3.2: the server said it will send a NewSessionTicket. */
  readonly ticketExpected: boolean;
  /** The ServerHello's session ID (RFC 5246 §7.4.1.3): under it the server may resume this session. */
  readonly sessionId: Uint8Array;
  /** The session being resumed, or null in a full handshake. */
  readonly resuming: TlsSession12 | null;
}

interface ExpectCertificate extends Handshaking {
  readonly kind: 'client12/ExpectCertificate';
}

interface ExpectServerKeyExchange extends Handshaking {
  readonly kind: 'client12/ExpectServerKeyExchange';
  readonly peerKey: PublicKey;
  readonly peer: PeerVerified;
}

interface KeyExchanged extends Handshaking {
  readonly peer: PeerVerified;
  readonly signature: SignatureVerified;
  /** Our ECDHE key and the server's public value (RFC 8422 §5.4). */
  readonly ours: KeyExchange;
  readonly serverPublic: Uint8Array;
}

interface ExpectCertificateRequestOrDone extends KeyExchanged {
  readonly kind: 'client12/ExpectCertificateRequestOrDone';
}

interface ExpectServerHelloDone extends KeyExchanged {
  readonly kind: 'client12/ExpectServerHelloDone';
  readonly request: CertificateRequest12;
}

interface Keyed extends Handshaking {
  readonly peer: PeerVerified;
  readonly signature: SignatureVerified;
  readonly schedule: KeySchedule12;
  /** A ticket the server issued in this handshake (RFC 5077 §3.3). */
  readonly ticket: NewSessionTicket12 | null;
}

interface ExpectNewSessionTicket extends Keyed {
  readonly kind: 'client12/ExpectNewSessionTicket';
}

interface ExpectChangeCipherSpec extends Keyed {
  readonly kind: 'client12/ExpectChangeCipherSpec';
}

interface ExpectFinished extends Keyed {
  readonly kind: 'client12/ExpectFinished';
}

export interface Client12Connected extends Common {
  readonly kind: 'client12/Connected';
  readonly schedule: KeySchedule12;
  /** What a later handshake may resume; null when the server offered no way to (no ID, no ticket). */
  readonly session: TlsSession12 | null;
  readonly proofs: { readonly peer: PeerVerified; readonly signature: SignatureVerified; readonly finished: FinishedVerified };
}

export type Client12State =
  | ExpectServerHello
  | ExpectCertificate
  | ExpectServerKeyExchange
  | ExpectCertificateRequestOrDone
  | ExpectServerHelloDone
  | ExpectNewSessionTicket
  | ExpectChangeCipherSpec
  | ExpectFinished
  | Client12Connected;

/** Where the TLS 1.2 client starts: its ClientHello is out and a TLS 1.2 ServerHello is next. */
export function afterClientHello(offer: ClientOffer): Client12State {
  return { kind: 'client12/ExpectServerHello', config: offer.config, negotiated: offer.negotiated, serverName: offer.serverName, clientRandom: offer.inputs.random, offer };
}



export function step(state: Client12State, message: Incoming, io: HandshakeIO): Client12State {
  // RFC 5246 §7.4.1.1: a HelloRequest during a handshake is ignored (it is in no transcript).
  if (message.type === HandshakeType.hello_request && state.kind !== 'client12/Connected') {
    decodeEmptyMessage(message.body, 'HelloRequest');
    return state;
  }
  switch (state.kind) {
    case 'client12/ExpectServerHello':
      return expectMessage(message, HandshakeType.server_hello) && onServerHello(state, message, io);
    case 'client12/ExpectCertificate':
      return expectMessage(message, HandshakeType.certificate) && onCertificate(state, message);
    case 'client12/ExpectServerKeyExchange':
      return expectMessage(message, HandshakeType.server_key_exchange) && onServerKeyExchange(state, message);
    case 'client12/ExpectCertificateRequestOrDone':
      if (message.type === HandshakeType.certificate_request) return onCertificateRequest(state, message);
      return expectMessage(message, HandshakeType.server_hello_done) && onServerHelloDone(state, null, message, io);
    case 'client12/ExpectServerHelloDone':
      return expectMessage(message, HandshakeType.server_hello_done) && onServerHelloDone(state, state.request, message, io);
    case 'client12/ExpectNewSessionTicket':
      return expectMessage(message, HandshakeType.new_session_ticket) && onNewSessionTicket(state, message);
    case 'client12/ExpectChangeCipherSpec':
      // RFC 5246 §7.4.9: Finished must follow a ChangeCipherSpec.
      throw unexpectedMessage(message, 'expected change_cipher_spec');
    case 'client12/ExpectFinished':
      return expectMessage(message, HandshakeType.finished) && onFinished(state, message, io);
    case 'client12/Connected':
      return onPostHandshake(state, message, io);
  }
}

/** RFC 5246 §7.1: the server's ChangeCipherSpec switches its records to the new keys, just before its Finished. */
export function changeCipherSpec(state: Client12State, io: HandshakeIO): Client12State {
  if (state.kind !== 'client12/ExpectChangeCipherSpec') {
    throw new ProtocolError('UnexpectedChangeCipherSpec', `change_cipher_spec in ${state.kind}`);
  }
  io.setReadProtection(state.schedule.protection('server'));
  return { ...state, kind: 'client12/ExpectFinished' };
}

/** RFC 5246 §7.4.1.3 with RFC 5746 §3.4, RFC 7627 §5.2, RFC 8422 §5.2, RFC 7301 §3.2, RFC 5077 §3.2. */
function onServerHello(state: ExpectServerHello, message: Incoming, io: HandshakeIO): Client12State {
  const { config, offer } = state;
  const hello = decodeServerHello(message.body);
  // RFC 5746 §3.4: the SCSV alone also asks for renegotiation_info.
  const scsv = offer.negotiated.clientCipherSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  checkAllowed12('SH', hello.extensions, scsv ? [...offer.offered, ExtensionType.renegotiation_info] : offer.offered);
  const suite = suite12(hello.cipherSuite);
  if (!suite || !offer.negotiated.clientCipherSuites.includes(hello.cipherSuite)) {
    throw new ProtocolError('WrongCipherReturned', `ServerHello selects cipher suite 0x${hello.cipherSuite.toString(16)}, which was not offered for TLS 1.2`);
  }
  const extensions = hello.extensions;
  const renegotiation = decodeExtension(extensions, ExtensionType.renegotiation_info, decodeRenegotiationInfo);
  // OpenSSL 3 refuses servers without RFC 5746 support; our initial handshake expects an empty renegotiated_connection.
  if (renegotiation === undefined) throw new ProtocolError('UnsafeLegacyRenegotiation', 'ServerHello has no renegotiation_info (RFC 5746)');
  if (renegotiation.length !== 0) throw new ProtocolError('RenegotiationMismatch', 'renegotiation_info is not empty in an initial handshake (RFC 5746 §3.4)');
  const extendedMasterSecret = findExtension(extensions, ExtensionType.extended_master_secret) !== undefined;
  if (!extendedMasterSecret && config.extendedMasterSecret === 'require') {
    throw new ProtocolError('ExtendedMasterSecretRequired', 'the server does not use the extended master secret (RFC 7627), which this client requires');
  }
  const formats = decodeExtension(extensions, ExtensionType.ec_point_formats, decodeEcPointFormats);
  if (formats !== undefined && !formats.includes(UNCOMPRESSED)) {
    throw new ProtocolError('BadPointFormats', 'ServerHello ec_point_formats lacks uncompressed (RFC 8422 §5.2)');
  }
  let negotiated: Negotiated = { ...state.negotiated, version: TLS12, cipherSuite: suite };
  const alpn = decodeExtension(extensions, ExtensionType.application_layer_protocol_negotiation, decodeAlpnSelected);
  if (alpn !== undefined) negotiated = { ...negotiated, alpnProtocol: acceptAlpnSelection(config.alpnProtocols, alpn) };
  const ticketExpected = findExtension(extensions, ExtensionType.session_ticket) !== undefined;
  const limit = decodeExtension(extensions, ExtensionType.record_size_limit, decodeRecordSizeLimit);
  if (limit !== undefined) {
    // RFC 8449 §4: the server's limit caps our records, and acknowledges ours (at most 2^14 in TLS 1.2).
    io.setPeerRecordSizeLimit(limit);
    if (config.recordSizeLimit !== null) io.setOwnRecordSizeLimit(Math.min(config.recordSizeLimit, 2 ** 14));
  }

  const { transcript } = offer;
  transcript.chooseHash(config.provider, suite.hash);
  transcript.add(message.raw);
  const session = offer.inputs.session;
  // RFC 5246 §7.4.1.3 / RFC 5077 §3.4: the echo of the session ID we offered means the server resumes.
  const resuming = session !== null && hello.legacySessionIdEcho.length > 0 && bytesEqual(hello.legacySessionIdEcho, offer.inputs.sessionId) ? session : null;
  const handshaking = {
    config,
    negotiated,
    serverName: state.serverName,
    clientRandom: state.clientRandom,
    suite,
    serverRandom: hello.random,
    transcript,
    extendedMasterSecret,
    ticketExpected,
    sessionId: hello.legacySessionIdEcho,
    resuming,
  };
  if (!resuming) return { ...handshaking, kind: 'client12/ExpectCertificate' };

  // RFC 5246 §7.4.1.3: a resumed session keeps its suite; RFC 7627 §5.3: and its extended master secret.
  if (resuming.cipherSuite !== suite.id) throw new ProtocolError('IllegalParameter', 'ServerHello resumes the session with another cipher suite');
  if (!extendedMasterSecret) throw new ProtocolError('InconsistentExtendedMasterSecret', 'ServerHello resumes an extended-master-secret session without extended_master_secret (RFC 7627 §5.3)');
  const schedule = new KeySchedule12(config.provider, suite, resuming.masterSecret, state.clientRandom, hello.random);
  io.logSecret('CLIENT_RANDOM', state.clientRandom, resuming.masterSecret);
  const restored = { peerCertificates: resuming.peerCertificates, verifiedChain: resuming.verifiedChain, resumed: true, alpnProtocol: negotiated.alpnProtocol };
  const keyed = { ...handshaking, ...resumedSessionProofs(resuming.verifiedChain), schedule, ticket: null, negotiated: { ...negotiated, ...restored } };
  return ticketExpected ? { ...keyed, kind: 'client12/ExpectNewSessionTicket' } : { ...keyed, kind: 'client12/ExpectChangeCipherSpec' };
}

/** RFC 5246 §7.4.2: the server's chain, which must suit the suite's authentication. */
function onCertificate(state: ExpectCertificate, message: Incoming): Client12State {
  const chain = decodeCertificate12(message.body);
  if (chain.length === 0) throw new DecodeError('Certificate.certificate_list', 'the server sent no certificate');
  const { peerKey, peer } = acceptPeerChain(state.config.verifier, chain, { role: 'server', serverName: state.serverName });
  if (!keyFitsSuite12(state.suite, peerKey)) {
    throw new ProtocolError('WrongCertificateType', `a ${peerKey.type} certificate cannot authenticate ${state.suite.name}`);
  }
  state.transcript.add(message.raw);
  return {
    ...state,
    kind: 'client12/ExpectServerKeyExchange',
    peerKey,
    peer,
    negotiated: { ...state.negotiated, peerCertificates: chain, verifiedChain: peer.chain },
  };
}

/** RFC 8422 §5.4: the server's ECDHE share, signed over both randoms (RFC 5246 §7.4.3). */
function onServerKeyExchange(state: ExpectServerKeyExchange, message: Incoming): Client12State {
  const { config } = state;
  const exchange = decodeServerKeyExchange12(message.body);
  const name = groupName(exchange.group);
  if (!name || !config.groups.includes(exchange.group)) {
    throw new ProtocolError('IllegalParameter', `ServerKeyExchange uses group ${exchange.group}, which we did not offer`);
  }
  const content = serverKeyExchangeSignedContent(state.clientRandom, state.serverRandom, serverKeyExchangeParams(exchange.group, exchange.publicKey));
  const signature = verifyHandshakeSignature(config.provider, config.signatureSchemes, exchange.algorithm, state.peerKey, content, exchange.signature, TLS12);
  state.transcript.add(message.raw);
  return {
    ...state,
    kind: 'client12/ExpectCertificateRequestOrDone',
    signature,
    ours: config.provider.keyExchange(name),
    serverPublic: exchange.publicKey,
    negotiated: { ...state.negotiated, group: exchange.group, peerSignatureScheme: exchange.algorithm },
  };
}

/** RFC 5246 §7.4.4 */
function onCertificateRequest(state: ExpectCertificateRequestOrDone, message: Incoming): Client12State {
  const request = decodeCertificateRequest12(message.body);
  state.transcript.add(message.raw);
  return { ...state, kind: 'client12/ExpectServerHelloDone', request };
}

/**
 * RFC 5246 §7.4.5 – §7.4.9: the server is done; our flight is [Certificate,]
 * ClientKeyExchange, [CertificateVerify,] ChangeCipherSpec, Finished.
 */
function onServerHelloDone(state: ExpectCertificateRequestOrDone | ExpectServerHelloDone, request: CertificateRequest12 | null, message: Incoming, io: HandshakeIO): Client12State {
  decodeEmptyMessage(message.body, 'ServerHelloDone');
  const { config, transcript, suite } = state;
  transcript.add(message.raw);
  const credential = request ? clientCredential(config, request) : null;
  if (request) io.send(transcript, HandshakeType.certificate, encodeCertificate12(credential?.chain ?? []));

  // The point is checked before anything is sent for it (RFC 8422 §5.11, RFC 8446 §4.2.8.2 for the same groups).
  const preMasterSecret = state.ours.agree(state.serverPublic);
  io.send(transcript, HandshakeType.client_key_exchange, encodeClientKeyExchange12(state.ours.publicKey));
  const masterSecret = deriveMasterSecret12(config.provider, suite, {
    preMasterSecret,
    clientRandom: state.clientRandom,
    serverRandom: state.serverRandom,
    sessionHash: state.extendedMasterSecret ? transcript.current() : null,
  });
  io.logSecret('CLIENT_RANDOM', state.clientRandom, masterSecret);
  const schedule = new KeySchedule12(config.provider, suite, masterSecret, state.clientRandom, state.serverRandom);

  let localSignatureScheme: number | null = null;
  if (credential) {
    // RFC 5246 §7.4.8: the signature covers every handshake message so far, hashed by the scheme's own hash.
    const signature = signHandshake(config.provider, credential.key, credential.scheme, transcript.messages(), TLS12);
    io.send(transcript, HandshakeType.certificate_verify, encodeCertificateVerify({ algorithm: credential.scheme, signature }));
    localSignatureScheme = credential.scheme;
  }
  io.sendChangeCipherSpec();
  io.setWriteProtection(schedule.protection('client'));
  const clientFinished = schedule.verifyData('client', transcript.current());
  io.send(transcript, HandshakeType.finished, encodeFinished(clientFinished));
  const next = {
    config,
    serverName: state.serverName,
    clientRandom: state.clientRandom,
    suite,
    serverRandom: state.serverRandom,
    transcript,
    extendedMasterSecret: state.extendedMasterSecret,
    ticketExpected: state.ticketExpected,
    sessionId: state.sessionId,
    resuming: null,
    peer: state.peer,
    signature: state.signature,
    schedule,
    ticket: null,
    negotiated: { ...state.negotiated, localSignatureScheme, clientFinished },
  };
  return state.ticketExpected ? { ...next, kind: 'client12/ExpectNewSessionTicket' } : { ...next, kind: 'client12/ExpectChangeCipherSpec' };
}

/** Our chain and the scheme to sign with, when one of the server's schemes fits our key; null sends an empty Certificate (RFC 5246 §7.4.6). */
function clientCredential(config: ClientConfig, request: CertificateRequest12) {
  const credential = config.clientCertificate;
  if (!credential) return null;
  const allowed = request.signatureAlgorithms.filter((s) => config.signatureSchemes.includes(s));
  const scheme = chooseSignatureScheme(credential.key, allowed, TLS12);
  return scheme === undefined ? null : { chain: credential.chain, key: credential.key, scheme };
}

/** RFC 5077 §3.3: the ticket arrives just before the server's ChangeCipherSpec; an empty one is no ticket. */
function onNewSessionTicket(state: ExpectNewSessionTicket, message: Incoming): Client12State {
  const ticket = decodeNewSessionTicket12(message.body);
  state.transcript.add(message.raw);
  return { ...state, kind: 'client12/ExpectChangeCipherSpec', ticket: ticket.ticket.length > 0 ? ticket : null };
}

/** RFC 5246 §7.4.9; when resuming, our ChangeCipherSpec and Finished answer the server's (§7.3). */
function onFinished(state: ExpectFinished, message: Incoming, io: HandshakeIO): Client12State {
  const { schedule, transcript } = state;
  const serverFinished = schedule.verifyData('server', transcript.current());
  const finished = verifyFinished(serverFinished, decodeFinished(message.body, serverFinished.length));
  let negotiated: Negotiated = { ...state.negotiated, serverFinished };
  if (state.resuming) {
    transcript.add(message.raw);
    io.sendChangeCipherSpec();
    io.setWriteProtection(schedule.protection('client'));
    const clientFinished = schedule.verifyData('client', transcript.current());
    io.send(transcript, HandshakeType.finished, encodeFinished(clientFinished));
    negotiated = { ...negotiated, clientFinished };
  }
  const session = sessionToKeep(state, negotiated);
  if (session && session !== state.resuming) io.sessionReceived(session);
  return {
    kind: 'client12/Connected',
    config: state.config,
    serverName: state.serverName,
    clientRandom: state.clientRandom,
    negotiated,
    schedule,
    session,
    proofs: { peer: state.peer, signature: state.signature, finished },
  };
}

/**
 * The session a later handshake may resume (RFC 5246 §7.3, RFC 5077): a new
 * ticket, or the server's session ID; the resumed session when the server
 * issued nothing new. None without the extended master secret (RFC 7627 §5.3).
 */
function sessionToKeep(state: ExpectFinished, negotiated: Negotiated): TlsSession12 | null {
  if (!state.extendedMasterSecret) return null;
  const { ticket } = state;
  if (state.resuming && !ticket) return state.resuming;
  if (!ticket && state.sessionId.length === 0) return null;
  return {
    ...sessionState12(state.suite, state.schedule, negotiated),
    version: TLS12,
    sessionId: state.sessionId,
    ticket: ticket?.ticket ?? null,
    lifetimeHint: ticket?.ticketLifetimeHint ?? 0,
    extendedMasterSecret: true,
  };
}

/**
 * RFC 5246 §7.4.1.1: a HelloRequest asks for renegotiation, which we never do:
 * it is answered with a no_renegotiation warning (RFC 5746 §4.5) and the
 * connection goes on. Nothing else may follow the handshake in TLS 1.2.
 */
function onPostHandshake(state: Client12Connected, message: Incoming, io: HandshakeIO): Client12State {
  if (message.type !== HandshakeType.hello_request) throw unexpectedMessage(message, 'after the handshake');
  decodeEmptyMessage(message.body, 'HelloRequest');
  io.sendWarningAlert(AlertDescription.no_renegotiation);
  return state;
}
