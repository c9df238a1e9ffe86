/**
 * The public `SSLObject` over real sockets (bio-socket-pump.ts) against
 * `openssl s_server`/`s_client`: 10 MiB each way and close_notify, then bad
 * peers — garbage instead of a ServerHello, a close in the middle of the
 * handshake, a close without close_notify after data, certificates failing
 * verification. For every bad peer Python 3.11 pumps its own `SSLObject`
 * against the same peer (the same bytes) and the exceptions must match:
 * class, errno, library, reason, text, verify_code, and the data read first.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';
import type { Credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import { BioSocketPump, listenBio } from './bio-socket-pump.ts';
import type { BioPumpServer } from './bio-socket-pump.ts';
import { type ErrorShape, describeError, runPythonAsync } from './python-oracle.ts';

const MiB = 1 << 20;
const BULK = 10 * MiB;
const BULK_TIMEOUT_MS = 120_000;
const TEST_TIMEOUT_MS = 30_000;

const serverCredential = credential('p256');
const strangerCredential = credential('p384');

const pumps: BioSocketPump[] = [];
const servers: (BioPumpServer | Server)[] = [];
afterEach(async () => {
  killAllOpenssl();
  for (const pump of pumps.splice(0)) pump.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => ('port' in s ? s.close().then(() => resolve()) : s.close(() => resolve())))));
});

function clientContext(): ssl.SSLContext {
  return ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: serverCredential.caFile });
}

function serverArgs(cred: Credential): string[] {
  return ['-cert', cred.certFile, '-key', cred.keyFile];
}

async function connect(port: number, hostname = 'localhost'): Promise<BioSocketPump> {
  const pump = await BioSocketPump.connect(clientContext(), port, hostname);
  pumps.push(pump);
  return pump;
}

/** Random bytes without ASCII letters: s_server (without -quiet) takes a letter at the start of a stdin read as a command. */
function stdinSafeData(size: number): Buffer {
  const data = randomBytes(size);
  for (let i = 0; i < size; i++) {
    const byte = data[i]!;
    if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) data[i] = byte | 0x80;
  }
  return data;
}

describe('SSLObject over a socket against openssl', () => {
  it('our client ↔ s_server: verified handshake, 10 MiB each way byte for byte, close_notify both ways', { timeout: BULK_TIMEOUT_MS }, async () => {
    const { server, port } = await startServer(serverArgs(serverCredential));
    const pump = await connect(port);
    await pump.do_handshake();
    expect(pump.tls.version()).toBe('TLSv1.3');
    expect(pump.tls.getpeercert(true)).toEqual(serverCredential.chain[0]);
    const up = randomBytes(BULK);
    const down = stdinSafeData(BULK);
    // s_server sends what it reads on stdin and prints what it receives.
    server.write(down);
    const [received] = await Promise.all([pump.readExactly(BULK, BULK_TIMEOUT_MS), pump.sendAll(up)]);
    expect(Buffer.from(received).equals(down)).toBe(true);
    await pump.unwrap();
    // s_server prints DONE after the data it read, once our close_notify arrived.
    await server.waitFor(/DONE\nshutting down SSL\n/, 'stdout', BULK_TIMEOUT_MS);
    const printed = Buffer.from(server.stdout);
    const start = printed.indexOf(up.subarray(0, 64));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(printed.subarray(start, start + BULK).equals(up)).toBe(true);
  });

  it('s_client ↔ our server: verified by s_client, 10 MiB echoed byte for byte, close_notify both ways', { timeout: BULK_TIMEOUT_MS }, async () => {
    const context = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    context.load_cert_chain(serverCredential.certFile, serverCredential.keyFile);
    const listener = await listenBio(context);
    servers.push(listener);
    // -quiet: stdin is data only, stdout is data only; -verify_return_error fails the handshake on a bad chain or name.
    const client = startClient(listener.port, ['-CAfile', serverCredential.caFile, '-verify_return_error', '-verify_hostname', 'localhost', '-quiet']);
    const pump = await listener.accepted();
    await pump.do_handshake();
    expect(pump.tls.version()).toBe('TLSv1.3');
    const data = randomBytes(BULK);
    client.write(data);
    const received: Buffer[] = [];
    for (let total = 0; total < BULK; ) {
      const chunk = await pump.read(256 * 1024, BULK_TIMEOUT_MS);
      received.push(Buffer.from(chunk));
      total += chunk.length;
      await pump.sendAll(chunk);
    }
    expect(Buffer.concat(received).equals(data)).toBe(true);
    await client.until((c) => c.stdoutLength >= BULK, '10 MiB on stdout', BULK_TIMEOUT_MS);
    expect(Buffer.from(client.stdout).equals(data)).toBe(true);
    await pump.unwrap();
    expect(await client.exit()).toBe(0);
  });
});

