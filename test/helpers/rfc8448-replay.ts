/**
 * RFC 8448 replayed through the real engine. Our client, given the trace's
 * randoms and key shares, must put the trace's client records on the wire byte
 * for byte and accept the server's; our server likewise for the server's
 * records. Two inputs cannot come from our code and are taken from the trace:
 * NSS's choice and order of extensions it sends that we do not (applied through
 * the documented test-peer hooks `clientHelloExtensions` / `encryptedExtensions`,
 * while every extension we do generate is ours), and the signatures, whose
 * private keys the trace does not publish: a recorded signature is used only
 * after it verifies over the exact content our engine asked to sign.
 * Used by the vitest suite and by the cross-runtime smoke test.
 * @module
 */
import type { PrivateKey } from '../../src/crypto/keys.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { ProtocolVersion } from '../../src/wire/registry.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { decodeCertificate } from '../../src/handshake/messages/certificate.ts';
import { decodeCertificateRequest } from '../../src/handshake/messages/certificate-request.ts';
import { certificateRequestView } from '../../src/handshake/messages/certificate-request.ts';
import { decodeCertificateVerify } from '../../src/handshake/messages/certificate-verify.ts';
import { clientHelloExtensions, decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeEncryptedExtensions } from '../../src/handshake/messages/encrypted-extensions.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeKeyShareServer } from '../../src/handshake/messages/key-share.ts';
import { decodeNewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import { decodeServerHello, isHelloRetryRequest } from '../../src/handshake/messages/server-hello.ts';
import { concatBytes, toHex } from '../../src/wire/bytes.ts';
import { ExtensionType } from '../../src/wire/registry.ts';
import { parseCertificate } from '../../src/x509/certificate.ts';
import { deterministicProvider } from './deterministic-provider.ts';
import { pinnedVerifier } from './pump.ts';
import type { Trace } from './rfc8448-trace.ts';

const body = (message: Uint8Array) => parseHandshake(message).body;

/** Our extensions in the order of the recorded ones; recorded ones we do not generate are taken as they are. */
function inRecordedOrder(recorded: readonly Extension[], ours: readonly Extension[]): Extension[] {
  const mine = new Map(ours.map((e) => [e.type, e]));
  const ordered = recorded.map((e) => mine.get(e.type) ?? e);
  return [...ordered, ...ours.filter((e) => !recorded.some((r) => r.type === e.type))];
}

/** A private key with the leaf's public values but no secret: only recorded signatures exist for it. */
function recordedKey(leaf: Uint8Array): PrivateKey {
  const key = parseCertificate(leaf).publicKey;
  switch (key.type) {
    case 'rsa':
      return { ...key, d: 0n, p: 0n, q: 0n, dp: 0n, dq: 0n, qInv: 0n };
    case 'ec':
      return { ...key, secret: new Uint8Array(0) };
    case 'ed25519':
      return { ...key, seed: new Uint8Array(0) };
  }
}

function chainOf(trace: Trace, sender: 'client' | 'server'): Uint8Array[] {
  return decodeCertificate(body(trace.field(`{${sender}}  construct a Certificate handshake`, 'Certificate'))).certificateList.map((e) => e.certData);
}

function signatureOf(trace: Trace, sender: 'client' | 'server'): Uint8Array {
  return decodeCertificateVerify(body(trace.field(`{${sender}}  construct a CertificateVerify`, 'CertificateVerify'))).signature;
}

/** Record steps of one side, in order, flagging NewSessionTicket records. */
function recordsOf(trace: Trace, sender: 'client' | 'server') {
  const out: { record: Uint8Array; ticket: boolean }[] = [];
  let lastConstruct = '';
  for (const step of trace.steps) {
    if (step.label.startsWith(`{${sender}}  construct`)) lastConstruct = step.label;
    const hex = step.fields.find((f) => f.name === 'complete record')?.hex;
    if (step.label.startsWith(`{${sender}}  send`) && hex) {
      out.push({ record: Uint8Array.from(Buffer.from(hex, 'hex')), ticket: lastConstruct.includes('NewSessionTicket') });
      lastConstruct = '';
    }
  }
  return out;
}

function splitRecords(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const length = 5 + ((bytes[i + 3]! << 8) | bytes[i + 4]!);
    out.push(bytes.subarray(i, i + length));
    i += length;
  }
  return out;
}

