/**
 * puretls/socket's plain TCP semantics, each compared with what Python 3.11
 * raises or returns for the same call (python3 as the oracle where the
 * scenario is one process's view): refused connections, resolution
 * failures, timeouts, half-close, a peer's reset, flags, bind/listen order.
 */
import { describe, expect, it } from 'vitest';
import * as socket from '../../src/api/socket.ts';
import { describeError, runPython, type ErrorShape } from '../api/python-oracle.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

async function rejection(promise: Promise<unknown>): Promise<ErrorShape> {
  try {
    await promise;
  } catch (error) {
    return describeError(error);
  }
  throw new Error('expected a rejection');
}

/** A listening socket on 127.0.0.1 and its port. */
async function listener(): Promise<[socket.socket, number]> {
  const server = new socket.socket();
  server.bind(['127.0.0.1', 0]);
  await server.listen(5);
  return [server, server.getsockname()[1]];
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const [server, port] = await listener();
  await server.close();
  return port;
}

describe('errors as Python raises them', () => {
  it('a refused connection is ConnectionRefusedError(111), and connect_ex returns 111', async () => {
    const port = await closedPort();
    const python = runPython<{ error: ErrorShape; ex: number }>(`
import socket
s = socket.socket()
try:
    s.connect(('127.0.0.1', ${port}))
except OSError as e:
    error = describe(e)
print(json.dumps({'error': error, 'ex': socket.socket().connect_ex(('127.0.0.1', ${port}))}))`);
    const ours = await rejection(new socket.socket().connect(['127.0.0.1', port]));
    expect(ours).toEqual(python.error);
    expect(ours.type).toBe('ConnectionRefusedError');
    expect(await new socket.socket().connect_ex(['127.0.0.1', port])).toBe(python.ex);
  });

  it('an unknown host is gaierror(-2, Name or service not known), also from connect_ex', async () => {
    const python = runPython<ErrorShape>(`
import socket
try:
    socket.create_connection(('nonexistent.invalid', 80))
except OSError as e:
    print(json.dumps(describe(e)))`);
    expect(await rejection(socket.create_connection(['nonexistent.invalid', 80]))).toEqual(python);
    expect(await rejection(new socket.socket().connect_ex(['nonexistent.invalid', 80]))).toEqual(python);
  });

  it('recv past the timeout is TimeoutError("timed out") (socket.timeout), and the bytes that come later are not lost', async () => {
    const [server, port] = await listener();
    const python = runPython<ErrorShape>(`
import socket
srv = socket.create_server(('127.0.0.1', 0))
c = socket.create_connection(srv.getsockname(), timeout=0.05)
try:
    c.recv(1)
except OSError as e:
    print(json.dumps(describe(e)))`);
    const client = await socket.create_connection(['127.0.0.1', port], 0.05);
    const [conn] = await server.accept();
    const error = await client.recv(1).catch((e: unknown) => e);
    expect(describeError(error)).toEqual(python);
    expect(error).toBeInstanceOf(socket.timeout);
    expect(error).toBeInstanceOf(socket.OSError);
    await conn.sendall(bytes('late'));
    expect(text(await client.recv(10))).toBe('late');
    await Promise.all([client.close(), conn.close(), server.close()]);
  });

  it('a non-blocking recv with nothing to read is BlockingIOError(11)', async () => {
    const [server, port] = await listener();
    const client = await socket.create_connection(['127.0.0.1', port]);
    const [conn] = await server.accept();
    client.setblocking(false);
    expect(client.gettimeout()).toBe(0);
    expect(await rejection(client.recv(1))).toEqual({ type: 'BlockingIOError', errno: 11, library: null, reason: null, text: '[Errno 11] Resource temporarily unavailable' });
    await Promise.all([client.close(), conn.close(), server.close()]);
  });

  it('a peer that closes with unread data resets the connection: ConnectionResetError(104)', async () => {
    const [server, port] = await listener();
    const client = await socket.create_connection(['127.0.0.1', port], 5);
    const [conn] = await server.accept();
    // More than the server's buffers take, then the server closes without reading: Linux answers with RST.
    const sending = client.sendall(new Uint8Array(4 << 20)).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await conn.close();
    const error = await client.recv(10).catch((e: unknown) => e);
    expect(describeError(error)).toEqual({ type: 'ConnectionResetError', errno: 104, library: null, reason: null, text: '[Errno 104] Connection reset by peer' });
    const sent = await sending;
    if (sent !== null) expect((sent as Error).name).toMatch(/^(ConnectionResetError|BrokenPipeError)$/);
    await Promise.all([client.close(), server.close()]);
  });

  it('sending after shutdown(SHUT_WR) is BrokenPipeError(32); recv on a closed socket is OSError(9)', async () => {
    const [server, port] = await listener();
    const client = await socket.create_connection(['127.0.0.1', port]);
    const [conn] = await server.accept();
    await client.shutdown(socket.SHUT_WR);
    expect(await rejection(client.send(bytes('x')))).toEqual({ type: 'BrokenPipeError', errno: 32, library: null, reason: null, text: '[Errno 32] Broken pipe' });
    await client.close();
    expect(client.fileno()).toBe(-1);
    expect(await rejection(client.recv(1))).toEqual({ type: 'OSError', errno: 9, library: null, reason: null, text: '[Errno 9] Bad file descriptor' });
    await Promise.all([conn.close(), server.close()]);
  });

  it('recv on an unconnected socket is ENOTCONN; accept on one that does not listen is EINVAL; a busy port is EADDRINUSE', async () => {
    const [server, port] = await listener();
    const python = runPython<Record<string, ErrorShape>>(`
import socket
out = {}
for name, f in [('recv', lambda: socket.socket().recv(1)), ('accept', lambda: socket.socket().accept()),
                ('listen', lambda: (lambda s: (s.bind(('127.0.0.1', ${port})), s.listen()))(socket.socket()))]:
    try:
        f()
    except OSError as e:
        out[name] = describe(e)
print(json.dumps(out))`);
    const busy = new socket.socket();
    busy.bind(['127.0.0.1', port]);
    expect({
      recv: await rejection(new socket.socket().recv(1)),
      accept: await rejection(new socket.socket().accept()),
      listen: await rejection(busy.listen()),
    }).toEqual(python);
    await server.close();
  });
});

