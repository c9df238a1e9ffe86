/**
 * `puretls connect` against `openssl s_server`: the session report, stdin and
 * stdout piped both ways, the key log checked against the server's own,
 * ALPN and SNI as the server saw them, and `--tls1_2` with its CLIENT_RANDOM key log.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';
import { CliProcess, killAllCli } from './cli-process.ts';
import { TLS13_LABELS, readKeyLog } from './key-log.ts';

const server = credential('p256');
const sniServer = credential('p256', 'sni.example');
const serverArgs = ['-cert', server.certFile, '-key', server.keyFile];

afterEach(() => {
  killAllCli();
  killAllOpenssl();
});

/** The ClientHello's random (RFC 8446 §4.1.2: after the 4-byte header and legacy_version) from `s_server -msg`'s hex dump. */
function clientHelloRandom(msgOutput: string): string {
  const dump = /, ClientHello\n((?:(?: [0-9a-f]{2})+ *\n)+)/.exec(msgOutput.replace(/ {2,}/g, ' '));
  expect(dump, msgOutput).not.toBeNull();
  const hex = dump![1]!.replace(/\s+/g, '');
  return hex.slice(12, 12 + 64);
}

describe('puretls connect against openssl s_server', () => {
  it('prints the session and the certificate dict, then pipes stdin to the server and the server to stdout', async () => {
    const { server: peer, port } = await startServer(serverArgs);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--cafile', server.caFile]);
    await cli.waitFor(/verification: /, 'stderr');
    expect(cli.stderr).toMatch(/^connected to localhost:\d+\n {2}version: +TLSv1\.3\n {2}cipher: +TLS_AES_256_GCM_SHA384 \(256-bit keys\)\n {2}ALPN: +\(none agreed\)\n/);
    expect(cli.stderr).toMatch(/\n {4}subject: +CN = localhost\n {4}issuer: +CN = puretls test CA p256\n {4}subjectAltName: +DNS:localhost, IP Address:127\.0\.0\.1\n/);
    expect(cli.stderr).toMatch(/notAfter: +[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} GMT\n/);
    expect(cli.stderr).toMatch(/verification: OK: 2 certificate\(s\) up to CN = puretls test CA p256, and the name 'localhost'\n$/);
    // s_server reports the same suite.
    await peer.waitFor(/^CIPHER is TLS_AES_256_GCM_SHA384$/m);

    cli.write('hello from puretls\n');
    await peer.waitFor(/^hello from puretls$/m);
    peer.write('hello from openssl\n');
    await cli.waitFor(/^hello from openssl\n$/);
    // "Q" ends s_server, which closes the connection: connect then ends on its own, successfully.
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout).toBe('hello from openssl\n');
  });

  it('--keylog writes the NSS key log s_server -keylogfile writes for the same connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-keylog-'));
    const theirs = join(dir, 'openssl.log');
    const ours = join(dir, 'puretls.log');
    const { server: peer, port } = await startServer([...serverArgs, '-keylogfile', theirs, '-msg']);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--cafile', server.caFile, '--keylog', ours]);
    await cli.waitFor(/verification: OK/, 'stderr');
    // The application traffic secrets are logged once the server has the client's Finished.
    cli.write('ping\n');
    await peer.waitFor(/^ping$/m);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);

    const ourLog = readKeyLog(ours);
    expect([...ourLog.keys()].sort()).toEqual(TLS13_LABELS);
    const random = clientHelloRandom(peer.stdoutText);
    for (const [label, [clientRandom, secret]] of ourLog) {
      expect(clientRandom, label).toBe(random);
      // TLS_AES_256_GCM_SHA384: SHA-384-sized secrets.
      expect(secret, label).toMatch(/^[0-9a-f]{96}$/);
    }
    expect(ourLog).toEqual(readKeyLog(theirs));
  });

  it('--alpn h2,http/1.1: s_server -alpn http/1.1 sees both offered and selects http/1.1, which connect prints', async () => {
    const { server: peer, port } = await startServer([...serverArgs, '-alpn', 'http/1.1']);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--cafile', server.caFile, '--alpn', 'h2,http/1.1']);
    await cli.waitFor(/verification: OK/, 'stderr');
    expect(cli.stderr).toMatch(/\n {2}ALPN: +http\/1\.1\n/);
    await peer.waitFor(/^ALPN protocols advertised by the client: h2, http\/1\.1$/m);
    await peer.waitFor(/^ALPN protocols selected: http\/1\.1$/m);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
  });

  it('--servername sends that SNI: s_server switches to -cert2 for it, and the name is what connect verifies', async () => {
    const { server: peer, port } = await startServer([...serverArgs, '-servername', 'sni.example', '-cert2', sniServer.certFile, '-key2', sniServer.keyFile]);
    // Connecting to an IP address: only the SNI can make s_server present the sni.example certificate.
    const cli = new CliProcess(['connect', `127.0.0.1:${port}`, '--cafile', sniServer.caFile, '--servername', 'sni.example']);
    await cli.waitFor(/verification: /, 'stderr');
    expect(cli.stderr).toMatch(/\n {4}subject: +CN = sni\.example\n {4}issuer: +CN = puretls test CA p256\n {4}subjectAltName: +DNS:sni\.example, IP Address:127\.0\.0\.1\n/);
    expect(cli.stderr).toMatch(/verification: OK: 2 certificate\(s\) up to CN = puretls test CA p256, and the name 'sni\.example'\n$/);
    await peer.waitFor(/^Hostname in TLS extension: "sni\.example"$/m);
    await peer.waitFor(/^Switching server context\.$/m);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
  });

  it('an IP address as HOST is verified against the IP SAN and never sent as SNI (RFC 6066 §3)', async () => {
    const { server: peer, port } = await startServer([...serverArgs, '-servername', 'sni.example', '-cert2', sniServer.certFile, '-key2', sniServer.keyFile]);
    const cli = new CliProcess(['connect', `127.0.0.1:${port}`, '--cafile', server.caFile]);
    await cli.waitFor(/verification: /, 'stderr');
    expect(cli.stderr).toMatch(/verification: OK: 2 certificate\(s\) up to CN = puretls test CA p256, and the name '127\.0\.0\.1'\n$/);
    cli.write('after the handshake\n');
    await peer.waitFor(/^after the handshake$/m);
    expect(peer.stdoutText).not.toContain('Hostname in TLS extension');
    expect(peer.stdoutText).not.toContain('Switching server context');
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
  });

  it('--cert/--key present a client certificate s_server -Verify checks; --capath finds the CA in a hashed directory', async () => {
    const clientCert = credential('p256', 'client.example');
    const capath = mkdtempSync(join(tmpdir(), 'puretls-capath-'));
    copyFileSync(server.caFile, join(capath, 'ca.pem'));
    execFileSync('openssl', ['rehash', capath]);
    const { server: peer, port } = await startServer([...serverArgs, '-Verify', '1', '-CAfile', clientCert.caFile]);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--capath', capath, '--cert', clientCert.certFile, '--key', clientCert.keyFile]);
    await cli.waitFor(/verification: OK/, 'stderr');
    cli.write('with a client certificate\n');
    await peer.waitFor(/^with a client certificate$/m);
    expect(peer.stderr + peer.stdoutText).toMatch(/depth=0 CN = client\.example\nverify return:1\n/);
    expect(peer.stdoutText).toMatch(/^subject=CN = client\.example$/m);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
  });

  it('--trace prints the handshake with s_server on stderr, leaving stdout to the connection', async () => {
    const { server: peer, port } = await startServer(serverArgs);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--cafile', server.caFile, '--trace']);
    await cli.waitFor(/verification: OK/, 'stderr');
    expect(cli.stderr).toMatch(/^sent {5}ClientHello \(\d+ bytes\)\n[\s\S]*server_name: localhost\n/);
    expect(cli.stderr).toMatch(/\nreceived ServerHello \(\d+ bytes\)\n {13}cipher_suite: TLS_AES_256_GCM_SHA384\n/);
    expect(cli.stderr).toMatch(/\nreceived Certificate \(\d+ bytes\)\n {13}certificate 0: CN = localhost \(\d+ bytes\)\n/);
    expect(cli.stderr).toMatch(/\nsent {5}Finished \(\d+ bytes\)\n/);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
    expect(cli.stdout).toBe('');
  });

  it('--tls1_2 --keylog: TLS 1.2 with the suite s_server reports, and the CLIENT_RANDOM line s_server -keylogfile writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-keylog12-'));
    const theirs = join(dir, 'openssl.log');
    const ours = join(dir, 'puretls.log');
    const { server: peer, port } = await startServer([...serverArgs, '-keylogfile', theirs]);
    const cli = new CliProcess(['connect', `localhost:${port}`, '--cafile', server.caFile, '--tls1_2', '--keylog', ours]);
    await cli.waitFor(/verification: OK/, 'stderr');
    expect(cli.stderr).toMatch(/^connected to localhost:\d+\n {2}version: +TLSv1\.2\n {2}cipher: +ECDHE-ECDSA-AES256-GCM-SHA384 \(256-bit keys\)\n/);
    await peer.waitFor(/^CIPHER is ECDHE-ECDSA-AES256-GCM-SHA384$/m);
    cli.write('ping\n');
    await peer.waitFor(/^ping$/m);
    peer.write('Q\n');
    expect(await cli.exit()).toBe(0);
    const ourLog = readKeyLog(ours);
    expect([...ourLog.keys()]).toEqual(['CLIENT_RANDOM']);
    expect(ourLog.get('CLIENT_RANDOM')![1]).toMatch(/^[0-9a-f]{96}$/);
    expect(ourLog).toEqual(readKeyLog(theirs));
  });
});
