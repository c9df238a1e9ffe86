/**
 * TLS 1.2 against the `openssl` binary on 127.0.0.1, both directions: our
 * client ↔ `openssl s_server -tls1_2`, `openssl s_client -tls1_2` ↔ our
 * server (the engine over sockets, as openssl-client/server.test.ts do for
 * TLS 1.3). What OpenSSL prints is the independent check of what our side
 * reports.
 *
 * The matrix is not the full cross product (6 suites × 3 groups × 3 key
 * types per direction would take minutes on a loaded 2-core machine): every
 * suite runs once with every key type that can authenticate it (ECDHE-ECDSA
 * with ECDSA P-256 and Ed25519, RFC 8422 §2; ECDHE-RSA with RSA-2048), and
 * the group rotates over the nine cases so that each group is used three
 * times per direction, with both an ECDSA and an RSA suite (matrix12.ts).
 *
 * Then client certificates, ALPN, SNI, 1 MiB each way, renegotiation refused
 * (s_client's `R`, s_server's `r`), and a peer without the extended master
 * secret: OpenSSL itself, with SSL_OP_NO_EXTENDED_MASTER_SECRET set through
 * OPENSSL_CONF (openssl-without-ems.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig, MessageTrace, ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { parseHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { bytesEqual, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { AlertReceived, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, ContentType, ExtensionType, HandshakeType, ProtocolVersion } from '../../src/wire/registry.ts';
import { listenBio } from '../api/bio-socket-pump.ts';
import type { BioPumpServer } from '../api/bio-socket-pump.ts';
import { credential } from '../helpers/credentials.ts';
import type { Credential } from '../helpers/credentials.ts';
import { NetPump, listen } from '../helpers/net-pump.ts';
import type { PumpServer } from '../helpers/net-pump.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import { withoutEms } from '../helpers/openssl-without-ems.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { TEST_TIMEOUT_MS, indexOfBytes, randomData } from './matrix.ts';
import { MATRIX12, OPENSSL_NAME, expectNegotiated12 } from './matrix12.ts';
import { closeWithClient, closeWithServer, echoThroughClient, exchangeWithClient, exchangeWithServer } from './openssl-conversation.ts';

const P = nobleProvider;
const TLS12 = ProtocolVersion.TLSv1_2;
const MiB = 1 << 20;

const pumps: { destroy(): void }[] = [];
const listeners: (PumpServer | BioPumpServer)[] = [];
afterEach(async () => {
  killAllOpenssl();
  for (const pump of pumps.splice(0)) pump.destroy();
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

const serverCredential = credential('p256');
const sniCredential = credential('ed25519', 'sni.test');

/** The extension types of the first `type` message seen by a message trace (ServerHello or ClientHello). */
function helloExtensionRecorder(type: typeof HandshakeType.client_hello | typeof HandshakeType.server_hello) {
  let types: number[] | null = null;
  const trace: MessageTrace = (direction, contentType, message) => {
    if (direction !== 'received' || contentType !== ContentType.handshake || types !== null) return;
    const { type: messageType, body } = parseHandshake(message);
    if (messageType !== type) return;
    const hello = type === HandshakeType.server_hello ? decodeServerHello(body) : decodeClientHello(body);
    types = hello.extensions.map((e) => e.type);
  };
  return { trace, types: () => types };
}

