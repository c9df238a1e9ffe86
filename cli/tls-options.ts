/**
 * The options `connect` and `serve` share, applied to an `SSLContext`
 * through its public API: ALPN, the version range, a key log, trace output.
 * @module
 */
import process from 'node:process';
import * as ssl from 'puretls/ssl';
import { UsageError } from './failure.ts';
import { type Parsed, list, text } from './options.ts';
import { attachTrace } from './trace.ts';

export const SHARED_OPTIONS = {
  alpn: { type: 'string' },
  tls1_2: { type: 'boolean' },
  tls1_3: { type: 'boolean' },
  keylog: { type: 'string' },
  trace: { type: 'boolean' },
} as const;

export const SHARED_HELP = `  --alpn a,b         offer (client) or accept (server) these ALPN protocols
  --tls1_2 | --tls1_3  only this protocol version
  --keylog F         append the session secrets to F (NSS key log format, for Wireshark)
  --trace            print every handshake message as it is sent and received`;

export function applySharedOptions(context: ssl.SSLContext, parsed: Parsed, command: string): void {
  const alpn = list(parsed, 'alpn');
  if (alpn.length > 0) context.set_alpn_protocols(alpn);
  if (parsed.values.tls1_2 && parsed.values.tls1_3) throw new UsageError(`${command}: --tls1_2 and --tls1_3 exclude each other`);
  const only = parsed.values.tls1_2 ? ssl.TLSVersion.TLSv1_2 : parsed.values.tls1_3 ? ssl.TLSVersion.TLSv1_3 : null;
  if (only !== null) {
    context.minimum_version = only;
    context.maximum_version = only;
  }
  const keylog = text(parsed, 'keylog');
  if (keylog !== undefined) context.keylog_filename = keylog;
  // Trace lines go to stderr: stdout carries the connection's bytes.
  if (parsed.values.trace) attachTrace(context, (line) => process.stderr.write(`${line}\n`));
}
