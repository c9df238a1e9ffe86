/**
 * SSLSocket over puretls/socket: our client against our server (one
 * SSLObject per side, the transport read only on SSLWantReadError), and
 * against `openssl s_server` through the WHATWG adapter. Each scenario
 * checks what CPython gives: ragged EOF with and without
 * suppress_ragged_eofs, unwrap then plaintext on the same socket, refused
 * flags, bounded buffering with a reader that stops.
 */
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as socket from '../../src/api/socket.ts';
import * as ssl from '../../src/api/ssl.ts';
import { PLAINTEXT_HIGH_WATER_MARK } from '../../src/api/ssl-object.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startServer } from '../helpers/openssl-peer.ts';
import { describeError, runPython, runPythonAsync, type ErrorShape } from './python-oracle.ts';

const MiB = 1 << 20;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);
const pattern = (length: number, seed = 0) => new Uint8Array(length).map((_, i) => (i * 31 + seed) & 255);
const serverCredential = credential('p256');

afterEach(killAllOpenssl);

function serverContext(): ssl.SSLContext {
  const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  context.load_cert_chain(serverCredential.certFile, serverCredential.keyFile);
  return context;
}

function clientContext(): ssl.SSLContext {
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: serverCredential.caFile });
}

/** A TLS listener on 127.0.0.1 (handshakes in accept) and its port. */
async function tlsListener(options: ssl.WrapSocketOptions = {}): Promise<[ssl.SSLSocket, number]> {
  const sock = await socket.create_server(['127.0.0.1', 0], { backlog: 128 });
  const listener = await serverContext().wrap_socket(sock, { server_side: true, ...options });
  return [listener, listener.getsockname()[1]];
}

async function tlsClient(port: number, options: ssl.WrapSocketOptions = {}): Promise<ssl.SSLSocket> {
  const sock = await socket.create_connection(['127.0.0.1', port], 10);
  return clientContext().wrap_socket(sock, { server_hostname: 'localhost', ...options });
}