describe('our TLS 1.2 client against openssl s_server -tls1_2', { timeout: TEST_TIMEOUT_MS }, () => {
  function serverArgs(cred: Credential, ...more: string[]): string[] {
    return ['-tls1_2', '-cert', cred.certFile, '-key', cred.keyFile, ...more];
  }

  /** Starts s_server (spawned by `start`, so that its environment can be set) and our client trusting `trust`. */
  async function connect(args: string[], overrides: Partial<ClientConfig> = {}, options: { serverName?: string; trust?: Credential; noEms?: boolean } = {}) {
    const start = () => startServer(args);
    const { server, port } = await (options.noEms ? withoutEms(start) : start());
    const trust = options.trust ?? serverCredential;
    const connection = TlsConnection.client(clientDefaults(P, { verifier: pinnedVerifier(trust.chain[0]!), ...overrides }), options.serverName ?? 'localhost');
    const pump = await NetPump.connect(connection, port);
    pumps.push(pump);
    return { server, pump, connection };
  }

  describe('suite × server key, groups rotating', () => {
    for (const c of MATRIX12) {
      const { suite, key, group } = c;
      it(c.title, async () => {
        const cred = credential(key.type);
        const { server, pump, connection } = await connect(serverArgs(cred, '-cipher', OPENSSL_NAME[suite.name]!, '-groups', group.openssl), {}, { trust: cred });
        await pump.handshake();
        expectNegotiated12(connection.negotiated, c, 'peer');
        expect(bytesEqual(connection.negotiated.peerCertificates[0]!, cred.chain[0]!)).toBe(true);
        await exchangeWithServer(pump, server, 'matrix');
        expect(server.stdoutText).toContain(`CIPHER is ${OPENSSL_NAME[suite.name]}\n`);
        expect(server.stdoutText).toContain(`Shared groups: ${group.sharedName}\n`);
        expect(server.stdoutText).toContain('Secure Renegotiation IS supported');
        await closeWithServer(pump, server);
      });
    }
  });

  describe('client certificates (s_server -Verify 1)', () => {
    for (const type of ['p256', 'rsa2048', 'ed25519'] as const) {
      it(`s_server accepts our ${type} certificate and CertificateVerify`, async () => {
        const client = credential(type, 'client.test');
        const { server, pump, connection } = await connect(serverArgs(serverCredential, '-Verify', '1', '-CAfile', client.caFile, '-verify_return_error'), {
          clientCertificate: client,
        });
        await pump.handshake();
        expect(connection.negotiated.localSignatureScheme).not.toBeNull();
        await exchangeWithServer(pump, server, 'client-cert');
        expect(server.stdoutText).toContain('subject=CN = client.test');
        expect(server.stderr).toContain('verify return:1');
        await closeWithServer(pump, server);
      });
    }

    it('hears handshake_failure when it has no certificate (TLS 1.2 has no certificate_required)', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential, '-Verify', '1', '-CAfile', serverCredential.caFile));
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertReceived);
      expect((error as AlertReceived).description).toBe(AlertDescription.handshake_failure);
      await server.waitFor(/peer did not return a certificate/, 'stderr');
    });
  });

  it('ALPN: gets the protocol s_server picked by its own preference', async () => {
    const { server, pump, connection } = await connect(serverArgs(serverCredential, '-alpn', 'http/1.1,h2'), { alpnProtocols: [utf8('h2'), utf8('http/1.1')] });
    await pump.handshake();
    expect(fromUtf8(connection.negotiated.alpnProtocol!)).toBe('http/1.1');
    await exchangeWithServer(pump, server, 'alpn');
    expect(server.stdoutText).toContain('ALPN protocols advertised by the client: h2, http/1.1');
  });

  it('SNI: gets the -cert2 certificate for its name', async () => {
    const args = serverArgs(serverCredential, '-servername', 'sni.test', '-cert2', sniCredential.certFile, '-key2', sniCredential.keyFile);
    const { server, pump, connection } = await connect(args, {}, { serverName: 'sni.test', trust: sniCredential });
    await pump.handshake();
    expect(bytesEqual(connection.negotiated.peerCertificates[0]!, sniCredential.chain[0]!)).toBe(true);
    await exchangeWithServer(pump, server, 'sni');
    expect(server.stdoutText).toContain('Switching server context.');
  });

  it('1 MiB each way byte for byte', async () => {
    const { server, pump } = await connect(serverArgs(serverCredential));
    await pump.handshake();
    const up = randomData(MiB);
    // s_server takes a letter at the start of a stdin read as a command: no byte below 0x80 goes down.
    const down = randomData(MiB).map((b) => b | 0x80);
    server.write(down);
    const [received] = await Promise.all([pump.readExactly(MiB), pump.sendAll(up)]);
    expect(bytesEqual(received, down)).toBe(true);
    await server.until((s) => indexOfBytes(s.stdout, up.subarray(0, 32)) >= 0, 'the start of the data');
    const start = indexOfBytes(server.stdout, up.subarray(0, 32));
    await server.until((s) => s.stdoutLength >= start + MiB, '1 MiB on stdout');
    expect(bytesEqual(server.stdout.subarray(start, start + MiB), up)).toBe(true);
    await closeWithServer(pump, server);
  });

  it("answers s_server's HelloRequest (`r`) with a no_renegotiation warning", async () => {
    // RFC 5746 §4.5 / RFC 5246 §7.4.1.1: we refuse and keep the connection. OpenSSL 3.0 takes that warning
    // as the end of a renegotiation it asked for (SSL_R_NO_RENEGOTIATION) and sends a fatal handshake_failure.
    const { server, pump, connection } = await connect(serverArgs(serverCredential, '-msg'));
    await pump.handshake();
    await exchangeWithServer(pump, server, 'before');
    server.write('r\n');
    await server.waitFor(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    const error = await pump.readExactly(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertReceived);
    expect((error as AlertReceived).description).toBe(AlertDescription.handshake_failure);
    expect(connection.failed).toBeInstanceOf(AlertReceived);
  });

  describe('s_server without the extended master secret (RFC 7627)', () => {
    it("completes the full handshake by default ('prefer'), as OpenSSL 3 does", async () => {
      const serverHello = helloExtensionRecorder(HandshakeType.server_hello);
      const { server, pump, connection } = await connect(serverArgs(serverCredential), { messageTrace: serverHello.trace }, { noEms: true });
      await pump.handshake();
      expect(connection.negotiated.version).toBe(TLS12);
      // The peer really lacks it: its ServerHello answers our renegotiation_info but not extended_master_secret.
      expect(serverHello.types()).toContain(ExtensionType.renegotiation_info);
      expect(serverHello.types()).not.toContain(ExtensionType.extended_master_secret);
      await exchangeWithServer(pump, server, 'no-ems');
      await closeWithServer(pump, server);
    });

    it("refuses it with handshake_failure under extendedMasterSecret: 'require'", async () => {
      const { server, pump, connection } = await connect(serverArgs(serverCredential), { extendedMasterSecret: 'require' }, { noEms: true });
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).cause).toBe('ExtendedMasterSecretRequired');
      expect((error as ProtocolError).alert).toBe(AlertDescription.handshake_failure);
      expect(connection.handshakeComplete).toBe(false);
      await server.waitFor(/alert handshake failure/, 'stderr');
    });
  });
});

