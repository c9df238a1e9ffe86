/**
 * The TLS 1.2 server (RFC 5246 §7.3, ECDHE per RFC 8422), one state per
 * expected message, entered from the hello front once TLS 1.2 is chosen:
 *
 *   ExpectClientHello ─ServerHello, Certificate, ServerKeyExchange, [CertificateRequest,] ServerHelloDone▶
 *        [ExpectCertificate ─▶] ExpectClientKeyExchange ─▶ [ExpectCertificateVerify ─▶]
 *        ExpectChangeCipherSpec ─▶ ExpectFinished ─(CCS, Finished)▶ Connected
 *
 * Resuming a session from the cache or a ticket (RFC 5246 §7.3, RFC 5077
 * §3.1), the server's ChangeCipherSpec and Finished come first:
 *
 *   ExpectClientHello ─ServerHello, CCS, Finished▶ ExpectChangeCipherSpec ─▶ ExpectFinished ─▶ Connected
 *
 * Negotiation follows the server's preferences, like TLS 1.3's; secure
 * renegotiation is answered (RFC 5746) and renegotiation refused; a TLS
 * 1.3-capable server marks its random (RFC 8446 §4.1.3). Only sessions made
 * with the extended master secret are kept or resumed (RFC 7627 §5.3).
 * @module
 */
import type { KeyExchange } from '../crypto/provider.ts';
import type { PublicKey } from '../crypto/keys.ts';
import { ProtocolError } from '../wire/errors.ts';
import { AlertDescription, CipherSuite, HandshakeType, ProtocolVersion } from '../wire/registry.ts';
import { chooseAlpn } from './alpn-choice.ts';
import type { CertifiedKey, ServerConfig } from './config.ts';
import { chooseCredential } from './credential-choice.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { expectMessage, unexpectedMessage } from './incoming.ts';
import { deriveMasterSecret12, KeySchedule12 } from './key-schedule12.ts';
import { alpnExtension } from './messages/alpn.ts';
import { decodeCertificate12, encodeCertificate12 } from './messages/certificate12.ts';
import { ClientCertificateType, encodeCertificateRequest12 } from './messages/certificate-request12.ts';
import { decodeCertificateVerify } from './messages/certificate-verify.ts';
import { clientHelloExtensions, decodeClientHello } from './messages/client-hello.ts';
import type { ClientHelloExtensions, DecodedClientHello } from './messages/client-hello.ts';
import { decodeClientKeyExchange12 } from './messages/client-key-exchange12.ts';
import { ecPointFormatsExtension, UNCOMPRESSED } from './messages/ec-point-formats.ts';
import { extendedMasterSecretExtension } from './messages/extended-master-secret.ts';
import type { Extension } from './messages/extensions.ts';
import { checkAllowed12 } from './messages/extensions.ts';
import { decodeFinished, encodeFinished } from './messages/finished.ts';
import { encodeNewSessionTicket12 } from './messages/new-session-ticket12.ts';
import { recordSizeLimitExtension } from './messages/record-size-limit.ts';
import { renegotiationInfoExtension } from './messages/renegotiation-info.ts';
import { sessionTicketExtension } from './messages/session-ticket.ts';
import { DOWNGRADE_TLS12, encodeServerHello } from './messages/server-hello.ts';
import { encodeServerKeyExchange12, serverKeyExchangeParams, serverKeyExchangeSignedContent } from './messages/server-key-exchange12.ts';
import type { Negotiated } from './negotiated.ts';
import { NOTHING_NEGOTIATED } from './negotiated.ts';
import type { FinishedVerified, PeerVerified, SignatureVerified } from './proofs.ts';
import { resumedSessionProofs, unauthenticatedPeer, verifyFinished, verifyHandshakeSignature } from './proofs.ts';
import { acceptPeerChain } from './peer-certificate.ts';
import { serverNameAck } from './server-name-ack.ts';
import { summarizeClientHello } from './server-hello13.ts';
import { sessionState12 } from './session-state12.ts';
import type { ServerSession12 } from './session-state12.ts';
import { openTicket, sealTicket } from './session-ticket12.ts';
import { signHandshake } from './signatures.ts';
import { groupName, keyCurveOffered12, keyFitsSuite12, suite12 } from './suites.ts';
import type { Suite12 } from './suites.ts';
import { Transcript } from './transcript.ts';

const TLS12 = ProtocolVersion.TLSv1_2;

/** RFC 8449 §4: a TLS 1.2 record carries at most 2^14 bytes, so no larger limit is sent. */
const MAX_RECORD_SIZE_LIMIT12 = 2 ** 14;

