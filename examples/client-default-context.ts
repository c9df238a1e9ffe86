/**
 * The ssl module documentation's first client example, line for line:
 *
 *   context = ssl.create_default_context()
 *   with socket.create_connection((hostname, 443)) as sock:
 *       with context.wrap_socket(sock, server_hostname=hostname) as ssock:
 *           print(ssock.version())
 *
 * plus a `GET /` so that something is exchanged. The default context trusts
 * the system's CAs (`SSL_CERT_FILE` overrides them, as with CPython).
 *
 *   node examples/client-default-context.ts [HOST [PORT]]     (or HOST=… PORT=…)
 *   deno run -A examples/client-default-context.ts …   ·   bun examples/client-default-context.ts …
 */
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';

const hostname = process.argv[2] ?? process.env.HOST ?? 'www.python.org';
const port = Number(process.argv[3] ?? process.env.PORT ?? 443);

const context = ssl.create_default_context();
// Python's `with` blocks: `await using` does the same on Node 24, Deno and Bun; try/finally also runs on Node 22.
const sock = await socket.create_connection([hostname, port]);
try {
  const ssock = await context.wrap_socket(sock, { server_hostname: hostname });
  try {
    console.log(ssock.version());
    await ssock.sendall(new TextEncoder().encode(`GET / HTTP/1.0\r\nHost: ${hostname}\r\n\r\n`));
    const response = await ssock.makefile('rb').readline();
    console.log(new TextDecoder().decode(response).trimEnd());
  } finally {
    await ssock.close();
  }
} finally {
  await sock.close();
}