/** Replays the trace through `connection`, feeding the other side's records and sending this side's data. */
function drive(trace: Trace, sender: 'client' | 'server', connection: TlsConnection, initial: Uint8Array) {
  const peer = sender === 'client' ? 'server' : 'client';
  const sent = [initial];
  const received: Uint8Array[] = [];
  for (const step of trace.steps) {
    const field = (name: string) => step.fields.find((f) => f.name === name)?.hex;
    const record = field('complete record');
    if (step.label.startsWith(`{${peer}}  send`) && record) {
      connection.receive(Uint8Array.from(Buffer.from(record, 'hex')));
      const data = connection.read();
      if (data && data.length > 0) received.push(data);
    } else if (step.label.startsWith(`{${sender}}  send application_data record`)) {
      connection.write(Uint8Array.from(Buffer.from(field('payload')!, 'hex')));
    } else if (step.label.startsWith(`{${sender}}  send alert record`)) {
      connection.close();
    } else continue;
    sent.push(connection.takeOutgoing());
  }
  return { sent: splitRecords(concatBytes(...sent)), received };
}

const LOGGED_SECRETS = {
  CLIENT_HANDSHAKE_TRAFFIC_SECRET: 'c hs traffic',
  SERVER_HANDSHAKE_TRAFFIC_SECRET: 's hs traffic',
  CLIENT_TRAFFIC_SECRET_0: 'c ap traffic',
  SERVER_TRAFFIC_SECRET_0: 's ap traffic',
  EXPORTER_SECRET: 'exp master',
};

/** What a replay produced beside what the trace says, as hex, for the caller to compare. */
export interface Replay {
  readonly connection: TlsConnection;
  readonly records: { readonly ours: string[]; readonly trace: string[] };
  readonly data: { readonly ours: string[]; readonly trace: string[] };
  readonly secrets: { readonly ours: Record<string, string>; readonly trace: Record<string, string> };
}

/** The secrets the trace lists beside what our engine logged (NSS key-log labels). */
function secrets(trace: Trace, logged: Map<string, Uint8Array>): Replay['secrets'] {
  const ours: Record<string, string> = {};
  const listed: Record<string, string> = {};
  for (const [label, step] of Object.entries(LOGGED_SECRETS)) {
    ours[label] = toHex(logged.get(label) ?? new Uint8Array(0));
    listed[label] = toHex(trace.field(`{server}  derive secret "tls13 ${step}"`, 'expanded'));
  }
  return { ours, trace: listed };
}

export function replayClient(trace: Trace): Replay {
  const hellos = trace.all('{client}  construct a ClientHello', 'ClientHello').map((m) => decodeClientHello(body(m)));
  const first = hellos[0]!;
  const ext = clientHelloExtensions(first);
  const compat = first.legacySessionId.length > 0;
  const clientAuth = trace.has('{client}  construct a CertificateVerify');
  const logged = new Map<string, Uint8Array>();
  let helloIndex = 0;
  const provider = deterministicProvider({
    randoms: compat ? [first.random, first.legacySessionId] : [first.random],
    keyShares: trace.all('{client}  create an ephemeral', 'private key'),
    signatures: clientAuth ? [signatureOf(trace, 'client')] : [],
  });
  const config = clientDefaults(provider, {
    // The traces' clients offer TLS 1.3 alone.
    versions: [ProtocolVersion.TLSv1_3],
    cipherSuites: first.cipherSuites,
    groups: ext.supportedGroups!,
    keyShareGroups: ext.keyShares!.map((k) => k.group),
    signatureSchemes: ext.signatureAlgorithms!,
    recordSizeLimit: ext.recordSizeLimit ?? null,
    middleboxCompatibility: compat,
    verifier: pinnedVerifier(chainOf(trace, 'server')[0]!),
    clientCertificate: clientAuth ? { chain: chainOf(trace, 'client'), key: recordedKey(chainOf(trace, 'client')[0]!) } : null,
    clientHelloExtensions: (ours) => inRecordedOrder(hellos[helloIndex++]!.extensions, ours),
    keyLog: (label, _random, secret) => logged.set(label, secret),
  });
  const client = TlsConnection.client(config, 'server');
  const { sent, received } = drive(trace, 'client', client, client.takeOutgoing());
  return {
    connection: client,
    records: { ours: sent.map(toHex), trace: recordsOf(trace, 'client').map((r) => toHex(r.record)) },
    data: { ours: received.map(toHex), trace: trace.all('{server}  send application_data record', 'payload').map(toHex) },
    secrets: secrets(trace, logged),
  };
}

