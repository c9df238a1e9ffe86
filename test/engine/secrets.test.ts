/**
 * What a handshake leaves behind (RFC 8446 §4.6.1, §7.1, §7.5): session
 * tickets, the exporter, and the NSS key log. The exporter is checked against
 * an HKDF written here on node:crypto from the logged EXPORTER_SECRET, so a
 * wrong secret or a wrong derivation both show.
 */
import type { TlsSession13 } from '../../src/handshake/session.ts';
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeNewSessionTicket, encodeNewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import type { NewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import { bytesEqual, concatBytes, toHex, utf8 } from '../../src/wire/bytes.ts';
import { ConnectionClosedError } from '../../src/wire/errors.ts';
import { AlertDescription as A, CipherSuite, HandshakeType, NamedGroup } from '../../src/wire/registry.ts';
import { onMessage, pair } from '../helpers/tamper.ts';
import type { HandshakeItem, PairOptions, Wire } from '../helpers/tamper.ts';
import { expectFatal } from './fatal.ts';
import { thrown } from '../handshake/messages/support.ts';

function connected(options: PairOptions = {}): Wire {
  const wire = pair(options);
  expect(wire.pump()).toBeNull();
  expect(wire.client.handshakeComplete && wire.server.handshakeComplete).toBe(true);
  return wire;
}

function ticketsOnWire(wire: Wire): NewSessionTicket[] {
  return wire.sent.server
    .filter((i): i is HandshakeItem => i.kind === 'handshake' && i.type === HandshakeType.new_session_ticket)
    .map((i) => decodeNewSessionTicket(i.body));
}

describe('NewSessionTicket (RFC 8446 §4.6.1)', () => {
  it('the configured number, each with the configured lifetime and its own ticket, nonce and PSK', () => {
    const alpn = utf8('h2');
    const wire = connected({
      client: { alpnProtocols: [alpn] },
      server: { ticketsToSend: 3, ticketLifetime: 3600, alpnProtocols: [alpn], cipherSuites: [CipherSuite.TLS_AES_256_GCM_SHA384] },
    });
    const sessions = wire.client.takeSessionTickets().filter((t): t is TlsSession13 => t.version === 0x0304);
    const onWire = ticketsOnWire(wire);
    expect(sessions).toHaveLength(3);
    expect(onWire).toHaveLength(3);
    sessions.forEach((session, i) => {
      expect(session.version).toBe(0x0304);
      expect(session.cipherSuite).toBe(CipherSuite.TLS_AES_256_GCM_SHA384);
      expect(session.lifetimeSeconds).toBe(3600);
      expect(session.ticket).toEqual(onWire[i]!.ticket);
      expect(session.ageAdd).toBe(onWire[i]!.ticketAgeAdd);
      expect(session.psk).toHaveLength(48);
      expect(session.maxEarlyData).toBe(0);
      expect(session.serverName).toBe('localhost');
      expect(session.alpnProtocol).toEqual(alpn);
    });
    const distinct = (values: Uint8Array[]) => new Set(values.map(toHex)).size;
    expect(distinct(onWire.map((t) => t.ticketNonce))).toBe(3);
    expect(distinct(sessions.map((s) => s.ticket))).toBe(3);
    expect(distinct(sessions.map((s) => s.psk))).toBe(3);
    expect(wire.client.takeSessionTickets()).toEqual([]);
  });

  it('none when the server is configured to send none', () => {
    const wire = connected({ server: { ticketsToSend: 0 } });
    expect(wire.client.takeSessionTickets()).toEqual([]);
    expect(ticketsOnWire(wire)).toEqual([]);
  });

  it('the default is two tickets, which the client keeps until asked', () => {
    const wire = connected();
    expect(wire.client.takeSessionTickets()).toHaveLength(2);
  });

  it('a ticket lifetime above 604800 seconds → illegal_parameter', () => {
    const wire = pair();
    const tooLong = onMessage(HandshakeType.new_session_ticket, (item) => encodeNewSessionTicket({ ...decodeNewSessionTicket(item.body), ticketLifetime: 604801 }));
    expectFatal(wire, wire.pump({ server: tooLong }), { side: 'client', cause: 'TicketLifetimeTooLong', alert: A.illegal_parameter });
  });
});

/** HKDF-Expand-Label (RFC 8446 §7.1) on node:crypto. */
function expandLabel(hash: string, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const fullLabel = utf8(`tls13 ${label}`);
  const info = concatBytes(Uint8Array.of(length >> 8, length & 0xff, fullLabel.length), fullLabel, Uint8Array.of(context.length), context);
  // RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i).
  const blocks: Uint8Array[] = [];
  let previous = new Uint8Array(0);
  for (let i = 1, total = 0; total < length; i++, total += previous.length) {
    previous = new Uint8Array(createHmac(hash, secret).update(concatBytes(previous, info, Uint8Array.of(i))).digest());
    blocks.push(previous);
  }
  return concatBytes(...blocks).subarray(0, length);
}

/** TLS-Exporter (RFC 8446 §7.5). */
function referenceExporter(hash: string, exporterSecret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const digest = (data: Uint8Array) => new Uint8Array(createHash(hash).update(data).digest());
  const hashLength = digest(new Uint8Array(0)).length;
  const secret = expandLabel(hash, exporterSecret, label, digest(new Uint8Array(0)), hashLength);
  return expandLabel(hash, secret, 'exporter', digest(context), length);
}

describe('exporter (RFC 8446 §7.5)', () => {
  for (const [suite, hash] of [[CipherSuite.TLS_AES_128_GCM_SHA256, 'sha256'], [CipherSuite.TLS_AES_256_GCM_SHA384, 'sha384']] as const) {
    it(`equal on both sides and equal to the RFC derivation from EXPORTER_SECRET (${hash})`, () => {
      const wire = connected({ server: { cipherSuites: [suite] } });
      const context = utf8('context');
      const client = wire.client.exportKeyingMaterial('EXPORTER-puretls-test', context, 42);
      const server = wire.server.exportKeyingMaterial('EXPORTER-puretls-test', context, 42);
      expect(client).toHaveLength(42);
      expect(client).toEqual(server);
      const secret = wire.keys.secret('client', 'EXPORTER_SECRET');
      expect(client).toEqual(referenceExporter(hash, secret, 'EXPORTER-puretls-test', context, 42));
    });
  }

  it('different for different labels, contexts and lengths; unchanged by KeyUpdate', () => {
    const wire = connected();
    const base = wire.client.exportKeyingMaterial('label A', utf8('ctx'), 32);
    const variants = [
      wire.client.exportKeyingMaterial('label B', utf8('ctx'), 32),
      wire.client.exportKeyingMaterial('label A', utf8('ctx2'), 32),
      wire.client.exportKeyingMaterial('label A', new Uint8Array(0), 32),
    ];
    for (const v of variants) expect(bytesEqual(v, base)).toBe(false);
    // The length is in the HKDF info, so a shorter output is not a prefix.
    expect(bytesEqual(wire.client.exportKeyingMaterial('label A', utf8('ctx'), 16), base.subarray(0, 16))).toBe(false);
    wire.client.keyUpdate(true);
    expect(wire.pump()).toBeNull();
    expect(wire.server.exportKeyingMaterial('label A', utf8('ctx'), 32)).toEqual(base);
  });

  it('different for different connections', () => {
    const a = connected().client.exportKeyingMaterial('label', new Uint8Array(0), 32);
    const b = connected().client.exportKeyingMaterial('label', new Uint8Array(0), 32);
    expect(bytesEqual(a, b)).toBe(false);
  });

  it('refused before the handshake completes', () => {
    const wire = pair();
    expect(thrown(() => wire.client.exportKeyingMaterial('label', new Uint8Array(0), 32))).toBeInstanceOf(ConnectionClosedError);
    expect(thrown(() => wire.server.exportKeyingMaterial('label', new Uint8Array(0), 32))).toBeInstanceOf(ConnectionClosedError);
  });
});

describe('key log (NSS format labels)', () => {
  const LABELS = [
    'CLIENT_HANDSHAKE_TRAFFIC_SECRET',
    'SERVER_HANDSHAKE_TRAFFIC_SECRET',
    'CLIENT_TRAFFIC_SECRET_0',
    'SERVER_TRAFFIC_SECRET_0',
    'EXPORTER_SECRET',
  ];

  for (const [name, options] of [
    ['a plain handshake', {}],
    ['a HelloRetryRequest', { server: { groups: [NamedGroup.secp384r1] } }],
    ['SHA-384', { server: { cipherSuites: [CipherSuite.TLS_AES_256_GCM_SHA384] } }],
  ] as const) {
    for (const side of ['client', 'server'] as const) {
      it(`the ${side} logs the five secrets once, with the ClientHello random (${name})`, () => {
        const wire = connected(options as PairOptions);
        const hello = wire.sent.client.find((i): i is HandshakeItem => i.kind === 'handshake' && i.type === HandshakeType.client_hello)!;
        const random = decodeClientHello(hello.body).random;
        const hashLength = wire.client.negotiated.cipherSuite!.hash === 'sha384' ? 48 : 32;
        const lines = wire.keys.lines.filter((l) => l.side === side);
        expect(lines.map((l) => l.label).sort()).toEqual([...LABELS].sort());
        for (const line of lines) {
          expect(line.secret).toHaveLength(hashLength);
          expect(line.clientRandom).toEqual(random);
        }
      });
    }

    it(`both sides log the same five distinct secrets (${name})`, () => {
      const wire = connected(options as PairOptions);
      for (const label of LABELS) expect(wire.keys.secret('client', label)).toEqual(wire.keys.secret('server', label));
      expect(new Set(LABELS.map((l) => toHex(wire.keys.secret('client', l)))).size).toBe(5);
    });
  }
});
