/**
 * The TLS 1.3 server (RFC 8446 §2, §4), one state per expected message:
 *
 *   ExpectClientHello ─(no usable key share: HelloRetryRequest)─▶ ExpectClientHello (retry)
 *   ExpectClientHello ─ServerHello…Finished─▶ [ExpectCertificate ─▶ ExpectCertificateVerify ─▶] ExpectFinished
 *        ─(NewSessionTicket)▶ Connected
 *
 * Negotiation follows the server's preferences (suite, group, ALPN); a
 * ClientHello is decided in `server-hello13.ts`.
 * @module
 */
import type { PublicKey } from '../crypto/keys.ts';
import { ProtocolError } from '../wire/errors.ts';
import { HandshakeType } from '../wire/registry.ts';
import type { ServerConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { decodeCertificate } from './messages/certificate.ts';
import { certificateVerifyContent, decodeCertificateVerify } from './messages/certificate-verify.ts';
import { checkAllowed } from './messages/extensions.ts';
import { decodeFinished } from './messages/finished.ts';
import { receiveKeyUpdate } from './key-update13.ts';
import type { Traffic } from './key-update13.ts';
import { encodeNewSessionTicket } from './messages/new-session-ticket.ts';
import type { Negotiated } from './negotiated.ts';
import { NOTHING_NEGOTIATED } from './negotiated.ts';
import type { FinishedVerified, PeerVerified, SignatureVerified } from './proofs.ts';
import { unauthenticatedPeer, verifyFinished, verifyHandshakeSignature } from './proofs.ts';
import { acceptPeerChain } from './peer-certificate.ts';
import { answerClientHello, checkClientHello, summarizeClientHello } from './server-hello13.ts';
import type { Retry, ServerHandshake } from './server-hello13.ts';
import { protection13ForSecret } from './traffic-protection13.ts';

interface Common {
  readonly config: ServerConfig;
  readonly negotiated: Negotiated;
}

interface ExpectClientHello extends Common {
  readonly kind: 'server13/ExpectClientHello';
  /** Set after we sent HelloRetryRequest: what the second ClientHello must satisfy (RFC 8446 §4.1.4). */
  readonly retry: Retry | null;
}

interface AwaitingClient extends Common, ServerHandshake {}

interface ExpectCertificate extends AwaitingClient {
  readonly kind: 'server13/ExpectCertificate';
}

interface ExpectCertificateVerify extends AwaitingClient {
  readonly kind: 'server13/ExpectCertificateVerify';
  readonly peerKey: PublicKey;
  readonly peer: PeerVerified;
}

interface ExpectFinished extends AwaitingClient {
  readonly kind: 'server13/ExpectFinished';
  readonly peer: PeerVerified;
  /** Present when the client authenticated; absent when it was not asked or sent no certificate. */
  readonly signature: SignatureVerified | null;
}

export interface ServerConnected extends Common, Traffic {
  readonly kind: 'server13/Connected';
  readonly exporterSecret: Uint8Array;
  readonly resumptionSecret: Uint8Array;
  readonly proofs: { readonly peer: PeerVerified; readonly signature: SignatureVerified | null; readonly finished: FinishedVerified };
}

export type ServerState = ExpectClientHello | ExpectCertificate | ExpectCertificateVerify | ExpectFinished | ServerConnected;

export function initialState(config: ServerConfig): ServerState {
  return { kind: 'server13/ExpectClientHello', config, negotiated: NOTHING_NEGOTIATED, retry: null };
}

/** The change_cipher_spec window of RFC 8446 §5: after the first ClientHello, before the client's Finished. */
export function acceptsChangeCipherSpec(state: ServerState): boolean {
  if (state.kind === 'server13/ExpectClientHello') return state.retry !== null;
  return state.kind !== 'server13/Connected';
}

export function step(state: ServerState, message: Incoming, io: HandshakeIO): ServerState {
  switch (state.kind) {
    case 'server13/ExpectClientHello':
      expect(message, HandshakeType.client_hello);
      return onClientHello(state, message, io);
    case 'server13/ExpectCertificate':
      expect(message, HandshakeType.certificate);
      return onCertificate(state, message);
    case 'server13/ExpectCertificateVerify':
      expect(message, HandshakeType.certificate_verify);
      return onCertificateVerify(state, message);
    case 'server13/ExpectFinished':
      expect(message, HandshakeType.finished);
      return onFinished(state, message, io);
    case 'server13/Connected':
      return onPostHandshake(state, message, io);
  }
}

function expect(message: Incoming, type: number): void {
  if (message.type !== type) {
    throw new ProtocolError('UnexpectedMessage', `handshake message type ${message.type} received, expected ${type}`);
  }
}

/**
 * RFC 8446 §4.1.2 – §4.4.4: the whole first flight, or a HelloRetryRequest.
 * The application's hook sees the first ClientHello and may answer with
 * another configuration, kept for the rest of the handshake.
 */
function onClientHello(state: ExpectClientHello, message: Incoming, io: HandshakeIO): ServerState {
  const hello = checkClientHello(message);
  const hook = state.retry === null ? state.config.clientHelloHook : null;
  const config = hook ? hook(summarizeClientHello(hello)) : state.config;
  const answer = answerClientHello(config, state.retry, hello, io);
  if (answer.kind === 'retry') return { ...state, config, retry: answer.retry, negotiated: { ...state.negotiated, helloRetryRequest: true } };
  const next = { ...answer.handshake, config, negotiated: { ...state.negotiated, ...answer.negotiated } };
  if (config.clientAuth !== 'none') return { ...next, kind: 'server13/ExpectCertificate' };
  return { ...next, kind: 'server13/ExpectFinished', peer: unauthenticatedPeer(), signature: null };
}

/** RFC 8446 §4.4.2, §4.4.2.4: the client's chain, or its empty Certificate. */
function onCertificate(state: ExpectCertificate, message: Incoming): ServerState {
  const certificate = decodeCertificate(message.body);
  if (certificate.certificateRequestContext.length !== 0) throw new ProtocolError('IllegalParameter', 'client Certificate does not echo the certificate_request_context');
  for (const entry of certificate.certificateList) checkAllowed('CT', entry.extensions, []);
  state.transcript.add(message.raw);
  if (certificate.certificateList.length === 0) {
    if (state.config.clientAuth === 'required') throw new ProtocolError('CertificateRequired', 'the client sent no certificate');
    return { ...state, kind: 'server13/ExpectFinished', peer: unauthenticatedPeer(), signature: null };
  }
  const chain = certificate.certificateList.map((e) => e.certData);
  const { peerKey, peer } = acceptPeerChain(state.config.verifier, chain, { role: 'client', serverName: null });
  return {
    ...state,
    kind: 'server13/ExpectCertificateVerify',
    peerKey,
    peer,
    negotiated: { ...state.negotiated, peerCertificates: chain, verifiedChain: peer.chain },
  };
}

/** RFC 8446 §4.4.3 */
function onCertificateVerify(state: ExpectCertificateVerify, message: Incoming): ServerState {
  const verify = decodeCertificateVerify(message.body);
  const content = certificateVerifyContent('client', state.transcript.current());
  const signature = verifyHandshakeSignature(state.config.provider, state.config.signatureSchemes, verify.algorithm, state.peerKey, content, verify.signature);
  state.transcript.add(message.raw);
  return { ...state, kind: 'server13/ExpectFinished', signature, negotiated: { ...state.negotiated, peerSignatureScheme: verify.algorithm } };
}

/** RFC 8446 §4.4.4, then the resumption secret and tickets (§4.6.1). */
function onFinished(state: ExpectFinished, message: Incoming, io: HandshakeIO): ServerState {
  const { schedule, transcript, suite, config } = state;
  const expected = schedule.finishedVerifyData(state.clientHandshakeSecret, transcript.current());
  const finished = verifyFinished(expected, decodeFinished(message.body, schedule.hashLength));
  transcript.add(message.raw);
  io.setReadProtection(protection13ForSecret(schedule, state.clientTrafficSecret));
  const connected: ServerConnected = {
    kind: 'server13/Connected',
    config,
    negotiated: { ...state.negotiated, clientFinished: expected },
    suite,
    schedule,
    clientTrafficSecret: state.clientTrafficSecret,
    serverTrafficSecret: state.serverTrafficSecret,
    exporterSecret: state.exporterSecret,
    resumptionSecret: schedule.derive(state.masterSecret, 'res master', transcript.current()),
    proofs: { peer: state.peer, signature: state.signature, finished },
  };
  sendTickets(connected, io);
  return connected;
}

/**
 * RFC 8446 §4.6.1. Resumption is not implemented yet, so a ticket is an opaque
 * random label that this server will never accept: clients may store it, and
 * offering it later simply leads to a full handshake.
 */
function sendTickets(state: ServerConnected, io: HandshakeIO): void {
  const { provider } = state.config;
  for (let i = 0; i < state.config.ticketsToSend; i++) {
    const ageAdd = new DataView(provider.randomBytes(4).buffer).getUint32(0);
    io.sendPostHandshake(
      HandshakeType.new_session_ticket,
      encodeNewSessionTicket({
        ticketLifetime: state.config.ticketLifetime,
        ticketAgeAdd: ageAdd,
        ticketNonce: Uint8Array.of(i >> 8, i & 0xff),
        ticket: provider.randomBytes(32),
        extensions: [],
      }),
    );
  }
}

/** RFC 8446 §4.6.3: KeyUpdate is the only post-handshake message a client may send us. */
function onPostHandshake(state: ServerConnected, message: Incoming, io: HandshakeIO): ServerState {
  if (message.type !== HandshakeType.key_update) {
    throw new ProtocolError('UnexpectedMessage', `handshake message type ${message.type} after the handshake`);
  }
  return receiveKeyUpdate(state, 'server', message.body, io);
}
