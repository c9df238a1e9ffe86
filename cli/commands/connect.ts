/**
 * `puretls connect HOST:PORT [...]`: a TLS client in the spirit of `openssl
 * s_client`. It prints (on stderr) the negotiated version, cipher, ALPN, the
 * verification result and the server's certificate dict, then copies stdin
 * to the connection and the connection to stdout, byte for byte, until the
 * server closes. Verification is `create_default_context()`'s unless
 * `--insecure`.
 * @module
 */
import process from 'node:process';
import * as socket from 'puretls/socket';
import * as ssl from 'puretls/ssl';
import * as x509 from 'puretls/x509';
import { parseHostPort } from '../address.ts';
import { onelineName } from '../certificate-text.ts';
import { UsageError } from '../failure.ts';
import { parseOptions, text } from '../options.ts';
import { sessionLines } from '../session-text.ts';
import { SHARED_HELP, SHARED_OPTIONS, applySharedOptions } from '../tls-options.ts';

const HELP = `usage: puretls connect HOST:PORT [options]

Connects, prints the session on stderr, then copies stdin to the server and
the server's bytes to stdout until the server closes.

  --cafile F         trust the CA certificates in F (PEM) instead of the system's
  --capath D         trust a hashed directory of CA certificates (c_rehash)
  --servername NAME  the name to send (SNI) and to verify; HOST when absent
  --cert F --key F   present this client certificate and key
  --insecure         do not verify the certificate or the name
${SHARED_HELP}`;

export async function connect(args: string[]): Promise<number> {
  const parsed = parseOptions('connect', args, {
    ...SHARED_OPTIONS,
    cafile: { type: 'string' },
    capath: { type: 'string' },
    servername: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    insecure: { type: 'boolean' },
  });
  if (parsed.values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) throw new UsageError('connect: give one HOST:PORT (puretls connect --help)');
  const [host, port] = parseHostPort(target, 'connect');
  const context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: text(parsed, 'cafile') ?? null, capath: text(parsed, 'capath') ?? null });
  if (parsed.values.insecure) {
    context.check_hostname = false;
    context.verify_mode = ssl.CERT_NONE;
  }
  const cert = text(parsed, 'cert');
  if (cert === undefined && text(parsed, 'key') !== undefined) throw new UsageError('connect: --key needs --cert');
  if (cert !== undefined) context.load_cert_chain(cert, text(parsed, 'key') ?? null);
  applySharedOptions(context, parsed, 'connect');

  const sock = await socket.create_connection([host, port]);
  let tls: ssl.SSLSocket;
  try {
    tls = await context.wrap_socket(sock, { server_hostname: text(parsed, 'servername') ?? host });
  } catch (error) {
    await sock.close();
    throw error;
  }
  const err = (line: string) => process.stderr.write(`${line}\n`);
  err(`connected to ${target}`);
  for (const line of sessionLines(tls)) err(line);
  err(`  verification: ${verificationText(tls, Boolean(parsed.values.insecure))}`);
  await pipe(tls);
  return 0;
}

function verificationText(tls: ssl.SSLSocket, insecure: boolean): string {
  if (insecure) return 'skipped (--insecure)';
  const chain = tls.get_verified_chain() ?? [];
  const anchor = chain[chain.length - 1];
  const name = tls.server_hostname === null ? '' : `, and the name '${tls.server_hostname}'`;
  return `OK: ${chain.length} certificate(s) up to ${anchor === undefined ? 'a trusted CA' : onelineName(x509.decode_certificate(anchor).subject)}${name}`;
}

/** stdin → connection and connection → stdout; done when the server closes (stdin's end only stops the sending). */
async function pipe(tls: ssl.SSLSocket): Promise<void> {
  const sending = (async () => {
    for await (const chunk of process.stdin) await tls.sendall(new Uint8Array(chunk as Buffer));
  })();
  try {
    for (let data = await tls.recv(65536); data.length > 0; data = await tls.recv(65536)) {
      if (!process.stdout.write(data)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    }
  } finally {
    process.stdin.destroy();
    await tls.close();
  }
  // A send that failed because the server closed first is not an error of the session.
  await sending.catch(() => undefined);
}
