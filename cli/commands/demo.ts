/**
 * `puretls demo [--trace]`: the whole of TLS in one process, with no network
 * and no files to prepare. A throwaway CA and a server certificate for
 * `localhost` are made in memory (`puretls/x509.make_test_ca`); a server
 * listens on 127.0.0.1 (a free port); a client that verifies like
 * `create_default_context()` (trusting only the demo CA) connects, sends an
 * HTTP request and reads the answer; then both sides say what they saw.
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';
import * as x509 from 'puretls/x509';
import { onelineName } from '../certificate-text.ts';
import { parseOptions } from '../options.ts';
import { sessionLines } from '../session-text.ts';
import { attachTrace } from '../trace.ts';

const HELP = `usage: puretls demo [--trace]

Makes a CA and a certificate for localhost in memory, starts a server on
127.0.0.1, connects a verifying client to it, exchanges one HTTP request and
response, and prints what each side saw. --trace also prints every handshake
message as it is sent and received.`;

const HOST_NAME = 'localhost';
const ALPN = ['http/1.1'];
const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface ServerView {
  lines: string[];
  serverName: string | null;
}

export async function demo(args: string[]): Promise<number> {
  const parsed = parseOptions('demo', args, { trace: { type: 'boolean' } });
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const ca = x509.make_test_ca({ organization: 'puretls demo', common_name: 'puretls demo CA' });
  const credentials = x509.make_certificate(ca, [HOST_NAME, '127.0.0.1'], { organization: 'puretls demo' });
  const serverContext = serverContextFor(credentials);
  const clientContext = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: ca.cert_pem });
  clientContext.set_alpn_protocols(ALPN);
  if (parsed.values.trace) {
    attachTrace(serverContext, (line) => out(`  server ${line}`));
    attachTrace(clientContext, (line) => out(`  client ${line}`));
  }

  const listener = await socket.create_server(['127.0.0.1', 0]);
  const [, port] = listener.getsockname() as [string, number];
  out('puretls demo: a CA, a server and a verifying client in this one process (no network needed)');
  out();
  out(`CA:      ${onelineName(x509.decode_certificate(ca.cert_pem).subject)} (made in memory, ECDSA P-256)`);
  out(`server:  listening on 127.0.0.1:${port} with a certificate for ${HOST_NAME} and 127.0.0.1, issued by that CA`);
  out(`client:  create_default_context(cadata=<the CA>), server_hostname='${HOST_NAME}', ALPN ${ALPN.join(',')}`);
  if (parsed.values.trace) out('\nhandshake (--trace):');

  const view: ServerView = { lines: [], serverName: null };
  serverContext.sni_callback = (_conn, serverName) => {
    view.serverName = serverName;
  };
  // The wrapped listener owns the listening socket from here on: closing it closes both.
  const tlsListener = await serverContext.wrap_socket(listener, { server_side: true });
  try {
    const served = serveOne(tlsListener, view);
    const clientLines = await runClient(clientContext, port);
    await served;
    out();
    out('the client saw:');
    for (const line of clientLines) out(line);
    out();
    out('the server saw:');
    out(`  SNI:      ${view.serverName ?? '(none)'}`);
    for (const line of view.lines) out(line);
  } finally {
    await tlsListener.close();
  }
  return 0;
}

/**
 * A server context with the demo's certificate. `load_cert_chain` reads
 * files, as Python's does, so the PEM goes through a private temporary
 * directory that is removed at once.
 */
function serverContextFor(credentials: x509.CertificateAndKey): ssl.SSLContext {
  const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  const directory = mkdtempSync(join(tmpdir(), 'puretls-demo-'));
  try {
    const certfile = join(directory, 'server.pem');
    writeFileSync(certfile, credentials.cert_pem + credentials.private_key_pem, { mode: 0o600 });
    context.load_cert_chain(certfile);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  context.set_alpn_protocols(ALPN);
  return context;
}

async function runClient(context: ssl.SSLContext, port: number): Promise<string[]> {
  const sock = await socket.create_connection(['127.0.0.1', port]);
  // wrap_socket handshakes at once (do_handshake_on_connect) and verifies the chain and the name.
  const tls = await context.wrap_socket(sock, { server_hostname: HOST_NAME });
  try {
    const request = encoder.encode(`GET / HTTP/1.1\r\nHost: ${HOST_NAME}\r\nConnection: close\r\n\r\n`);
    await tls.sendall(request);
    const response = await readAll(tls);
    return [
      ...sessionLines(tls),
      `  verified: the chain up to the demo CA, and the name '${HOST_NAME}' (check_hostname)`,
      `  sent ${request.length} bytes:     ${firstLine(request)}`,
      `  received ${response.length} bytes: ${firstLine(response)}`,
    ];
  } finally {
    await tls.close();
  }
}

/** Accepts one connection (the wrapped listener handshakes on accept), reads its request, answers it, and fills `view`. */
async function serveOne(listener: ssl.SSLSocket, view: ServerView): Promise<void> {
  const [tls, address] = await listener.accept();
  try {
    const request = await readRequest(tls);
    const body = 'Hello from the puretls demo server.\n';
    const response = encoder.encode(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    await tls.sendall(response);
    view.lines.push(
      `  client:   ${(address as [string, number]).join(':')}`,
      ...sessionLines(tls),
      `  received ${request.length} bytes: ${firstLine(request)}`,
      `  sent ${response.length} bytes:     ${firstLine(response)}`,
    );
  } finally {
    await tls.close();
  }
}

/** Reads up to the blank line that ends an HTTP request head. */
async function readRequest(tls: ssl.SSLSocket): Promise<Uint8Array> {
  let received: Uint8Array = new Uint8Array(0);
  while (!decoder.decode(received).includes('\r\n\r\n')) {
    const chunk = await tls.recv(16384);
    if (chunk.length === 0) break;
    received = concat(received, chunk);
  }
  return received;
}

async function readAll(tls: ssl.SSLSocket): Promise<Uint8Array> {
  let received: Uint8Array = new Uint8Array(0);
  for (let chunk = await tls.recv(16384); chunk.length > 0; chunk = await tls.recv(16384)) received = concat(received, chunk);
  return received;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const result = new Uint8Array(a.length + b.length);
  result.set(a);
  result.set(b, a.length);
  return result;
}

function firstLine(bytes: Uint8Array): string {
  return JSON.stringify(decoder.decode(bytes).split('\r\n')[0] ?? '');
}
