/**
 * What puretls costs a Cloudflare worker, measured in the real runtime
 * (`workerd` from devDependencies), for docs/edge-and-browser.md:
 * - the library bundle (`puretls/ssl` + `puretls/edge`, esbuild, minified):
 *   bytes, gzip and brotli (Cloudflare's size limits count compressed bytes);
 * - cold start: from spawning workerd to its socket listening (workerd
 *   compiles and evaluates every worker before it listens) and to the first
 *   answer, for a worker with puretls and for an empty worker;
 * - the first TLS 1.3 handshake with a client certificate (cold code) and the
 *   following ones (warm), each a whole request: connect, handshake, a
 *   small GET, close — against one `openssl s_server -Verify 1 -WWW`.
 *
 *   npx node bench/edge-workerd.ts [runs=10]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { credential } from '../test/helpers/credentials.ts';
import { OpensslProcess, killAllOpenssl } from '../test/helpers/openssl-peer.ts';
import { prepareWorkerd, startWorkerd } from '../test/edge/workerd.ts';
import * as socket from '../src/api/socket.ts';
import * as ssl from '../src/api/ssl.ts';

const runs = Number(process.argv[2] ?? 10);
const server = credential('p256', 'localhost');
const client = credential('p256', 'worker-client');
const secrets = { clientCert: readFileSync(client.certFile, 'utf8'), clientKey: readFileSync(client.keyFile, 'utf8') };

/** A config with one worker (workerd compiles every worker before listening, and the test config has two). */
function oneWorkerConfig(modules: string[], bindings: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "one", worker = (modules = [ ${modules.map((m) => `(name = "${m}", esModule = embed "${m}")`).join(', ')} ], compatibilityDate = "2025-09-01", globalOutbound = "loopback", bindings = [ ${bindings} ])),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "right-ca", address = "127.0.0.1:0", http = (), service = "one") ],
);
`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

/** The same request from Node (node:net), for scale: the machine, not workerd, sets most of the time. */
async function nodeRequest(port: number): Promise<number> {
  const [, elapsed] = await timed(async () => {
    const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cadata: readFileSync(server.caFile, 'utf8') });
    context.load_cert_chain_data(secrets.clientCert, secrets.clientKey);
    const tls = await context.wrap_socket(await socket.create_connection(['127.0.0.1', port]), { server_hostname: 'localhost' });
    await tls.sendall(new TextEncoder().encode('GET /hello.txt HTTP/1.0\r\n\r\n'));
    await tls.makefile('rb').read();
    await tls.close();
  });
  return elapsed;
}

/** Spawn → listening → first answer to `path`, once. */
async function coldStart(dir: string, config: string, port: number | null): Promise<{ listen: number; firstAnswer: number; handshake?: number; warm?: number[] }> {
  const start = performance.now();
  const workerd = await startWorkerd(dir, secrets, ['right-ca'], config);
  const listen = performance.now() - start;
  try {
    await (await fetch(`http://127.0.0.1:${workerd.ports['right-ca']}/ping`)).text();
    const firstAnswer = performance.now() - start;
    if (port === null) return { listen, firstAnswer };
    const tls = async () => {
      const answer = (await (await fetch(`http://127.0.0.1:${workerd.ports['right-ca']}/tls?port=${port}&path=/hello.txt`)).json()) as { version?: string; error?: unknown };
      if (answer.version !== 'TLSv1.3') throw new Error(`handshake failed: ${JSON.stringify(answer)}\n${workerd.output()}`);
    };
    const [, handshake] = await timed(tls);
    const warm: number[] = [];
    for (let i = 0; i < 10; i++) warm.push((await timed(tls))[1]);
    return { listen, firstAnswer, handshake, warm };
  } finally {
    workerd.child.kill('SIGKILL');
  }
}

const { dir, library } = await prepareWorkerd({ caPem: readFileSync(server.caFile, 'utf8'), otherCaPem: readFileSync(client.caFile, 'utf8') });
writeFileSync(join(dir, 'empty.js'), "export default { fetch: () => new Response('pong') };\n");
writeFileSync(join(dir, 'empty.capnp'), oneWorkerConfig(['empty.js'], ''));
writeFileSync(join(dir, 'puretls.capnp'), oneWorkerConfig(['worker.js', 'puretls.js'], '(name = "CA_PEM", text = embed "ca.pem"), (name = "CLIENT_CERT", fromEnvironment = "CLIENT_CERT"), (name = "CLIENT_KEY", fromEnvironment = "CLIENT_KEY")'));
writeFileSync(join(dir, 'hello.txt'), 'hello\n');
const brotliBytes = brotliCompressSync(readFileSync(library.file)).length;
console.log(`library bundle (puretls/ssl + puretls/edge, minified ES module): ${(library.bytes / 1024).toFixed(0)} KiB, gzip ${(library.gzipBytes / 1024).toFixed(0)} KiB, brotli ${(brotliBytes / 1024).toFixed(0)} KiB`);

const s_server = new OpensslProcess(['s_server', '-accept', '127.0.0.1:0', '-cert', server.certFile, '-key', server.keyFile, '-Verify', '1', '-verify_return_error', '-CAfile', client.caFile, '-WWW'], dir);
const port = Number((await s_server.waitFor(/^ACCEPT 127\.0\.0\.1:(\d+)$/m))[1]);
try {
  const empty: Awaited<ReturnType<typeof coldStart>>[] = [];
  const withTls: Awaited<ReturnType<typeof coldStart>>[] = [];
  for (let i = 0; i < runs; i++) {
    empty.push(await coldStart(dir, 'empty.capnp', null));
    withTls.push(await coldStart(dir, 'puretls.capnp', port));
  }
  const row = (name: string, list: typeof empty) => console.log(`${name}: spawn→listening ${ms(median(list.map((r) => r.listen)))}, spawn→first answer ${ms(median(list.map((r) => r.firstAnswer)))}`);
  console.log(`workerd cold start, median of ${runs}:`);
  row('  empty worker        ', empty);
  row('  worker with puretls ', withTls);
  console.log(`  puretls adds ${ms(median(withTls.map((r) => r.listen)) - median(empty.map((r) => r.listen)))} before listening`);
  const node: number[] = [];
  for (let i = 0; i < 10 * runs; i++) node.push(await nodeRequest(port));
  console.log(`TLS 1.3 request with a client certificate (P-256, x25519), median of ${runs}: first in a fresh isolate ${ms(median(withTls.map((r) => r.handshake!)))}, warm ${ms(median(withTls.flatMap((r) => r.warm!)))}; the same from Node ${ms(median(node.slice(runs)))} warm`);
} finally {
  killAllOpenssl();
}
