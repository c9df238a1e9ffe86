/**
 * Reading an NSS key log file (draft-ietf-tls-keylogfile: `LABEL
 * client_random secret`, `#` comments), to compare ours with OpenSSL's.
 * @module
 */
import { readFileSync } from 'node:fs';

/** The file's lines as `label → [clientRandom, secret]`; throws on a line of another shape. */
export function readKeyLog(file: string): Map<string, [clientRandom: string, secret: string]> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  return new Map(lines.map((line) => {
    const match = /^([A-Z_0-9]+) ([0-9a-f]{64}) ([0-9a-f]+)$/.exec(line);
    if (match === null) throw new Error(`not an NSS key log line: ${JSON.stringify(line)}`);
    return [match[1]!, [match[2]!, match[3]!]];
  }));
}

/** The TLS 1.3 labels (RFC 8446 §7.1's secrets), sorted. */
export const TLS13_LABELS = ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0'];
