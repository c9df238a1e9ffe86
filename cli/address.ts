/**
 * `HOST:PORT` on the command line, with IPv6 addresses in brackets
 * (`[::1]:8443`, RFC 3986 §3.2.2), as `openssl s_client -connect` takes it.
 * @module
 */
import { UsageError } from './failure.ts';

export function parseHostPort(text: string, command: string): [host: string, port: number] {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) throw new UsageError(`${command}: expected HOST:PORT (IPv6 as [ADDRESS]:PORT), not ${JSON.stringify(text)}`);
  return [match[1] ?? match[2]!, port];
}

/** A port number option; `fallback` when absent. */
export function parsePort(text: string | undefined, fallback: number, command: string): number {
  if (text === undefined) return fallback;
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port > 65535) throw new UsageError(`${command}: --port takes 0 to 65535, not ${JSON.stringify(text)}`);
  return port;
}

/** The inverse of `parseHostPort`: `127.0.0.1:4433`, `[::1]:4433`. */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
