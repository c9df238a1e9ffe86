/**
 * Version negotiation through the `ssl` API against OpenSSL restricted with
 * `-tls1_2`, `-tls1_3` or `-no_tls1_3`, both directions: our client
 * (`SSLContext(PROTOCOL_TLS_CLIENT)` + `wrap_socket`) against `s_server`, and
 * our server (`SSLContext(PROTOCOL_TLS_SERVER)` + `wrap_socket(server_side)`)
 * against `s_client`, with `minimum_version` and `maximum_version` each unset,
 * TLSv1_2 or TLSv1_3, and (both unset) `OP_NO_TLSv1_2` or `OP_NO_TLSv1_3`.
 * Each cell is what `version()` says, or the exception.
 *
 * Python 3.11 on this machine runs the same 66 cells against openssl peers
 * started with the same arguments, and every cell must match it (type, errno, library, reason,
 * text); each cell is also checked against the rule it follows, so that the
 * intent reads without the oracle: the highest version both sides enable;
 * none in common is the peer's protocol_version alert on a client
 * (TLSV1_ALERT_PROTOCOL_VERSION) and UNSUPPORTED_PROTOCOL on a server, whose
 * protocol_version alert s_client reports; minimum above maximum is NO_PROTOCOLS_AVAILABLE before
 * anything is sent. No cell differs from Python, so none is a deliberate
 * difference.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as socket from '../../src/api/socket.ts';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';
import { killAllOpenssl, startClient, startServer } from '../helpers/openssl-peer.ts';
import { type ErrorShape, describeError, runPythonAsync } from './python-oracle.ts';

const cred = credential('p256');
const TIMEOUT_MS = 30_000;
const ORACLE_TIMEOUT_MS = 90_000;

const RESTRICTIONS = ['-tls1_2', '-tls1_3', '-no_tls1_3'] as const;
type Restriction = (typeof RESTRICTIONS)[number];
type Version = 'TLSv1_2' | 'TLSv1_3';
type Option = 'OP_NO_TLSv1_2' | 'OP_NO_TLSv1_3';

/** A context's version settings; null leaves one unset. */
interface Setting {
  readonly min: Version | null;
  readonly max: Version | null;
  readonly option: Option | null;
}

const VERSION_SETTINGS = [null, 'TLSv1_2', 'TLSv1_3'] as const;
/** Every minimum × maximum, then each option on its own. */
const SETTINGS: readonly Setting[] = [
  ...VERSION_SETTINGS.flatMap((min) => VERSION_SETTINGS.map((max) => ({ min, max, option: null }))),
  { min: null, max: null, option: 'OP_NO_TLSv1_2' },
  { min: null, max: null, option: 'OP_NO_TLSv1_3' },
];
type Side = 'client' | 'server';

/** A cell: the version negotiated, or the exception raised. */
type Outcome = string | ErrorShape;

const open: { close(): void }[] = [];
afterEach(() => {
  killAllOpenssl();
  for (const s of open.splice(0)) s.close();
});

function cellName(restriction: Restriction, { min, max, option }: Setting): string {
  return `${restriction} min=${min ?? 'unset'} max=${max ?? 'unset'}${option ? ` ${option}` : ''}`;
}

/** Versions each side enables, as numbers for comparison (1.2 → 2, 1.3 → 3). */
const RANK = { TLSv1_2: 2, TLSv1_3: 3 } as const;
const PEER_RANGE: Record<Restriction, readonly [number, number]> = { '-tls1_2': [2, 2], '-tls1_3': [3, 3], '-no_tls1_3': [2, 2] };

function sslError(reason: string, text: string): ErrorShape {
  return { type: 'SSLError', errno: 1, library: 'SSL', reason, text: `[SSL: ${reason}] ${text}` };
}

/** The rule the header states. */
function expected(side: Side, restriction: Restriction, { min, max, option }: Setting): Outcome {
  const low = option === 'OP_NO_TLSv1_2' ? 3 : min === null ? 2 : RANK[min];
  const high = option === 'OP_NO_TLSv1_3' ? 2 : max === null ? 3 : RANK[max];
  if (low > high) return sslError('NO_PROTOCOLS_AVAILABLE', 'no protocols available');
  const [peerLow, peerHigh] = PEER_RANGE[restriction];
  const common = Math.min(high, peerHigh);
  if (common < Math.max(low, peerLow)) {
    return side === 'client' ? sslError('TLSV1_ALERT_PROTOCOL_VERSION', 'tlsv1 alert protocol version') : sslError('UNSUPPORTED_PROTOCOL', 'unsupported protocol');
  }
  return common === 3 ? 'TLSv1.3' : 'TLSv1.2';
}

function context(side: Side, { min, max, option }: Setting): ssl.SSLContext {
  const c = new ssl.SSLContext(side === 'client' ? ssl.PROTOCOL_TLS_CLIENT : ssl.PROTOCOL_TLS_SERVER);
  if (side === 'client') c.load_verify_locations(cred.caFile);
  else c.load_cert_chain(cred.certFile, cred.keyFile);
  if (min !== null) c.minimum_version = ssl.TLSVersion[min];
  if (max !== null) c.maximum_version = ssl.TLSVersion[max];
  if (option !== null) c.options |= ssl[option];
  return c;
}

