/**
 * What a TLS 1.2 server keeps of a session to resume it (RFC 5246 §7.3 "The
 * session state"; RFC 5077 §4 for what a ticket holds): its suite, master
 * secret, whether it used the extended master secret, when it was made, and
 * what the abbreviated handshake restores (SNI, ALPN, the client's chain). The
 * same encoding serves a session cache entry and a ticket's plaintext, so both
 * hold exactly the same state.
 * @module
 */
import { encode, type Writer } from '../wire/codec.ts';
import { fromUtf8, utf8 } from '../wire/bytes.ts';
import type { KeySchedule12 } from './key-schedule12.ts';
import { decodeExact } from './messages/handshake-message.ts';
import type { Negotiated } from './negotiated.ts';
import type { SessionState12 } from './session.ts';
import type { Suite12 } from './suites.ts';

/** A session a server can resume. */
export interface ServerSession12 extends SessionState12 {
  /** RFC 7627 §5.3: only such sessions are ever resumed. */
  readonly extendedMasterSecret: boolean;
  /** Seconds since the epoch, by the server's clock (`ServerConfig.now`). */
  readonly createdAt: number;
}

/** The session state a completed TLS 1.2 handshake leaves, for either side to keep. */
export function sessionState12(suite: Suite12, schedule: KeySchedule12, negotiated: Negotiated): SessionState12 {
  return {
    cipherSuite: suite.id,
    masterSecret: schedule.masterSecret,
    serverName: negotiated.serverName,
    alpnProtocol: negotiated.alpnProtocol,
    peerCertificates: negotiated.peerCertificates,
    verifiedChain: negotiated.verifiedChain,
  };
}

/** A version byte first, so a future layout is told apart rather than misread. */
const FORMAT = 1;

const optional = (bytes: Uint8Array | null) => (bytes === null ? new Uint8Array(0) : bytes);
const chainOf = (list: readonly Uint8Array[]) => (w: Writer) => {
  for (const der of list) w.opaque(3, der);
};

export function encodeServerSession12(session: ServerSession12): Uint8Array {
  return encode((w) => {
    w.u8(FORMAT).u16(session.cipherSuite).opaque(1, session.masterSecret).u8(session.extendedMasterSecret ? 1 : 0).u32(session.createdAt);
    w.opaque(2, optional(session.serverName === null ? null : utf8(session.serverName))).opaque(1, optional(session.alpnProtocol));
    w.vector(3, chainOf(session.peerCertificates)).vector(3, chainOf(session.verifiedChain));
  });
}

/** Null for bytes that are not a session of this format (a forged or foreign ticket is simply not resumed). */
export function decodeServerSession12(bytes: Uint8Array): ServerSession12 | null {
  try {
    return decodeExact(bytes, 'session state', (r) => {
      if (r.u8('format') !== FORMAT) throw new RangeError('unknown session state format');
      const cipherSuite = r.u16('cipher_suite');
      const masterSecret = r.opaque(1, 'master_secret', 48, 48);
      const extendedMasterSecret = r.u8('extended_master_secret') === 1;
      const createdAt = r.u32('created_at');
      const name = r.opaque(2, 'server_name');
      const alpn = r.opaque(1, 'alpn');
      const peerCertificates = r.list(3, 'peer_certificates', (x) => x.opaque(3, 'certificate', 1));
      const verifiedChain = r.list(3, 'verified_chain', (x) => x.opaque(3, 'certificate', 1));
      return {
        cipherSuite,
        masterSecret,
        extendedMasterSecret,
        createdAt,
        serverName: name.length === 0 ? null : fromUtf8(name),
        alpnProtocol: alpn.length === 0 ? null : alpn,
        peerCertificates,
        verifiedChain,
      };
    });
  } catch {
    return null;
  }
}
