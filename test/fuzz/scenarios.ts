/**
 * The sessions the engine fuzzer records and then replays under mutation:
 * a client and a server configuration (built per provider, so the same
 * scenario runs with the no-security and the real provider), and what the two
 * applications do once the handshake is done. Between them they reach every
 * handshake message we send or accept, in both versions: HelloRetryRequest,
 * CertificateRequest and the client's Certificate/CertificateVerify,
 * NewSessionTicket, KeyUpdate, TLS 1.2's key exchanges with GCM's explicit
 * nonces and ChaCha20's implicit ones, application data both ways,
 * close_notify both ways.
 * @module
 */
import type { CryptoProvider } from '../../src/crypto/provider.ts';
import type { ClientConfig, PeerVerifier, ServerConfig } from '../../src/handshake/config.ts';
import { clientDefaults, serverDefaults } from '../../src/handshake/config.ts';
import { utf8 } from '../../src/wire/bytes.ts';
import { CipherSuite, NamedGroup, ProtocolVersion } from '../../src/wire/registry.ts';
import { credential } from '../helpers/credentials.ts';
import type { KeyType } from '../helpers/credentials.ts';
import { pinnedVerifier } from '../helpers/pump.ts';
import type { Side } from '../helpers/tamper.ts';
import { acceptAnyChain, noSecurityProvider, seededProvider } from './providers.ts';

export type { Side };

/** 'no-security': the provider of `providers.ts` that lets mutations go deep; 'real': noble with seeded randomness. */
export type Mode = 'no-security' | 'real';

export type Action =
  | { readonly side: Side; readonly kind: 'write'; readonly data: Uint8Array }
  | { readonly side: Side; readonly kind: 'keyUpdate'; readonly requestPeer: boolean }
  | { readonly side: Side; readonly kind: 'close' };

export interface Scenario {
  readonly name: string;
  readonly client: (provider: CryptoProvider, mode: Mode) => ClientConfig;
  readonly server: (provider: CryptoProvider, mode: Mode) => ServerConfig;
  readonly serverName: string | null;
  /** Run in turn after the handshake, each followed by moving bytes until both sides are quiet. */
  readonly actions: readonly Action[];
}

/** The provider of one side: seeded by scenario and side, so a replay sends what was recorded. */
export function providerFor(mode: Mode, scenario: Scenario, side: Side): CryptoProvider {
  const seed = `${scenario.name}/${side}`;
  return mode === 'no-security' ? noSecurityProvider(seed) : seededProvider(seed);
}

/**
 * Signatures must come out the same on replay: Ed25519 is deterministic
 * (RFC 8032 §5.1.6), our ECDSA is hedged. The no-security provider never
 * really signs, so there the keys are chosen for the schemes they select.
 */
function keyType(mode: Mode, preferred: KeyType): KeyType {
  return mode === 'real' ? 'ed25519' : preferred;
}

function verifierFor(mode: Mode, trusted: Uint8Array): PeerVerifier {
  return mode === 'real' ? pinnedVerifier(trusted) : acceptAnyChain;
}

const ALPN = [utf8('h2'), utf8('http/1.1')];

const talk: readonly Action[] = [
  { side: 'client', kind: 'write', data: utf8('GET / HTTP/1.1\r\n\r\n') },
  { side: 'server', kind: 'write', data: utf8('HTTP/1.1 200 OK\r\n\r\n') },
];

const hangUp: readonly Action[] = [
  { side: 'client', kind: 'close' },
  { side: 'server', kind: 'close' },
];

/** The key types of the server's certificate and, for client authentication, of the client's. */
interface Keys {
  readonly server: KeyType;
  readonly client?: KeyType;
}

/** A client that trusts the server of `keys` and presents its own certificate if `keys` has one. */
function clientFor(provider: CryptoProvider, mode: Mode, keys: Keys, overrides: Partial<ClientConfig> = {}): ClientConfig {
  return clientDefaults(provider, {
    verifier: verifierFor(mode, credential(keyType(mode, keys.server)).chain[0]!),
    clientCertificate: keys.client ? credential(keyType(mode, keys.client), 'client') : null,
    ...overrides,
  });
}

/** A server with the certificate of `keys`, requiring the client's when `keys` has one. */
function serverFor(provider: CryptoProvider, mode: Mode, keys: Keys, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const clientAuth: Partial<ServerConfig> = keys.client
    ? { clientAuth: 'required', verifier: verifierFor(mode, credential(keyType(mode, keys.client), 'client').chain[0]!) }
    : {};
  return serverDefaults(provider, { certificates: [credential(keyType(mode, keys.server))], ...clientAuth, ...overrides });
}

const TLS12_ONLY = { versions: [ProtocolVersion.TLSv1_2] } as const;

export const SCENARIOS13: readonly Scenario[] = [
  {
    name: 'TLS 1.3, ALPN, record_size_limit, KeyUpdate both ways',
    serverName: 'localhost',
    client: (provider, mode) => clientFor(provider, mode, { server: 'p256' }, { alpnProtocols: ALPN, recordSizeLimit: 2048 }),
    server: (provider, mode) => serverFor(provider, mode, { server: 'p256' }, { alpnProtocols: ALPN, recordSizeLimit: 4096 }),
    actions: [
      ...talk,
      { side: 'client', kind: 'keyUpdate', requestPeer: true },
      { side: 'server', kind: 'write', data: utf8('after the update') },
      { side: 'server', kind: 'keyUpdate', requestPeer: false },
      { side: 'client', kind: 'write', data: utf8('and again') },
      ...hangUp,
    ],
  },
  {
    name: 'TLS 1.3, HelloRetryRequest, client certificate',
    serverName: 'localhost',
    client: (provider, mode) =>
      clientFor(provider, mode, { server: 'rsa2048', client: 'p384' }, { groups: [NamedGroup.secp256r1, NamedGroup.x25519], keyShareGroups: [NamedGroup.secp256r1] }),
    server: (provider, mode) => serverFor(provider, mode, { server: 'rsa2048', client: 'p384' }, { groups: [NamedGroup.x25519] }),
    actions: [...talk, ...hangUp],
  },
];

export const SCENARIOS12: readonly Scenario[] = [
  {
    name: 'TLS 1.2, ECDHE with AES-GCM, ALPN, client certificate',
    serverName: 'localhost',
    client: (provider, mode) => clientFor(provider, mode, { server: 'p256', client: 'rsa2048' }, { ...TLS12_ONLY, alpnProtocols: ALPN }),
    server: (provider, mode) => serverFor(provider, mode, { server: 'p256', client: 'rsa2048' }, { alpnProtocols: ALPN }),
    actions: [...talk, ...hangUp],
  },
  {
    name: 'TLS 1.2, ECDHE with ChaCha20-Poly1305, P-256 key share',
    serverName: 'localhost',
    client: (provider, mode) =>
      clientFor(provider, mode, { server: 'rsa2048' }, {
        ...TLS12_ONLY,
        cipherSuites: [CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256],
        groups: [NamedGroup.secp256r1],
      }),
    server: (provider, mode) => serverFor(provider, mode, { server: 'rsa2048' }),
    actions: [...talk, { side: 'server', kind: 'write', data: utf8('more') }, ...hangUp],
  },
];
