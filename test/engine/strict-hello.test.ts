/**
 * How strictly the hellos are read (issue 14): a ClientHello's legacy_version
 * (RFC 8446 §4.1.2, §D.5), the second ClientHello after a HelloRetryRequest
 * compared with the first (§4.1.2), key shares of the wrong size for their
 * group (§4.2.8) in either hello, and malformed server_name lists (RFC 6066
 * §3). Each refusal asserts the side, cause and the one alert; each allowed
 * change runs the handshake to the end.
 */
import { describe, expect, it } from 'vitest';
import { earlyDataExtension } from '../../src/handshake/messages/early-data.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { decodeExtension, makeExtension } from '../../src/handshake/messages/extensions.ts';
import { decodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { cookieExtension } from '../../src/handshake/messages/cookie.ts';
import { decodeKeyShareClient, decodeKeyShareServer, keyShareClientExtension, keyShareServerExtension } from '../../src/handshake/messages/key-share.ts';
import { preSharedKeyClientExtension } from '../../src/handshake/messages/psk.ts';
import { decodeSupportedVersionsServer, supportedVersionsClientExtension } from '../../src/handshake/messages/supported-versions.ts';
import { DecodeError } from '../../src/wire/errors.ts';
import type { Writer } from '../../src/wire/codec.ts';
import { concatBytes, utf8 } from '../../src/wire/bytes.ts';
import { AlertDescription as A, CipherSuite, ExtensionType, HandshakeType, NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
import { pair } from '../helpers/tamper.ts';
import type { PairOptions, Rewrite } from '../helpers/tamper.ts';
import { editClientHello, editServerHello, setExtension } from './edits.ts';
import { expectFatal } from './fatal.ts';
import type { Expected } from './fatal.ts';

const { TLSv1_2, TLSv1_3 } = ProtocolVersion;

function refuses(options: PairOptions, expected: Expected, rewrite: Partial<Record<'client' | 'server', Rewrite>> = {}) {
  const wire = pair(options);
  return expectFatal(wire, wire.pump(rewrite), expected);
}

function serverRefuses(options: PairOptions, cause: string, alert: number, client?: Rewrite) {
  return refuses(options, { side: 'server', cause, alert, type: cause === 'MalformedMessage' ? DecodeError : undefined }, client ? { client } : {});
}

/** Runs the handshake to the end and returns the wire. */
function completes(options: PairOptions, client?: Rewrite) {
  const wire = pair(options);
  expect(wire.pump(client ? { client } : {})).toBeNull();
  expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
  return wire;
}

/** Client options whose ClientHello extensions go through `edit` (the client's transcript then agrees). */
function withHello(edit: (extensions: Extension[], nth: number) => Extension[], options: PairOptions = {}): PairOptions {
  let nth = 0;
  return { ...options, client: { ...options.client, clientHelloExtensions: (e) => edit(e, nth++) } };
}

/** The version of the ServerHello answering the client's first flight as `rewrite` leaves it. */
function serverHelloVersion(options: PairOptions, rewrite: Rewrite): number {
  const wire = pair(options);
  const items = wire.take('client').flatMap((item) => rewrite(item) ?? [item]);
  expect(wire.send('client', items)).toBeNull();
  const hello = wire.take('server').find((i) => i.kind === 'handshake' && i.type === HandshakeType.server_hello);
  if (hello?.kind !== 'handshake') throw new Error('no ServerHello');
  const { legacyVersion, extensions } = decodeServerHello(hello.body);
  return decodeExtension(extensions, ExtensionType.supported_versions, decodeSupportedVersionsServer) ?? legacyVersion;
}

const legacyVersion = (version: number, nth = 0) => editClientHello((h) => ({ ...h, legacyVersion: version }), nth);

describe('legacy_version of a ClientHello (RFC 8446 §4.1.2: 0x0303 in TLS 1.3; §D.5: never 0x0300 or less)', () => {
  for (const version of [0x0000, 0x0200, 0x0300, 0x0301, 0x0302]) {
    const hex = `0x${version.toString(16).padStart(4, '0')}`;
    it(`${hex} in a hello offering TLS 1.3 → protocol_version`, () => {
      serverRefuses({}, 'BadLegacyVersion', A.protocol_version, legacyVersion(version));
    });

    it(`${hex} in a hello offering TLS 1.3 and 1.2, to a server that enables only TLS 1.2 → protocol_version`, () => {
      serverRefuses({ server: { versions: [TLSv1_2] } }, 'BadLegacyVersion', A.protocol_version, legacyVersion(version));
    });
  }

  it('0x0300 in a hello whose supported_versions offers only TLS 1.2 → protocol_version (§D.5)', () => {
    const only12 = withHello((e) => setExtension(e, ExtensionType.supported_versions, supportedVersionsClientExtension([TLSv1_2])));
    serverRefuses(only12, 'BadLegacyVersion', A.protocol_version, legacyVersion(0x0300));
  });

  it('0x0300 without supported_versions → protocol_version (nothing we speak is offered)', () => {
    const old = withHello((e) => setExtension(e, ExtensionType.supported_versions, null));
    serverRefuses(old, 'UnsupportedVersion', A.protocol_version, legacyVersion(0x0300));
  });

  it('0x0301 in a hello whose supported_versions offers only TLS 1.2 is not looked at (§4.2.1): a TLS 1.2 ServerHello', () => {
    const only12 = withHello((e) => setExtension(e, ExtensionType.supported_versions, supportedVersionsClientExtension([TLSv1_2])));
    expect(serverHelloVersion(only12, legacyVersion(0x0301))).toBe(TLSv1_2);
  });

  it('0x0304 (above 0x0303) is not looked at either (§4.2.1): a TLS 1.3 ServerHello', () => {
    expect(serverHelloVersion({}, legacyVersion(0x0304))).toBe(TLSv1_3);
  });
});

describe('the second ClientHello after a HelloRetryRequest (RFC 8446 §4.1.2)', () => {
  // The server takes only secp384r1; the client shares x25519 first, so the server asks again.
  const RETRY: PairOptions = { server: { groups: [NamedGroup.secp384r1] } };
  const padding = (length: number): Extension => ({ type: ExtensionType.padding, data: new Uint8Array(length) });
  const psk = (names: readonly string[], age: number): Extension =>
    preSharedKeyClientExtension({ identities: names.map((n) => ({ identity: utf8(n), obfuscatedTicketAge: age })), binders: names.map(() => new Uint8Array(32).fill(age)) });

  describe('what may change', () => {
    it('only the key share: the handshake completes', () => {
      const wire = completes(RETRY);
      expect(wire.server.negotiated.helloRetryRequest).toBe(true);
    });

    it('padding added, resized and removed (RFC 7685): completes', () => {
      for (const [first, second] of [[null, 17], [10, 300], [12, null]] as const) {
        const hello = withHello((e, nth) => {
          const length = nth === 0 ? first : second;
          return length === null ? e : [...e, padding(length)];
        }, RETRY);
        completes(hello);
      }
    });

    it('early_data removed (§4.2.10), pre_shared_key with new ages and binders and an identity dropped (§4.2.11): completes', () => {
      const hello = withHello((e, nth) => (nth === 0 ? [...e, earlyDataExtension(), psk(['a', 'b'], 1)] : [...e, psk(['b'], 2)]), RETRY);
      completes(hello);
    });

    it('pre_shared_key removed altogether (every identity dropped): completes', () => {
      completes(withHello((e, nth) => (nth === 0 ? [...e, psk(['a'], 1)] : e), RETRY));
    });
  });

  describe('what may not change → illegal_parameter', () => {
    const second = (edit: Parameters<typeof editClientHello>[0]) => editClientHello(edit, 1);
    const cases: [string, Rewrite][] = [
      ['legacy_version (0x0303 → 0x0304)', legacyVersion(0x0304, 1)],
      ['random', second((h) => ({ ...h, random: h.random.map((b) => b ^ 1) }))],
      ['legacy_session_id', second((h) => ({ ...h, legacySessionId: new Uint8Array(32).fill(7) }))],
      ['cipher_suites reordered', second((h) => ({ ...h, cipherSuites: [...h.cipherSuites].reverse() }))],
      ['cipher_suites with one more', second((h) => ({ ...h, cipherSuites: [...h.cipherSuites, 0x00ff] }))],
    ];
    for (const [what, rewrite] of cases) {
      it(`${what} changed`, () => serverRefuses(RETRY, 'IllegalParameter', A.illegal_parameter, rewrite));
    }

    const extensionCases: [string, (e: Extension[]) => Extension[]][] = [
      ['two extensions swapped', (e) => [e[1]!, e[0]!, ...e.slice(2)]],
      ['an unknown extension added', (e) => [...e, { type: 0x4a4a, data: new Uint8Array(0) }]],
      ['signature_algorithms removed', (e) => setExtension(e, ExtensionType.signature_algorithms, null)],
      ['server_name changed', (e) => setExtension(e, ExtensionType.server_name, makeExtension(ExtensionType.server_name, (w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('other.test')))))],
      ['supported_groups reordered', (e) => setExtension(e, ExtensionType.supported_groups, makeExtension(ExtensionType.supported_groups, (w) => w.vector(2, (l) => l.u16(NamedGroup.secp384r1).u16(NamedGroup.x25519))))],
      ['a cookie added that the HelloRetryRequest did not carry', (e) => [...e, cookieExtension(utf8('made up'))]],
    ];
    for (const [what, edit] of extensionCases) {
      it(what, () => serverRefuses(withHello((e, nth) => (nth === 0 ? e : edit(e)), { ...RETRY, client: { groups: [NamedGroup.x25519, NamedGroup.secp384r1] } }), 'IllegalParameter', A.illegal_parameter));
    }

    it('legacy_version 0x0300 in the second hello is protocol_version, as in the first (§D.5 holds for every hello)', () => {
      serverRefuses(RETRY, 'BadLegacyVersion', A.protocol_version, legacyVersion(0x0300, 1));
    });

    it('early_data kept (§4.2.10: not in the second ClientHello)', () => {
      serverRefuses(withHello((e) => [...e, earlyDataExtension(), psk(['a'], 1)], RETRY), 'IllegalParameter', A.illegal_parameter);
    });

    it('early_data added', () => {
      serverRefuses(withHello((e, nth) => (nth === 0 ? e : [...e, earlyDataExtension()]), RETRY), 'IllegalParameter', A.illegal_parameter);
    });

    it('pre_shared_key added', () => {
      serverRefuses(withHello((e, nth) => (nth === 0 ? e : [...e, psk(['a'], 1)]), RETRY), 'IllegalParameter', A.illegal_parameter);
    });

    it('pre_shared_key with an identity the first did not offer', () => {
      serverRefuses(withHello((e, nth) => [...e, psk(nth === 0 ? ['a'] : ['b'], 1)], RETRY), 'IllegalParameter', A.illegal_parameter);
    });

    it('pre_shared_key with its identities reordered', () => {
      serverRefuses(withHello((e, nth) => [...e, psk(nth === 0 ? ['a', 'b'] : ['b', 'a'], 1)], RETRY), 'IllegalParameter', A.illegal_parameter);
    });

    it('the first hello is kept as the server received it (one changed on the wire is caught at the second)', () => {
      serverRefuses(RETRY, 'IllegalParameter', A.illegal_parameter, editClientHello((h) => ({ ...h, random: new Uint8Array(32) }), 0));
    });
  });
});

/** The client's key_share replaced by one entry for `group` with `keyExchange`. */
function clientShare(group: number, keyExchange: Uint8Array): PairOptions {
  return withHello((e) => setExtension(e, ExtensionType.key_share, keyShareClientExtension([{ group, keyExchange }])), { client: { groups: [group] } });
}

/** The ServerHello's key share replaced by `edit` of its bytes. */
function serverShare(edit: (keyExchange: Uint8Array) => Uint8Array): Rewrite {
  return editServerHello((h) => {
    const share = decodeKeyShareServer(h.extensions.find((e) => e.type === ExtensionType.key_share)!.data);
    return { ...h, extensions: setExtension(h.extensions, ExtensionType.key_share, keyShareServerExtension({ ...share, keyExchange: edit(share.keyExchange) })) };
  });
}

const bytes = (n: number, fill = 9) => new Uint8Array(n).fill(fill);
const uncompressed = (n: number) => concatBytes(Uint8Array.of(4), bytes(n - 1));

describe('key shares of the wrong size for their group (RFC 8446 §4.2.8, §4.2.8.2) → illegal_parameter', () => {
  const cases: [string, number, Uint8Array][] = [
    ['x25519, empty', NamedGroup.x25519, bytes(0)],
    ['x25519, 31 bytes', NamedGroup.x25519, bytes(31)],
    ['x25519, 33 bytes', NamedGroup.x25519, bytes(33)],
    ['secp256r1, empty', NamedGroup.secp256r1, bytes(0)],
    ['secp256r1, 64 bytes', NamedGroup.secp256r1, uncompressed(64)],
    ['secp256r1, 66 bytes', NamedGroup.secp256r1, uncompressed(66)],
    ['secp256r1, 65 bytes not starting with 4 (compressed form)', NamedGroup.secp256r1, concatBytes(Uint8Array.of(2), bytes(64))],
  ];
  for (const [what, group, keyExchange] of cases) {
    it(`in the ClientHello: ${what}`, () => {
      serverRefuses(clientShare(group, keyExchange), 'BadKeyShare', A.illegal_parameter);
    });

    it(`in the ServerHello: ${what}`, () => {
      refuses({ client: { groups: [group] } }, { side: 'client', cause: 'BadKeyShare', alert: A.illegal_parameter }, { server: serverShare(() => keyExchange) });
    });
  }

  it('an empty share for a group the server does not pick is refused too (the vector is <1..2^16-1>)', () => {
    const extra = withHello((e) => {
      const [ours] = decodeKeyShareClient(e.find((x) => x.type === ExtensionType.key_share)!.data);
      return setExtension(e, ExtensionType.key_share, keyShareClientExtension([ours!, { group: NamedGroup.secp256r1, keyExchange: bytes(0) }]));
    });
    serverRefuses(extra, 'BadKeyShare', A.illegal_parameter);
  });

  it('a wrong-length share for a group the server does not pick is not looked at: completes', () => {
    const extra = withHello((e) => {
      const [ours] = decodeKeyShareClient(e.find((x) => x.type === ExtensionType.key_share)!.data);
      return setExtension(e, ExtensionType.key_share, keyShareClientExtension([ours!, { group: NamedGroup.secp256r1, keyExchange: bytes(3) }]));
    });
    const wire = completes(extra);
    expect(wire.server.negotiated.group).toBe(NamedGroup.x25519);
  });
});

describe('server_name lists (RFC 6066 §3)', () => {
  const sni = (body: (w: Writer) => void) => withHello((e) => setExtension(e, ExtensionType.server_name, makeExtension(ExtensionType.server_name, body)));
  const list = (...entries: [number, Uint8Array][]) => sni((w) => w.vector(2, (l) => entries.forEach(([type, name]) => l.u8(type).opaque(2, name))));
  const host = (name: string | Uint8Array): [number, Uint8Array] => [0, typeof name === 'string' ? utf8(name) : name];

  it('one host_name: accepted and reported', () => {
    const wire = completes(list(host('localhost')));
    expect(wire.server.negotiated.serverName).toBe('localhost');
  });

  it('a name_type other than host_name alone is skipped (its data has a 16-bit length, §3): no name, completes', () => {
    const wire = completes(list([1, utf8('opaque')]));
    expect(wire.server.negotiated.serverName).toBeNull();
  });

  describe('more than one name of the same name_type → illegal_parameter', () => {
    it('two host_names', () => serverRefuses(list(host('localhost'), host('other.test')), 'DuplicateServerName', A.illegal_parameter));
    it('the same host_name twice', () => serverRefuses(list(host('localhost'), host('localhost')), 'DuplicateServerName', A.illegal_parameter));
    it('two names of an unknown name_type', () => serverRefuses(list(host('localhost'), [7, utf8('a')], [7, utf8('b')]), 'DuplicateServerName', A.illegal_parameter));
  });

  describe('a host_name that is not an ASCII DNS name without a trailing dot → illegal_parameter', () => {
    for (const [what, name] of [
      ['a NUL byte', concatBytes(utf8('local'), Uint8Array.of(0), utf8('host'))],
      ['a trailing dot', utf8('localhost.')],
      ['a space', utf8('local host')],
      ['a byte above 0x7e (UTF-8)', utf8('lö.test')],
    ] as const) {
      it(what, () => serverRefuses(list(host(name)), 'BadServerName', A.illegal_parameter));
    }
  });

  describe('malformed lists → decode_error', () => {
    it('an empty list (server_name_list<1..2^16-1>)', () => serverRefuses(sni((w) => w.vector(2, () => {})), 'MalformedMessage', A.decode_error));
    it('an empty host_name (HostName<1..2^16-1>)', () => serverRefuses(list(host('')), 'MalformedMessage', A.decode_error));
    it('an empty extension', () => serverRefuses(sni(() => {}), 'MalformedMessage', A.decode_error));
    it('a list length longer than the extension', () => serverRefuses(sni((w) => w.u16(20).u8(0).opaque(2, utf8('localhost'))), 'MalformedMessage', A.decode_error));
    it('a name length longer than the list', () => serverRefuses(sni((w) => w.vector(2, (l) => l.u8(0).u16(40).bytes(utf8('localhost')))), 'MalformedMessage', A.decode_error));
    it('a list cut inside a name_type\'s length', () => serverRefuses(sni((w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('localhost')).u8(0).u8(1))), 'MalformedMessage', A.decode_error));
    it('bytes after the list', () => serverRefuses(sni((w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('localhost'))).u8(0)), 'MalformedMessage', A.decode_error));
  });
});

// The TLS 1.2 server reads the same hello through the same decoders.
describe('the same refusals from a TLS 1.2 server', () => {
  const ONLY12: PairOptions = { server: { versions: [TLSv1_2], cipherSuites: [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256] } };
  it('two host_names → illegal_parameter', () => {
    const two = withHello((e) => setExtension(e, ExtensionType.server_name, makeExtension(ExtensionType.server_name, (w) => w.vector(2, (l) => l.u8(0).opaque(2, utf8('a.test')).u8(0).opaque(2, utf8('b.test'))))), ONLY12);
    serverRefuses(two, 'DuplicateServerName', A.illegal_parameter);
  });

  it('legacy_version 0x0302 in a hello offering TLS 1.3 → protocol_version', () => {
    serverRefuses(ONLY12, 'BadLegacyVersion', A.protocol_version, legacyVersion(0x0302));
  });
});
