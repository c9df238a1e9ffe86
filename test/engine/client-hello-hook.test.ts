/**
 * The server's ClientHello hook (what Python's `sni_callback` is built on): it
 * sees the first ClientHello before anything is chosen, its configuration
 * answers the whole handshake (certificates, ALPN, groups, client
 * authentication), it runs once even across a HelloRetryRequest, and an alert
 * it throws reaches the client as that alert.
 */
import { describe, expect, it } from 'vitest';
import { nobleProvider } from '../../src/crypto/noble.ts';
import type { ClientHelloSummary, ServerConfig } from '../../src/handshake/config.ts';
import { serverDefaults } from '../../src/handshake/config.ts';
import { serverNameExtension } from '../../src/handshake/messages/server-name.ts';
import { fromUtf8, utf8 } from '../../src/wire/bytes.ts';
import { AlertReceived, ApplicationAlert, ProtocolError } from '../../src/wire/errors.ts';
import { AlertDescription as A, CipherSuite, ExtensionType, NamedGroup, ProtocolVersion, SignatureScheme } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import { pair } from '../helpers/tamper.ts';
import type { PairOptions, Wire } from '../helpers/tamper.ts';
import { setExtension } from './edits.ts';
import { expectFatal } from './fatal.ts';

const localhost = credential('p256');
const other = credential('p384', 'other.example');

/** A hook that records what it saw and answers with `answer(hello)`. */
function recordingHook(answer: (hello: ClientHelloSummary) => ServerConfig) {
  const seen: ClientHelloSummary[] = [];
  return { seen, hook: (hello: ClientHelloSummary) => (seen.push(hello), answer(hello)) };
}

function withHook(hook: ServerConfig['clientHelloHook'], options: PairOptions = {}): Wire {
  return pair({ ...options, server: { certificates: [localhost], ...options.server, clientHelloHook: hook } });
}

const swapForOther = (hello: ClientHelloSummary) =>
  serverDefaults(nobleProvider, { certificates: [hello.serverName === 'other.example' ? other : localhost] });