describe('SSLSocket between our client and our server', () => {
  it('the seeds server shape: wrap a listening socket, accept handshakes, getpeercert/version/cipher on both sides', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn, address] = await accepted;
    expect(address).toEqual(client.getsockname());
    expect(client.version()).toBe('TLSv1.3');
    expect(conn.version()).toBe('TLSv1.3');
    expect(client.cipher()).toEqual(conn.cipher());
    expect((client.getpeercert() as { subject: unknown }).subject).toEqual([[['commonName', 'localhost']]]);
    expect(conn.getpeercert()).toBeNull();
    expect(client.server_hostname).toBe('localhost');
    expect(conn.server_side).toBe(true);
    expect(client).toBeInstanceOf(socket.socket);
    expect(client.get_verified_chain()!.length).toBe(2);
    await client.sendall(bytes('hello'));
    expect(text(await conn.recv(100))).toBe('hello');
    await client.close();
    // Our close() sent close_notify: the server reads the end of the stream.
    expect((await conn.recv(100)).length).toBe(0);
    await Promise.all([conn.close(), listener.close()]);
  });

  it('non-zero flags are refused with CPython ValueError text', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn] = await accepted;
    await expect(client.recv(10, 1)).rejects.toThrow(new ssl.ValueError("non-zero flags not allowed in calls to recv() on <class 'ssl.SSLSocket'>"));
    await expect(client.send(bytes('x'), 1)).rejects.toThrow("non-zero flags not allowed in calls to send() on <class 'ssl.SSLSocket'>");
    await expect(client.sendall(bytes('x'), 1)).rejects.toThrow("non-zero flags not allowed in calls to sendall() on <class 'ssl.SSLSocket'>");
    await expect(client.recv_into(new Uint8Array(4), 0, 1)).rejects.toThrow("non-zero flags not allowed in calls to recv_into() on <class 'ssl.SSLSocket'>");
    await Promise.all([client.close(), conn.close(), listener.close()]);
  });

  it('a wrong name fails the handshake in wrap_socket with SSLCertVerificationError, and the server accept() sees the alert', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept().catch((e: unknown) => e);
    const sock = await socket.create_connection(['127.0.0.1', port]);
    const error = await clientContext().wrap_socket(sock, { server_hostname: 'wrong.example' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ssl.SSLCertVerificationError);
    expect((error as ssl.SSLCertVerificationError).verify_code).toBe(62);
    expect(sock.fileno()).toBe(-1);
    expect(await accepted).toMatchObject({ name: 'SSLError', reason: 'SSLV3_ALERT_BAD_CERTIFICATE' });
    await listener.close();
  });

  it('16 MiB each way with sendall/recv, byte for byte', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn] = await accepted;
    const echo = (async () => {
      for (;;) {
        const data = await conn.recv(65536);
        if (data.length === 0) break;
        await conn.sendall(data);
      }
      await conn.close();
    })();
    const data = pattern(16 * MiB);
    const received = new Uint8Array(data.length);
    const reading = (async () => {
      let at = 0;
      while (at < received.length) at += await client.recv_into(received.subarray(at));
    })();
    await client.sendall(data);
    await reading;
    expect(Buffer.compare(received, data)).toBe(0);
    await client.close();
    await echo;
    await listener.close();
  });

  it('100 concurrent clients against one server', async () => {
    const [listener, port] = await tlsListener();
    const serving = (async () => {
      const handlers: Promise<void>[] = [];
      for (let i = 0; i < 100; i++) {
        const [conn] = await listener.accept();
        handlers.push((async () => {
          const line = await conn.makefile('rb').readline();
          await conn.sendall(line);
          await conn.close();
        })());
      }
      await Promise.all(handlers);
    })();
    const answers = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const client = await tlsClient(port);
      await client.sendall(bytes(`client ${i}\n`));
      const answer = text(await client.makefile('rb').read());
      await client.close();
      return answer;
    }));
    expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => `client ${i}\n`));
    await serving;
    await listener.close();
  });

  it('ragged EOF: empty bytes with suppress_ragged_eofs, SSLEOFError without, as CPython 3.11 on OpenSSL 3', async () => {
    // The same scenario in Python: the server drops TLS with shutdown() (no close_notify), the client reads.
    const python = runPython<{ suppressed: string; raised: ErrorShape }>(`
import socket, threading
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.load_cert_chain(${JSON.stringify(serverCredential.certFile)}, ${JSON.stringify(serverCredential.keyFile)})
client = ssl.create_default_context(cafile=${JSON.stringify(serverCredential.caFile)})
def scenario(suppress):
    a, b = socket.socketpair()
    t = threading.Thread(target=lambda: server.wrap_socket(a, server_side=True).shutdown(socket.SHUT_RDWR))
    t.start()
    tls = client.wrap_socket(b, server_hostname='localhost', suppress_ragged_eofs=suppress)
    t.join()
    return tls.recv(10)
print(json.dumps({'suppressed': repr(scenario(True)), 'raised': attempt(lambda: scenario(False))['error']}))`);
    expect(python.suppressed).toBe("b''");
    const outcomes: unknown[] = [];
    for (const suppress of [true, false]) {
      const [listener, port] = await tlsListener();
      const accepted = listener.accept();
      const client = await tlsClient(port, { suppress_ragged_eofs: suppress });
      const [conn] = await accepted;
      // CPython's SSLSocket.shutdown drops TLS without close_notify: the peer sees a bare TCP end.
      await conn.shutdown(socket.SHUT_RDWR);
      outcomes.push(await client.recv(10).catch((e: unknown) => e));
      await Promise.all([client.close(), conn.close(), listener.close()]);
    }
    expect(outcomes[0]).toEqual(new Uint8Array(0));
    expect(outcomes[1]).toBeInstanceOf(ssl.SSLEOFError);
    expect(describeError(outcomes[1])).toEqual(python.raised);
  });

  it('unwrap: close_notify both ways, then plaintext on the same socket (STARTTLS)', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn] = await accepted;
    await client.sendall(bytes('secret'));
    expect(text(await conn.recv(100))).toBe('secret');
    const [plainClient, plainServer] = await Promise.all([client.unwrap(), conn.unwrap()]);
    expect(plainClient).toBe(client);
    expect(client.version()).toBeNull();
    await plainServer.sendall(bytes('in the clear'));
    expect(text(await plainClient.recv(100))).toBe('in the clear');
    await expect(plainClient.unwrap()).rejects.toBeInstanceOf(ssl.ValueError);
    await Promise.all([client.close(), conn.close(), listener.close()]);
  });

  it('a reader that stops: the sender waits, the receiver holds at most the high-water mark plus a transport chunk', async () => {
    const [listener, port] = await tlsListener();
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn] = await accepted;
    const total = 32 * MiB; // more than the loopback's kernel buffers take (a few MiB each side)
    let sendDone = false;
    const sending = conn.sendall(pattern(total)).then(() => (sendDone = true));
    let maxHeld = 0;
    const held = () => (maxHeld = Math.max(maxHeld, client.pending() + client._connectedState().channel.buffered));
    expect(text(await client.recv(5)).length).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    held();
    expect(sendDone).toBe(false);
    let received = 5;
    while (received < total) {
      received += (await client.recv(65536)).length;
      held();
    }
    await sending;
    expect(received).toBe(total);
    expect(maxHeld).toBeLessThanOrEqual(PLAINTEXT_HIGH_WATER_MARK + 256 * 1024);
    await Promise.all([client.close(), conn.close(), listener.close()]);
  });

  it('do_handshake_on_connect false: the handshake runs on the first I/O', async () => {
    const [listener, port] = await tlsListener({ do_handshake_on_connect: false });
    const accepted = listener.accept();
    const client = await tlsClient(port, { do_handshake_on_connect: false });
    const [conn] = await accepted;
    expect(client.version()).toBeNull();
    // Both sides' first I/O drives the handshake, so they run together (as two blocking threads would in Python).
    const [, first] = await Promise.all([client.sendall(bytes('first')), conn.recv(100)]);
    expect(text(first)).toBe('first');
    expect(conn.version()).toBe('TLSv1.3');
    await Promise.all([client.close(), conn.close(), listener.close()]);
  });

  it('get_server_certificate returns the server certificate as PEM', async () => {
    const [listener, port] = await tlsListener();
    void listener.accept().then(([conn]) => conn.close(), () => {});
    const pem = await ssl.get_server_certificate(['127.0.0.1', port]);
    expect(ssl.PEM_cert_to_DER_cert(pem)).toEqual(ssl.PEM_cert_to_DER_cert(new TextDecoder().decode(await import('node:fs').then((fs) => fs.readFileSync(serverCredential.certFile)))));
    await listener.close();
  });
});

