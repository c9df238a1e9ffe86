/**
 * `puretls/node`'s TLSDuplex over real sockets: against `openssl s_server`
 * (handshake, ALPN, 1 MiB each way byte for byte, close_notify both ways),
 * as undici's connector to Node's own HTTPS server, our server side against
 * our client, the failures a Node user sees as 'error' events carrying the
 * Python exception (verification, a close mid-handshake, a ragged EOF), and
 * back-pressure: a reader that stops makes the adapter stop reading its socket.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type TLSDuplex, undiciConnector, wrapServerSocket } from '../../src/api/node.ts';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';
import { DEFAULT_TIMEOUT_MS } from '../helpers/net-pump.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';

const MiB = 1 << 20;
const TEST_TIMEOUT_MS = 30_000;

const serverCredential = credential('p256');
const strangerCredential = credential('p384');

const streams: TLSDuplex[] = [];
const servers: { close(callback: () => void): void; closeAllConnections?: () => void }[] = [];
afterEach(async () => {
  killAllOpenssl();
  for (const stream of streams.splice(0)) stream.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  })));
});

function clientContext(cafile = serverCredential.caFile): ssl.SSLContext {
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile });
}

function serverContext(): ssl.SSLContext {
  const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  context.load_cert_chain(serverCredential.certFile, serverCredential.keyFile);
  return context;
}

/** A client to 127.0.0.1:`port` verifying the name localhost, closed after the test. */
function client(port: number, context = clientContext(), suppressRaggedEofs = false): TLSDuplex {
  const tls = connect({ host: '127.0.0.1', port, servername: 'localhost', context, suppressRaggedEofs });
  streams.push(tls);
  return tls;
}

