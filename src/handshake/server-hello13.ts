/**
 * How our TLS 1.3 server answers a ClientHello (RFC 8446 §4.1.1 negotiation):
 * check it, choose suite, group, certificate, signature scheme and ALPN by our
 * preferences, then either ask for another key share (HelloRetryRequest,
 * §4.1.4) or send ServerHello … Finished (§4.1.3 – §4.4.4) and compute the
 * application secrets (§7.1).
 * @module
 */
import type { KeyExchange } from '../crypto/provider.ts';
import { ProtocolError } from '../wire/errors.ts';
import { HandshakeType, ProtocolVersion } from '../wire/registry.ts';
import { chooseAlpn } from './alpn-choice.ts';
import type { CertifiedKey, ClientHelloSummary, ServerConfig } from './config.ts';
import { chooseCredential } from './credential-choice.ts';
import type { HandshakeIO } from './flight.ts';
import type { Incoming } from './incoming.ts';
import { KeySchedule13 } from './key-schedule13.ts';
import { alpnExtension } from './messages/alpn.ts';
import { encodeCertificate } from './messages/certificate.ts';
import { encodeCertificateRequest } from './messages/certificate-request.ts';
import { certificateVerifyContent, encodeCertificateVerify } from './messages/certificate-verify.ts';
import { checkClientHello13, checkLegacyVersion, checkRetriedClientHello, clientHelloExtensions, decodeClientHello } from './messages/client-hello.ts';
import type { ClientHelloExtensions, DecodedClientHello } from './messages/client-hello.ts';
import { encodeEncryptedExtensions } from './messages/encrypted-extensions.ts';
import type { Extension } from './messages/extensions.ts';
import { checkAllowed } from './messages/extensions.ts';
import { encodeFinished } from './messages/finished.ts';
import type { KeyShareEntry } from './messages/key-share.ts';
import { keyShareRetryExtension, keyShareServerExtension } from './messages/key-share.ts';
import { recordSizeLimitExtension } from './messages/record-size-limit.ts';
import { HELLO_RETRY_REQUEST_RANDOM, encodeServerHello } from './messages/server-hello.ts';
import { signatureAlgorithmsExtension } from './messages/signature-algorithms.ts';
import { supportedVersionsServerExtension } from './messages/supported-versions.ts';
import type { Negotiated } from './negotiated.ts';
import { serverNameAck } from './server-name-ack.ts';
import { signHandshake } from './signatures.ts';
import { groupName, suite13 } from './suites.ts';
import type { Suite13 } from './suites.ts';
import { protection13ForSecret } from './traffic-protection13.ts';
import { Transcript } from './transcript.ts';

/** What the second ClientHello must match after our HelloRetryRequest (RFC 8446 §4.1.2, §4.1.4). */
export interface Retry {
  readonly group: number;
  readonly transcript: Transcript;
  readonly ccsSent: boolean;
  /** The first hello as received: the second must repeat it but for what §4.1.2 lets change. */
  readonly firstHello: DecodedClientHello;
}

/** Secrets and transcript the server keeps while it waits for the client's second flight. */
export interface ServerHandshake {
  readonly suite: Suite13;
  readonly schedule: KeySchedule13;
  readonly transcript: Transcript;
  readonly masterSecret: Uint8Array;
  readonly clientHandshakeSecret: Uint8Array;
  readonly clientTrafficSecret: Uint8Array;
  readonly serverTrafficSecret: Uint8Array;
  readonly exporterSecret: Uint8Array;
}

export type Answer =
  | { readonly kind: 'retry'; readonly retry: Retry }
  | { readonly kind: 'handshake'; readonly handshake: ServerHandshake; readonly negotiated: Partial<Negotiated> };

interface Choices {
  readonly suite: Suite13;
  readonly group: number;
  readonly share: KeyShareEntry | undefined;
  readonly credential: CertifiedKey;
  readonly scheme: number;
  readonly alpn: Uint8Array | null;
}

/** A ClientHello that offers TLS 1.3 and passed the checks that need no configuration. */
export interface CheckedClientHello {
  readonly hello: DecodedClientHello;
  readonly ext: ClientHelloExtensions;
  /** The whole message, header included, for the transcript. */
  readonly raw: Uint8Array;
}

export function checkClientHello(message: Incoming): CheckedClientHello {
  const hello = decodeClientHello(message.body);
  const ext = clientHelloExtensions(hello);
  checkAllowed('CH', hello.extensions);
  // RFC 8446 §4.2.1: without supported_versions (or without 0x0304 in it) this is not a TLS 1.3 hello.
  if (!ext.supportedVersions?.includes(ProtocolVersion.TLSv1_3)) {
    throw new ProtocolError('UnsupportedVersion', 'the client does not offer TLS 1.3, the only version enabled');
  }
  checkClientHello13(hello);
  return { hello, ext, raw: message.raw };
}