interface Common {
  readonly config: ServerConfig;
  readonly negotiated: Negotiated;
}

interface ExpectClientHello extends Common {
  readonly kind: 'server12/ExpectClientHello';
}

interface Handshaking extends Common {
  readonly suite: Suite12;
  readonly clientRandom: Uint8Array;
  readonly serverRandom: Uint8Array;
  readonly transcript: Transcript;
  readonly extendedMasterSecret: boolean;
  /** Our ServerHello's session ID, under which a full handshake's session is cached. */
  readonly sessionId: Uint8Array;
  /** RFC 5077 §3.2: the ServerHello promised a NewSessionTicket. */
  readonly ticketPromised: boolean;
  /** This handshake resumes a session (RFC 5246 §7.3): our Finished went first. */
  readonly resumed: boolean;
}

interface AwaitingKeyExchange extends Handshaking {
  readonly ours: KeyExchange;
}

interface ExpectCertificate extends AwaitingKeyExchange {
  readonly kind: 'server12/ExpectCertificate';
}

interface ExpectClientKeyExchange extends AwaitingKeyExchange {
  readonly kind: 'server12/ExpectClientKeyExchange';
  readonly peer: PeerVerified;
  /** The client's leaf key when it sent a certificate: a CertificateVerify must follow. */
  readonly peerKey: PublicKey | null;
}

interface Keyed extends Handshaking {
  readonly schedule: KeySchedule12;
  readonly peer: PeerVerified;
}

interface ExpectCertificateVerify extends Keyed {
  readonly kind: 'server12/ExpectCertificateVerify';
  readonly peerKey: PublicKey;
}

interface ExpectChangeCipherSpec extends Keyed {
  readonly kind: 'server12/ExpectChangeCipherSpec';
  readonly signature: SignatureVerified | null;
}

interface ExpectFinished extends Keyed {
  readonly kind: 'server12/ExpectFinished';
  readonly signature: SignatureVerified | null;
}

export interface Server12Connected extends Common {
  readonly kind: 'server12/Connected';
  readonly schedule: KeySchedule12;
  readonly proofs: { readonly peer: PeerVerified; readonly signature: SignatureVerified | null; readonly finished: FinishedVerified };
}

export type Server12State =
  | ExpectClientHello
  | ExpectCertificate
  | ExpectClientKeyExchange
  | ExpectCertificateVerify
  | ExpectChangeCipherSpec
  | ExpectFinished
  | Server12Connected;

export function initialState(config: ServerConfig): Server12State {
  return { kind: 'server12/ExpectClientHello', config, negotiated: NOTHING_NEGOTIATED };
}



export function step(state: Server12State, message: Incoming, io: HandshakeIO): Server12State {
  switch (state.kind) {
    case 'server12/ExpectClientHello':
      return expectMessage(message, HandshakeType.client_hello) && onClientHello(state, message, io);
    case 'server12/ExpectCertificate':
      return expectMessage(message, HandshakeType.certificate) && onCertificate(state, message);
    case 'server12/ExpectClientKeyExchange':
      return expectMessage(message, HandshakeType.client_key_exchange) && onClientKeyExchange(state, message, io);
    case 'server12/ExpectCertificateVerify':
      return expectMessage(message, HandshakeType.certificate_verify) && onCertificateVerify(state, message);
    case 'server12/ExpectChangeCipherSpec':
      // RFC 5246 §7.4.9: Finished must follow a ChangeCipherSpec.
      throw unexpectedMessage(message, 'expected change_cipher_spec');
    case 'server12/ExpectFinished':
      return expectMessage(message, HandshakeType.finished) && onFinished(state, message, io);
    case 'server12/Connected':
      return onPostHandshake(state, message, io);
  }
}

/** RFC 5246 §7.1: the client's ChangeCipherSpec switches its records to the new keys, just before its Finished. */
export function changeCipherSpec(state: Server12State, io: HandshakeIO): Server12State {
  if (state.kind !== 'server12/ExpectChangeCipherSpec') {
    throw new ProtocolError('UnexpectedChangeCipherSpec', `change_cipher_spec in ${state.kind}`);
  }
  io.setReadProtection(state.schedule.protection('client'));
  return { ...state, kind: 'server12/ExpectFinished' };
}

interface Choices {
  readonly suite: Suite12;
  readonly group: number;
  readonly credential: CertifiedKey;
  readonly scheme: number;
  readonly alpn: Uint8Array | null;
}

