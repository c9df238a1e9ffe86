/**
 * `--trace`: every handshake message, alert and ChangeCipherSpec as it is
 * sent and received, from `SSLContext._msg_callback` (CPython's debugging
 * hook), with the fields a student looks for: versions, cipher suites,
 * groups and key shares, SNI, ALPN, signature schemes, certificate subjects.
 * The decoding is for display: anything it cannot read is shown as such and
 * never disturbs the connection.
 * @module
 */
import * as ssl from 'puretls/ssl';
import * as x509 from 'puretls/x509';
import { onelineName } from './certificate-text.ts';
import { EXTENSIONS, GROUPS, HANDSHAKE_TYPES, SIGNATURE_SCHEMES, VERSIONS, nameOf } from './trace-names.ts';

/** Record content types (RFC 8446 §5.1). */
const CHANGE_CIPHER_SPEC = 20;
const ALERT = 21;
const HANDSHAKE = 22;

/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const ALERT_NAMES = new Map(Object.entries(ssl.AlertDescription).map(([name, value]) => [value as number, name.replace('ALERT_DESCRIPTION_', '').toLowerCase()]));

/** Sets `context._msg_callback` to print each message through `print` (one call per line). */
export function attachTrace(context: ssl.SSLContext, print: (line: string) => void): void {
  // get_ciphers() ids are OpenSSL's: 0x0300 followed by the two-byte code point.
  const suites = new Map(context.get_ciphers().map((c) => [c.id & 0xffff, c.name]));
  context._msg_callback = (_conn, direction, _version, contentType, _msgType, data) => {
    const arrow = direction === 'write' ? 'sent    ' : 'received';
    for (const [i, line] of describe(contentType, data, suites).entries()) print(i === 0 ? `${arrow} ${line}` : `             ${line}`);
  };
}

/** The lines for one message: `Name (N bytes)` and then its fields. */
export function describe(contentType: number, data: Uint8Array, suites: ReadonlyMap<number, string>): string[] {
  if (contentType === CHANGE_CIPHER_SPEC) return ['ChangeCipherSpec (middlebox compatibility, RFC 8446 §D.4)'];
  if (contentType === ALERT) return [`Alert: ${data[0] === 2 ? 'fatal' : 'warning'} ${ALERT_NAMES.get(data[1] ?? -1) ?? data[1]}`];
  if (contentType !== HANDSHAKE) return [`record of content type ${contentType} (${data.length} bytes)`];
  const type = data[0] ?? -1;
  const body = new Reader(data.subarray(4));
  let name = HANDSHAKE_TYPES[type] ?? `handshake message ${type}`;
  let fields: string[];
  try {
    if (type === 2 && hex(data.subarray(6, 38)) === HELLO_RETRY_RANDOM) name = 'HelloRetryRequest';
    fields = FIELDS[type]?.(body, suites) ?? [];
  } catch (error) {
    fields = [`(not decoded: ${(error as Error).message})`];
  }
  return [`${name} (${data.length} bytes)`, ...fields];
}

type FieldReader = (body: Reader, suites: ReadonlyMap<number, string>) => string[];

const FIELDS: Readonly<Record<number, FieldReader>> = {
  // RFC 8446 §4.1.2
  1: (r, suites) => {
    r.skip(2 + 32);
    r.vector(1);
    const offered = r.vector(2).list(2).map((s) => suites.get(s) ?? nameOf({}, s));
    r.vector(1);
    return [`cipher_suites: ${offered.join(', ')}`, ...extensions(r, 'client')];
  },
  // RFC 8446 §4.1.3
  2: (r, suites) => {
    r.skip(2 + 32);
    r.vector(1);
    const suite = r.u16();
    r.skip(1);
    return [`cipher_suite: ${suites.get(suite) ?? nameOf({}, suite)}`, ...extensions(r, 'server')];
  },
  // RFC 8446 §4.6.1
  4: (r) => {
    const lifetime = r.u32();
    r.skip(4);
    r.vector(1);
    return [`ticket_lifetime: ${lifetime} s, ticket: ${r.vector(2).length} bytes`];
  },
  // RFC 8446 §4.3.1
  8: (r) => extensions(r, 'server'),
  // RFC 8446 §4.4.2
  11: (r) => {
    r.vector(1);
    const list = r.vector(3);
    const lines: string[] = [];
    for (let depth = 0; list.length > 0; depth++) {
      const der = list.vector(3).rest();
      list.vector(2);
      lines.push(`certificate ${depth}: ${subjectOf(der)} (${der.length} bytes)`);
    }
    return lines.length > 0 ? lines : ['no certificate'];
  },
  // RFC 8446 §4.3.2
  13: (r) => {
    r.vector(1);
    return extensions(r, 'server');
  },
  // RFC 8446 §4.4.3
  15: (r) => [`signature_scheme: ${nameOf(SIGNATURE_SCHEMES, r.u16())}, signature: ${r.vector(2).length} bytes`],
  // RFC 8446 §4.4.4
  20: (r) => [`verify_data: ${r.rest().length} bytes`],
  // RFC 8446 §4.6.3
  24: (r) => [`request_update: ${r.u8() === 1 ? 'update_requested' : 'update_not_requested'}`],
};