/** What `ServerConfig.clientHelloHook` is shown. */
export function summarizeClientHello({ hello, ext }: CheckedClientHello): ClientHelloSummary {
  return {
    serverName: ext.serverName ?? null,
    alpnProtocols: ext.alpn ?? [],
    cipherSuites: hello.cipherSuites,
    signatureSchemes: ext.signatureAlgorithms ?? [],
    groups: ext.supportedGroups ?? [],
  };
}

export function answerClientHello(config: ServerConfig, retry: Retry | null, checked: CheckedClientHello, io: HandshakeIO): Answer {
  const { hello, ext } = checked;
  const choices = choose(config, retry, hello, ext);
  const transcript = retry?.transcript ?? new Transcript();
  if (!retry) transcript.chooseHash(config.provider, choices.suite.hash);
  transcript.add(checked.raw);
  // §D.4: a client in compatibility mode gets one CCS right after our first handshake message.
  const compat = hello.legacySessionId.length > 0 && !retry?.ccsSent;
  if (!choices.share) return helloRetry(config, checked, choices, transcript, compat, io);
  const { handshake, serverFinished } = firstFlight(config, checked, choices, transcript, compat, io);
  return {
    kind: 'handshake',
    handshake,
    negotiated: {
      version: ProtocolVersion.TLSv1_3,
      cipherSuite: choices.suite,
      clientCipherSuites: hello.cipherSuites,
      group: choices.group,
      alpnProtocol: choices.alpn,
      serverName: ext.serverName ?? null,
      localSignatureScheme: choices.scheme,
      serverFinished,
    },
  };
}

function choose(config: ServerConfig, retry: Retry | null, hello: DecodedClientHello, ext: ClientHelloExtensions): Choices {
  if (retry) {
    // Only the first hello passed the front: §D.5 holds for this one too, then §4.1.2's comparison.
    // An unchanged hello under the same configuration then makes the same choices of suite and name.
    checkLegacyVersion(hello.legacyVersion, ext.supportedVersions);
    checkRetriedClientHello(retry.firstHello, hello);
  }
  const suite = config.cipherSuites.map(suite13).find((s) => s !== undefined && hello.cipherSuites.includes(s.id));
  if (!suite) throw new ProtocolError('NoSharedCipher', 'no TLS 1.3 cipher suite in common');

  // §9.2: without a PSK, a TLS 1.3 ClientHello needs supported_groups, key_share and signature_algorithms.
  if (!ext.supportedGroups || !ext.keyShares) throw new ProtocolError('MissingExtension', 'ClientHello lacks supported_groups or key_share');
  if (!ext.signatureAlgorithms) throw new ProtocolError('MissingExtension', 'ClientHello lacks signature_algorithms');
  // §4.2.8: every share must be for a group the client lists in supported_groups.
  for (const s of ext.keyShares) {
    if (!ext.supportedGroups.includes(s.group)) throw new ProtocolError('IllegalParameter', `key_share for group ${s.group} not in supported_groups`);
  }
  const group = retry ? retry.group : config.groups.find((g) => groupName(g) && ext.supportedGroups!.includes(g) && ext.keyShares!.some((s) => s.group === g))
    ?? config.groups.find((g) => groupName(g) && ext.supportedGroups!.includes(g));
  if (group === undefined) throw new ProtocolError('NoSharedGroup', 'no key-exchange group in common');
  const share = ext.keyShares.find((s) => s.group === group);
  // §4.1.4: after a HelloRetryRequest the client must send exactly the share we asked for.
  if (retry && (!share || ext.keyShares.length !== 1)) throw new ProtocolError('IllegalParameter', 'second ClientHello does not carry the one key share requested');

  const { credential, scheme } = chooseCredential(config, ext.signatureAlgorithms);

  return { suite, group, share, credential, scheme, alpn: chooseAlpn(config, ext.alpn) };
}

/** RFC 8446 §4.1.4: ask for a share of the group we chose; the transcript restarts from message_hash. */
function helloRetry(config: ServerConfig, { hello }: CheckedClientHello, choices: Choices, transcript: Transcript, compat: boolean, io: HandshakeIO): Answer {
  transcript.replaceWithMessageHash(config.provider, choices.suite.hash);
  io.send(
    transcript,
    HandshakeType.server_hello,
    encodeServerHello({
      legacyVersion: ProtocolVersion.TLSv1_2,
      random: HELLO_RETRY_REQUEST_RANDOM,
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: choices.suite.id,
      extensions: [supportedVersionsServerExtension(ProtocolVersion.TLSv1_3), keyShareRetryExtension(choices.group)],
    }),
  );
  if (compat) io.sendChangeCipherSpec();
  return { kind: 'retry', retry: { group: choices.group, transcript, ccsSent: compat, firstHello: hello } };
}