/** RFC 5246 §7.4.1.2 checks that need no configuration, with RFC 5746 §3.6 and RFC 8422 §5.1.2. */
function checkClientHello12(hello: DecodedClientHello, ext: ClientHelloExtensions): void {
  checkAllowed12('CH', hello.extensions);
  // RFC 5246 §7.4.1.2: the null compression method must be offered; we never use another.
  if (!hello.legacyCompressionMethods.includes(0)) throw new ProtocolError('BadCompressionMethods', 'ClientHello does not offer the null compression method');
  if (ext.renegotiationInfo !== undefined && ext.renegotiationInfo.length !== 0) {
    throw new ProtocolError('RenegotiationMismatch', 'renegotiation_info is not empty in an initial handshake (RFC 5746 §3.6)');
  }
  if (ext.ecPointFormats !== undefined && !ext.ecPointFormats.includes(UNCOMPRESSED)) {
    throw new ProtocolError('BadPointFormats', 'ClientHello ec_point_formats lacks uncompressed (RFC 8422 §5.1.2)');
  }
}

/**
 * Our preferences decide (as in TLS 1.3): the first of our TLS 1.2 suites the
 * client offers for which we hold a fitting certificate and a signature
 * scheme the client accepts; the first of our groups the client supports.
 */
function choose(config: ServerConfig, hello: DecodedClientHello, ext: ClientHelloExtensions): Choices {
  // RFC 8422 §4: without supported_groups the client accepts any curve.
  const group = config.groups.find((g) => groupName(g) !== undefined && (ext.supportedGroups?.includes(g) ?? true));
  const clientSchemes = ext.signatureAlgorithms ?? [];
  for (const id of config.cipherSuites) {
    const suite = suite12(id);
    if (!suite || !hello.cipherSuites.includes(id) || group === undefined) continue;
    const fits = (key: CertifiedKey['key']) => keyFitsSuite12(suite, key) && keyCurveOffered12(key, ext.supportedGroups);
    if (!config.certificates.some((c) => fits(c.key))) continue;
    const { credential, scheme } = chooseCredential(config, clientSchemes, TLS12, fits);
    return { suite, group, credential, scheme, alpn: chooseAlpn(config, ext.alpn) };
  }
  if (group === undefined && hello.cipherSuites.some((id) => suite12(id) !== undefined)) throw new ProtocolError('NoSharedGroup', 'no ECDHE group in common');
  throw new ProtocolError('NoSharedCipher', 'no TLS 1.2 ECDHE AEAD cipher suite in common for our certificates');
}

/** RFC 8446 §4.1.3: a server that speaks TLS 1.3 but negotiates TLS 1.2 ends its random with DOWNGRD\x01. */
function serverRandom(config: ServerConfig): Uint8Array {
  const random = config.provider.randomBytes(32);
  if (config.versions.includes(ProtocolVersion.TLSv1_3)) random.set(DOWNGRADE_TLS12, 24);
  return random;
}

