/**
 * `openssl s_client` against our TLS 1.3 server over loopback: every suite ×
 * group × server key type (s_client verifies our chain and hostname against
 * the test CA), HelloRetryRequest, ALPN, SNI, client certificates, KeyUpdate
 * both ways, 1 MiB echoed, and close_notify. What s_client prints (`Cipher
 * is`, `Server Temp Key`, `Peer signature type`, `-msg` traces, alerts) is the
 * independent check of what our side reports.
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { serverDefaults } from '../../src/handshake/config.ts';
import type { ServerConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { CertificateVerifyError, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription, NamedGroup } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { Credential } from '../helpers/credentials.ts';
import { listen } from '../helpers/net-pump.ts';
import type { NetPump, PumpServer } from '../helpers/net-pump.ts';
import { killAllOpenssl, startClient } from '../helpers/openssl-peer.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { keyUpdateScenarios } from './key-update-scenarios.ts';
import { MATRIX, TEST_TIMEOUT_MS, itWithCredential, keyLogRecorder, randomData } from './matrix.ts';

const P = nobleProvider;
const MiB = 1 << 20;

const servers: PumpServer[] = [];
afterEach(async () => {
  killAllOpenssl();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const serverCredential = credential('p256');
const clientCredential = credential('p256', 'client.test');

/** s_client checks our chain against the test CA and our name, and fails the handshake otherwise. */
function verifyArgs(cred: Credential): string[] {
  return ['-CAfile', cred.caFile, '-verify_return_error', '-verify_hostname', 'localhost'];
}

/** Our server with `overrides`, and s_client connecting to it with `args`. */
async function serve(overrides: Partial<ServerConfig>, args: string[]) {
  const server = await listen(() => TlsConnection.server(serverDefaults(P, { certificates: [serverCredential], ...overrides })));
  servers.push(server);
  const client = startClient(server.port, ['-tls1_3', ...args]);
  const pump = await server.accepted();
  return { client, pump, connection: pump.connection };
}

/** One line each way: what s_client reads from stdin arrives here, and ours shows up on its stdout. */
async function exchange(pump: NetPump, client: OpensslProcess, tag: string): Promise<void> {
  const line = `ping ${tag}\n`;
  client.write(line);
  const got = await pump.readUntil((received) => fromUtf8(received).includes(line));
  expect(fromUtf8(got)).toBe(line);
  await pump.sendAll(utf8(`pong ${tag}\n`));
  await client.waitFor(new RegExp(`^pong ${tag}$`, 'm'));
}

/** Our close_notify; s_client answers with its own and exits (RFC 8446 §6.1). */
async function closeBoth(pump: NetPump, client: OpensslProcess): Promise<void> {
  await pump.close();
  await pump.peerClosed();
  expect(pump.connection.read()).toBeNull();
  expect(await client.exit()).toBe(0);
}

