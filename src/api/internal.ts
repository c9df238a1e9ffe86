/**
 * What an `SSLObject` asks of its `SSLContext` beyond the public API, under a
 * symbol that `puretls/ssl` does not export: the engine configuration for an
 * SNI-swapped context, the enabled suites, sessions and the counters of
 * `session_stats()`.
 * @module
 */
import type { ServerConfig } from '../handshake/config.ts';
import type { TlsSession } from '../handshake/session.ts';
import type { SSLSession } from './session.ts';
import type { SSLObject } from './ssl-object.ts';

export const internals = Symbol('puretls SSLContext internals');

export interface ContextHooks {
  /** The server configuration this context gives `sslObject` (after an SNI callback swapped it in). */
  serverConfigFor(sslObject: SSLObject): ServerConfig;
  /** TLS cipher suites this context may negotiate, most preferred first. */
  enabledCipherSuites(): readonly number[];
  sessionFromEngine(session: TlsSession): SSLSession;
  handshakeCompleted(serverSide: boolean, resumed: boolean): void;
}
