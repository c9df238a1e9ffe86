/**
 * IP address text ⇄ bytes, as OpenSSL's `a2i_IPADDRESS` reads it and as CPython's
 * `getpeercert()` prints it. CPython decides whether `server_hostname` is an IP
 * address with `a2i_IPADDRESS` (and then checks the certificate's iPAddress names,
 * RFC 5280 §4.2.1.6, instead of its DNS names), so this parser decides the same
 * question the same way: a string containing `:` is IPv6 (RFC 4291 §2.2), any
 * other is IPv4 dotted-quad. IPv4 parsing is the strict form OpenSSL adopted in
 * 3.4 (openssl/openssl#24438): exactly four decimal parts 0–255, no leading
 * zeros, signs or whitespace. OpenSSL 3.0's `sscanf` parser also took
 * `" 1.2.3.4"`, `"+1.2.3.4"` and `"01.2.3.4"` (the last as decimal 1, where other
 * parsers read octal); we do not.
 * @module
 */

/** The 4 or 16 address bytes of `text`, or null when it is not an IP address. */
export function parseIpAddress(text: string): Uint8Array | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

/**
 * The text CPython's `getpeercert()` gives an iPAddress name: dotted decimal for
 * IPv4, eight uncompressed upper-case hex groups for IPv6 (`0:0:0:0:0:0:0:1`),
 * and `<invalid>` for any other length.
 */
export function formatIpAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes, (b) => String(b)).join('.');
  if (bytes.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16).toUpperCase());
    }
    return groups.join(':');
  }
  return '<invalid>';
}

/** Four dot-separated decimal components 0–255, none with a leading zero. */
function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    // A leading zero is refused: some parsers read `010` as octal 8, others as 10.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

/**
 * RFC 4291 §2.2 text forms: eight groups of one to four hex digits, at most one
 * `::` standing for one or more zero groups, optionally ending in a dotted-quad
 * for the last 32 bits. Zone identifiers (`fe80::1%eth0`, RFC 6874) are not
 * addresses and are refused. Where RFC 4291 is silent we follow OpenSSL's
 * `ipv6_from_asc`, which also reads a lone `:` as `::` — an artefact of its
 * splitter that we keep, because CPython then treats such a hostname as an IP.
 */
function parseIpv6(text: string): Uint8Array | null {
  const elements = text.split(':');
  const head: number[] = [];
  const tail: number[] = [];
  let gapAt = -1; // index in `elements` where the first empty element (the `::`) is
  let empties = 0;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i] ?? '';
    const bytes = head.length + tail.length;
    if (element === '') {
      // A `::` in the middle yields one empty element, at either end two, alone three.
      if (gapAt !== -1 && gapAt !== i - empties) return null;
      if (gapAt === -1) gapAt = i;
      empties++;
      continue;
    }
    const into = gapAt === -1 ? head : tail;
    if (element.length > 4) {
      // Only the last element may be an embedded IPv4 address (RFC 4291 §2.2 item 3).
      if (i !== elements.length - 1 || bytes > 12) return null;
      const v4 = parseIpv4(element);
      if (v4 === null) return null;
      into.push(...v4);
    } else {
      if (bytes >= 16 || !/^[0-9a-fA-F]{1,4}$/.test(element)) return null;
      const group = parseInt(element, 16);
      into.push(group >> 8, group & 0xff);
    }
  }
  const total = head.length + tail.length;
  if (gapAt === -1) return total === 16 ? Uint8Array.from(head) : null;
  if (total >= 16) return null;
  // The empty elements must form exactly one `::`: three only for the bare `::`,
  // two only at the start or end, one only in the middle.
  const atStart = gapAt === 0;
  const atEnd = gapAt + empties === elements.length;
  if (empties > 3) return null;
  if (empties === 3 && total > 0) return null;
  if (empties === 2 && !atStart && !atEnd) return null;
  if (empties === 1 && (atStart || atEnd)) return null;
  const out = new Uint8Array(16);
  out.set(head, 0);
  out.set(tail, 16 - tail.length);
  return out;
}