describe('stream semantics', () => {
  it('half-close: shutdown(SHUT_WR) ends the peer reads, and the peer can still answer', async () => {
    const [server, port] = await listener();
    const client = await socket.create_connection(['127.0.0.1', port]);
    const [conn, address] = await server.accept();
    expect(address).toEqual(client.getsockname());
    expect(conn.getpeername()).toEqual(client.getsockname());
    await client.sendall(bytes('ping'));
    await client.shutdown(socket.SHUT_WR);
    expect(text(await conn.recv(100))).toBe('ping');
    expect((await conn.recv(100)).length).toBe(0);
    await conn.sendall(bytes('pong'));
    await conn.close();
    expect(text(await client.recv(100))).toBe('pong');
    expect((await client.recv(100)).length).toBe(0);
    await Promise.all([client.close(), server.close()]);
  });

  it('recv_into, makefile readline/read, detach and adoption by fileno', async () => {
    const server = await socket.create_server(['127.0.0.1', 0]);
    const client = await socket.create_connection(['127.0.0.1', server.getsockname()[1]]);
    const [conn] = await server.accept();
    await conn.sendall(bytes('line one\nline two\nrest'));
    await conn.shutdown(socket.SHUT_WR);
    const buffer = new Uint8Array(4);
    expect(await client.recv_into(buffer)).toBe(4);
    expect(text(buffer)).toBe('line');
    const fd = client.detach();
    expect(client.fileno()).toBe(-1);
    await expect(client.recv(1)).rejects.toMatchObject({ name: 'OSError', errno: 9 });
    const adopted = new socket.socket(socket.AF_INET, socket.SOCK_STREAM, 0, fd);
    expect(adopted.fileno()).toBe(fd);
    const file = adopted.makefile('rb');
    expect(text(await file.readline())).toBe(' one\n');
    expect(text(await file.read())).toBe('line two\nrest');
    await Promise.all([adopted.close(), conn.close(), server.close()]);
  });

  it('flags are refused, bufsize is checked as Python does', async () => {
    const server = await socket.create_server(['127.0.0.1', 0]);
    const client = await socket.create_connection(['127.0.0.1', server.getsockname()[1]]);
    await expect(client.recv(-1)).rejects.toThrow(/^negative buffersize in recv$/);
    await expect(client.recv(1, 2)).rejects.toMatchObject({ name: 'NotImplementedError' });
    expect(() => client.settimeout(-1)).toThrow('Timeout value out of range');
    await Promise.all([client.close(), server.close()]);
  });
});
