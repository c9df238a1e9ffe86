/**
 * The ssl module documentation's client with a custom context:
 *
 *   # PROTOCOL_TLS_CLIENT requires valid cert chain and hostname
 *   context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
 *   context.load_verify_locations('path/to/cabundle.pem')
 *   with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
 *       with context.wrap_socket(sock, server_hostname=hostname) as ssock:
 *           print(ssock.version())
 *
 * Here the socket is wrapped first and connected after (as the docs' older
 * example does), so the handshake runs in `connect()`.
 *
 *   node examples/client-custom-context.ts CABUNDLE [HOST [PORT]]   (or CAFILE=… HOST=… PORT=…)
 */
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';

const cafile = process.argv[2] ?? process.env.CAFILE ?? 'path/to/cabundle.pem';
const hostname = process.argv[3] ?? process.env.HOST ?? 'www.python.org';
const port = Number(process.argv[4] ?? process.env.PORT ?? 443);

// PROTOCOL_TLS_CLIENT requires valid cert chain and hostname
const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
context.load_verify_locations(cafile);
// Python's `with` blocks: `await using` does the same on Node 24, Deno and Bun; try/finally also runs on Node 22.
const sock = new socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0);
try {
  const ssock = await context.wrap_socket(sock, { server_hostname: hostname });
  try {
    await ssock.connect([hostname, port]);
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
