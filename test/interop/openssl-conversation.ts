/**
 * The steps an interop test takes once our engine (a `NetPump`) and an
 * `openssl` process are connected, for either direction: a line each way,
 * close_notify both ways, and 1 MiB echoed through `s_client -quiet`. Any
 * TLS version: only what OpenSSL prints is read.
 * @module
 */
import { expect } from 'vitest';
import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import type { NetPump } from '../helpers/net-pump.ts';
import type { OpensslProcess } from '../helpers/openssl-peer.ts';

/** Reads until the whole `line` has arrived, and checks that nothing else came with it. */
async function readLine(pump: NetPump, line: string): Promise<void> {
  const got = await pump.readUntil((received) => fromUtf8(received).includes(line));
  expect(fromUtf8(got)).toBe(line);
}

/** Our client and s_server: ours shows up on s_server's stdout, the line typed into s_server arrives here. */
export async function exchangeWithServer(pump: NetPump, server: OpensslProcess, tag: string): Promise<void> {
  await pump.sendAll(utf8(`ping ${tag}\n`));
  await server.waitFor(new RegExp(`ping ${tag}\n`));
  server.write(`pong ${tag}\n`);
  await readLine(pump, `pong ${tag}\n`);
}

/** Our server and s_client: what s_client reads from stdin arrives here, and ours shows up on its stdout. */
export async function exchangeWithClient(pump: NetPump, client: OpensslProcess, tag: string): Promise<void> {
  client.write(`ping ${tag}\n`);
  await readLine(pump, `ping ${tag}\n`);
  await pump.sendAll(utf8(`pong ${tag}\n`));
  await client.waitFor(new RegExp(`^pong ${tag}$`, 'm'));
}

/** Our close_notify and the peer's answer (RFC 8446 §6.1, RFC 5246 §7.2.1); then the peer exits. */
async function closeOurs(pump: NetPump): Promise<void> {
  await pump.close();
  await pump.peerClosed();
  expect(pump.connection.read()).toBeNull();
}

/** Closes with s_server, which prints DONE right after the data it read (which need not end a line). */
export async function closeWithServer(pump: NetPump, server: OpensslProcess): Promise<void> {
  await closeOurs(pump);
  await server.waitFor(/DONE\nshutting down SSL\n/);
  expect(await server.exit()).toBe(0);
}

export async function closeWithClient(pump: NetPump, client: OpensslProcess): Promise<void> {
  await closeOurs(pump);
  expect(await client.exit()).toBe(0);
}

/**
 * Writes `data` into `s_client -quiet` (no command letters, nothing but the
 * data on stdout), echoes whatever our server reads, and checks both copies
 * byte for byte.
 */
export async function echoThroughClient(pump: NetPump, client: OpensslProcess, data: Uint8Array): Promise<void> {
  client.write(data);
  const received: Uint8Array[] = [];
  for (let total = 0; total < data.length; ) {
    const chunk = await pump.readUntil((r) => r.length > 0);
    received.push(chunk);
    total += chunk.length;
    await pump.sendAll(chunk);
  }
  expect(bytesEqual(concatBytes(...received), data)).toBe(true);
  await client.until((c) => c.stdoutLength >= data.length, `${data.length} bytes on stdout`);
  expect(bytesEqual(client.stdout, data)).toBe(true);
}