describe('the ClientHello hook', () => {
  it('sees the first ClientHello as offered', () => {
    const { seen, hook } = recordingHook(() => serverDefaults(nobleProvider, { certificates: [localhost], alpnProtocols: [utf8('h2')] }));
    const client = {
      alpnProtocols: [utf8('h2'), utf8('http/1.1')],
      cipherSuites: [CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256],
      groups: [NamedGroup.secp256r1, NamedGroup.x25519],
      signatureSchemes: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pss_rsae_sha256],
    };
    const wire = withHook(hook, { client, serverName: 'localhost' });
    expect(wire.pump()).toBeNull();
    expect(seen).toEqual([{
      serverName: 'localhost',
      alpnProtocols: client.alpnProtocols,
      cipherSuites: client.cipherSuites,
      signatureSchemes: client.signatureSchemes,
      groups: client.groups,
    }]);
  });

  it('without SNI it sees a null name and no ALPN as an empty list', () => {
    const { seen, hook } = recordingHook(swapForOther);
    const wire = withHook(hook, { serverName: null, client: { verifier: pinnedVerifier(localhost.chain[0]!) } });
    expect(wire.pump()).toBeNull();
    expect(seen.map((h) => [h.serverName, h.alpnProtocols])).toEqual([[null, []]]);
    expect(wire.client.negotiated.peerCertificates).toEqual(localhost.chain);
  });

  it('swaps the certificate by SNI name', () => {
    for (const [name, expected] of [['other.example', other], ['localhost', localhost]] as const) {
      const wire = withHook(swapForOther, { serverName: name, client: { verifier: pinnedVerifier(expected.chain[0]!) } });
      expect(wire.pump()).toBeNull();
      expect(wire.client.negotiated.peerCertificates).toEqual(expected.chain);
      expect(wire.server.negotiated.serverName).toBe(name);
    }
  });

  it('swaps ALPN: the hook\'s protocols are the ones negotiated', () => {
    const hook = () => serverDefaults(nobleProvider, { certificates: [localhost], alpnProtocols: [utf8('http/1.1')] });
    const wire = withHook(hook, { client: { alpnProtocols: [utf8('h2'), utf8('http/1.1')] }, server: { alpnProtocols: [utf8('h2')] } });
    expect(wire.pump()).toBeNull();
    expect(fromUtf8(wire.client.negotiated.alpnProtocol!)).toBe('http/1.1');
    expect(fromUtf8(wire.server.negotiated.alpnProtocol!)).toBe('http/1.1');
  });

  it('swaps client authentication and its verifier', () => {
    const client = credential('p256', 'client.example');
    const hook = () => serverDefaults(nobleProvider, { certificates: [localhost], clientAuth: 'required', verifier: pinnedVerifier(client.chain[0]!) });
    const wire = withHook(hook, { client: { clientCertificate: client } });
    expect(wire.pump()).toBeNull();
    expect(wire.server.negotiated.peerCertificates).toEqual(client.chain);
    expect(wire.server.negotiated.verifiedChain).toEqual(client.chain);
  });

  it('runs once across a HelloRetryRequest its own configuration causes', () => {
    // The connection's configuration takes the client's P-256 share; the hook's wants X25519 only.
    const { seen, hook } = recordingHook(() => serverDefaults(nobleProvider, { certificates: [localhost], groups: [NamedGroup.x25519] }));
    const wire = withHook(hook, {
      client: { groups: [NamedGroup.secp256r1, NamedGroup.x25519], keyShareGroups: [NamedGroup.secp256r1] },
      server: { groups: [NamedGroup.secp256r1, NamedGroup.x25519] },
    });
    expect(wire.pump()).toBeNull();
    expect(seen).toHaveLength(1);
    expect(wire.server.negotiated.helloRetryRequest).toBe(true);
    expect(wire.client.negotiated.group).toBe(NamedGroup.x25519);
  });

  it('a second ClientHello that changes server_name is refused (RFC 8446 §4.1.2): the hook chose by the first', () => {
    let hellos = 0;
    const renamed = (extensions: Parameters<typeof setExtension>[0]) =>
      hellos++ === 0 ? [...extensions] : setExtension(extensions, ExtensionType.server_name, serverNameExtension('other.example'));
    const { seen, hook } = recordingHook(() => serverDefaults(nobleProvider, { certificates: [localhost], groups: [NamedGroup.x25519] }));
    const wire = withHook(hook, {
      client: { groups: [NamedGroup.secp256r1, NamedGroup.x25519], keyShareGroups: [NamedGroup.secp256r1], clientHelloExtensions: renamed },
    });
    const error = expectFatal(wire, wire.pump(), { side: 'server', cause: 'IllegalParameter', alert: A.illegal_parameter });
    expect(error.message).toContain('server_name');
    expect(seen.map((h) => h.serverName)).toEqual(['localhost']);
  });

  for (const alert of [A.unrecognized_name, A.handshake_failure, A.access_denied]) {
    it(`an ApplicationAlert(${alert}) it throws is sent once and reaches the client as that alert`, () => {
      const wire = withHook(() => {
        throw new ApplicationAlert(alert);
      });
      const failure = wire.pump();
      const error = expectFatal(wire, failure, { side: 'server', type: ApplicationAlert, cause: 'ApplicationAlert', alert });
      expect((error as ApplicationAlert).reason).toBe('CALLBACK_FAILED');
      expectFatal(wire, wire.send('server', failure!.sent), { side: 'client', type: AlertReceived, alert: null, received: alert });
    });
  }

  it('any other exception from the hook is an internal_error', () => {
    const wire = withHook(() => {
      throw new TypeError('the callback is broken');
    });
    const error = expectFatal(wire, wire.pump(), { side: 'server', cause: 'InternalError', alert: A.internal_error });
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain('the callback is broken');
  });

  it('is not called for a ClientHello that is refused before negotiation (no version in common)', () => {
    const { seen, hook } = recordingHook(swapForOther);
    const noTls13 = (extensions: Parameters<typeof setExtension>[0]) => setExtension(extensions, ExtensionType.supported_versions, null);
    const wire = withHook(hook, { client: { clientHelloExtensions: noTls13 }, server: { versions: [ProtocolVersion.TLSv1_3] } });
    expectFatal(wire, wire.pump(), { side: 'server', cause: 'UnsupportedVersion', alert: A.protocol_version });
    expect(seen).toEqual([]);
  });
});

describe('ApplicationAlert', () => {
  it('takes any byte as description and nothing else', () => {
    expect(new ApplicationAlert(255).alert).toBe(255);
    expect(new ApplicationAlert(A.unrecognized_name).message).toContain('unrecognized_name');
    for (const bad of [-1, 256, 1.5]) expect(() => new ApplicationAlert(bad)).toThrow(RangeError);
  });
});
