/**
 * `SSLContext` as CPython builds it: the defaults of each protocol and of
 * `create_default_context()` / `_create_unverified_context()`, the interlocks
 * between settings and the errors for refused values, each compared with
 * Python 3.11 doing the same on this machine.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { credential } from '../helpers/credentials.ts';
import { attempt, runPython } from './python-oracle.ts';

const server = credential('p256');

/** The attributes compared, as Python reads them (enums as ints). */
function defaults(context: ssl.SSLContext): Record<string, unknown> {
  return {
    options: context.options,
    verify_mode: context.verify_mode,
    check_hostname: context.check_hostname,
    verify_flags: context.verify_flags,
    minimum_version: context.minimum_version,
    maximum_version: context.maximum_version,
    hostname_checks_common_name: context.hostname_checks_common_name,
    post_handshake_auth: context.post_handshake_auth,
    num_tickets: context.num_tickets,
    security_level: context.security_level,
    keylog_filename: context.keylog_filename,
    sni_callback: context.sni_callback,
    protocol: context.protocol,
  };
}

const PY_DEFAULTS = `
def defaults(c):
    return {'options': int(c.options), 'verify_mode': int(c.verify_mode), 'check_hostname': c.check_hostname,
            'verify_flags': int(c.verify_flags), 'minimum_version': int(c.minimum_version), 'maximum_version': int(c.maximum_version),
            'hostname_checks_common_name': c.hostname_checks_common_name, 'post_handshake_auth': c.post_handshake_auth,
            'num_tickets': c.num_tickets, 'security_level': c.security_level, 'keylog_filename': c.keylog_filename,
            'sni_callback': c.sni_callback, 'protocol': int(c.protocol)}
`;

describe('SSLContext defaults', () => {
  it('match CPython for PROTOCOL_TLS, _CLIENT, _SERVER, TLSv1_2 and the default-context factories', () => {
    const ours = {
      tls: defaults(new ssl.SSLContext(ssl.PROTOCOL_TLS)),
      no_argument: defaults(new ssl.SSLContext()),
      client: defaults(new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)),
      server: defaults(new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)),
      tls12: defaults(new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)),
      default_client: defaults(ssl.create_default_context(ssl.Purpose.SERVER_AUTH, { cafile: server.caFile })),
      default_server: defaults(ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, { cafile: server.caFile })),
      unverified: defaults(ssl._create_unverified_context()),
    };
    const python = runPython<Record<string, Record<string, unknown>>>(`${PY_DEFAULTS}
ca = ${JSON.stringify(server.caFile)}
print(json.dumps({
  'tls': defaults(ssl.SSLContext(ssl.PROTOCOL_TLS)),
  'no_argument': defaults(ssl.SSLContext()),
  'client': defaults(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)),
  'server': defaults(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)),
  'tls12': defaults(ssl.SSLContext(ssl.PROTOCOL_TLSv1_2)),
  'default_client': defaults(ssl.create_default_context(cafile=ca)),
  'default_server': defaults(ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=ca)),
  'unverified': defaults(ssl._create_unverified_context()),
}))`);
    // CPython 3.13's create_default_context adds VERIFY_X509_STRICT | VERIFY_X509_PARTIAL_CHAIN
    // (gh-107361); the 3.11 oracle predates that, so its value is adjusted to 3.13's here.
    for (const key of ['default_client', 'default_server']) {
      python[key]!.verify_flags = (python[key]!.verify_flags as number) | ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN;
    }
    expect(ours).toEqual(python);
    expect(ours.default_client.verify_flags).toBe(ssl.VERIFY_X509_TRUSTED_FIRST | ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN);
  });
});