async function listen<T extends Server | ReturnType<typeof createHttpsServer>>(server: T): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Resolves with the first `size` bytes the stream yields (bounded by a timeout). */
function readBytes(stream: TLSDuplex, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out with ${length} of ${size} bytes`)), DEFAULT_TIMEOUT_MS);
    stream.on('error', reject);
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= size) {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

/** The stream's 'error' (rejects if it connects or ends instead). */
async function failure(stream: TLSDuplex): Promise<unknown> {
  const [error] = await Promise.race([
    once(stream, 'error'),
    once(stream, 'secureConnect').then(() => [new Error('the handshake succeeded')]),
  ]);
  return error;
}

/** `openssl verify`'s code and message for the leaf against `cafile`: the oracle for SSLCertVerificationError. */
function opensslVerify(cafile: string, cert: string): { code: number; message: string } {
  let output = '';
  try {
    execFileSync('openssl', ['verify', '-CAfile', cafile, cert], { stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout: Buffer; stderr: Buffer }).stderr) + String((error as { stdout: Buffer }).stdout);
  }
  const match = /error (\d+) at \d+ depth lookup: (.*)/.exec(output);
  if (!match) throw new Error(`openssl verify accepted the chain:\n${output}`);
  return { code: Number(match[1]), message: match[2]! };
}

describe('TLSDuplex against openssl s_server', () => {
  it('verified TLS 1.3 handshake with ALPN, 1 MiB each way byte for byte, close_notify both ways', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { server, port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile, '-alpn', 'h2,http/1.1']);
    const context = clientContext();
    context.set_alpn_protocols(['http/1.1']);
    const tls = client(port, context);
    await once(tls, 'secureConnect');
    expect(tls.sslObject.version()).toBe('TLSv1.3');
    expect(tls.sslObject.cipher()?.[1]).toBe('TLSv1.3');
    expect(tls.sslObject.selected_alpn_protocol()).toBe('http/1.1');
    expect(tls.alpnProtocol).toBe('http/1.1');
    expect(tls.sslObject.getpeercert(true)).toEqual(serverCredential.chain[0]);
    expect(tls.sslObject.getpeercert()).toMatchObject({ subject: [[['commonName', 'localhost']]] });

    const up = randomBytes(MiB);
    // s_server (without -quiet) takes a letter at the start of a stdin read as a command: no byte here is ASCII.
    const down = randomBytes(MiB).map((byte) => byte | 0x80);
    const received = readBytes(tls, MiB);
    server.write(down);
    tls.write(up);
    expect((await received).equals(down)).toBe(true);
    await server.until((s) => s.stdoutLength >= MiB, '1 MiB on stdout');

    // Our end() sends close_notify; s_server answers with its own, which ends our readable side.
    tls.end();
    await Promise.all([once(tls, 'end'), once(tls, 'close')]);
    await server.waitFor(/DONE\nshutting down SSL\n/);
    const printed = Buffer.from(server.stdout);
    const start = printed.indexOf(up.subarray(0, 64));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(printed.subarray(start, start + MiB).equals(up)).toBe(true);
  });

  it('a CA that did not sign the server: SSLCertVerificationError with openssl verify\'s code and message', async () => {
    const { port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile]);
    const error = await failure(client(port, clientContext(strangerCredential.caFile)));
    const expected = opensslVerify(strangerCredential.caFile, serverCredential.certFile);
    expect(expected.code).toBe(20);
    expect(error).toBeInstanceOf(ssl.SSLCertVerificationError);
    expect(error).toMatchObject({ verify_code: expected.code, verify_message: expected.message, reason: 'CERTIFICATE_VERIFY_FAILED' });
  });

  it('a close without close_notify after data: the data, then SSLEOFError; or a plain end with suppressRaggedEofs', async () => {
    // s_server (without -quiet) sends a stdin line, then on stdin's end drops TCP without SSL_shutdown.
    // The line is written only once our handshake is done: s_server reading stdin's end mid-handshake
    // would close before the data (a race that showed under load).
    const raggedConnection = async (duplex: (port: number) => ReturnType<typeof client>) => {
      const { server, port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile]);
      const connection = duplex(port);
      await once(connection, 'secureConnect');
      server.write('data before the ragged close\n');
      server.endInput();
      return connection;
    };
    const strict = await raggedConnection((port) => client(port));
    const line = readBytes(strict, 29);
    const [error] = await once(strict, 'error');
    expect((await line).toString()).toBe('data before the ragged close\n');
    expect(error).toBeInstanceOf(ssl.SSLEOFError);
    expect(error).toMatchObject({ reason: 'UNEXPECTED_EOF_WHILE_READING' });

    const lenient = await raggedConnection((port) => client(port, clientContext(), true));
    const chunks: Buffer[] = [];
    lenient.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(lenient, 'end');
    expect(Buffer.concat(chunks).toString()).toBe('data before the ragged close\n');
  });
});

describe('TLSDuplex failures on a plain TCP peer', () => {
  it('the peer closes after the ClientHello: SSLEOFError', async () => {
    const port = await listen(createServer((socket) => socket.once('data', () => socket.end())));
    const error = await failure(client(port));
    expect(error).toBeInstanceOf(ssl.SSLEOFError);
    expect(error).toMatchObject({ errno: ssl.SSL_ERROR_EOF, reason: 'UNEXPECTED_EOF_WHILE_READING' });
  });

  it('a refused connection is the socket\'s error', async () => {
    const port = await listen(createServer());
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const error = await failure(client(port));
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('TLSDuplex on both sides (wrapServerSocket)', () => {
  /** A server whose TLSDuplexes are handed to `onSecure`; resolves with its port. */
  async function tlsServer(onSecure: (tls: TLSDuplex, socket: Socket) => void): Promise<number> {
    return listen(createServer((socket) => {
      const tls = wrapServerSocket(socket, serverContext());
      streams.push(tls);
      tls.once('secureConnect', () => onSecure(tls, socket));
    }));
  }

  it('an echo server: 1 MiB back byte for byte, then close_notify ends both', { timeout: TEST_TIMEOUT_MS }, async () => {
    const port = await tlsServer((tls) => tls.pipe(tls));
    const tls = client(port);
    const data = randomBytes(MiB);
    const echoed = readBytes(tls, MiB);
    tls.write(data);
    expect((await echoed).equals(data)).toBe(true);
    // The server's readable side ends on our close_notify; pipe() then ends its writable side: its close_notify ends ours.
    tls.end();
    await Promise.all([once(tls, 'end'), once(tls, 'close')]);
  });

  it('a reader that stops: the client stops reading its socket, then gets all 8 MiB when it reads again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const total = 8 * MiB;
    const data = randomBytes(total);
    let sender: TLSDuplex | undefined;
    const port = await tlsServer((tls) => {
      sender = tls;
      tls.end(data);
    });
    const tls = client(port);
    await once(tls, 'secureConnect');
    const socket = tls.transport as Socket;
    // Nobody reads: once data flows, wait until the socket's byte count has stood still for a while.
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 300));
    while (socket.bytesRead < 64 * 1024) await sleep();
    let last = -1;
    while (socket.bytesRead !== last) {
      last = socket.bytesRead;
      await sleep();
    }
    expect(socket.isPaused()).toBe(true);
    // What is held: the readable buffer (its high-water mark) and at most one socket chunk inside the SSLObject.
    expect(socket.bytesRead).toBeLessThan(MiB);
    expect(tls.readableLength).toBeLessThanOrEqual(tls.readableHighWaterMark + 4 * 16_384);
    expect(tls.sslObject.pending()).toBeLessThanOrEqual(4 * 16_384);

    const received = await readBytes(tls, total);
    expect(received.equals(data)).toBe(true);
    expect(socket.bytesRead).toBeGreaterThan(total);
    // The sender's end() completes (loopback's kernel buffers may have taken all 8 MiB long before).
    if (!sender!.writableFinished) await once(sender!, 'finish');
  });
});

describe('TLSDuplex as undici\'s connector', () => {
  it('fetches a page from Node\'s HTTPS server over TLS 1.3', { timeout: TEST_TIMEOUT_MS }, async () => {
    const server = createHttpsServer({ cert: readFileSync(serverCredential.certFile), key: readFileSync(serverCredential.keyFile) }, (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`hello ${req.url} over ${(req.socket as import('node:tls').TLSSocket).getProtocol()}`);
    });
    const port = await listen(server);
    const connector = undiciConnector(clientContext());
    const used: TLSDuplex[] = [];
    const agent = new Agent({
      connect: (options, callback) => connector(options, (...args) => {
        if (args[1] !== null) used.push(args[1] as unknown as TLSDuplex);
        callback(...args);
      }),
    });
    try {
      // 127.0.0.1: undici sends no SNI for an IP literal, and the certificate's IP SAN is what gets verified.
      const response = await request(`https://127.0.0.1:${port}/page`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      expect(await response.body.text()).toBe('hello /page over TLSv1.3');
      expect(used).toHaveLength(1);
      expect(used[0]!.sslObject.version()).toBe('TLSv1.3');
      expect(used[0]!.sslObject.getpeercert(true)).toEqual(serverCredential.chain[0]);
    } finally {
      await agent.close();
    }
  });
});
