/**
 * TLS 1.2 as the `ssl` API shows it, compared with Python 3.11 on this
 * machine: `version()`, `cipher()` and `tls-unique` for each server key type
 * with a client capped at TLS 1.2; and puretls's
 * `require_extended_master_secret` refusing a TLS 1.2 peer without RFC 7627.
 */
import { describe, expect, it } from 'vitest';
import * as ssl from '../../src/api/ssl.ts';
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { ExtensionType, ProtocolVersion } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { bioPair, handshake, PY_BIO_PAIR } from './bio-pair.ts';
import { attempt, runPython } from './python-oracle.ts';

const KEY_TYPES: KeyType[] = ['p256', 'rsa2048', 'ed25519'];
const creds = Object.fromEntries(KEY_TYPES.map((k) => [k, credential(k)]));

function contexts(keyType: KeyType): [ssl.SSLContext, ssl.SSLContext] {
  const c = new ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT);
  c.load_verify_locations(creds[keyType]!.caFile);
  c.maximum_version = ssl.TLSVersion.TLSv1_2;
  const s = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
  s.load_cert_chain(creds[keyType]!.certFile, creds[keyType]!.keyFile);
  return [c, s];
}

describe('TLS 1.2 through the ssl API', () => {
  it('version(), cipher() and tls-unique for ECDSA, RSA and Ed25519 servers, as Python reports them', () => {
    const ours = Object.fromEntries(KEY_TYPES.map((k) => {
      const p = bioPair(...contexts(k));
      handshake(p);
      const cb = p.client.get_channel_binding();
      return [k, { version: [p.client.version(), p.server.version()], cipher: [p.client.cipher(), p.server.cipher()], tls_unique: [cb?.length ?? null, cb !== null && cb.every((b, i) => b === p.server.get_channel_binding()![i])] }];
    }));
    const python = runPython<Record<string, unknown>>(`${PY_BIO_PAIR}
r = {}
for k, cred in ${JSON.stringify(Object.fromEntries(KEY_TYPES.map((k) => [k, [creds[k]!.caFile, creds[k]!.certFile, creds[k]!.keyFile]])))}.items():
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); c.load_verify_locations(cred[0]); c.maximum_version = ssl.TLSVersion.TLSv1_2
    s = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); s.load_cert_chain(cred[1], cred[2])
    p = Pair(c, s); handshake(p)
    cb = p.client.get_channel_binding()
    r[k] = {'version': [p.client.version(), p.server.version()], 'cipher': [list(p.client.cipher()), list(p.server.cipher())],
            'tls_unique': [len(cb), cb == p.server.get_channel_binding()]}
print(json.dumps(r))
`);
    expect(JSON.parse(JSON.stringify(ours))).toEqual(python);
    expect((ours.p256 as { cipher: unknown[] }).cipher[0]).toEqual(['ECDHE-ECDSA-AES256-GCM-SHA384', 'TLSv1.2', 256]);
  });

  describe('require_extended_master_secret (puretls): a peer without RFC 7627', () => {
    /** Our engine's client with extended_master_secret removed from its ClientHello, against an SSLObject server. */
    function serverAgainstNoEms(require: boolean) {
      const cred = creds.p256!;
      const s = new ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER);
      s.load_cert_chain(cred.certFile, cred.keyFile);
      s.require_extended_master_secret = require;
      const incoming = new ssl.MemoryBIO();
      const outgoing = new ssl.MemoryBIO();
      const server = s.wrap_bio(incoming, outgoing, { server_side: true });
      const noEms = (extensions: Extension[]) => extensions.filter((e) => e.type !== ExtensionType.extended_master_secret);
      const client = TlsConnection.client(clientDefaults(nobleProvider, { versions: [ProtocolVersion.TLSv1_2], verifier: pinnedVerifier(cred.chain[0]!), clientHelloExtensions: noEms }), 'localhost');
      const result = attempt(() => {
        for (let round = 0; round < 5 && !(client.handshakeComplete && server.version() !== null); round++) {
          incoming.write(client.takeOutgoing());
          try {
            server.do_handshake();
          } catch (error) {
            if (!(error instanceof ssl.SSLWantReadError)) throw error;
          }
          client.receive(outgoing.read());
        }
      });
      return { result, version: server.version() };
    }

    it('is off by default: the full handshake completes, as with OpenSSL 3', () => {
      expect(serverAgainstNoEms(false)).toEqual({ result: { ok: true }, version: 'TLSv1.2' });
    });

    it('on: the server refuses with handshake_failure, reason EXTENDED_MASTER_SECRET_REQUIRED', () => {
      const { result } = serverAgainstNoEms(true);
      expect(result).toMatchObject({ error: { type: 'SSLError', reason: 'EXTENDED_MASTER_SECRET_REQUIRED' } });
    });
  });
});