async function outcome(handshake: () => Promise<ssl.SSLSocket>): Promise<Outcome> {
  try {
    const tls = await handshake();
    open.push(tls);
    return tls.version()!;
  } catch (error) {
    return describeError(error);
  }
}

/** Our client against `openssl s_server <restriction>`. */
async function ourClient(restriction: Restriction, setting: Setting): Promise<Outcome> {
  const { port } = await startServer(['-cert', cred.certFile, '-key', cred.keyFile, restriction]);
  const sock = await socket.create_connection(['127.0.0.1', port], 10);
  open.push(sock);
  return outcome(() => context('client', setting).wrap_socket(sock, { server_hostname: 'localhost' }));
}

/** Our server against `openssl s_client <restriction>`; s_client must report the alert we send when we refuse its versions. */
async function ourServer(restriction: Restriction, setting: Setting): Promise<Outcome> {
  const listener = await socket.create_server(['127.0.0.1', 0]);
  open.push(listener);
  const peer = startClient(listener.getsockname()[1] as number, [restriction]);
  const [conn] = await listener.accept();
  open.push(conn);
  const result = await outcome(() => context('server', setting).wrap_socket(conn, { server_side: true }));
  if (typeof result !== 'string' && result.reason === 'UNSUPPORTED_PROTOCOL') await peer.waitFor(/alert protocol version/, 'stderr');
  return result;
}

/** The same cells in Python 3.11, each against its own openssl process, as one JSON table keyed by cellName. */
function pythonTable(side: Side): Promise<Record<string, Outcome>> {
  return runPythonAsync<Record<string, Outcome>>(`
import socket, subprocess
CA, CERT, KEY = ${JSON.stringify([cred.caFile, cred.certFile, cred.keyFile])}
def context(side, mn, mx, option):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT if side == 'client' else ssl.PROTOCOL_TLS_SERVER)
    if side == 'client': c.load_verify_locations(CA)
    else: c.load_cert_chain(CERT, KEY)
    if mn: c.minimum_version = getattr(ssl.TLSVersion, mn)
    if mx: c.maximum_version = getattr(ssl.TLSVersion, mx)
    if option: c.options |= getattr(ssl, option)
    return c
def outcome(handshake):
    try:
        with handshake() as tls:
            return tls.version()
    except Exception as e:
        return describe(e)
def client(restriction, mn, mx, option):
    peer = subprocess.Popen(['openssl', 's_server', '-accept', '127.0.0.1:0', '-naccept', '1', '-cert', CERT, '-key', KEY, restriction],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        while port is None:
            m = re.match(r'ACCEPT 127\\.0\\.0\\.1:(\\d+)', peer.stdout.readline())
            port = m and int(m.group(1))
        with socket.create_connection(('127.0.0.1', port)) as sock:
            return outcome(lambda: context('client', mn, mx, option).wrap_socket(sock, server_hostname='localhost'))
    finally:
        peer.kill()
def server(restriction, mn, mx, option):
    with socket.create_server(('127.0.0.1', 0)) as listener:
        peer = subprocess.Popen(['openssl', 's_client', '-connect', '127.0.0.1:%d' % listener.getsockname()[1], restriction],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            conn, _ = listener.accept()
            with conn:
                return outcome(lambda: context('server', mn, mx, option).wrap_socket(conn, server_side=True))
        finally:
            peer.kill()
run = client if ${JSON.stringify(side)} == 'client' else server
table = {}
for restriction in ${JSON.stringify(RESTRICTIONS)}:
    for s in json.loads('${JSON.stringify(SETTINGS)}'):
        name = '%s min=%s max=%s%s' % (restriction, s['min'] or 'unset', s['max'] or 'unset', ' ' + s['option'] if s['option'] else '')
        table[name] = run(restriction, s['min'], s['max'], s['option'])
print(json.dumps(table))
`);
}

for (const side of ['client', 'server'] as const) {
  const peer = side === 'client' ? 's_server' : 's_client';
  describe(`our ${side} against openssl ${peer}: minimum_version × maximum_version, OP_NO_TLSv1_2/3`, { timeout: TIMEOUT_MS }, () => {
    let python: Record<string, Outcome>;
    beforeAll(async () => {
      python = await pythonTable(side);
    }, ORACLE_TIMEOUT_MS);

    for (const restriction of RESTRICTIONS) {
      for (const setting of SETTINGS) {
        const name = cellName(restriction, setting);
        const rule = expected(side, restriction, setting);
        it(`${name} → ${typeof rule === 'string' ? rule : rule.reason}`, async () => {
          const ours = side === 'client' ? await ourClient(restriction, setting) : await ourServer(restriction, setting);
          expect(python[name]).toEqual(rule);
          expect(ours).toEqual(python[name]);
        });
      }
    }
  });
}
