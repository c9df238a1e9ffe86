import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('puretls demo', () => {
  it('runs a verified TLS 1.3 exchange in one process and prints what both sides saw', () => {
    const run = runCli(['demo']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [client, server] = run.stdout.split('the server saw:');
    expect(client).toContain('the client saw:');
    expect(client).toMatch(/version: +TLSv1\.3/);
    expect(client).toMatch(/ALPN: +http\/1\.1/);
    expect(client).toMatch(/subject: +O = puretls demo, CN = localhost/);
    expect(client).toMatch(/subjectAltName: +DNS:localhost, IP Address:127\.0\.0\.1/);
    expect(client).toMatch(/received \d+ bytes: "HTTP\/1\.1 200 OK"/);
    expect(server).toMatch(/SNI: +localhost/);
    expect(server).toMatch(/received \d+ bytes: "GET \/ HTTP\/1\.1"/);
    expect(server).toContain('peer certificate: none');
  });

  it('--trace shows each handshake message with its fields, as sent and as received', () => {
    const run = runCli(['demo', '--trace']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/client sent +ClientHello \(\d+ bytes\)/);
    expect(run.stdout).toMatch(/server received ClientHello/);
    expect(run.stdout).toMatch(/server_name: localhost/);
    expect(run.stdout).toMatch(/supported_versions: TLS 1\.3 \(selected\)/);
    expect(run.stdout).toMatch(/certificate 0: O = puretls demo, CN = localhost/);
    expect(run.stdout).toMatch(/signature_scheme: ecdsa_secp256r1_sha256/);
    expect(run.stdout).toMatch(/client received Finished/);
  });

  it('refuses an unknown option with one line and exit status 2', () => {
    const run = runCli(['demo', '--nope']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^puretls: demo: Unknown option '--nope'/);
  });
});