/** What a client saw from a bad peer: the handshake, the data it read, and how reading ended. */
interface Seen {
  readonly handshake: { ok: true } | { error: ErrorShape };
  readonly data: string;
  readonly end: ErrorShape | 'empty' | null;
}

/** Our client against 127.0.0.1:`port`: the handshake, then reads until something other than data comes. */
async function ourClient(port: number, hostname: string, afterHandshake: () => void = () => {}): Promise<Seen> {
  const pump = await connect(port, hostname);
  let handshake: Seen['handshake'];
  try {
    await pump.do_handshake();
    handshake = { ok: true };
    afterHandshake();
  } catch (error) {
    return { handshake: { error: describeError(error) }, data: '', end: null };
  }
  let data = '';
  for (;;) {
    try {
      const chunk = await pump.read();
      if (chunk.length === 0) return { handshake, data, end: 'empty' };
      data += Buffer.from(chunk).toString('latin1');
    } catch (error) {
      return { handshake, data, end: describeError(error) };
    }
  }
}

/** The same client in Python 3.11: an SSLObject pumped over a socket by hand, as bio-socket-pump.ts does. */
const PY_CLIENT = `
import socket, threading
def flush(sock, out):
    b = out.read()
    if b:
        try: sock.sendall(b)
        except OSError: pass
def run(op, sock, inc, out):
    while True:
        try:
            r = op()
        except ssl.SSLWantReadError:
            flush(sock, out)
            try: d = sock.recv(65536)
            except ConnectionResetError: d = b''
            if d: inc.write(d)
            else: inc.write_eof()
            continue
        except Exception:
            flush(sock, out); raise
        flush(sock, out)
        return r
def client(port, host):
    ctx = ssl.create_default_context(cafile=${JSON.stringify(serverCredential.caFile)})
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname=host)
    # A peer that never answers must fail the script rather than wait for the suite's timeout.
    sock = socket.create_connection(('127.0.0.1', port), timeout=10)
    try:
        run(obj.do_handshake, sock, inc, out)
    except Exception as e:
        return {'handshake': {'error': describe(e)}, 'data': '', 'end': None}
    data = b''
    while True:
        try:
            chunk = run(lambda: obj.read(65536), sock, inc, out)
        except Exception as e:
            return {'handshake': {'ok': True}, 'data': data.decode('latin1'), 'end': describe(e)}
        if not chunk:
            return {'handshake': {'ok': True}, 'data': data.decode('latin1'), 'end': 'empty'}
        data += chunk
`;

function pythonClient(port: number, hostname: string): Promise<Seen> {
  return runPythonAsync<Seen>(`${PY_CLIENT}\nprint(json.dumps(client(${port}, ${JSON.stringify(hostname)})))`);
}

/**
 * A TCP peer that reads the ClientHello, answers `junk` and closes its side
 * (then drains, so the close is a FIN and not a reset).
 */
function junkPeer(junk: Uint8Array): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(junk));
    socket.resume();
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** The same peer inside the Python script, so that Python's client meets the same bytes without a second process. */
function pythonAgainstJunk(junk: Uint8Array): Promise<Seen> {
  return runPythonAsync<Seen>(`${PY_CLIENT}
junk = bytes.fromhex(${JSON.stringify(Buffer.from(junk).toString('hex'))})
listener = socket.socket(); listener.bind(('127.0.0.1', 0)); listener.listen(1)
def serve():
    conn, _ = listener.accept()
    conn.recv(65536)
    conn.sendall(junk)
    conn.shutdown(socket.SHUT_WR)
    try:
        while conn.recv(65536): pass
    except OSError: pass
    conn.close()
threading.Thread(target=serve, daemon=True).start()
print(json.dumps(client(listener.getsockname()[1], 'localhost')))
`);
}