describe('openssl s_client -tls1_2 against our server', { timeout: TEST_TIMEOUT_MS }, () => {
  /** s_client checks our chain against the test CA and our name, and fails the handshake otherwise. */
  function clientArgs(cred: Credential, ...more: string[]): string[] {
    return ['-tls1_2', '-CAfile', cred.caFile, '-verify_return_error', '-verify_hostname', 'localhost', ...more];
  }

  /** Our server with `overrides`, and s_client (spawned by `start`) connecting to it with `args`. */
  async function serve(overrides: Partial<ServerConfig>, args: string[], options: { noEms?: boolean } = {}) {
    const listener = await listen(() => TlsConnection.server(serverDefaults(P, { certificates: [serverCredential], ...overrides })));
    listeners.push(listener);
    const start = () => startClient(listener.port, args);
    const client = options.noEms ? withoutEms(start) : start();
    const pump = await listener.accepted();
    return { client, pump, connection: pump.connection };
  }

  describe('suite × server key, groups rotating', () => {
    for (const c of MATRIX12) {
      const { suite, key, group } = c;
      it(c.title, async () => {
        const cred = credential(key.type);
        const { client, pump, connection } = await serve({ certificates: [cred], cipherSuites: [suite.id], groups: [group.id] }, clientArgs(cred));
        await pump.handshake();
        expectNegotiated12(connection.negotiated, c, 'local');
        await exchangeWithClient(pump, client, 'matrix');
        const out = client.stdoutText;
        expect(out).toContain(`New, TLSv1.2, Cipher is ${OPENSSL_NAME[suite.name]}\n`);
        expect(out).toMatch(group.tempKey);
        expect(out).toMatch(key.opensslSignatureType);
        expect(out).toContain('Secure Renegotiation IS supported');
        expect(out).toContain('Extended master secret: yes');
        expect(out).toContain('Verify return code: 0 (ok)');
        await closeWithClient(pump, client);
      });
    }
  });

  describe("the ECDSA certificate's curve is one s_client offers (RFC 8422 §5.1; OpenSSL's tls1_check_cert_param)", () => {
    // s_client -groups X25519 rejects a ServerKeyExchange signed with a P-256 key: "wrong curve", illegal_parameter.
    const rsa = credential('rsa2048');

    it('picks the RSA certificate when s_client does not offer P-256', async () => {
      // s_client does not verify here, so that the certificate we pick, not its issuer, decides the outcome.
      const { client, pump, connection } = await serve({ certificates: [serverCredential, rsa] }, ['-tls1_2', '-groups', 'X25519']);
      await pump.handshake();
      expect(connection.negotiated.cipherSuite).toMatchObject({ auth: 'RSA' });
      await exchangeWithClient(pump, client, 'curve');
      expect(client.stdoutText).toContain('New, TLSv1.2, Cipher is ECDHE-RSA-AES256-GCM-SHA384\n');
    });

    it('refuses with NO_SHARED_CIPHER, as s_server does, when its only certificate is on a curve s_client lacks', async () => {
      const { client, pump } = await serve({}, clientArgs(serverCredential, '-groups', 'X25519'));
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).cause).toBe('NoSharedCipher');
      await client.waitFor(/alert handshake failure/, 'stderr');
    });
  });

  describe('client certificates: our server with CERT_REQUIRED (the ssl API) against s_client -cert/-key', () => {
    async function serveRequired(client: Credential | null) {
      const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      context.load_cert_chain(serverCredential.certFile, serverCredential.keyFile);
      context.verify_mode = ssl.CERT_REQUIRED;
      context.load_verify_locations(client?.caFile ?? serverCredential.caFile);
      const listener = await listenBio(context);
      listeners.push(listener);
      const peer = startClient(listener.port, clientArgs(serverCredential, ...(client ? ['-cert', client.certFile, '-key', client.keyFile] : [])));
      const pump = await listener.accepted();
      pumps.push(pump);
      return { peer, pump };
    }

    for (const type of ['p256', 'rsa2048', 'ed25519'] as const) {
      it(`verifies s_client's ${type} certificate`, async () => {
        const { peer, pump } = await serveRequired(credential(type, 'client.test'));
        await pump.do_handshake();
        expect(pump.tls.version()).toBe('TLSv1.2');
        expect(pump.tls.getpeercert()).toMatchObject({ subject: [[['commonName', 'client.test']]] });
        peer.write('ping\n');
        expect(fromUtf8(await pump.readExactly(5))).toBe('ping\n');
        await pump.sendAll(utf8('pong\n'));
        await peer.waitFor(/^pong$/m);
        expect(peer.stdoutText).toContain('Verify return code: 0 (ok)');
      });
    }

    it('refuses s_client without a certificate: SSLError PEER_DID_NOT_RETURN_A_CERTIFICATE, and s_client hears handshake_failure', async () => {
      const { peer, pump } = await serveRequired(null);
      const error = await pump.do_handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ssl.SSLError);
      expect((error as ssl.SSLError).reason).toBe('PEER_DID_NOT_RETURN_A_CERTIFICATE');
      await peer.waitFor(/alert handshake failure/, 'stderr');
    });
  });

  it('ALPN: selects by its own preference among what s_client offers', async () => {
    const { client, pump, connection } = await serve({ alpnProtocols: [utf8('http/1.1'), utf8('h2')] }, clientArgs(serverCredential, '-alpn', 'h2,http/1.1'));
    await pump.handshake();
    expect(fromUtf8(connection.negotiated.alpnProtocol!)).toBe('http/1.1');
    await exchangeWithClient(pump, client, 'alpn');
    expect(client.stdoutText).toContain('ALPN protocol: http/1.1');
    await closeWithClient(pump, client);
  });

  it("SNI: receives s_client's -servername", async () => {
    const { client, pump, connection } = await serve({}, clientArgs(serverCredential, '-servername', 'sni.test'));
    await pump.handshake();
    expect(connection.negotiated.serverName).toBe('sni.test');
    await exchangeWithClient(pump, client, 'sni');
    await closeWithClient(pump, client);
  });

  it('echoes 1 MiB from s_client byte for byte, both ways', async () => {
    const { client, pump } = await serve({}, clientArgs(serverCredential, '-quiet'));
    await pump.handshake();
    await echoThroughClient(pump, client, randomData(MiB));
    await closeWithClient(pump, client);
  });

  it("refuses s_client's renegotiation (`R`) with a no_renegotiation warning", async () => {
    // RFC 5746 §4.4: we answer the renegotiating ClientHello with a warning and keep the connection. OpenSSL
    // 3.0's s_client takes the warning as a failed renegotiation (SSL_R_NO_RENEGOTIATION) and ends the
    // connection with a fatal handshake_failure, which our server reports as the peer's alert.
    const { client, pump, connection } = await serve({}, clientArgs(serverCredential, '-msg'));
    await pump.handshake();
    await exchangeWithClient(pump, client, 'before');
    client.write('R\n');
    await client.waitFor(/RENEGOTIATING/, 'stderr');
    await client.waitFor(/<<< TLS 1\.2, Alert \[length 0002\], warning no_renegotiation/);
    const error = await pump.readExactly(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AlertReceived);
    expect((error as AlertReceived).description).toBe(AlertDescription.handshake_failure);
    expect(connection.failed).toBeInstanceOf(AlertReceived);
    await client.waitFor(/no renegotiation/, 'stderr');
    expect(await client.exit()).not.toBe(0);
  });

  describe('s_client without the extended master secret (RFC 7627)', () => {
    it("completes the full handshake by default ('prefer'), as OpenSSL 3 does", async () => {
      const clientHello = helloExtensionRecorder(HandshakeType.client_hello);
      const { client, pump, connection } = await serve({ messageTrace: clientHello.trace }, clientArgs(serverCredential), { noEms: true });
      await pump.handshake();
      expect(connection.negotiated.version).toBe(TLS12);
      expect(clientHello.types()).not.toContain(ExtensionType.extended_master_secret);
      await exchangeWithClient(pump, client, 'no-ems');
      expect(client.stdoutText).toContain('Extended master secret: no');
      await closeWithClient(pump, client);
    });

    it("refuses it with handshake_failure under extendedMasterSecret: 'require'", async () => {
      const { client, pump, connection } = await serve({ extendedMasterSecret: 'require' }, clientArgs(serverCredential), { noEms: true });
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).cause).toBe('ExtendedMasterSecretRequired');
      expect((error as ProtocolError).alert).toBe(AlertDescription.handshake_failure);
      expect(connection.handshakeComplete).toBe(false);
      await client.waitFor(/alert handshake failure/, 'stderr');
    });
  });
});