export function replayServer(trace: Trace): Replay {
  const hellos = trace.all('{server}  construct a ServerHello', 'ServerHello').map((m) => decodeServerHello(body(m)));
  const hello = hellos.find((h) => !isHelloRetryRequest(h))!;
  const group = decodeKeyShareServer(hello.extensions.find((e) => e.type === ExtensionType.key_share)!.data).group;
  const tickets = trace.all('{server}  construct a NewSessionTicket', 'NewSessionTicket').map((m) => decodeNewSessionTicket(body(m)));
  const requested = trace.has('{server}  construct a CertificateRequest')
    ? certificateRequestView(decodeCertificateRequest(body(trace.field('{server}  construct a CertificateRequest', 'CertificateRequest'))))
    : null;
  const recordedEe = decodeEncryptedExtensions(body(trace.field('{server}  construct a EncryptedExtensions', 'EncryptedExtensions'))).extensions;
  const logged = new Map<string, Uint8Array>();
  const provider = deterministicProvider({
    // Our tickets are opaque 32-byte labels; the age_add is the trace's, the label bytes are arbitrary.
    randoms: [hello.random, ...tickets.flatMap((t) => [Uint8Array.of(t.ticketAgeAdd >>> 24, t.ticketAgeAdd >>> 16, t.ticketAgeAdd >>> 8, t.ticketAgeAdd), new Uint8Array(32)])],
    keyShares: trace.all('{server}  create an ephemeral', 'private key'),
    signatures: [signatureOf(trace, 'server')],
  });
  const config = serverDefaults(provider, {
    cipherSuites: [hello.cipherSuite],
    groups: [group],
    certificates: [{ chain: chainOf(trace, 'server'), key: recordedKey(chainOf(trace, 'server')[0]!) }],
    clientAuth: requested ? 'required' : 'none',
    signatureSchemes: requested ? requested.signatureAlgorithms : serverDefaults(provider).signatureSchemes,
    verifier: requested ? pinnedVerifier(chainOf(trace, 'client')[0]!) : null,
    recordSizeLimit: 0x4001,
    ticketsToSend: tickets.length,
    ticketLifetime: tickets[0]?.ticketLifetime ?? 7200,
    encryptedExtensions: (ours) => inRecordedOrder(recordedEe, ours),
    keyLog: (label, _random, secret) => logged.set(label, secret),
  });
  const server = TlsConnection.server(config);
  const { sent, received } = drive(trace, 'server', server, new Uint8Array(0));
  const expected = recordsOf(trace, 'server');
  // NewSessionTicket bodies are NSS's own ticket format, which we do not reproduce; every record after them
  // (sequence numbers included) still has to match.
  return {
    connection: server,
    records: {
      ours: sent.map((r, i) => (expected[i]?.ticket ? 'ticket' : toHex(r))),
      trace: expected.map((r) => (r.ticket ? 'ticket' : toHex(r.record))),
    },
    data: { ours: received.map(toHex), trace: trace.all('{client}  send application_data record', 'payload').map(toHex) },
    secrets: secrets(trace, logged),
  };
}