describe('SSLSocket handshake deadlines: a slow drip cannot hold a connection', () => {
  const HANDSHAKE_TIMED_OUT: ErrorShape = { type: 'TimeoutError', errno: null, library: null, reason: null, text: '_ssl.c:989: The handshake operation timed out' };

  /** Sends `bytes` one per 50 ms on `peer` until they run out or the connection ends; returns how many went. */
  function drip(peer: Socket, bytes: Uint8Array): () => number {
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < bytes.length && !peer.destroyed) peer.write(bytes.subarray(sent, ++sent));
    }, 50);
    peer.on('close', () => clearInterval(timer)).on('error', () => {});
    return () => sent;
  }

  /** Our client's real ClientHello. */
  function clientHello(): Uint8Array {
    const outgoing = new ssl.MemoryBIO();
    const tls = clientContext().wrap_bio(new ssl.MemoryBIO(), outgoing, { server_hostname: 'localhost' });
    expect(() => tls.do_handshake()).toThrow(ssl.SSLWantReadError);
    return outgoing.read();
  }

  /** A server that answers any ClientHello with a record announcing 16 KiB of handshake, a byte per 50 ms. */
  async function drippingServer(): Promise<[Server, number]> {
    const record = new Uint8Array(5 + 16 * 1024).fill(2);
    record.set([0x16, 3, 3, 0x40, 0x00]);
    const server = createServer((peer) => peer.once('data', () => drip(peer, record)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return [server, (server.address() as { port: number }).port];
  }

  it('a client dripping its ClientHello a byte per 50 ms fails accept() after handshake_timeout, though each read gets its byte', async () => {
    const [listener, port] = await tlsListener({ handshake_timeout: 0.5 });
    const accepted = listener.accept().catch((e: unknown) => e);
    const hello = clientHello();
    const peer = netConnect(port, '127.0.0.1');
    const sent = drip(peer, hello);
    const error = await accepted;
    expect(error).toBeInstanceOf(socket.TimeoutError);
    expect(describeError(error)).toEqual(HANDSHAKE_TIMED_OUT);
    // The ClientHello was still incomplete: a blocking socket (no settimeout) would have waited for ever.
    expect(sent()).toBeLessThan(hello.length);
    peer.destroy();
    await listener.close();
  }, 15_000);

  it('settimeout bounds the whole handshake, as CPython does: a server dripping a byte per 50 ms, timeout 0.3 → the TimeoutError Python 3.11 raises', async () => {
    const [server, port] = await drippingServer();
    const python = await runPythonAsync<ErrorShape>(`
import socket
sock = socket.create_connection(('127.0.0.1', ${port}), 0.3)
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
print(json.dumps(attempt(lambda: context.wrap_socket(sock, server_hostname='localhost'))['error']))`);
    expect(python).toEqual(HANDSHAKE_TIMED_OUT);
    const sock = await socket.create_connection(['127.0.0.1', port], 0.3);
    // handshake_timeout off: the socket timeout alone ends it, though no single read waits 0.3 s.
    const error = await clientContext().wrap_socket(sock, { server_hostname: 'localhost', handshake_timeout: null }).catch((e: unknown) => e);
    expect(describeError(error)).toEqual(python);
    expect(sock.fileno()).toBe(-1);
    await new Promise((resolve) => server.close(resolve));
  }, 15_000);

  it('handshake_timeout: 60 s by default, given to accepted sockets, checked as settimeout, and over once the handshake is', async () => {
    const [listener, port] = await tlsListener({ handshake_timeout: 0.3 });
    expect(listener.handshake_timeout).toBe(0.3);
    const accepted = listener.accept();
    const client = await tlsClient(port);
    const [conn] = await accepted;
    expect(client.handshake_timeout).toBe(60);
    expect(conn.handshake_timeout).toBe(0.3);
    // Past the handshake limit, data still flows: it bounded the handshake only.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.sendall(bytes('later'));
    expect(text(await conn.recv(100))).toBe('later');
    await Promise.all([client.close(), conn.close(), listener.close()]);
    const sock = await socket.create_connection(['127.0.0.1', port]).catch(() => new socket.socket());
    await expect(clientContext().wrap_socket(sock, { server_hostname: 'localhost', handshake_timeout: -1 })).rejects.toThrow(new ssl.ValueError('Timeout value out of range'));
    await expect(clientContext().wrap_socket(sock, { server_hostname: 'localhost', handshake_timeout: 'x' as never })).rejects.toThrow(TypeError);
    expect(sock.fileno()).not.toBe(-1);
    await sock.close();
  });
});