function firstFlight(
  config: ServerConfig,
  { hello, ext }: CheckedClientHello,
  choices: Choices,
  transcript: Transcript,
  compat: boolean,
  io: HandshakeIO,
): { readonly handshake: ServerHandshake; readonly serverFinished: Uint8Array } {
  const { suite, credential, scheme } = choices;
  const ours: KeyExchange = config.provider.keyExchange(groupName(choices.group)!);
  const shared = ours.agree(choices.share!.keyExchange);
  io.send(
    transcript,
    HandshakeType.server_hello,
    encodeServerHello({
      legacyVersion: ProtocolVersion.TLSv1_2,
      random: config.provider.randomBytes(32),
      legacySessionIdEcho: hello.legacySessionId,
      cipherSuite: suite.id,
      extensions: [keyShareServerExtension({ group: choices.group, keyExchange: ours.publicKey }), supportedVersionsServerExtension(ProtocolVersion.TLSv1_3)],
    }),
  );
  if (compat) io.sendChangeCipherSpec();

  const schedule = new KeySchedule13(config.provider, suite);
  const log = (label: string, secret: Uint8Array) => io.logSecret(label, hello.random, secret);
  const { handshakeSecret, client: clientHandshakeSecret, server: serverHandshakeSecret } = schedule.handshakeTraffic(shared, transcript.current(), log);
  io.setWriteProtection(protection13ForSecret(schedule, serverHandshakeSecret));
  // The client may still reject our ServerHello before it has keys, with a plaintext alert.
  io.setReadProtection(protection13ForSecret(schedule, clientHandshakeSecret), true);
  if (ext.recordSizeLimit !== undefined) {
    io.setPeerRecordSizeLimit(ext.recordSizeLimit);
    // Our answer in EncryptedExtensions binds the client's records from its next flight on (RFC 8449 §4).
    if (config.recordSizeLimit !== null) io.setOwnRecordSizeLimit(config.recordSizeLimit);
  }

  io.send(transcript, HandshakeType.encrypted_extensions, encodeEncryptedExtensions({ extensions: encryptedExtensions(config, ext, choices) }));
  if (config.clientAuth !== 'none') {
    io.send(transcript, HandshakeType.certificate_request, encodeCertificateRequest({ certificateRequestContext: new Uint8Array(0), extensions: [signatureAlgorithmsExtension(config.signatureSchemes)] }));
  }
  const certificateList = credential.chain.map((certData) => ({ certData, extensions: [] }));
  io.send(transcript, HandshakeType.certificate, encodeCertificate({ certificateRequestContext: new Uint8Array(0), certificateList }));
  const content = certificateVerifyContent('server', transcript.current());
  const signature = signHandshake(config.provider, credential.key, scheme, content);
  io.send(transcript, HandshakeType.certificate_verify, encodeCertificateVerify({ algorithm: scheme, signature }));
  const serverFinished = schedule.finishedVerifyData(serverHandshakeSecret, transcript.current());
  io.send(transcript, HandshakeType.finished, encodeFinished(serverFinished));

  const application = schedule.applicationTraffic(handshakeSecret, transcript.current(), log);
  const { masterSecret, client: clientTrafficSecret, server: serverTrafficSecret, exporter: exporterSecret } = application;
  io.setWriteProtection(protection13ForSecret(schedule, serverTrafficSecret));
  return {
    handshake: { suite, schedule, transcript, masterSecret, clientHandshakeSecret, clientTrafficSecret, serverTrafficSecret, exporterSecret },
    serverFinished,
  };
}

/**
 * RFC 8446 §4.3.1: ALPN, the empty server_name acknowledgement (RFC 6066 §3),
 * and our record_size_limit (RFC 8449 §4, only in answer to the client's).
 * max_fragment_length is deliberately not acknowledged: we do not negotiate it.
 */
function encryptedExtensions(config: ServerConfig, ext: ClientHelloExtensions, choices: Choices): Extension[] {
  const extensions: Extension[] = [];
  if (choices.alpn) extensions.push(alpnExtension([choices.alpn]));
  extensions.push(...serverNameAck(ext.serverName));
  if (ext.recordSizeLimit !== undefined && config.recordSizeLimit !== null) extensions.push(recordSizeLimitExtension(config.recordSizeLimit));
  return config.encryptedExtensions ? config.encryptedExtensions(extensions) : extensions;
}