describe('SSLContext interlocks and refused values', () => {
  it('raise what CPython raises, with the same class and text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'puretls-context-'));
    const notDh = join(dir, 'not-dh.pem');
    writeFileSync(notDh, 'this is not a PEM file\n');
    const missing = join(dir, 'missing.pem');
    const noop = () => null;
    const client = () => new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
    const serverContext = () => new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
    const bio = () => new ssl.MemoryBIO();
    const ours = {
      cert_none_with_check_hostname: attempt(() => (client().verify_mode = ssl.CERT_NONE)),
      check_hostname_raises_verify_mode: (() => {
        const c = new ssl.SSLContext(ssl.PROTOCOL_TLS);
        c.check_hostname = true;
        return [c.verify_mode, c.check_hostname];
      })(),
      check_hostname_off_keeps_verify_mode: (() => {
        const c = client();
        c.check_hostname = false;
        c.verify_mode = ssl.CERT_NONE;
        return [c.verify_mode, c.check_hostname];
      })(),
      invalid_verify_mode: attempt(() => (client().verify_mode = 7)),
      minimum_on_pinned: attempt(() => (new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2).minimum_version = ssl.TLSVersion.TLSv1_3)),
      maximum_on_pinned: attempt(() => (new ssl.SSLContext(ssl.PROTOCOL_TLSv1_2).maximum_version = ssl.TLSVersion.TLSv1_3)),
      unsupported_version: attempt(() => (client().minimum_version = 0x0305)),
      unsupported_version_max: attempt(() => (client().maximum_version = 42)),
      num_tickets_client: attempt(() => (client().num_tickets = 1)),
      num_tickets_tls: attempt(() => (new ssl.SSLContext(ssl.PROTOCOL_TLS).num_tickets = 1)),
      num_tickets_negative: attempt(() => (serverContext().num_tickets = -1)),
      num_tickets_server: (() => {
        const c = serverContext();
        c.num_tickets = 0;
        return c.num_tickets;
      })(),
      sni_callback_client: attempt(() => (client().sni_callback = noop)),
      sni_callback_not_callable: attempt(() => (serverContext().sni_callback = 42 as never)),
      sni_callback_none: attempt(() => (serverContext().sni_callback = null)),
      alpn_empty: attempt(() => serverContext().set_alpn_protocols([''])),
      alpn_256: attempt(() => serverContext().set_alpn_protocols(['a'.repeat(256)])),
      alpn_255: attempt(() => serverContext().set_alpn_protocols(['a'.repeat(255)])),
      server_from_client_context: attempt(() => client().wrap_bio(bio(), bio(), { server_side: true })),
      client_from_server_context: attempt(() => serverContext().wrap_bio(bio(), bio(), { server_side: false })),
      server_hostname_on_server: attempt(() => new ssl.SSLContext(ssl.PROTOCOL_TLS).wrap_bio(bio(), bio(), { server_side: true, server_hostname: 'example.com' })),
      hostname_empty: attempt(() => client().wrap_bio(bio(), bio(), { server_hostname: '' })),
      hostname_leading_dot: attempt(() => client().wrap_bio(bio(), bio(), { server_hostname: '.example.com' })),
      hostname_idna: client().wrap_bio(bio(), bio(), { server_hostname: 'bücher.example' }).server_hostname,
      hostname_upper: client().wrap_bio(bio(), bio(), { server_hostname: 'Example.COM' }).server_hostname,
      invalid_protocol: attempt(() => new ssl.SSLContext(99)),
      set_ciphers_foo: attempt(() => client().set_ciphers('FOO')),
      dh_missing: attempt(() => serverContext().load_dh_params(missing)),
      dh_not_dh: attempt(() => serverContext().load_dh_params(notDh)),
    };
    const python = runPython<Record<string, unknown>>(`
noop = lambda *a: None
client = lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
server = lambda: ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
bio = ssl.MemoryBIO
def setattr_(obj, name, value):
    return lambda: setattr(obj, name, value)
def checked():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS); c.check_hostname = True
    return [int(c.verify_mode), c.check_hostname]
def unchecked():
    c = client(); c.check_hostname = False; c.verify_mode = ssl.CERT_NONE
    return [int(c.verify_mode), c.check_hostname]
def tickets():
    c = server(); c.num_tickets = 0
    return c.num_tickets
r = {
  'cert_none_with_check_hostname': attempt(setattr_(client(), 'verify_mode', ssl.CERT_NONE)),
  'check_hostname_raises_verify_mode': checked(),
  'check_hostname_off_keeps_verify_mode': unchecked(),
  'invalid_verify_mode': attempt(setattr_(client(), 'verify_mode', 7)),
  'minimum_on_pinned': attempt(setattr_(ssl.SSLContext(ssl.PROTOCOL_TLSv1_2), 'minimum_version', ssl.TLSVersion.TLSv1_3)),
  'maximum_on_pinned': attempt(setattr_(ssl.SSLContext(ssl.PROTOCOL_TLSv1_2), 'maximum_version', ssl.TLSVersion.TLSv1_3)),
  'unsupported_version': attempt(setattr_(client(), 'minimum_version', 0x0305)),
  'unsupported_version_max': attempt(setattr_(client(), 'maximum_version', 42)),
  'num_tickets_client': attempt(setattr_(client(), 'num_tickets', 1)),
  'num_tickets_tls': attempt(setattr_(ssl.SSLContext(ssl.PROTOCOL_TLS), 'num_tickets', 1)),
  'num_tickets_negative': attempt(setattr_(server(), 'num_tickets', -1)),
  'num_tickets_server': tickets(),
  'sni_callback_client': attempt(setattr_(client(), 'sni_callback', noop)),
  'sni_callback_not_callable': attempt(setattr_(server(), 'sni_callback', 42)),
  'sni_callback_none': attempt(setattr_(server(), 'sni_callback', None)),
  'alpn_empty': attempt(lambda: server().set_alpn_protocols([''])),
  'alpn_256': attempt(lambda: server().set_alpn_protocols(['a' * 256])),
  'alpn_255': attempt(lambda: server().set_alpn_protocols(['a' * 255])),
  'server_from_client_context': attempt(lambda: client().wrap_bio(bio(), bio(), server_side=True)),
  'client_from_server_context': attempt(lambda: server().wrap_bio(bio(), bio(), server_side=False)),
  'server_hostname_on_server': attempt(lambda: ssl.SSLContext(ssl.PROTOCOL_TLS).wrap_bio(bio(), bio(), server_side=True, server_hostname='example.com')),
  'hostname_empty': attempt(lambda: client().wrap_bio(bio(), bio(), server_hostname='')),
  'hostname_leading_dot': attempt(lambda: client().wrap_bio(bio(), bio(), server_hostname='.example.com')),
  'hostname_idna': client().wrap_bio(bio(), bio(), server_hostname='bücher.example').server_hostname,
  'hostname_upper': client().wrap_bio(bio(), bio(), server_hostname='Example.COM').server_hostname,
  'invalid_protocol': attempt(lambda: ssl.SSLContext(99)),
  'set_ciphers_foo': attempt(lambda: client().set_ciphers('FOO')),
  'dh_missing': attempt(lambda: server().load_dh_params(${JSON.stringify(missing)})),
  'dh_not_dh': attempt(lambda: server().load_dh_params(${JSON.stringify(notDh)})),
}
print(json.dumps(r))`);
    const normalise = (value: unknown) => (value && typeof value === 'object' && 'ok' in value ? { ok: true } : value);
    const expected = Object.fromEntries(Object.entries(python).map(([k, v]) => [k, normalise(v)])) as Record<string, { error: { type: string; text: string } }>;
    expect(ours).toEqual(expected);
    expect(ours.hostname_idna).toBe('xn--bcher-kva.example');
  });
});