describe('SSLSocket over the WHATWG adapter against openssl s_server', () => {
  /** A socket over `Duplex.toWeb` of a node:net connection: the stream pair an edge runtime would give. */
  async function streamSocket(port: number): Promise<socket.socket> {
    const tcp = netConnect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
    const pair = Duplex.toWeb(tcp) as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
    return socket.from_streams(pair);
  }

  it('a handshake and 1 MiB sent, which s_server prints byte for byte', async () => {
    const { server, port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile]);
    const tls = await clientContext().wrap_socket(await streamSocket(port), { server_hostname: 'localhost' });
    expect(tls.version()).toBe('TLSv1.3');
    const data = pattern(MiB, 7);
    await tls.sendall(data);
    await server.until((s) => s.stdoutLength >= MiB, '1 MiB on stdout');
    expect(Buffer.compare(server.stdout.subarray(server.stdoutLength - MiB), data)).toBe(0);
    await tls.close();
  });

  it('a handshake and 1 MiB received from s_server -WWW', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-www-'));
    const data = pattern(MiB, 3);
    writeFileSync(join(dir, 'blob.bin'), data);
    const { port } = await startServer(['-cert', serverCredential.certFile, '-key', serverCredential.keyFile, '-WWW'], dir);
    const tls = await clientContext().wrap_socket(await streamSocket(port), { server_hostname: 'localhost' });
    await tls.sendall(bytes('GET /blob.bin HTTP/1.0\r\n\r\n'));
    const response = await tls.makefile('rb').read();
    const header = 'HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n';
    expect(text(response.subarray(0, header.length))).toBe(header);
    expect(Buffer.compare(response.subarray(header.length), data)).toBe(0);
    await tls.close();
  });
});