describe('openssl s_client against our server', { timeout: TEST_TIMEOUT_MS }, () => {
  describe('suite × group × server key', () => {
    for (const { suite, group, key } of MATRIX) {
      itWithCredential(`${suite.name} ${group.openssl} ${key.type}`, key.type, undefined, async (cred) => {
        const { client, pump, connection } = await serve({ certificates: [cred] }, [
          ...verifyArgs(cred),
          '-ciphersuites', suite.name,
          '-groups', group.openssl,
        ]);
        await pump.handshake();
        const n = connection.negotiated;
        expect(n.cipherSuite?.id).toBe(suite.id);
        expect(n.group).toBe(group.id);
        expect(n.helloRetryRequest).toBe(false);
        await exchange(pump, client, 'matrix');
        const out = client.stdoutText;
        expect(out).toContain(`New, TLSv1.3, Cipher is ${suite.name}`);
        expect(out).toMatch(group.tempKey);
        expect(out).toContain(`Peer signature type: ${key.opensslSignatureType}\n`);
        expect(out).toContain('Verify return code: 0 (ok)');
        await closeBoth(pump, client);
      });
    }
  });

  it('sends a HelloRetryRequest when the client offered a share only for a group it does not take', async () => {
    // s_client sends a key share for its first group only (X25519).
    const { client, pump, connection } = await serve({ groups: [NamedGroup.secp256r1] }, [
      ...verifyArgs(serverCredential),
      '-groups', 'X25519:P-256',
    ]);
    await pump.handshake();
    expect(connection.negotiated.helloRetryRequest).toBe(true);
    expect(connection.negotiated.group).toBe(NamedGroup.secp256r1);
    await exchange(pump, client, 'hrr');
    expect(client.stdoutText).toMatch(/Server Temp Key: ECDH, prime256v1, 256 bits/);
    await closeBoth(pump, client);
  });

  describe('RSA-PSS signature hashes (-sigalgs)', () => {
    for (const hash of ['SHA256', 'SHA384', 'SHA512']) {
      itWithCredential(`signs its CertificateVerify with RSA-PSS+${hash} when that is all s_client accepts`, 'rsa2048', undefined, async (rsa) => {
        const { client, pump } = await serve({ certificates: [rsa] }, [...verifyArgs(rsa), '-sigalgs', `RSA-PSS+${hash}`]);
        await pump.handshake();
        await exchange(pump, client, 'pss');
        expect(client.stdoutText).toContain(`Peer signing digest: ${hash}\nPeer signature type: RSA-PSS\n`);
        await closeBoth(pump, client);
      });
    }
  });

  describe('ALPN', () => {
    it('selects by its own preference among what s_client offers', async () => {
      const { client, pump, connection } = await serve({ alpnProtocols: [utf8('http/1.1'), utf8('h2')] }, [
        ...verifyArgs(serverCredential),
        '-alpn', 'h2,http/1.1',
      ]);
      await pump.handshake();
      expect(fromUtf8(connection.negotiated.alpnProtocol!)).toBe('http/1.1');
      await exchange(pump, client, 'alpn');
      expect(client.stdoutText).toContain('ALPN protocol: http/1.1');
      await closeBoth(pump, client);
    });

    it('sends no_application_protocol when nothing overlaps', async () => {
      const { client, pump } = await serve({ alpnProtocols: [utf8('h2')] }, [...verifyArgs(serverCredential), '-alpn', 'spdy/3']);
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).cause).toBe('NoApplicationProtocol');
      await client.waitFor(/alert no application protocol/, 'stderr');
      expect(await client.exit()).not.toBe(0);
    });
  });

  describe('SNI', () => {
    it("receives s_client's -servername", async () => {
      const { client, pump, connection } = await serve({}, [...verifyArgs(serverCredential), '-servername', 'sni.test']);
      await pump.handshake();
      expect(connection.negotiated.serverName).toBe('sni.test');
      await exchange(pump, client, 'sni');
      await closeBoth(pump, client);
    });

    it('sees no name with -noservername', async () => {
      const { client, pump, connection } = await serve({}, [...verifyArgs(serverCredential), '-noservername']);
      await pump.handshake();
      expect(connection.negotiated.serverName).toBeNull();
      await exchange(pump, client, 'no-sni');
      await closeBoth(pump, client);
    });
  });

  describe('client certificates', () => {
    for (const type of ['p256', 'rsa2048', 'ed25519'] as const) {
      itWithCredential(`requires and accepts a ${type} client certificate`, type, 'client.test', async (cred) => {
        const { client, pump, connection } = await serve({ clientAuth: 'required', verifier: pinnedVerifier(cred.chain[0]!) }, [
          ...verifyArgs(serverCredential),
          '-cert', cred.certFile,
          '-key', cred.keyFile,
        ]);
        await pump.handshake();
        expect(bytesEqual(connection.negotiated.peerCertificates[0]!, cred.chain[0]!)).toBe(true);
        expect(connection.negotiated.verifiedChain.length).toBeGreaterThan(0);
        await exchange(pump, client, 'client-cert');
        await closeBoth(pump, client);
      });
    }

    it('sends certificate_required when s_client has no certificate', async () => {
      const { client, pump } = await serve({ clientAuth: 'required', verifier: pinnedVerifier(clientCredential.chain[0]!) }, verifyArgs(serverCredential));
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as ProtocolError).cause).toBe('CertificateRequired');
      await client.waitFor(/alert certificate required/, 'stderr');
    });

    it('goes on without one when client authentication is optional', async () => {
      const { client, pump, connection } = await serve({ clientAuth: 'optional', verifier: pinnedVerifier(clientCredential.chain[0]!) }, verifyArgs(serverCredential));
      await pump.handshake();
      expect(connection.negotiated.peerCertificates).toEqual([]);
      await exchange(pump, client, 'optional');
      await closeBoth(pump, client);
    });

    it('sends unknown_ca for a certificate its verifier does not trust', async () => {
      const { client, pump } = await serve({ clientAuth: 'required', verifier: pinnedVerifier(serverCredential.chain[0]!) }, [
        ...verifyArgs(serverCredential),
        '-cert', clientCredential.certFile,
        '-key', clientCredential.keyFile,
      ]);
      const error = await pump.handshake().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CertificateVerifyError);
      expect((error as CertificateVerifyError).alert).toBe(AlertDescription.unknown_ca);
      await client.waitFor(/alert unknown ca/, 'stderr');
    });
  });

  describe('KeyUpdate', () => {
    keyUpdateScenarios('s_client', async () => {
      const { client, pump } = await serve({}, [...verifyArgs(serverCredential), '-msg']);
      await pump.handshake();
      return { pump, peer: client, exchange: (tag) => exchange(pump, client, tag), closeBoth: () => closeBoth(pump, client) };
    });
  });

  it('echoes 1 MiB from s_client byte for byte, both ways', async () => {
    // -quiet: no command letters on stdin, nothing but the data on stdout.
    const { client, pump } = await serve({}, [...verifyArgs(serverCredential), '-quiet']);
    await pump.handshake();
    const data = randomData(MiB);
    client.write(data);
    const received: Uint8Array[] = [];
    for (let total = 0; total < MiB; ) {
      const chunk = await pump.readUntil((r) => r.length > 0);
      received.push(chunk);
      total += chunk.length;
      await pump.sendAll(chunk);
    }
    expect(bytesEqual(concatBytes(...received), data)).toBe(true);
    await client.until((c) => c.stdoutLength >= MiB, '1 MiB on stdout');
    expect(client.stdoutLength).toBe(MiB);
    expect(bytesEqual(client.stdout, data)).toBe(true);
    await closeBoth(pump, client);
  });

  describe('record layer and tickets', () => {
    it('reads records s_client pads to 512 bytes (-record_padding)', async () => {
      const { client, pump } = await serve({}, [...verifyArgs(serverCredential), '-record_padding', '512']);
      await pump.handshake();
      await exchange(pump, client, 'padded');
      await closeBoth(pump, client);
    });

    itWithCredential('joins handshake messages s_client splits into 512-byte records (-max_send_frag)', 'rsa2048', 'client.test', async (rsa) => {
      const { client, pump, connection } = await serve({ clientAuth: 'required', verifier: pinnedVerifier(rsa.chain[0]!) }, [
        ...verifyArgs(serverCredential),
        '-cert', rsa.certFile,
        '-key', rsa.keyFile,
        '-max_send_frag', '512',
      ]);
      await pump.handshake();
      expect(bytesEqual(connection.negotiated.peerCertificates[0]!, rsa.chain[0]!)).toBe(true);
      await exchange(pump, client, 'fragments');
      await closeBoth(pump, client);
    });

    it('sends tickets s_client accepts', async () => {
      const { client, pump } = await serve({ ticketsToSend: 3 }, verifyArgs(serverCredential));
      await pump.handshake();
      await exchange(pump, client, 'tickets');
      await closeBoth(pump, client);
      // s_client's report of each ticket sits in its stdio buffer until it exits.
      expect(client.stdoutText.match(/Post-Handshake New Session Ticket arrived:/g)).toHaveLength(3);
    });

    it('accepts a client without middlebox compatibility mode (-no_middlebox)', async () => {
      const { client, pump } = await serve({}, [...verifyArgs(serverCredential), '-no_middlebox']);
      await pump.handshake();
      await exchange(pump, client, 'no-middlebox');
      await closeBoth(pump, client);
    });
  });

  describe('close_notify', () => {
    it('is sent by us and answered by s_client', async () => {
      const { client, pump } = await serve({}, verifyArgs(serverCredential));
      await pump.handshake();
      await exchange(pump, client, 'close');
      await closeBoth(pump, client);
      expect(client.stdoutText).toMatch(/^closed$/m);
    });

    it('is recognised when s_client closes first (end of its input)', async () => {
      const { client, pump, connection } = await serve({}, verifyArgs(serverCredential));
      await pump.handshake();
      await exchange(pump, client, 'close');
      client.endInput();
      await pump.peerClosed();
      expect(connection.peerClosed).toBe(true);
      expect(connection.read()).toBeNull();
      await pump.close();
      expect(await client.exit()).toBe(0);
      expect(client.stderr).toMatch(/^DONE$/m);
    });
  });

  it("logs the same lines as s_client's -keylogfile", async () => {
    const log = keyLogRecorder();
    const { client, pump } = await serve({ keyLog: log.keyLog }, [...verifyArgs(serverCredential), '-keylogfile', log.file]);
    await pump.handshake();
    await exchange(pump, client, 'keylog');
    await closeBoth(pump, client);
    expect(log.theirs()).toHaveLength(5);
    expect([...log.ours].sort()).toEqual(log.theirs().sort());
  });
});
