/**
 * TLS 1.2 resumption through the `ssl` API, compared with Python 3.11 on this
 * machine step for step: a full handshake, the client's `session`, then a
 * second connection offering it (`wrap_bio(..., session=...)`), by session ID
 * (OP_NO_TICKET) and by ticket (RFC 5077). What both report:
 * `session_reused`, the SSLSession's fields, `tls-unique` on both sides, and
 * `session_stats()` of both contexts.
 */
import { describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';
import { bioPair, handshake, PY_BIO_PAIR } from './bio-pair.ts';
import { runPython } from './python-oracle.ts';

const server = credential('p256');
const f = JSON.stringify;

function contexts(noTicket: boolean): [ssl.SSLContext, ssl.SSLContext] {
  const c = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  c.load_verify_locations(server.caFile);
  c.maximum_version = ssl.TLSVersion.TLSv1_2;
  const s = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  s.load_cert_chain(server.certFile, server.keyFile);
  if (noTicket) s.options |= ssl.OP_NO_TICKET;
  return [c, s];
}

const equalBytes = (a: Uint8Array | null, b: Uint8Array | null) => a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);

function ours(noTicket: boolean) {
  const [c, s] = contexts(noTicket);
  const first = bioPair(c, s);
  handshake(first);
  const session = first.client.session!;
  const describe = (p: ReturnType<typeof bioPair>) => ({
    version: p.client.version(),
    reused: [p.client.session_reused, p.server.session_reused],
    tls_unique_equal: equalBytes(p.client.get_channel_binding(), p.server.get_channel_binding()),
    tls_unique_length: p.client.get_channel_binding()?.length ?? null,
  });
  const firstView = { ...describe(first), has_ticket: session.has_ticket, id_length: session.id.length, timeout: session.timeout, hint: session.ticket_lifetime_hint };
  const [toClient, fromClient, toServer, fromServer] = [new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO(), new ssl.MemoryBIO()];
  const second = {
    client: c.wrap_bio(toClient, fromClient, { server_hostname: 'localhost', session }),
    server: s.wrap_bio(toServer, fromServer, { server_side: true }),
    toClient,
    fromClient,
    toServer,
    fromServer,
  };
  handshake(second);
  const pick = (stats: ssl.SessionStats) => ({ number: stats.number, hits: stats.hits, misses: stats.misses, accept_good: stats.accept_good, connect_good: stats.connect_good });
  return { first: firstView, second: { ...describe(second), same_id: second.client.session!.equals(session) }, server_stats: pick(s.session_stats()), client_stats: pick(c.session_stats()) };
}

const PYTHON = `${PY_BIO_PAIR}
def contexts(no_ticket):
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.load_verify_locations(${f(server.caFile)}); c.maximum_version = ssl.TLSVersion.TLSv1_2
    s = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); s.load_cert_chain(${f(server.certFile)}, ${f(server.keyFile)})
    if no_ticket: s.options |= ssl.OP_NO_TICKET
    return c, s
def describe(p):
    cb = p.client.get_channel_binding()
    return {'version': p.client.version(), 'reused': [p.client.session_reused, p.server.session_reused],
            'tls_unique_equal': cb is not None and cb == p.server.get_channel_binding(), 'tls_unique_length': None if cb is None else len(cb)}
def pick(stats):
    return {k: stats[k] for k in ('number', 'hits', 'misses', 'accept_good', 'connect_good')}
def run(no_ticket):
    c, s = contexts(no_ticket)
    first = Pair(c, s); handshake(first)
    session = first.client.session
    first_view = {**describe(first), 'has_ticket': session.has_ticket, 'id_length': len(session.id), 'timeout': session.timeout, 'hint': session.ticket_lifetime_hint}
    second = Pair.__new__(Pair)
    second.ci, second.co, second.si, second.so = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    second.client = c.wrap_bio(second.ci, second.co, server_hostname='localhost', session=session)
    second.server = s.wrap_bio(second.si, second.so, server_side=True)
    handshake(second)
    return {'first': first_view, 'second': {**describe(second), 'same_id': second.client.session == session},
            'server_stats': pick(s.session_stats()), 'client_stats': pick(c.session_stats())}
print(json.dumps({'ids': run(True), 'tickets': run(False)}))
`;

describe('TLS 1.2 resumption through the ssl API, compared with Python 3.11', () => {
  it('by session ID and by ticket: session_reused, SSLSession, tls-unique and session_stats() as Python reports them', () => {
    const python = runPython<Record<string, unknown>>(PYTHON);
    const mine = { ids: ours(true), tickets: ours(false) };
    expect(mine).toEqual(python);
    expect(mine.ids.second.reused).toEqual([true, true]);
    expect(mine.tickets.first.has_ticket).toBe(true);
  });
});
