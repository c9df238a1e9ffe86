/**
 * X448 and P-521 against the `openssl` binary over loopback, in TLS 1.3 and
 * TLS 1.2, both directions: our client (default groups, so that reaching these
 * groups proves they are offered) against `s_server -groups X448` / `P-521`,
 * and `s_client -groups X448` / `P-521` against our server. In TLS 1.3 our
 * client's first key share is X25519's, so s_server asks for the group with a
 * HelloRetryRequest; a second case sends the group's share at once. What
 * OpenSSL prints (`Shared groups:`, `Server Temp Key:`) is the independent
 * check of what our side reports, and a line each way proves both sides
 * derived the same keys from the shared secret.
 * @module
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import type { ClientConfig } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { NetPump, listen } from '../helpers/net-pump.ts';
import type { PumpServer } from '../helpers/net-pump.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { TEST_TIMEOUT_MS } from './matrix.ts';
import type { GroupCase } from './matrix.ts';

const P = nobleProvider;
const cred = credential('p256');

const NEW_GROUPS: readonly GroupCase[] = [
  { id: NamedGroup.x448, openssl: 'X448', tempKey: /Server Temp Key: X448, 448 bits/, sharedName: 'x448' },
  { id: NamedGroup.secp521r1, openssl: 'P-521', tempKey: /Server Temp Key: ECDH, secp521r1, 521 bits/, sharedName: 'secp521r1' },
];

const VERSIONS = [
  { name: 'TLS 1.3', flag: '-tls1_3', id: ProtocolVersion.TLSv1_3 },
  { name: 'TLS 1.2', flag: '-tls1_2', id: ProtocolVersion.TLSv1_2 },
] as const;

const pumps: NetPump[] = [];
const servers: PumpServer[] = [];
afterEach(async () => {
  killAllOpenssl();
  for (const pump of pumps.splice(0)) pump.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A line each way: the proof that both sides derived the same traffic keys from the shared secret. */
async function lineTo(pump: NetPump, openssl: OpensslProcess, tag: string): Promise<void> {
  await pump.sendAll(utf8(`ping ${tag}\n`));
  await openssl.waitFor(new RegExp(`ping ${tag}\n`));
  openssl.write(`pong ${tag}\n`);
  const got = await pump.readUntil((received) => fromUtf8(received).includes(`pong ${tag}\n`));
  expect(fromUtf8(got)).toBe(`pong ${tag}\n`);
}

describe('our client against openssl s_server with only the new group', { timeout: TEST_TIMEOUT_MS }, () => {
  async function connect(version: (typeof VERSIONS)[number], group: GroupCase, overrides: Partial<ClientConfig>) {
    const { server, port } = await startServer([version.flag, '-cert', cred.certFile, '-key', cred.keyFile, '-groups', group.openssl]);
    const connection = TlsConnection.client(clientDefaults(P, { verifier: pinnedVerifier(cred.chain[0]!), ...overrides }), 'localhost');
    const pump = await NetPump.connect(connection, port);
    pumps.push(pump);
    await pump.handshake();
    return { server, pump, negotiated: connection.negotiated };
  }

  for (const group of NEW_GROUPS) {
    for (const version of VERSIONS) {
      it(`${version.name} ${group.openssl}, default groups${version.id === ProtocolVersion.TLSv1_3 ? ' (HelloRetryRequest for it)' : ''}`, async () => {
        const { server, pump, negotiated } = await connect(version, group, {});
        expect(negotiated.version).toBe(version.id);
        expect(negotiated.group).toBe(group.id);
        expect(negotiated.helloRetryRequest).toBe(version.id === ProtocolVersion.TLSv1_3);
        await lineTo(pump, server, group.sharedName);
        expect(server.stdoutText).toContain(`Shared groups: ${group.sharedName}\n`);
      });
    }

    it(`TLS 1.3 ${group.openssl}, its key share in the first ClientHello (no HelloRetryRequest)`, async () => {
      const { server, pump, negotiated } = await connect(VERSIONS[0], group, { keyShareGroups: [group.id] });
      expect(negotiated.group).toBe(group.id);
      expect(negotiated.helloRetryRequest).toBe(false);
      await lineTo(pump, server, `${group.sharedName}-share`);
    });
  }
});

describe('openssl s_client with only the new group against our server (default groups)', { timeout: TEST_TIMEOUT_MS }, () => {
  // An Ed25519 certificate: in TLS 1.2 an ECDSA P-256 one is unusable with a client that lists only X448 or P-521
  // (RFC 8422 §5.1, the curve of the certificate must be one the client supports; s_server refuses it too).
  const serverCred = credential('ed25519');

  for (const group of NEW_GROUPS) {
    for (const version of VERSIONS) {
      it(`${version.name} ${group.openssl}`, async () => {
        const server = await listen(() => TlsConnection.server(serverDefaults(P, { certificates: [serverCred] })));
        servers.push(server);
        const client = startClient(server.port, [version.flag, '-groups', group.openssl, '-CAfile', serverCred.caFile, '-verify_return_error']);
        const pump = await server.accepted();
        await pump.handshake();
        expect(pump.connection.negotiated.version).toBe(version.id);
        expect(pump.connection.negotiated.group).toBe(group.id);
        expect(pump.connection.negotiated.helloRetryRequest).toBe(false);
        await lineTo(pump, client, group.sharedName);
        expect(client.stdoutText).toMatch(group.tempKey);
      });
    }
  }
});