/** RFC 5246 §7.4.1.2 – §7.4.5: the server's whole first flight, or an abbreviated handshake's (§7.3). */
function onClientHello(state: ExpectClientHello, message: Incoming, io: HandshakeIO): Server12State {
  const hello = decodeClientHello(message.body);
  const ext = clientHelloExtensions(hello);
  checkClientHello12(hello, ext);
  const hook = state.config.clientHelloHook;
  const config = hook ? hook(summarizeClientHello({ hello, ext, raw: message.raw })) : state.config;
  if (!ext.extendedMasterSecret && config.extendedMasterSecret === 'require') {
    throw new ProtocolError('ExtendedMasterSecretRequired', 'the client does not offer the extended master secret (RFC 7627), which this server requires');
  }
  const resumable = findSession(config, hello, ext);
  if (resumable) return resume(state, config, resumable, hello, ext, message, io);
  const choices = choose(config, hello, ext);
  const { suite, credential, scheme } = choices;
  const transcript = new Transcript({ keepMessages: config.clientAuth !== 'none' });
  transcript.chooseHash(config.provider, suite.hash);
  transcript.add(message.raw);

  const random = serverRandom(config);
  // RFC 5246 §7.4.1.3: an empty session ID says the session will not be cached.
  const sessionId = config.sessionCache && ext.extendedMasterSecret ? config.provider.randomBytes(32) : new Uint8Array(0);
  const ticketPromised = ext.sessionTicket !== undefined && config.ticketKeys !== null && ext.extendedMasterSecret;
  io.send(
    transcript,
    HandshakeType.server_hello,
    encodeServerHello({ legacyVersion: TLS12, random, legacySessionIdEcho: sessionId, cipherSuite: suite.id, extensions: serverHelloExtensions(hello, ext, choices.alpn, ticketPromised, recordSizeLimits12(config, ext, io)) }),
  );
  io.send(transcript, HandshakeType.certificate, encodeCertificate12(credential.chain));
  const ours = config.provider.keyExchange(groupName(choices.group)!);
  const params = serverKeyExchangeParams(choices.group, ours.publicKey);
  const signature = signHandshake(config.provider, credential.key, scheme, serverKeyExchangeSignedContent(hello.random, random, params), TLS12);
  io.send(transcript, HandshakeType.server_key_exchange, encodeServerKeyExchange12({ group: choices.group, publicKey: ours.publicKey, algorithm: scheme, signature }));
  if (config.clientAuth !== 'none') {
    io.send(
      transcript,
      HandshakeType.certificate_request,
      encodeCertificateRequest12({ certificateTypes: [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], signatureAlgorithms: [...config.signatureSchemes], certificateAuthorities: [] }),
    );
  }
  io.send(transcript, HandshakeType.server_hello_done, new Uint8Array(0));

  const next = {
    config,
    suite,
    clientRandom: hello.random,
    serverRandom: random,
    transcript,
    extendedMasterSecret: ext.extendedMasterSecret,
    sessionId,
    ticketPromised,
    resumed: false,
    ours,
    negotiated: {
      ...state.negotiated,
      version: TLS12,
      cipherSuite: suite,
      clientCipherSuites: hello.cipherSuites,
      group: choices.group,
      alpnProtocol: choices.alpn,
      serverName: ext.serverName ?? null,
      localSignatureScheme: scheme,
    },
  };
  if (config.clientAuth !== 'none') return { ...next, kind: 'server12/ExpectCertificate' };
  return { ...next, kind: 'server12/ExpectClientKeyExchange', peer: unauthenticatedPeer(), peerKey: null };
}

/**
 * The session the ClientHello offers, if we can resume it: by ticket first
 * (RFC 5077 §3.4), else by ID from the cache; its suite still enabled and
 * offered, younger than the lifetime, for the same server name. RFC 7627
 * §5.3: a hello without the extended master secret never resumes (all our
 * sessions have it), and the abbreviated handshake must not silently drop it.
 */
function findSession(config: ServerConfig, hello: DecodedClientHello, ext: ClientHelloExtensions): ServerSession12 | null {
  const fromTicket = ext.sessionTicket && ext.sessionTicket.length > 0 && config.ticketKeys ? openTicket(config.provider, config.ticketKeys, ext.sessionTicket) : null;
  const fromCache = !fromTicket && hello.legacySessionId.length > 0 ? config.sessionCache?.find(hello.legacySessionId) : undefined;
  const session = fromTicket ?? fromCache ?? null;
  if (!session || !session.extendedMasterSecret) return null;
  if (!ext.extendedMasterSecret) {
    throw new ProtocolError('InconsistentExtendedMasterSecret', 'ClientHello resumes an extended-master-secret session without extended_master_secret (RFC 7627 §5.3)');
  }
  const age = config.now() - session.createdAt;
  const usable = config.cipherSuites.includes(session.cipherSuite) && hello.cipherSuites.includes(session.cipherSuite) && suite12(session.cipherSuite) !== undefined;
  const sameName = session.serverName === (ext.serverName ?? null);
  return usable && sameName && age >= 0 && age <= config.ticketLifetime ? session : null;
}