const JUNK: readonly { readonly name: string; readonly bytes: Uint8Array }[] = [
  { name: 'an HTTP response', bytes: new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n') },
  { name: 'a handshake record with an unknown message type', bytes: Uint8Array.of(0x16, 0x03, 0x03, 0x00, 0x04, 0x63, 0x00, 0x00, 0x00) },
  { name: 'a truncated ServerHello', bytes: Uint8Array.of(0x16, 0x03, 0x03, 0x00, 0x06, 0x02, 0x00, 0x00, 0x02, 0x03, 0x03) },
  { name: 'a plaintext handshake_failure alert', bytes: Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28) },
  { name: 'a record longer than 2^14 + 256 bytes', bytes: Uint8Array.of(0x16, 0x03, 0x03, 0xff, 0xff, 0x02) },
  { name: 'an application_data record before the ServerHello', bytes: Uint8Array.of(0x17, 0x03, 0x03, 0x00, 0x02, 0x01, 0x02) },
];

describe('bad peers raise what Python 3.11 raises', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const { name, bytes } of JUNK) {
    it(`garbage instead of a ServerHello: ${name}`, async () => {
      const ours = await ourClient(await junkPeer(bytes), 'localhost');
      expect(ours.handshake).toHaveProperty('error');
      expect(ours).toEqual(await pythonAgainstJunk(bytes));
    });
  }

  it('a TCP close right after the ClientHello is SSLEOFError UNEXPECTED_EOF_WHILE_READING', async () => {
    const empty = new Uint8Array(0);
    const ours = await ourClient(await junkPeer(empty), 'localhost');
    expect(ours.handshake).toEqual({
      error: { type: 'SSLEOFError', errno: ssl.SSL_ERROR_EOF, library: 'SSL', reason: 'UNEXPECTED_EOF_WHILE_READING', text: '[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol' },
    });
    expect(ours).toEqual(await pythonAgainstJunk(empty));
  });

  it('a close without close_notify after data: the data is read first, then SSLEOFError', async () => {
    // s_server (without -quiet) sends the line, then on stdin's end drops TCP without SSL_shutdown.
    const { server, port } = await startServer(serverArgs(serverCredential));
    // Written once our handshake is done: s_server reading stdin's end mid-handshake would close before the data.
    const sendThenDrop = () => {
      server.write('some data before the ragged close\n');
      server.endInput();
    };
    // CPython 3.10+ on OpenSSL 3: SSL_R_UNEXPECTED_EOF_WHILE_READING is SSLEOFError (the Python comparison is left out: see the report).
    expect(await ourClient(port, 'localhost', sendThenDrop)).toEqual({
      handshake: { ok: true },
      data: 'some data before the ragged close\n',
      end: { type: 'SSLEOFError', errno: ssl.SSL_ERROR_EOF, library: 'SSL', reason: 'UNEXPECTED_EOF_WHILE_READING', text: '[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol' },
    });
  });

  describe('a server certificate failing verification', () => {
    /** A leaf for localhost from the trusted test CA that expired: `-days -1` puts notAfter a day before notBefore. */
    function expiredLeaf(): Credential {
      const dir = mkdtempSync(join(tmpdir(), 'puretls-expired-'));
      const from = serverCredential.dir;
      execFileSync('openssl', ['x509', '-req', '-in', join(from, 'leaf.csr'), '-CA', join(from, 'ca.pem'), '-CAkey', join(from, 'ca.key'),
        '-set_serial', '4242', '-out', join(dir, 'leaf.pem'), '-days', '-1', '-extfile', join(from, 'leaf.ext')], { stdio: 'ignore' });
      copyFileSync(serverCredential.keyFile, join(dir, 'leaf.key'));
      return { ...serverCredential, dir, certFile: join(dir, 'leaf.pem'), keyFile: join(dir, 'leaf.key') };
    }

    const cases: readonly { readonly name: string; readonly cred: () => Credential; readonly hostname: string; readonly code: number }[] = [
      { name: 'an unknown CA', cred: () => strangerCredential, hostname: 'localhost', code: 20 },
      { name: 'the wrong hostname', cred: () => serverCredential, hostname: 'example.com', code: 62 },
      { name: 'an expired certificate', cred: expiredLeaf, hostname: 'localhost', code: 10 },
    ];
    for (const { name, cred, hostname, code } of cases) {
      it(`${name} is SSLCertVerificationError with verify_code ${code}`, async () => {
        const args = serverArgs(cred());
        const ours = await ourClient((await startServer(args)).port, hostname);
        expect(ours.handshake).toMatchObject({ error: { type: 'SSLCertVerificationError', reason: 'CERTIFICATE_VERIFY_FAILED', verify_code: code } });
        expect(ours).toEqual(await pythonClient((await startServer(args)).port, hostname));
      });
    }
  });
});
