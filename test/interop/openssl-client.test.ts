/**
 * Our TLS 1.3 client against `openssl s_server` over loopback: every suite ×
 * group × server key type, HelloRetryRequest, ALPN, SNI, client
 * certificates, KeyUpdate both ways, 1 MiB each way, and close_notify.
 * What OpenSSL prints (`CIPHER is`, `Shared groups:`, `-msg` traces) is the
 * independent check of what our side reports.
 * @module
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { bytesEqual, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { AlertReceived, CertificateVerifyError } from '../../src/wire/errors.ts';
import { AlertDescription, NamedGroup, SignatureScheme } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { Credential } from '../helpers/credentials.ts';
import { NetPump } from '../helpers/net-pump.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { keyUpdateScenarios } from './key-update-scenarios.ts';
import { GROUPS, MATRIX, TEST_TIMEOUT_MS, indexOfBytes, itWithCredential, keyLogRecorder, randomData } from './matrix.ts';

const P = nobleProvider;
const ALL_GROUPS = GROUPS.map((g) => g.id);
const MiB = 1 << 20;

const pumps: NetPump[] = [];
afterEach(() => {
  for (const pump of pumps.splice(0)) pump.destroy();
  killAllOpenssl();
});

const serverCredential = credential('p256');
const sniCredential = credential('ed25519', 'sni.test');

function serverArgs(cred: Credential, ...more: string[]): string[] {
  return ['-tls1_3', '-cert', cred.certFile, '-key', cred.keyFile, ...more];
}

/** Starts s_server with `args`, and our client trusting `trust` (the leaf s_server is expected to send). */
async function connect(args: string[], overrides: Partial<ClientConfig> = {}, options: { serverName?: string; trust?: Credential; cwd?: string } = {}) {
  const { server, port } = await startServer(args, options.cwd);
  const trust = options.trust ?? serverCredential;
  const connection = TlsConnection.client(
    clientDefaults(P, { verifier: pinnedVerifier(trust.chain[0]!), ...overrides }),
    options.serverName ?? 'localhost',
  );
  const pump = await NetPump.connect(connection, port);
  pumps.push(pump);
  return { server, pump, connection };
}

/** One line each way: ours shows up on s_server's stdout, the line typed into s_server arrives here. */
async function exchange(pump: NetPump, server: OpensslProcess, tag: string): Promise<void> {
  await pump.sendAll(utf8(`ping ${tag}\n`));
  await server.waitFor(new RegExp(`ping ${tag}\n`));
  server.write(`pong ${tag}\n`);
  const line = `pong ${tag}\n`;
  const got = await pump.readUntil((received) => fromUtf8(received).includes(line));
  expect(fromUtf8(got)).toBe(line);
}

/** Our close_notify; s_server answers with its own and exits (RFC 8446 §6.1). */
async function closeBoth(pump: NetPump, server: OpensslProcess): Promise<void> {
  await pump.close();
  await pump.peerClosed();
  expect(pump.connection.read()).toBeNull();
  // s_server prints DONE right after the data it read, which need not end a line.
  await server.waitFor(/DONE\nshutting down SSL\n/);
  expect(await server.exit()).toBe(0);
}