/** RFC 5246 §7.3: ServerHello echoing the client's session ID, then our ChangeCipherSpec and Finished. */
function resume(
  state: ExpectClientHello,
  config: ServerConfig,
  session: ServerSession12,
  hello: DecodedClientHello,
  ext: ClientHelloExtensions,
  message: Incoming,
  io: HandshakeIO,
): Server12State {
  const suite = suite12(session.cipherSuite)!;
  const transcript = new Transcript();
  transcript.chooseHash(config.provider, suite.hash);
  transcript.add(message.raw);
  const random = serverRandom(config);
  const alpn = chooseAlpn(config, ext.alpn);
  io.send(
    transcript,
    HandshakeType.server_hello,
    encodeServerHello({ legacyVersion: TLS12, random, legacySessionIdEcho: hello.legacySessionId, cipherSuite: suite.id, extensions: serverHelloExtensions(hello, ext, alpn, false, recordSizeLimits12(config, ext, io)) }),
  );
  io.logSecret('CLIENT_RANDOM', hello.random, session.masterSecret);
  const schedule = new KeySchedule12(config.provider, suite, session.masterSecret, hello.random, random);
  io.sendChangeCipherSpec();
  io.setWriteProtection(schedule.protection('server'));
  const serverFinished = schedule.verifyData('server', transcript.current());
  io.send(transcript, HandshakeType.finished, encodeFinished(serverFinished));
  const proofs = resumedSessionProofs(session.verifiedChain);
  return {
    kind: 'server12/ExpectChangeCipherSpec',
    config,
    suite,
    clientRandom: hello.random,
    serverRandom: random,
    transcript,
    extendedMasterSecret: true,
    sessionId: hello.legacySessionId,
    ticketPromised: false,
    resumed: true,
    schedule,
    peer: proofs.peer,
    signature: proofs.signature,
    negotiated: {
      ...state.negotiated,
      version: TLS12,
      cipherSuite: suite,
      clientCipherSuites: hello.cipherSuites,
      alpnProtocol: alpn,
      serverName: ext.serverName ?? null,
      peerCertificates: session.peerCertificates,
      verifiedChain: session.verifiedChain,
      serverFinished,
      resumed: true,
    },
  };
}

/** What our ServerHello answers, each only when the client asked (RFC 5246 §7.4.1.4). */
/**
 * RFC 8449 §4 in TLS 1.2: the client's record_size_limit caps our records;
 * ours (at most 2^14 here) answers it and from then on caps the client's.
 * Returns the value our ServerHello carries, null for none.
 */
function recordSizeLimits12(config: ServerConfig, ext: ClientHelloExtensions, io: HandshakeIO): number | null {
  if (ext.recordSizeLimit === undefined) return null;
  io.setPeerRecordSizeLimit(ext.recordSizeLimit);
  if (config.recordSizeLimit === null) return null;
  const ours = Math.min(config.recordSizeLimit, MAX_RECORD_SIZE_LIMIT12);
  io.setOwnRecordSizeLimit(ours);
  return ours;
}

function serverHelloExtensions(hello: DecodedClientHello, ext: ClientHelloExtensions, alpn: Uint8Array | null, ticketPromised: boolean, recordSizeLimit: number | null): Extension[] {
  const extensions: Extension[] = [];
  // RFC 5746 §3.6: the extension or the SCSV shows the client supports secure renegotiation.
  if (ext.renegotiationInfo !== undefined || hello.cipherSuites.includes(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV)) {
    extensions.push(renegotiationInfoExtension(new Uint8Array(0)));
  }
  if (ext.extendedMasterSecret) extensions.push(extendedMasterSecretExtension());
  if (ext.ecPointFormats !== undefined) extensions.push(ecPointFormatsExtension([UNCOMPRESSED]));
  if (alpn) extensions.push(alpnExtension([alpn]));
  extensions.push(...serverNameAck(ext.serverName));
  // RFC 5077 §3.2: an empty session_ticket promises a NewSessionTicket.
  if (ticketPromised) extensions.push(sessionTicketExtension(new Uint8Array(0)));
  if (recordSizeLimit !== null) extensions.push(recordSizeLimitExtension(recordSizeLimit));
  return extensions;
}

/** RFC 5246 §7.4.6: the client's chain, or an empty list when it has none. */
function onCertificate(state: ExpectCertificate, message: Incoming): Server12State {
  const chain = decodeCertificate12(message.body);
  state.transcript.add(message.raw);
  if (chain.length === 0) {
    if (state.config.clientAuth === 'required') throw new ProtocolError('NoClientCertificate12', 'the client sent no certificate');
    return { ...state, kind: 'server12/ExpectClientKeyExchange', peer: unauthenticatedPeer(), peerKey: null };
  }
  const { peerKey, peer } = acceptPeerChain(state.config.verifier, chain, { role: 'client', serverName: null });
  return {
    ...state,
    kind: 'server12/ExpectClientKeyExchange',
    peer,
    peerKey,
    negotiated: { ...state.negotiated, peerCertificates: chain, verifiedChain: peer.chain },
  };
}

