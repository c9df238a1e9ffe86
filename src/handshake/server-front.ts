/**
 * The server's hello front: it reads the first ClientHello, picks the highest
 * version both sides enable (RFC 8446 §4.2.1 from supported_versions; RFC 5246
 * §E.1 from client_version when that extension is absent), refuses a
 * legacy_version RFC 8446 forbids (§D.5, §4.1.2), honours
 * TLS_FALLBACK_SCSV (RFC 7507 §3), and hands the handshake to that version's
 * state machine, which reads the same ClientHello again as its first message.
 * @module
 */
import { ProtocolError } from '../wire/errors.ts';
import { CipherSuite, HandshakeType, ProtocolVersion, nameOf } from '../wire/registry.ts';
import type { ServerConfig, TlsVersion } from './config.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import type { ConnectedMachine, HandshakeMachine } from './machine.ts';
import { server12Machine } from './machine12.ts';
import { server13Machine } from './machine13.ts';
import { checkLegacyVersion, clientHelloExtensions, decodeClientHello } from './messages/client-hello.ts';
import type { Negotiated } from './negotiated.ts';
import { NOTHING_NEGOTIATED } from './negotiated.ts';

/** The versions a ClientHello offers: supported_versions when present, else everything up to client_version we speak. */
function offeredVersions(legacyVersion: number, supportedVersions: readonly number[] | undefined): readonly number[] {
  if (supportedVersions !== undefined) return supportedVersions;
  return legacyVersion >= ProtocolVersion.TLSv1_2 ? [ProtocolVersion.TLSv1_2] : [];
}

/** The highest version both sides enable, with RFC 7507's check that a fallback retry did not lose a better one. */
export function chooseServerVersion(enabled: readonly TlsVersion[], legacyVersion: number, supportedVersions: readonly number[] | undefined, cipherSuites: readonly number[]): TlsVersion {
  const offered = offeredVersions(legacyVersion, supportedVersions);
  const ours = [...enabled].sort((a, b) => b - a);
  const version = ours.find((v) => offered.includes(v));
  if (version === undefined) {
    const theirs = offered.length > 0 ? offered.map((v) => nameOf(ProtocolVersion, v)).join(', ') : nameOf(ProtocolVersion, legacyVersion);
    throw new ProtocolError('UnsupportedVersion', `the client offers ${theirs}; enabled: ${ours.map((v) => nameOf(ProtocolVersion, v)).join(', ')}`);
  }
  // RFC 7507 §3: a client retrying with a lower maximum says so; if we could have done better, something interfered.
  if (cipherSuites.includes(CipherSuite.TLS_FALLBACK_SCSV) && version < ours[0]!) {
    throw new ProtocolError('InappropriateFallback', `fallback to ${nameOf(ProtocolVersion, version)} although ${nameOf(ProtocolVersion, ours[0]!)} is enabled`);
  }
  return version;
}

class ServerFront implements HandshakeMachine {
  readonly #config: ServerConfig;
  #chosen: HandshakeMachine | null = null;

  constructor(config: ServerConfig) {
    this.#config = config;
  }

  get negotiated(): Negotiated {
    return this.#chosen?.negotiated ?? NOTHING_NEGOTIATED;
  }

  get connected(): ConnectedMachine | null {
    return this.#chosen?.connected ?? null;
  }

  retire(): void {
    this.#chosen?.retire();
  }

  changeCipherSpec(io: HandshakeIO): void {
    if (this.#chosen) return this.#chosen.changeCipherSpec(io);
    throw new ProtocolError('UnexpectedChangeCipherSpec', 'change_cipher_spec before the ClientHello');
  }

  step(message: Incoming, io: HandshakeIO): void {
    if (this.#chosen) return this.#chosen.step(message, io);
    if (message.type !== HandshakeType.client_hello) {
      throw new ProtocolError('UnexpectedMessage', `${nameOf(HandshakeType, message.type)} received, expected client_hello`);
    }
    const hello = decodeClientHello(message.body);
    const { supportedVersions } = clientHelloExtensions(hello);
    // Here, before a version is chosen: §D.5 holds for every hello, and a hello offering TLS 1.3 is
    // held to §4.1.2 even when we answer with TLS 1.2, so the answer does not depend on what we enable.
    checkLegacyVersion(hello.legacyVersion, supportedVersions);
    const version = chooseServerVersion(this.#config.versions, hello.legacyVersion, supportedVersions, hello.cipherSuites);
    const chosen = version === ProtocolVersion.TLSv1_3 ? server13Machine(this.#config) : server12Machine(this.#config);
    chosen.step(message, io);
    this.#chosen = chosen;
  }
}

export function serverFront(config: ServerConfig): HandshakeMachine {
  return new ServerFront(config);
}
