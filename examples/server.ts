/**
 * The ssl module documentation's server, line for line:
 *
 *   context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
 *   context.load_cert_chain('/path/to/certchain.pem', '/path/to/private.key')
 *   with socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0) as sock:
 *       sock.bind(('127.0.0.1', 8443))
 *       sock.listen(5)
 *       with context.wrap_socket(sock, server_side=True) as ssock:
 *           conn, addr = ssock.accept()
 *           ...
 *
 * with `deal_with_client` from the older docs: each client is served
 * concurrently; a request starting with `GET ` gets a small HTTP/1.0 page,
 * anything else is echoed back until the client closes. Prints
 * `listening on HOST:PORT` once ready (port 0 picks a free one).
 *
 *   node examples/server.ts CERTCHAIN KEY [HOST [PORT]]   (or CERTFILE=… KEYFILE=… HOST=… PORT=…)
 *   MAX_CLIENTS=n stops after n clients (for tests).
 */
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';

const certfile = process.argv[2] ?? process.env.CERTFILE ?? '/path/to/certchain.pem';
const keyfile = process.argv[3] ?? process.env.KEYFILE ?? '/path/to/private.key';
const host = process.argv[4] ?? process.env.HOST ?? '127.0.0.1';
const port = Number(process.argv[5] ?? process.env.PORT ?? 8443);
const maxClients = Number(process.env.MAX_CLIENTS ?? Infinity);

const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
context.load_cert_chain(certfile, keyfile);

async function deal_with_client(connstream: ssl.SSLSocket): Promise<void> {
  let data = await connstream.read();
  // empty data means the client is finished with us
  while (data.length > 0) {
    if (!(await do_something(connstream, data as Uint8Array))) break;
    data = await connstream.read();
  }
}

/** Answers one chunk; false when the client has been served. */
async function do_something(connstream: ssl.SSLSocket, data: Uint8Array): Promise<boolean> {
  if (new TextDecoder().decode(data.subarray(0, 4)) !== 'GET ') {
    await connstream.sendall(data);
    return true;
  }
  const body = `<html><body>Hello from puretls (${connstream.version()}, ${connstream.cipher()?.[0]})</body></html>\n`;
  await connstream.sendall(new TextEncoder().encode(`HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
  return false;
}

// Python's `with` blocks: `await using` does the same on Node 24, Deno and Bun; try/finally also runs on Node 22.
const sock = new socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0);
try {
  sock.bind([host, port]);
  await sock.listen(5);
  const ssock = await context.wrap_socket(sock, { server_side: true });
  try {
    console.log(`listening on ${ssock.getsockname().join(':')}`);
    const clients: Promise<void>[] = [];
    for (let served = 0; served < maxClients; served++) {
      let conn: ssl.SSLSocket;
      try {
        [conn] = await ssock.accept();
      } catch (error) {
        // A client whose handshake failed: report it and go on serving the others.
        console.error(String(error));
        continue;
      }
      clients.push(deal_with_client(conn).catch((error) => console.error(String(error))).finally(() => conn.close()));
    }
    await Promise.all(clients);
  } finally {
    await ssock.close();
  }
} finally {
  await sock.close();
}
