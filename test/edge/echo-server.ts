/**
 * `openssl s_server` as an echo server for one connection: in `-quiet` mode
 * its stdout is exactly the plaintext the client sent and its stdin exactly
 * what it sends back (no lines taken as commands), so the test feeds each
 * chunk of stdout back into stdin. `-quiet` also hides the ACCEPT line that
 * `startServer` waits for, so the port is chosen first and the listening
 * socket found in /proc/net/tcp, which does not use up its one connection.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { OpensslProcess } from '../helpers/openssl-peer.ts';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something listens on 127.0.0.1:`port` (state 0A is LISTEN in /proc/net/tcp). */
function listening(port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    return fields[1] === local && fields[3] === '0A';
  });
}

export interface EchoServer {
  readonly server: OpensslProcess;
  readonly port: number;
  /** Resolves once `total` bytes went through, with every byte the server received. */
  echoed(total: number): Promise<Uint8Array>;
}

/** s_server -quiet for one connection on a free port of 127.0.0.1, with `args` (certificate, versions). */
export async function startEchoServer(args: readonly string[]): Promise<EchoServer> {
  const port = await freePort();
  const server = new OpensslProcess(['s_server', '-accept', `127.0.0.1:${port}`, '-naccept', '1', '-quiet', ...args]);
  for (let waited = 0; !listening(port); waited += 20) {
    if (server.exited || waited > 10_000) throw new Error(`s_server did not listen on ${port}\n${server.output}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  let forwarded = 0;
  return {
    server,
    port,
    echoed: async (total) => {
      await server.until((s) => {
        if (s.stdoutLength > forwarded) {
          s.write(s.stdout.subarray(forwarded));
          forwarded = s.stdoutLength;
        }
        return forwarded >= total;
      }, `${total} bytes echoed`, 30_000);
      return server.stdout;
    },
  };
}
