// Plain JavaScript run from a folder where the packed puretls is installed (test/package/pack.test.ts):
//   node imports.mjs FIXTURE_DIR SUBPATH...
// imports `puretls` + each subpath, then through puretls/ssl completes an in-memory
// handshake between two SSLObjects over MemoryBIO pairs (as test/smoke/smoke.ts does
// unbuilt), and prints one JSON line of what it saw.
import { join } from 'node:path';

const [fixtures, ...subpaths] = process.argv.slice(2);
const exportCounts = {};
for (const subpath of subpaths) {
  const module = await import(subpath === '.' ? 'puretls' : `puretls${subpath.slice(1)}`);
  exportCounts[subpath] = Object.keys(module).length;
}

const ssl = await import('puretls/ssl');
const serverContext = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
serverContext.load_cert_chain(join(fixtures, 'cert.pem'), join(fixtures, 'key.pem'));
const clientContext = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
clientContext.load_verify_locations(join(fixtures, 'cert.pem'));
const [toClient, fromClient, toServer, fromServer] = [new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO()];
const client = clientContext.wrap_bio(toClient, fromClient, { server_hostname: 'localhost' });
const server = serverContext.wrap_bio(toServer, fromServer, { server_side: true });
for (let round = 0; round < 4; round++) {
  for (const side of [client, server]) {
    try {
      side.do_handshake();
    } catch (error) {
      if (!(error instanceof ssl.SSLWantReadError)) throw error;
    }
  }
  toServer.write(fromClient.read());
  toClient.write(fromServer.read());
}
client.write(new TextEncoder().encode('ping'));
toServer.write(fromClient.read());

console.log(
  JSON.stringify({
    node: process.version,
    OPENSSL_VERSION: ssl.OPENSSL_VERSION,
    exportCounts,
    version: client.version(),
    subject: client.getpeercert().subject,
    received: new TextDecoder().decode(server.read()),
  }),
);
