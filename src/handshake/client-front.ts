/**
 * The client's hello front: it sends one ClientHello offering every enabled
 * version (`client-offer.ts`), reads which version the ServerHello picked
 * (RFC 8446 §4.2.1: supported_versions; RFC 5246 §7.4.1.3: server_version),
 * and hands the rest of the handshake to that version's state machine. A
 * TLS 1.3-capable client checks the downgrade sentinel of a TLS 1.2
 * ServerHello first (RFC 8446 §4.1.3).
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { ExtensionType, HandshakeType, ProtocolVersion, nameOf } from '../wire/registry.ts';
import { helloSessionId, keyShares, offeredSuites, resumableSession, sendClientHello, sniName } from './client-offer.ts';
import type { ClientOffer, HelloInputs } from './client-offer.ts';
import type { ClientConfig } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import type { ClientHandshakeMachine, ConnectedMachine, HandshakeMachine } from './machine.ts';
import { client12Machine } from './machine12.ts';
import { client13Machine } from './machine13.ts';
import { decodeEmptyMessage } from './messages/empty-message.ts';
import { findExtension } from './messages/extensions.ts';
import { checkDowngradeSentinel, decodeServerHello } from './messages/server-hello.ts';
import type { Negotiated } from './negotiated.ts';
import { NOTHING_NEGOTIATED } from './negotiated.ts';
import { Transcript } from './transcript.ts';

class ClientFront implements ClientHandshakeMachine {
  readonly #config: ClientConfig;
  readonly #serverName: string | null;
  #offer: ClientOffer | null = null;
  #chosen: HandshakeMachine | null = null;

  constructor(config: ClientConfig, serverName: string | null) {
    this.#config = config;
    this.#serverName = serverName;
  }

  get negotiated(): Negotiated {
    return this.#chosen?.negotiated ?? this.#offer?.negotiated ?? { ...NOTHING_NEGOTIATED, serverName: sniName(this.#serverName) };
  }

  get connected(): ConnectedMachine | null {
    return this.#chosen?.connected ?? null;
  }

  /** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2: the first flight. */
  start(io: HandshakeIO): void {
    if (this.#offer) throw new ProtocolError('InternalError', 'client already started');
    const config = this.#config;
    const offers13 = config.versions.includes(ProtocolVersion.TLSv1_3);
    const session = resumableSession(config);
    const inputs: HelloInputs = {
      random: config.provider.randomBytes(32),
      sessionId: helloSessionId(config, session),
      shares: offers13 ? keyShares(config.provider, config.keyShareGroups) : [],
      cookie: null,
      session,
    };
    const transcript = new Transcript({ keepMessages: config.versions.includes(ProtocolVersion.TLSv1_2) });
    const offered = sendClientHello(config, this.#serverName, inputs, transcript, io);
    const negotiated = { ...NOTHING_NEGOTIATED, serverName: sniName(this.#serverName), clientCipherSuites: offeredSuites(config) };
    this.#offer = { config, serverName: this.#serverName, negotiated, inputs, offered, transcript };
  }

  retire(): void {
    this.#chosen?.retire();
  }

  changeCipherSpec(io: HandshakeIO): void {
    if (this.#chosen) return this.#chosen.changeCipherSpec(io);
    // RFC 8446 §5: once a ClientHello offering TLS 1.3 is out, a compatibility CCS may come first and is dropped;
    // in TLS 1.2 nothing but a ServerHello may (RFC 5246 §7.3).
    if (this.#offer?.config.versions.includes(ProtocolVersion.TLSv1_3)) return;
    throw new ProtocolError('UnexpectedChangeCipherSpec', 'change_cipher_spec before the ServerHello');
  }

  step(message: Incoming, io: HandshakeIO): void {
    if (this.#chosen) return this.#chosen.step(message, io);
    const offer = this.#offer;
    if (!offer) throw new ProtocolError('UnexpectedMessage', 'handshake message before our ClientHello');
    // RFC 5246 §7.4.1.1: a HelloRequest before the ServerHello is ignored too, when TLS 1.2 is offered.
    if (message.type === HandshakeType.hello_request && offer.config.versions.includes(ProtocolVersion.TLSv1_2)) {
      decodeEmptyMessage(message.body, 'HelloRequest');
      return;
    }
    if (message.type !== HandshakeType.server_hello) {
      throw new ProtocolError('UnexpectedMessage', `${nameOf(HandshakeType, message.type)} received, expected server_hello`);
    }
    const chosen = this.#machineFor(offer, message);
    chosen.step(message, io);
    this.#chosen = chosen;
  }

  /** The version's machine the ServerHello (or HelloRetryRequest) asks for. */
  #machineFor(offer: ClientOffer, message: Incoming): HandshakeMachine {
    const hello = decodeServerHello(message.body);
    const offers13 = offer.config.versions.includes(ProtocolVersion.TLSv1_3);
    if (offers13 && findExtension(hello.extensions, ExtensionType.supported_versions) !== undefined) return client13Machine(offer);
    if (hello.legacyVersion === ProtocolVersion.TLSv1_2 && offer.config.versions.includes(ProtocolVersion.TLSv1_2)) {
      if (offers13) checkDowngradeSentinel(hello.random, ProtocolVersion.TLSv1_2, ProtocolVersion.TLSv1_3);
      return client12Machine(offer);
    }
    // A TLS 1.3 client checks the sentinel before refusing the version (RFC 8446 §4.1.3).
    if (offers13) checkDowngradeSentinel(hello.random, hello.legacyVersion, ProtocolVersion.TLSv1_3);
    const enabled = offer.config.versions.map((v) => nameOf(ProtocolVersion, v)).join(', ');
    throw new ProtocolError('UnsupportedVersion', `ServerHello selects ${nameOf(ProtocolVersion, hello.legacyVersion)}; enabled: ${enabled}`);
  }
}

export function clientFront(config: ClientConfig, serverName: string | null): ClientHandshakeMachine {
  return new ClientFront(config, serverName);
}
