/**
 * A client and a server `SSLObject` joined by MemoryBIOs, and the same thing
 * in Python (`PY_BIO_PAIR`), so a scenario can be run on both sides step for
 * step: `shuttle` moves the bytes once each way, `handshake` runs both sides
 * until they finish or one raises something other than SSLWantReadError.
 * @module
 */
import * as ssl from '../../src/api/ssl.ts';

export interface BioPair {
  readonly client: ssl.SSLObject;
  readonly server: ssl.SSLObject;
  readonly toClient: ssl.MemoryBIO;
  readonly fromClient: ssl.MemoryBIO;
  readonly toServer: ssl.MemoryBIO;
  readonly fromServer: ssl.MemoryBIO;
}

export function bioPair(clientContext: ssl.SSLContext, serverContext: ssl.SSLContext, hostname: string | null = 'localhost'): BioPair {
  const [toClient, fromClient, toServer, fromServer] = [new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO()];
  return {
    client: clientContext.wrap_bio(toClient, fromClient, { server_hostname: hostname }),
    server: serverContext.wrap_bio(toServer, fromServer, { server_side: true }),
    toClient,
    fromClient,
    toServer,
    fromServer,
  };
}

export function shuttle(p: BioPair): void {
  p.toServer.write(p.fromClient.read());
  p.toClient.write(p.fromServer.read());
}

/** One handshake step: true when done, false on SSLWantReadError; anything else is thrown. */
function step(side: ssl.SSLObject): boolean {
  try {
    side.do_handshake();
    return true;
  } catch (error) {
    if (error instanceof ssl.SSLWantReadError) return false;
    throw error;
  }
}

/** Client step, shuttle, server step, shuttle… until both are done; the first real failure is thrown. */
export function handshake(p: BioPair): void {
  for (let round = 0; round < 10; round++) {
    const done = [step(p.client), step(p.server)];
    shuttle(p);
    if (done.every(Boolean)) return;
  }
  throw new Error('handshake did not finish');
}

/**
 * `handshake` that records what each side raised instead of throwing: the
 * failing side's error, then the other side's error (or "ok") after it has
 * read what the failing side sent.
 */
export function handshakeOutcome(p: BioPair, describe: (e: unknown) => unknown): { client: unknown; server: unknown } {
  const result: { client: unknown; server: unknown } = { client: 'pending', server: 'pending' };
  for (let round = 0; round < 10; round++) {
    for (const [name, side] of [['client', p.client], ['server', p.server]] as const) {
      if (result[name] !== 'pending') continue;
      try {
        if (step(side)) result[name] = 'ok';
      } catch (error) {
        result[name] = describe(error);
      }
      shuttle(p);
    }
    if (result.client !== 'pending' && result.server !== 'pending') break;
  }
  return result;
}

/** The Python side: `pair(cctx, sctx, host)`, `shuttle(p)`, `outcome(p)` mirror the functions above. */
export const PY_BIO_PAIR = `
class Pair:
    def __init__(self, cctx, sctx, host='localhost'):
        self.ci, self.co, self.si, self.so = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
        self.client = cctx.wrap_bio(self.ci, self.co, server_hostname=host)
        self.server = sctx.wrap_bio(self.si, self.so, server_side=True)
def shuttle(p):
    p.si.write(p.co.read()); p.ci.write(p.so.read())
def step(side):
    try:
        side.do_handshake(); return True
    except ssl.SSLWantReadError:
        return False
def handshake(p):
    for _ in range(10):
        done = [step(p.client), step(p.server)]
        shuttle(p)
        if all(done): return
    raise RuntimeError('handshake did not finish')
def outcome(p):
    r = {'client': 'pending', 'server': 'pending'}
    for _ in range(10):
        for name, side in (('client', p.client), ('server', p.server)):
            if r[name] != 'pending': continue
            try:
                if step(side): r[name] = 'ok'
            except Exception as e:
                r[name] = describe(e)
            shuttle(p)
        if r['client'] != 'pending' and r['server'] != 'pending': break
    return r
`;
