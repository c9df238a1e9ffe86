/**
 * `puretls serve --cert F --key F [...]`: a TLS server in the spirit of
 * `openssl s_server`. Every client is served at once and on its own: echo by
 * default (every byte back, binary-safe, until the client closes), or with
 * `--www` one fixed HTTP/1.0 page per connection that says what was
 * negotiated. The highest version both sides have is negotiated. Runs until
 * interrupted; one client's failure is a line on stderr, never the end of
 * the server.
 * @module
 */
import process from 'node:process';
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';
import { formatHostPort, parsePort } from '../address.ts';
import { UsageError, failureLine } from '../failure.ts';
import { parseOptions, text } from '../options.ts';
import { SHARED_HELP, SHARED_OPTIONS, applySharedOptions } from '../tls-options.ts';

const HELP = `usage: puretls serve --cert F --key F [options]

Serves TLS on HOST:PORT until interrupted; "listening on HOST:PORT" goes to stderr.

  --cert F --key F   the server's certificate chain (PEM, leaf first) and key
  --host H           the address to listen on; 127.0.0.1 when absent
  --port P           the port; 4433 when absent (as openssl s_server), 0 for any free one
  --verify-client    require a client certificate, verified against --cafile
  --cafile F         the CAs client certificates must chain to
  --www              answer each connection with a small HTTP/1.0 page instead of echoing
${SHARED_HELP}`;

const encoder = new TextEncoder();

export async function serve(args: string[]): Promise<number> {
  const parsed = parseOptions('serve', args, {
    ...SHARED_OPTIONS,
    cert: { type: 'string' },
    key: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'verify-client': { type: 'boolean' },
    cafile: { type: 'string' },
    www: { type: 'boolean' },
  });
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new UsageError(`serve: unexpected ${JSON.stringify(parsed.positionals[0])} (puretls serve --help)`);
  const cert = text(parsed, 'cert');
  if (cert === undefined) throw new UsageError('serve: --cert is required (and --key unless the key is in the same file)');
  const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  context.load_cert_chain(cert, text(parsed, 'key') ?? null);
  const cafile = text(parsed, 'cafile');
  if (parsed.values['verify-client']) {
    if (cafile === undefined) throw new UsageError('serve: --verify-client needs --cafile');
    context.verify_mode = ssl.CERT_REQUIRED;
  }
  if (cafile !== undefined) context.load_verify_locations(cafile);
  applySharedOptions(context, parsed, 'serve');

  const host = text(parsed, 'host') ?? '127.0.0.1';
  const listener = await socket.create_server([host, parsePort(text(parsed, 'port'), 4433, 'serve')], { family: host.includes(':') ? socket.AF_INET6 : socket.AF_INET });
  const [boundHost, boundPort] = listener.getsockname() as [string, number];
  process.stderr.write(`listening on ${formatHostPort(boundHost, boundPort)}\n`);
  // Without the handshake in accept(): each client's runs in its own task, so one that
  // connects and stalls (or sends nothing) holds up no other client.
  const tlsListener = await context.wrap_socket(listener, { server_side: true, do_handshake_on_connect: false });
  const handle = parsed.values.www ? answerPage : echo;
  for (;;) {
    const [tls, [peerHost, peerPort]] = (await tlsListener.accept()) as [ssl.SSLSocket, [string, number]];
    void serveClient(tls, formatHostPort(peerHost, peerPort), handle);
  }
}

/** One client: the handshake, a line saying what was negotiated, then `handle`; failures are a line on stderr. */
async function serveClient(tls: ssl.SSLSocket, peer: string, handle: (tls: ssl.SSLSocket) => Promise<void>): Promise<void> {
  try {
    await tls.do_handshake();
    process.stderr.write(`${peer}: ${tls.version()} ${tls.cipher()?.[0]} ALPN ${tls.selected_alpn_protocol() ?? '(none)'}\n`);
    await handle(tls);
  } catch (error) {
    process.stderr.write(`${peer}: ${failureLine(error)}\n`);
  } finally {
    await tls.close().catch(() => undefined);
  }
}

/** Every byte back until the client closes. */
async function echo(tls: ssl.SSLSocket): Promise<void> {
  for (let data = await tls.recv(65536); data.length > 0; data = await tls.recv(65536)) await tls.sendall(data);
}

/** Reads the request head and answers with one page, then the connection ends (HTTP/1.0, RFC 1945 §6). */
async function answerPage(tls: ssl.SSLSocket): Promise<void> {
  let head = '';
  const decoder = new TextDecoder();
  while (!head.includes('\r\n\r\n') && !head.includes('\n\n')) {
    const data = await tls.recv(16384);
    if (data.length === 0) return;
    head += decoder.decode(data, { stream: true });
    if (head.length > 65536) throw new Error('request head larger than 64 KiB');
  }
  const cipher = tls.cipher();
  const body = `<!DOCTYPE html>\n<title>puretls</title>\n<h1>Hello from puretls</h1>\n<p>${tls.version()}, ${cipher?.[0]}, ALPN ${tls.selected_alpn_protocol() ?? 'none'}</p>\n<pre>${escapeHtml(head.split(/\r?\n/)[0] ?? '')}</pre>\n`;
  const bytes = encoder.encode(body);
  await tls.sendall(encoder.encode(`HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${bytes.length}\r\n\r\n`));
  await tls.sendall(bytes);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}