describe('our client against openssl s_server', { timeout: TEST_TIMEOUT_MS }, () => {
  describe('suite × group × server key', () => {
    for (const { suite, group, key } of MATRIX) {
      itWithCredential(`${suite.name} ${group.openssl} ${key.type}`, key.type, undefined, async (cred) => {
        // Key shares for every group: OpenSSL's -groups alone decides, with no HelloRetryRequest.
        const { server, pump, connection } = await connect(
          serverArgs(cred, '-ciphersuites', suite.name, '-groups', group.openssl),
          { keyShareGroups: ALL_GROUPS },
          { trust: cred },
        );
        await pump.handshake();
        const n = connection.negotiated;
        expect(n.cipherSuite?.id).toBe(suite.id);
        expect(n.group).toBe(group.id);
        expect(n.helloRetryRequest).toBe(false);
        expect(key.schemes).toContain(n.peerSignatureScheme);
        expect(bytesEqual(n.peerCertificates[0]!, cred.chain[0]!)).toBe(true);
        await exchange(pump, server, 'matrix');
        expect(server.stdoutText).toContain(`CIPHER is ${suite.name}`);
        expect(server.stdoutText).toContain(`Shared groups: ${group.sharedName}\n`);
        await closeBoth(pump, server);
      });
    }
  });

  it('answers a HelloRetryRequest when its only key share is not among the server groups', async () => {
    const { server, pump, connection } = await connect(serverArgs(serverCredential, '-groups', 'P-256'), {
      groups: [NamedGroup.x25519, NamedGroup.secp256r1],
      keyShareGroups: [NamedGroup.x25519],
    });
    await pump.handshake();
    expect(connection.negotiated.helloRetryRequest).toBe(true);
    expect(connection.negotiated.group).toBe(NamedGroup.secp256r1);
    await exchange(pump, server, 'hrr');
    await closeBoth(pump, server);
  });

  it("sends unknown_ca, protected as s_server expects, when it does not trust s_server's certificate", async () => {
    const { server, pump } = await connect(serverArgs(serverCredential), {}, { trust: sniCredential });
    const error = await pump.handshake().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateVerifyError);
    expect((error as CertificateVerifyError).alert).toBe(AlertDescription.unknown_ca);
    // RFC 8446 §5.1: after ServerHello our alert is encrypted under the handshake keys; s_server decrypts it.
    await server.waitFor(/alert unknown ca/, 'stderr');
  });

  it('echoes the cookie of a stateless HelloRetryRequest (-stateless)', async () => {
    // RFC 8446 §4.2.2: the second ClientHello must carry the server's cookie. OpenSSL 3.0's stateless
    // s_server drops the connection on the compatibility CCS before that ClientHello (its own s_client
    // fails the same way), so this client does without middlebox compatibility mode.
    const { server, pump, connection } = await connect(serverArgs(serverCredential, '-stateless'), { middleboxCompatibility: false });
    await pump.handshake();
    expect(connection.negotiated.helloRetryRequest).toBe(true);
    await exchange(pump, server, 'stateless');
    await closeBoth(pump, server);
  });

  describe('RSA-PSS signature hashes (-sigalgs)', () => {
    for (const [hash, scheme] of [['SHA256', SignatureScheme.rsa_pss_rsae_sha256], ['SHA384', SignatureScheme.rsa_pss_rsae_sha384], ['SHA512', SignatureScheme.rsa_pss_rsae_sha512]] as const) {
      itWithCredential(`verifies s_server's CertificateVerify with RSA-PSS+${hash}`, 'rsa2048', undefined, async (rsa) => {
        const { server, pump, connection } = await connect(serverArgs(rsa, '-sigalgs', `RSA-PSS+${hash}`), {}, { trust: rsa });
        await pump.handshake();
        expect(connection.negotiated.peerSignatureScheme).toBe(scheme);
        await exchange(pump, server, 'pss');
      });
    }
  });

  describe('ALPN', () => {
    it('gets the protocol the server picked from its list', async () => {
      const { server, pump, connection } = await connect(serverArgs(serverCredential, '-alpn', 'http/1.1,h2'), {
        alpnProtocols: [utf8('h2'), utf8('http/1.1')],
      });
      await pump.handshake();
      // s_server picks by its own preference order (SSL_select_next_proto).
      expect(fromUtf8(connection.negotiated.alpnProtocol!)).toBe('http/1.1');
      await exchange(pump, server, 'alpn');
      expect(server.stdoutText).toContain('ALPN protocols advertised by the client: h2, http/1.1');
    });

    it('hears no_application_protocol when the server has none of ours', async () => {
      const { server, pump, connection } = await connect(serverArgs(serverCredential, '-alpn', 'http/1.1'), {
        alpnProtocols: [utf8('spdy/3')],
      });
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertReceived);
      expect((error as AlertReceived).description).toBe(AlertDescription.no_application_protocol);
      expect(connection.handshakeComplete).toBe(false);
      await server.exit();
    });
  });

  describe('SNI', () => {
    const sniArgs = () => serverArgs(serverCredential, '-servername', 'sni.test', '-cert2', sniCredential.certFile, '-key2', sniCredential.keyFile);

    it('gets the second certificate when it asks for its name', async () => {
      const { server, pump, connection } = await connect(sniArgs(), {}, { serverName: 'sni.test', trust: sniCredential });
      await pump.handshake();
      expect(connection.negotiated.serverName).toBe('sni.test');
      expect(bytesEqual(connection.negotiated.peerCertificates[0]!, sniCredential.chain[0]!)).toBe(true);
      await exchange(pump, server, 'sni');
      expect(server.stdoutText).toContain('Switching server context.');
    });

    it('gets the default certificate for another name', async () => {
      const { server, pump, connection } = await connect(sniArgs(), {}, { serverName: 'localhost' });
      await pump.handshake();
      expect(bytesEqual(connection.negotiated.peerCertificates[0]!, serverCredential.chain[0]!)).toBe(true);
      await exchange(pump, server, 'default');
      expect(server.stdoutText).not.toContain('Switching server context.');
    });
  });

  describe('client certificates', () => {
    for (const type of ['p256', 'rsa2048', 'ed25519'] as const) {
      itWithCredential(`s_server -Verify 1 accepts our ${type} certificate`, type, 'client.test', async (client) => {
        const { server, pump } = await connect(serverArgs(serverCredential, '-Verify', '1', '-CAfile', client.caFile, '-verify_return_error'), {
          clientCertificate: client,
        });
        await pump.handshake();
        await exchange(pump, server, 'client-cert');
        expect(server.stdoutText).toContain('subject=CN = client.test');
        expect(server.stderr).toContain('verify return:1');
        await closeBoth(pump, server);
      });
    }

    it('hears certificate_required when it has no certificate to send', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential, '-Verify', '1', '-CAfile', serverCredential.caFile));
      // The client finishes first (RFC 8446 §4.4.2 allows an empty Certificate); the alert follows.
      const error = await pump.readExactly(1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertReceived);
      expect((error as AlertReceived).description).toBe(AlertDescription.certificate_required);
      await server.waitFor(/peer did not return a certificate/, 'stderr');
    });

    it('hears unknown_ca when the server does not trust its issuer', async () => {
      const stranger = credential('p256', 'stranger.test');
      const { server, pump } = await connect(serverArgs(serverCredential, '-Verify', '1', '-CAfile', serverCredential.caFile, '-verify_return_error'), {
        clientCertificate: stranger,
      });
      const error = await pump.readExactly(1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertReceived);
      expect((error as AlertReceived).description).toBe(AlertDescription.unknown_ca);
      await server.waitFor(/verify error:num=20:unable to get local issuer certificate/, 'stderr');
    });
  });

  describe('KeyUpdate', () => {
    keyUpdateScenarios('s_server', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential, '-msg'));
      await pump.handshake();
      return { pump, peer: server, exchange: (tag) => exchange(pump, server, tag), closeBoth: () => closeBoth(pump, server) };
    });
  });

  describe('1 MiB', () => {
    it('sends 1 MiB that s_server prints byte for byte', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential));
      await pump.handshake();
      const data = randomData(MiB);
      await pump.sendAll(data);
      // s_server writes what it reads to stdout raw, after its text about the handshake.
      const start = await (async () => {
        await server.until((s) => indexOfBytes(s.stdout, data.subarray(0, 32)) >= 0, 'the start of the data');
        return indexOfBytes(server.stdout, data.subarray(0, 32));
      })();
      await server.until((s) => s.stdoutLength >= start + MiB, '1 MiB on stdout');
      expect(bytesEqual(server.stdout.subarray(start, start + MiB), data)).toBe(true);
      await closeBoth(pump, server);
    });

    it('receives a 1 MiB file from s_server -WWW byte for byte', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'puretls-www-'));
      const data = randomData(MiB);
      writeFileSync(join(dir, 'blob.bin'), data);
      const { pump } = await connect(serverArgs(serverCredential, '-WWW'), {}, { cwd: dir });
      await pump.handshake();
      await pump.sendAll(utf8('GET /blob.bin HTTP/1.0\r\n\r\n'));
      const header = 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n';
      const response = await pump.readExactly(header.length + MiB);
      expect(fromUtf8(response.subarray(0, header.length))).toBe(header);
      expect(bytesEqual(response.subarray(header.length), data)).toBe(true);
      // s_server -WWW ends the response with close_notify.
      await pump.peerClosed();
    });
  });

  describe('record layer and tickets', () => {
    it('reads records s_server pads to 512 bytes (-record_padding)', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential, '-record_padding', '512'));
      await pump.handshake();
      await exchange(pump, server, 'padded');
      await closeBoth(pump, server);
    });

    itWithCredential('joins handshake messages and data s_server splits into 512-byte records (-max_send_frag)', 'rsa2048', undefined, async (rsa) => {
      const dir = mkdtempSync(join(tmpdir(), 'puretls-www-'));
      const data = randomData(64 * 1024);
      writeFileSync(join(dir, 'blob.bin'), data);
      const { pump, connection } = await connect(serverArgs(rsa, '-WWW', '-max_send_frag', '512'), {}, { cwd: dir, trust: rsa });
      await pump.handshake();
      expect(bytesEqual(connection.negotiated.peerCertificates[0]!, rsa.chain[0]!)).toBe(true);
      await pump.sendAll(utf8('GET /blob.bin HTTP/1.0\r\n\r\n'));
      const header = 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n';
      const response = await pump.readExactly(header.length + data.length);
      expect(bytesEqual(response.subarray(header.length), data)).toBe(true);
      await pump.peerClosed();
    });

    it('keeps every ticket s_server sends (-num_tickets 3)', async () => {
      const { server, pump, connection } = await connect(serverArgs(serverCredential, '-num_tickets', '3'));
      await pump.handshake();
      await exchange(pump, server, 'tickets');
      const tickets = connection.takeSessionTickets();
      expect(tickets).toHaveLength(3);
      await closeBoth(pump, server);
    });

    it('connects without middlebox compatibility mode', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential), { middleboxCompatibility: false });
      await pump.handshake();
      await exchange(pump, server, 'no-middlebox');
      await closeBoth(pump, server);
    });
  });

  describe('close_notify', () => {
    it('is sent by us and answered by s_server', async () => {
      const { server, pump } = await connect(serverArgs(serverCredential));
      await pump.handshake();
      await exchange(pump, server, 'close');
      await closeBoth(pump, server);
    });

    it('is recognised when s_server closes first (-rev, on a CLOSE line)', async () => {
      const { server, pump, connection } = await connect(serverArgs(serverCredential, '-rev'));
      await pump.handshake();
      // -rev answers each line reversed; its 'Q' command would drop TCP without close_notify.
      await pump.sendAll(utf8('puretls\nCLOSE\n'));
      await pump.peerClosed();
      expect(fromUtf8(await pump.readUntil(() => true))).toBe('slterup\n');
      expect(connection.read()).toBeNull();
      await pump.close();
      await server.exit();
      expect(server.stderr).toContain('CONNECTION CLOSED');
    });
  });

  it("logs the same lines as s_server's -keylogfile", async () => {
    const log = keyLogRecorder();
    const { server, pump } = await connect(serverArgs(serverCredential, '-keylogfile', log.file), { keyLog: log.keyLog });
    await pump.handshake();
    await exchange(pump, server, 'keylog');
    await closeBoth(pump, server);
    expect(log.theirs()).toHaveLength(5);
    expect([...log.ours].sort()).toEqual(log.theirs().sort());
  });
});
