/**
 * ALPN when the client offers protocols and none is the server's (RFC 7301
 * §3.2): 'refuse' sends no_application_protocol, 'continue' goes on without
 * ALPN. CPython 3.11 on OpenSSL 3.0, run here as the oracle, continues: its
 * server carries on with no protocol selected on either side.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { decodeEncryptedExtensions } from '../../src/handshake/messages/encrypted-extensions.ts';
import { findExtension } from '../../src/handshake/messages/extensions.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { AlertReceived } from '../../src/wire/errors.ts';
import { AlertDescription as A, ExtensionType, HandshakeType } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pair } from '../helpers/tamper.ts';
import type { Wire } from '../helpers/tamper.ts';
import { expectFatal } from './fatal.ts';

const NO_OVERLAP = { client: { alpnProtocols: [utf8('http/1.1')] }, server: { alpnProtocols: [utf8('h2')] } } as const;

/** A Python server with set_alpn_protocols(['h2']) and a client offering only http/1.1, over MemoryBIOs. */
const PYTHON = `
import json, ssl, sys
server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server.load_cert_chain(sys.argv[1], sys.argv[2])
server.set_alpn_protocols(['h2'])
client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
client.check_hostname = False
client.verify_mode = ssl.CERT_NONE
client.set_alpn_protocols(['http/1.1'])
c_in, c_out, s_in, s_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
c = client.wrap_bio(c_in, c_out, server_hostname='localhost')
s = server.wrap_bio(s_in, s_out, server_side=True)
errors = {}
for _ in range(8):
    for name, obj in (('client', c), ('server', s)):
        if name in errors: continue
        try: obj.do_handshake()
        except ssl.SSLWantReadError: pass
        except ssl.SSLError as e: errors[name] = e.reason
    s_in.write(c_out.read()); c_in.write(s_out.read())
print(json.dumps({'errors': errors, 'version': c.version(), 'client': c.selected_alpn_protocol(), 'server': s.selected_alpn_protocol()}))
`;

function eeAlpn(wire: Wire): Uint8Array | undefined {
  const ee = wire.sent.server.find((i) => i.kind === 'handshake' && i.type === HandshakeType.encrypted_extensions);
  if (ee?.kind !== 'handshake') throw new Error('no EncryptedExtensions sent');
  return findExtension(decodeEncryptedExtensions(ee.body).extensions, ExtensionType.application_layer_protocol_negotiation);
}

describe('ALPN with no protocol in common', () => {
  it('CPython\'s server (3.11, OpenSSL 3.0) continues without ALPN', () => {
    const cred = credential('p256');
    const out = execFileSync('python3', ['-c', PYTHON, cred.certFile, cred.keyFile], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ errors: {}, version: 'TLSv1.3', client: null, server: null });
  });

  it('\'continue\' does the same: the handshake completes, nothing is selected, EncryptedExtensions has no ALPN', () => {
    const wire = pair({ ...NO_OVERLAP, server: { ...NO_OVERLAP.server, alpnNoOverlap: 'continue' } });
    expect(wire.pump()).toBeNull();
    expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
    expect(wire.client.negotiated.alpnProtocol).toBeNull();
    expect(wire.server.negotiated.alpnProtocol).toBeNull();
    expect(eeAlpn(wire)).toBeUndefined();
  });

  it('\'continue\' still selects a protocol when there is one in common', () => {
    const wire = pair({ client: { alpnProtocols: [utf8('http/1.1'), utf8('h2')] }, server: { alpnProtocols: [utf8('h2')], alpnNoOverlap: 'continue' } });
    expect(wire.pump()).toBeNull();
    expect(wire.client.negotiated.alpnProtocol).toEqual(utf8('h2'));
    expect(eeAlpn(wire)).toBeDefined();
  });

  it('\'refuse\' (the default) sends no_application_protocol, which the client reports', () => {
    for (const server of [NO_OVERLAP.server, { ...NO_OVERLAP.server, alpnNoOverlap: 'refuse' as const }]) {
      const wire = pair({ ...NO_OVERLAP, server });
      const failure = wire.pump();
      expectFatal(wire, failure, { side: 'server', cause: 'NoApplicationProtocol', alert: A.no_application_protocol });
      expectFatal(wire, wire.send('server', failure!.sent), { side: 'client', type: AlertReceived, alert: null, received: A.no_application_protocol });
    }
  });
});