/** The extensions block, each on a line, with the contents decoded for the ones people look at. */
function extensions(r: Reader, sender: 'client' | 'server'): string[] {
  if (r.length === 0) return [];
  const block = r.vector(2);
  const lines: string[] = [];
  while (block.length > 0) {
    const type = block.u16();
    const data = block.vector(2);
    const name = nameOf(EXTENSIONS, type);
    lines.push(`${name}: ${extensionText(type, data, sender) ?? `${data.length} bytes`}`);
  }
  return lines;
}

function extensionText(type: number, r: Reader, sender: 'client' | 'server'): string | undefined {
  switch (type) {
    case 0: // RFC 6066 §3: a list of names from the client, empty from the server
      if (r.length === 0) return '(acknowledged)';
      return r.vector(2).items((e) => (e.skip(1), new TextDecoder().decode(e.vector(2).rest()))).join(', ');
    case 10:
      return r.vector(2).list(2).map((g) => nameOf(GROUPS, g)).join(', ');
    case 13:
    case 50:
      return r.vector(2).list(2).map((s) => nameOf(SIGNATURE_SCHEMES, s)).join(', ');
    case 16: // RFC 7301 §3.1
      return r.vector(2).items((p) => new TextDecoder().decode(p.vector(1).rest())).join(', ');
    case 43: // RFC 8446 §4.2.1: a list from the client, the selected version from the server
      return sender === 'client' ? r.vector(1).list(2).map((v) => nameOf(VERSIONS, v)).join(', ') : `${nameOf(VERSIONS, r.u16())} (selected)`;
    case 51: // RFC 8446 §4.2.8: shares from the client; the server's share, or only a group in a HelloRetryRequest
      if (sender === 'client') return r.vector(2).items((s) => `${nameOf(GROUPS, s.u16())} (${s.vector(2).length}-byte key)`).join(', ');
      return r.length === 2 ? `${nameOf(GROUPS, r.u16())} requested` : `${nameOf(GROUPS, r.u16())} (${r.vector(2).length}-byte key)`;
    case 45: // RFC 8446 §4.2.9
      return r.vector(1).list(1).map((m) => (m === 1 ? 'psk_dhe_ke' : m === 0 ? 'psk_ke' : String(m))).join(', ');
    default:
      return undefined;
  }
}

function subjectOf(der: Uint8Array): string {
  try {
    return onelineName(x509.decode_certificate(der).subject) || '(empty subject)';
  } catch {
    return '(not a certificate puretls can read)';
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A cursor over bytes with the TLS presentation language's integers and length-prefixed vectors (RFC 8446 §3). */
class Reader {
  #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get length(): number {
    return this.#bytes.length;
  }

  u8 = (): number => this.#uint(1);
  u16 = (): number => this.#uint(2);
  u32 = (): number => this.#uint(4);

  skip(n: number): void {
    this.#take(n);
  }

  /** A vector with an n-byte length prefix, as a Reader of its contents. */
  vector(prefix: 1 | 2 | 3): Reader {
    return new Reader(this.#take(this.#uint(prefix)));
  }

  rest(): Uint8Array {
    return this.#take(this.#bytes.length);
  }

  /** The remaining bytes as `width`-byte integers. */
  list(width: 1 | 2): number[] {
    const values: number[] = [];
    while (this.length > 0) values.push(this.#uint(width));
    return values;
  }

  /** Reads entries with `read` until none is left. */
  items<T>(read: (r: Reader) => T): T[] {
    const values: T[] = [];
    while (this.length > 0) values.push(read(this));
    return values;
  }

  #uint(width: number): number {
    return this.#take(width).reduce((value, byte) => value * 256 + byte, 0);
  }

  #take(n: number): Uint8Array {
    if (n > this.#bytes.length) throw new Error(`truncated: wanted ${n} bytes, ${this.#bytes.length} left`);
    const taken = this.#bytes.subarray(0, n);
    this.#bytes = this.#bytes.subarray(n);
    return taken;
  }
}
