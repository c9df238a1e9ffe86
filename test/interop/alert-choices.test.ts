/**
 * The same bytes given to our engine and to OpenSSL 3.0 (`s_server`,
 * `s_client`), both answers asserted side by side with OpenSSL's reason:
 * ClientHellos with a low legacy_version, key shares of the wrong size in
 * either hello, malformed server_name lists, a second ClientHello that is not
 * the first; and, for the rows of docs/alert-choices.md that name no other
 * test, change_cipher_spec bursts, KeyUpdate floods and an empty server
 * Certificate. When one of these changes, so must that page.
 * @module
 */
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig, ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import type { ClientHello } from '../../src/handshake/messages/client-hello.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { findExtension, makeExtension } from '../../src/handshake/messages/extensions.ts';
import { encodeHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeKeyShareClient, keyShareClientExtension, keyShareServerExtension } from '../../src/handshake/messages/key-share.ts';
import { encodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { supportedVersionsServerExtension } from '../../src/handshake/messages/supported-versions.ts';
import type { Writer } from '../../src/wire/codec.ts';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription as A, CipherSuite, ContentType, ExtensionType, HandshakeType, NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
import { setExtension } from '../engine/edits.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { TEST_TIMEOUT_MS } from './matrix.ts';
import { RawPeer, SERVER_HELLO, WENT_ON, alert, changeCipherSpecs, clientHelloIn, clientHelloRecord, firstAnswerIn, records } from './raw-peer.ts';
import type { Answer } from './raw-peer.ts';

const P = nobleProvider;
const cred = credential('p256');
const SERVER_ARGS = ['-cert', cred.certFile, '-key', cred.keyFile];

/** An answer and why: our cause, or the reason OpenSSL printed ("bad extension"); null when it went on. */
interface Outcome {
  readonly answer: Answer;
  readonly why: string | null;
}

const outcome = (answer: Answer, why: string | null = null): Outcome => ({ answer, why });
const REFUSED = (description: number, why: string) => outcome(alert(description), why);

const peers: RawPeer[] = [];
afterEach(() => {
  for (const peer of peers.splice(0)) peer.end();
  killAllOpenssl();
});

function newClient(overrides: Partial<ClientConfig> = {}): TlsConnection {
  return TlsConnection.client(clientDefaults(P, { verifier: pinnedVerifier(cred.chain[0]!), ...overrides }), 'localhost');
}

function newServer(overrides: Partial<ServerConfig> = {}): TlsConnection {
  return TlsConnection.server(serverDefaults(P, { certificates: [cred], ...overrides }));
}

/** What our `connection` does with `bytes`: the alert its error carries, else the message it answered with. */
function ours(connection: TlsConnection, bytes: Uint8Array): Outcome {
  try {
    connection.receive(bytes);
  } catch (error) {
    if (!(error instanceof ProtocolError)) throw error;
    return REFUSED(error.alert, error.cause);
  }
  return outcome(firstAnswerIn(connection.takeOutgoing()) ?? WENT_ON);
}

/** OpenSSL's reason for the first SSL error it printed. */
function theirs(process: OpensslProcess, answer: Answer): Outcome {
  if (!('alert' in answer)) return outcome(answer);
  return outcome(answer, /SSL routines:[^:]*:([^:\n]+)/.exec(process.output)?.[1] ?? null);
}

async function opensslPeer(args: readonly string[]): Promise<{ readonly server: OpensslProcess; readonly peer: RawPeer }> {
  const { server, port } = await startServer([...SERVER_ARGS, ...args]);
  const peer = await RawPeer.connect(port);
  peers.push(peer);
  return { server, peer };
}

/** Our server's and s_server's answers to `bytes` as a client's first flight. */
async function bothServers(bytes: Uint8Array): Promise<{ readonly ours: Outcome; readonly openssl: Outcome }> {
  const { server, peer } = await opensslPeer([]);
  peer.send(bytes);
  const answer = await peer.answer();
  peer.end();
  await server.exit();
  return { ours: ours(newServer(), bytes), openssl: theirs(server, answer) };
}

/** Our client's ClientHello with `edit` applied, as a record. */
function helloRecord(edit: (hello: ClientHello) => ClientHello, overrides: Partial<ClientConfig> = {}): Uint8Array {
  return clientHelloRecord(edit(clientHelloIn(newClient(overrides).takeOutgoing())));
}

const withExtension = (extension: Extension, overrides: Partial<ClientConfig> = {}) =>
  helloRecord((h) => ({ ...h, extensions: setExtension(h.extensions, extension.type, extension) }), overrides);

const bytes = (n: number, fill = 9) => new Uint8Array(n).fill(fill);
const point = (first: number, n: number) => concatBytes(Uint8Array.of(first), bytes(n - 1));

describe('the same bytes to our engine and to OpenSSL 3.0', { timeout: TEST_TIMEOUT_MS }, () => {
  describe('a ClientHello offering TLS 1.3 with legacy_version below 0x0303 (RFC 8446 §4.1.2, §D.5)', () => {
    it('0x0300: protocol_version from us, handshake_failure from OpenSSL (the same reason, BAD_LEGACY_VERSION)', async () => {
      expect(await bothServers(helloRecord((h) => ({ ...h, legacyVersion: 0x0300 })))).toEqual({
        ours: REFUSED(A.protocol_version, 'BadLegacyVersion'),
        openssl: REFUSED(A.handshake_failure, 'bad legacy version'),
      });
    });

    for (const version of [0x0301, 0x0302]) {
      it(`0x0${version.toString(16)}: protocol_version from us; OpenSSL answers with a ServerHello`, async () => {
        expect(await bothServers(helloRecord((h) => ({ ...h, legacyVersion: version })))).toEqual({
          ours: REFUSED(A.protocol_version, 'BadLegacyVersion'),
          openssl: outcome(SERVER_HELLO),
        });
      });
    }

    it('0x0304 (above): both answer, from supported_versions (§4.2.1)', async () => {
      expect(await bothServers(helloRecord((h) => ({ ...h, legacyVersion: 0x0304 })))).toEqual({ ours: outcome(SERVER_HELLO), openssl: outcome(SERVER_HELLO) });
    });
  });

  describe('key shares of the wrong size for their group (RFC 8446 §4.2.8)', () => {
    const OPENSSL_GROUP: Readonly<Record<number, string>> = { [NamedGroup.x25519]: 'X25519', [NamedGroup.secp256r1]: 'P-256' };

    /** A TLS 1.3 ServerHello answering `hello` with one key share. */
    function serverHelloRecord(hello: ClientHello, group: number, keyExchange: Uint8Array): Uint8Array {
      const body = encodeServerHello({
        legacyVersion: ProtocolVersion.TLSv1_2,
        random: bytes(32, 0x42),
        legacySessionIdEcho: hello.legacySessionId,
        cipherSuite: CipherSuite.TLS_AES_128_GCM_SHA256,
        extensions: [keyShareServerExtension({ group, keyExchange }), supportedVersionsServerExtension(ProtocolVersion.TLSv1_3)],
      });
      return records(ContentType.handshake, encodeHandshake(HandshakeType.server_hello, body));
    }

    /** Our client's and s_client's answers (each offering `group` alone) to a ServerHello with that share. */
    async function bothClients(group: number, keyExchange: Uint8Array): Promise<{ readonly ours: Outcome; readonly openssl: Outcome }> {
      const client = newClient({ groups: [group] });
      const mine = ours(client, serverHelloRecord(clientHelloIn(client.takeOutgoing()), group, keyExchange));
      const listener = createServer();
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      try {
        const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
        const process = startClient((listener.address() as { port: number }).port, ['-tls1_3', '-groups', OPENSSL_GROUP[group]!]);
        const peer = new RawPeer(await accepted);
        peers.push(peer);
        const hello = await peer.record();
        peer.send(serverHelloRecord(clientHelloIn(hello!.raw), group, keyExchange));
        const answer = await peer.answer();
        peer.end();
        await process.exit();
        return { ours: mine, openssl: theirs(process, answer) };
      } finally {
        listener.close();
      }
    }

    const cases: [string, number, Uint8Array][] = [
      ['x25519, empty', NamedGroup.x25519, bytes(0)],
      ['x25519, 31 bytes', NamedGroup.x25519, bytes(31)],
      ['x25519, 33 bytes', NamedGroup.x25519, bytes(33)],
      ['secp256r1, empty', NamedGroup.secp256r1, bytes(0)],
      ['secp256r1, 64 bytes', NamedGroup.secp256r1, point(4, 64)],
      ['secp256r1, 66 bytes', NamedGroup.secp256r1, point(4, 66)],
      ['secp256r1, 65 bytes starting 0x02', NamedGroup.secp256r1, point(2, 65)],
      ['secp256r1, 65 bytes, not on the curve', NamedGroup.secp256r1, point(4, 65)],
    ];
    for (const [what, group, keyExchange] of cases) {
      const empty = keyExchange.length === 0;
      const expected = {
        ours: REFUSED(A.illegal_parameter, 'BadKeyShare'),
        openssl: empty ? REFUSED(A.decode_error, 'length mismatch') : REFUSED(A.illegal_parameter, 'bad ecpoint'),
      };
      it(`in the ClientHello, ${what}: illegal_parameter from us; ${empty ? 'decode_error' : 'illegal_parameter'} from OpenSSL`, async () => {
        expect(await bothServers(withExtension(keyShareClientExtension([{ group, keyExchange }]), { groups: [group] }))).toEqual(expected);
      });

      it(`in the ServerHello, ${what}: illegal_parameter from us; ${empty ? 'decode_error' : 'illegal_parameter'} from OpenSSL`, async () => {
        expect(await bothClients(group, keyExchange)).toEqual(expected);
      });
    }

    /** The client's x25519 share first, then `extra` for secp256r1, which neither server picks. */
    const secondShare = (extra: Uint8Array) =>
      helloRecord((h) => {
        const [x25519] = decodeKeyShareClient(findExtension(h.extensions, ExtensionType.key_share)!);
        return { ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareClientExtension([x25519!, { group: NamedGroup.secp256r1, keyExchange: extra }])) };
      });

    it('an empty share for a group neither picks: illegal_parameter from us, decode_error from OpenSSL', async () => {
      expect(await bothServers(secondShare(bytes(0)))).toEqual({ ours: REFUSED(A.illegal_parameter, 'BadKeyShare'), openssl: REFUSED(A.decode_error, 'length mismatch') });
    });

    it('a 3-byte share for a group neither picks: not looked at by either', async () => {
      expect(await bothServers(secondShare(bytes(3)))).toEqual({ ours: outcome(SERVER_HELLO), openssl: outcome(SERVER_HELLO) });
    });
  });

  describe('server_name lists (RFC 6066 §3)', () => {
    const sni = (body: (w: Writer) => void) => withExtension(makeExtension(ExtensionType.server_name, body));
    const names = (...list: [number, Uint8Array][]) => sni((w) => w.vector(2, (l) => list.forEach(([type, name]) => l.u8(type).opaque(2, name))));
    const host = (name: string | Uint8Array): [number, Uint8Array] => [0, typeof name === 'string' ? utf8(name) : name];
    const DECODE = REFUSED(A.decode_error, 'MalformedMessage');
    const OPENSSL_DECODE = REFUSED(A.decode_error, 'bad extension');

    const cases: [string, Uint8Array, Outcome, Outcome][] = [
      ['two host_names', names(host('a.test'), host('b.test')), REFUSED(A.illegal_parameter, 'DuplicateServerName'), OPENSSL_DECODE],
      ['the same host_name twice', names(host('a.test'), host('a.test')), REFUSED(A.illegal_parameter, 'DuplicateServerName'), OPENSSL_DECODE],
      ['a name_type other than host_name, alone', names([1, utf8('a.test')]), outcome(SERVER_HELLO), OPENSSL_DECODE],
      ['a host_name, then a name of another name_type', names(host('a.test'), [1, utf8('x')]), outcome(SERVER_HELLO), OPENSSL_DECODE],
      ['a NUL byte in the host_name', names(host(concatBytes(utf8('a'), Uint8Array.of(0), utf8('b')))), REFUSED(A.illegal_parameter, 'BadServerName'), REFUSED(A.unrecognized_name, 'bad extension')],
      ['a trailing dot', names(host('a.test.')), REFUSED(A.illegal_parameter, 'BadServerName'), outcome(SERVER_HELLO)],
      ['a space', names(host('a b')), REFUSED(A.illegal_parameter, 'BadServerName'), outcome(SERVER_HELLO)],
      ['UTF-8 (not A-labels)', names(host('lö.test')), REFUSED(A.illegal_parameter, 'BadServerName'), outcome(SERVER_HELLO)],
      ['300 characters (longer than any DNS name)', names(host('a'.repeat(300))), outcome(SERVER_HELLO), REFUSED(A.unrecognized_name, 'bad extension')],
      ['an IPv4 literal (RFC 6066 §3 forbids it; neither checks)', names(host('127.0.0.1')), outcome(SERVER_HELLO), outcome(SERVER_HELLO)],
      ['an empty host_name (HostName<1..2^16-1>)', names(host('')), DECODE, outcome(SERVER_HELLO)],
      ['an empty list (server_name_list<1..2^16-1>)', sni((w) => w.vector(2, () => {})), DECODE, OPENSSL_DECODE],
      ['empty extension data', sni(() => {}), DECODE, OPENSSL_DECODE],
      ['a list length past the end', sni((w) => w.u16(20).u8(0).opaque(2, utf8('localhost'))), DECODE, OPENSSL_DECODE],
      ['a name length past the end of the list', sni((w) => w.vector(2, (l) => l.u8(0).u16(40).bytes(utf8('localhost')))), DECODE, OPENSSL_DECODE],
      ['a byte after the list', sni((w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('localhost'))).u8(0)), DECODE, OPENSSL_DECODE],
    ];
    for (const [what, hello, mine, openssl] of cases) {
      it(`${what}: ${'alert' in mine.answer ? mine.answer.alert : 'accepted'} from us, ${'alert' in openssl.answer ? openssl.answer.alert : 'accepted'} from OpenSSL`, async () => {
        expect(await bothServers(hello)).toEqual({ ours: mine, openssl });
      });
    }
  });

  describe('the second ClientHello after a HelloRetryRequest (RFC 8446 §4.1.2)', () => {
    // The servers take P-256 only; our client shares x25519 first, so both ask again.
    const CLIENT: Partial<ClientConfig> = { groups: [NamedGroup.x25519, NamedGroup.secp256r1], alpnProtocols: [utf8('h2'), utf8('http/1.1')] };

    /** The client's second flight after `retry` (its compatibility CCS, then its ClientHello changed by `edit`). */
    function secondFlight(client: TlsConnection, retry: Uint8Array, edit: (hello: ClientHello) => ClientHello): Uint8Array {
      client.receive(retry);
      const flight = client.takeOutgoing();
      const ccs = flight[0] === ContentType.change_cipher_spec ? changeCipherSpecs(1) : new Uint8Array(0);
      return concatBytes(ccs, clientHelloRecord(edit(clientHelloIn(flight))));
    }

    async function bothRetried(edit: (hello: ClientHello) => ClientHello): Promise<{ readonly ours: Outcome; readonly openssl: Outcome }> {
      const client = newClient(CLIENT);
      const server = newServer({ groups: [NamedGroup.secp256r1], alpnProtocols: [utf8('h2')] });
      server.receive(client.takeOutgoing());
      const mine = ours(server, secondFlight(client, server.takeOutgoing(), edit));

      const { server: process, peer } = await opensslPeer(['-tls1_3', '-groups', 'P-256', '-alpn', 'h2']);
      const viaOpenssl = newClient(CLIENT);
      peer.send(viaOpenssl.takeOutgoing());
      const retry = await peer.record();
      expect(retry?.type).toBe(ContentType.handshake);
      peer.send(secondFlight(viaOpenssl, retry!.raw, edit));
      const answer = await peer.answer();
      peer.end();
      await process.exit();
      return { ours: mine, openssl: theirs(process, answer) };
    }

    const CHANGED = REFUSED(A.illegal_parameter, 'IllegalParameter');
    const other = makeExtension(ExtensionType.server_name, (w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('other.test'))));
    const cases: [string, (h: ClientHello) => ClientHello, Outcome, Outcome][] = [
      ['unchanged but for the key share', (h) => h, outcome(SERVER_HELLO), outcome(SERVER_HELLO)],
      ['random changed', (h) => ({ ...h, random: h.random.map((b) => b ^ 1) }), CHANGED, outcome(SERVER_HELLO)],
      ['legacy_session_id changed', (h) => ({ ...h, legacySessionId: bytes(32, 7) }), CHANGED, outcome(SERVER_HELLO)],
      ['a cipher suite added', (h) => ({ ...h, cipherSuites: [...h.cipherSuites, 0x00ff] }), CHANGED, outcome(SERVER_HELLO)],
      ['cipher_suites reversed (OpenSSL then picks another suite)', (h) => ({ ...h, cipherSuites: [...h.cipherSuites].reverse() }), CHANGED, REFUSED(A.illegal_parameter, 'bad cipher')],
      ['an unknown extension added', (h) => ({ ...h, extensions: [...h.extensions, { type: 0x4a4a, data: new Uint8Array(0) }] }), CHANGED, outcome(SERVER_HELLO)],
      ['two extensions swapped', (h) => ({ ...h, extensions: [h.extensions[1]!, h.extensions[0]!, ...h.extensions.slice(2)] }), CHANGED, outcome(SERVER_HELLO)],
      ['ALPN removed', (h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.application_layer_protocol_negotiation, null) }), CHANGED, outcome(SERVER_HELLO)],
      ['server_name changed', (h) => ({ ...h, extensions: setExtension(h.extensions, ExtensionType.server_name, other) }), CHANGED, outcome(SERVER_HELLO)],
      ['legacy_version 0x0300', (h) => ({ ...h, legacyVersion: 0x0300 }), REFUSED(A.protocol_version, 'BadLegacyVersion'), REFUSED(A.handshake_failure, 'bad legacy version')],
    ];
    for (const [what, edit, mine, openssl] of cases) {
      it(`${what}: ${'alert' in mine.answer ? mine.answer.alert : 'accepted'} from us, ${'alert' in openssl.answer ? openssl.answer.alert : 'accepted'} from OpenSSL`, async () => {
        expect(await bothRetried(edit)).toEqual({ ours: mine, openssl });
      });
    }
  });

  describe('change_cipher_spec records in the TLS 1.3 handshake (RFC 8446 §5: dropped)', () => {
    /** Each server's answer to the client's Finished flight (which holds its own compatibility CCS) after `extra` more. */
    async function bothAfterBurst(extra: number): Promise<{ readonly ours: Outcome; readonly openssl: Outcome }> {
      const client = newClient();
      const server = newServer();
      server.receive(client.takeOutgoing());
      client.receive(server.takeOutgoing());
      const mine = ours(server, concatBytes(changeCipherSpecs(extra), client.takeOutgoing()));

      const { server: process, peer } = await opensslPeer(['-tls1_3']);
      const viaOpenssl = newClient();
      peer.send(viaOpenssl.takeOutgoing());
      while (!viaOpenssl.handshakeComplete) viaOpenssl.receive((await peer.record())!.raw);
      peer.send(concatBytes(changeCipherSpecs(extra), viaOpenssl.takeOutgoing()));
      // s_server answers a good Finished with NewSessionTicket, read under our keys.
      const answer = await peer.answerTo(viaOpenssl);
      peer.end();
      await process.exit();
      return { ours: mine, openssl: theirs(process, answer) };
    }

    it('4 in all are dropped by both', async () => {
      expect(await bothAfterBurst(3)).toEqual({ ours: outcome(WENT_ON), openssl: outcome(WENT_ON) });
    });

    it('5 in all: unexpected_message from us; OpenSSL drops them', async () => {
      expect(await bothAfterBurst(4)).toEqual({ ours: REFUSED(A.unexpected_message, 'UnexpectedChangeCipherSpec'), openssl: outcome(WENT_ON) });
    });

    it('32 in a row are dropped by OpenSSL; the 33rd is unexpected_message', async () => {
      expect((await bothAfterBurst(31)).openssl).toEqual(outcome(WENT_ON));
      expect((await bothAfterBurst(32)).openssl).toEqual(REFUSED(A.unexpected_message, 'unexpected ccs message'));
    });
  });

  describe('KeyUpdate without application data (RFC 8446 §4.6.3)', () => {
    it('we refuse the 33rd (unexpected_message); s_server reads the data after 1,000', async () => {
      const client = newClient();
      const server = newServer();
      server.receive(client.takeOutgoing());
      client.receive(server.takeOutgoing());
      server.receive(client.takeOutgoing());
      client.receive(server.takeOutgoing());
      for (let i = 0; i < 33; i++) client.keyUpdate(false);
      expect(ours(server, client.takeOutgoing())).toEqual(REFUSED(A.unexpected_message, 'TooManyKeyUpdates'));

      const { server: process, peer } = await opensslPeer(['-tls1_3']);
      const viaOpenssl = newClient();
      peer.send(viaOpenssl.takeOutgoing());
      while (!viaOpenssl.handshakeComplete) viaOpenssl.receive((await peer.record())!.raw);
      for (let i = 0; i < 1000; i++) viaOpenssl.keyUpdate(false);
      viaOpenssl.write(utf8('after 1000 KeyUpdates\n'));
      peer.send(viaOpenssl.takeOutgoing());
      await process.waitFor(/after 1000 KeyUpdates\n/);
    });
  });

  describe('an empty server Certificate (RFC 8446 §4.4.2.4)', () => {
    it('decode_error from both clients', async () => {
      const empty = { certificates: [{ ...cred, chain: [] }] };
      const client = newClient();
      const server = newServer(empty);
      server.receive(client.takeOutgoing());
      expect(ours(client, server.takeOutgoing())).toEqual(REFUSED(A.decode_error, 'MalformedMessage'));

      const listener = createServer();
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      try {
        const accepted = new Promise<Socket>((resolve) => listener.once('connection', resolve));
        const process = startClient((listener.address() as { port: number }).port, ['-tls1_3']);
        const peer = new RawPeer(await accepted);
        peers.push(peer);
        const ourServer = newServer(empty);
        ourServer.receive((await peer.record())!.raw);
        peer.send(ourServer.takeOutgoing());
        // s_client's alert comes under its handshake keys, which our server reads.
        let answer = await peer.answerTo(ourServer);
        while (answer === WENT_ON) answer = await peer.answerTo(ourServer);
        await process.exit();
        expect(theirs(process, answer)).toEqual(REFUSED(A.decode_error, 'length mismatch'));
      } finally {
        listener.close();
      }
    });
  });
});