/** RFC 8422 §5.7: the client's ECDHE share; the master secret follows (RFC 7627 §3: its session hash ends here). */
function onClientKeyExchange(state: ExpectClientKeyExchange, message: Incoming, io: HandshakeIO): Server12State {
  const { config, suite, transcript } = state;
  const preMasterSecret = state.ours.agree(decodeClientKeyExchange12(message.body));
  transcript.add(message.raw);
  const masterSecret = deriveMasterSecret12(config.provider, suite, {
    preMasterSecret,
    clientRandom: state.clientRandom,
    serverRandom: state.serverRandom,
    sessionHash: state.extendedMasterSecret ? transcript.current() : null,
  });
  io.logSecret('CLIENT_RANDOM', state.clientRandom, masterSecret);
  const keyed = {
    config,
    negotiated: state.negotiated,
    suite,
    clientRandom: state.clientRandom,
    serverRandom: state.serverRandom,
    transcript,
    extendedMasterSecret: state.extendedMasterSecret,
    sessionId: state.sessionId,
    ticketPromised: state.ticketPromised,
    resumed: false,
    peer: state.peer,
    schedule: new KeySchedule12(config.provider, suite, masterSecret, state.clientRandom, state.serverRandom),
  };
  if (state.peerKey) return { ...keyed, kind: 'server12/ExpectCertificateVerify', peerKey: state.peerKey };
  return { ...keyed, kind: 'server12/ExpectChangeCipherSpec', signature: null };
}

/** RFC 5246 §7.4.8: the client signs every handshake message before this one. */
function onCertificateVerify(state: ExpectCertificateVerify, message: Incoming): Server12State {
  const verify = decodeCertificateVerify(message.body);
  const { config } = state;
  const signature = verifyHandshakeSignature(config.provider, config.signatureSchemes, verify.algorithm, state.peerKey, state.transcript.messages(), verify.signature, TLS12);
  state.transcript.add(message.raw);
  return { ...state, kind: 'server12/ExpectChangeCipherSpec', signature, negotiated: { ...state.negotiated, peerSignatureScheme: verify.algorithm } };
}

/**
 * RFC 5246 §7.4.9: the client's Finished; in a full handshake our
 * [NewSessionTicket,] ChangeCipherSpec and Finished follow, and the session is
 * kept (RFC 5246 §7.3, RFC 5077 §3.3). After a resumption ours came first.
 */
function onFinished(state: ExpectFinished, message: Incoming, io: HandshakeIO): Server12State {
  const { schedule, transcript, config } = state;
  const clientFinished = schedule.verifyData('client', transcript.current());
  const finished = verifyFinished(clientFinished, decodeFinished(message.body, clientFinished.length));
  let negotiated: Negotiated = { ...state.negotiated, clientFinished };
  if (!state.resumed) {
    transcript.add(message.raw);
    const session = serverSession(state, negotiated);
    // A session that travels in a ticket is not also cached (as OpenSSL: the ticket is the state).
    if (session && state.sessionId.length > 0 && !state.ticketPromised) config.sessionCache?.store(state.sessionId, session);
    if (state.ticketPromised) {
      const ticket = session && config.ticketKeys ? sealTicket(config.provider, config.ticketKeys.current(), session) : new Uint8Array(0);
      io.send(transcript, HandshakeType.new_session_ticket, encodeNewSessionTicket12({ ticketLifetimeHint: config.ticketLifetime, ticket }));
    }
    io.sendChangeCipherSpec();
    io.setWriteProtection(schedule.protection('server'));
    const serverFinished = schedule.verifyData('server', transcript.current());
    io.send(transcript, HandshakeType.finished, encodeFinished(serverFinished));
    negotiated = { ...negotiated, serverFinished };
  }
  return {
    kind: 'server12/Connected',
    config,
    negotiated,
    schedule,
    proofs: { peer: state.peer, signature: state.signature, finished },
  };
}

/** What a later handshake may resume; null without the extended master secret (RFC 7627 §5.3). */
function serverSession(state: ExpectFinished, negotiated: Negotiated): ServerSession12 | null {
  if (!state.extendedMasterSecret) return null;
  return { ...sessionState12(state.suite, state.schedule, negotiated), extendedMasterSecret: true, createdAt: Math.floor(state.config.now()) };
}

/**
 * RFC 5746 §4.4 / RFC 5246 §7.2.2: a ClientHello after the handshake asks to
 * renegotiate, which we never do: a no_renegotiation warning answers it and
 * the connection goes on. Nothing else may follow the handshake in TLS 1.2.
 */
function onPostHandshake(state: Server12Connected, message: Incoming, io: HandshakeIO): Server12State {
  if (message.type !== HandshakeType.client_hello) throw unexpectedMessage(message, 'after the handshake');
  io.sendWarningAlert(AlertDescription.no_renegotiation);
  return state;
}

