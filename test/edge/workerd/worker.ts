/**
 * The test worker: TLS from inside workerd to a server that wants a client
 * certificate from a private CA. The CA comes from a text binding
 * (`CA_PEM`), the client certificate and key from secrets (`CLIENT_CERT`,
 * `CLIENT_KEY`, environment bindings as `wrangler secret` gives them). It
 * answers with what the connection negotiated and what the server sent, or
 * with the exception, as JSON.
 *
 *   GET /tls?port=N&hostname=localhost&path=/hello.txt[&trust=default][&version=TLSv1.2]
 *
 * `version=TLSv1.2` caps `maximum_version` there (TLS 1.3 otherwise).
 * `trust=default` leaves `cadata` out: `create_default_context()`'s own CAs,
 * of which a worker has none (no files, no runtime root store).
 */
import { connect } from 'cloudflare:sockets';
import * as ssl from 'puretls/ssl';
import { from_platform_socket } from 'puretls/edge';

interface Env {
  readonly CA_PEM: string;
  readonly CLIENT_CERT: string;
  readonly CLIENT_KEY: string;
}

async function fetchOverTls(env: Env, port: number, hostname: string, path: string, defaultTrust: boolean, tls12: boolean): Promise<Record<string, unknown>> {
  const context = defaultTrust ? ssl.create_default_context() : ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: env.CA_PEM });
  if (tls12) context.maximum_version = ssl.TLSVersion.TLSv1_2;
  context.load_cert_chain_data(env.CLIENT_CERT, env.CLIENT_KEY);
  const sock = await from_platform_socket(connect({ hostname: '127.0.0.1', port }));
  const tls = await context.wrap_socket(sock, { server_hostname: hostname });
  try {
    await tls.sendall(new TextEncoder().encode(`GET ${path} HTTP/1.0\r\n\r\n`));
    const response = await tls.makefile('rb').read();
    return {
      version: tls.version(),
      cipher: tls.cipher(),
      subject: (tls.getpeercert() as { subject?: unknown }).subject,
      peer: tls.getpeername(),
      response: new TextDecoder().decode(response),
      // No Node compatibility is configured: there is no `process`, so nothing can reach node:* through it.
      processGlobal: typeof (globalThis as { process?: unknown }).process,
    };
  } finally {
    await tls.close();
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/ping') return new Response('pong');
    try {
      const query = url.searchParams;
      return Response.json(await fetchOverTls(env, Number(query.get('port')), query.get('hostname') ?? 'localhost', query.get('path') ?? '/', query.get('trust') === 'default', query.get('version') === 'TLSv1.2'));
    } catch (error) {
      const e = error as ssl.SSLCertVerificationError;
      return Response.json({ error: { name: e.name, message: e.message, verify_code: e.verify_code ?? null, verify_message: e.verify_message ?? null } });
    }
  },
};
