/**
 * A TLS 1.3 session ticket as the client keeps it (RFC 8446 §4.6.1): the
 * ticket, the PSK it stands for, and what must match when it is offered again.
 * Resumption itself is a later issue; this is the value it will consume.
 * @module
 */
export interface TlsSession13 {
  readonly version: 0x0304;
  readonly cipherSuite: number;
  readonly ticket: Uint8Array;
  readonly psk: Uint8Array;
  readonly lifetimeSeconds: number;
  readonly ageAdd: number;
  readonly maxEarlyData: number;
  readonly serverName: string | null;
  readonly alpnProtocol: Uint8Array | null;
}
