/**
 * server_name (RFC 6066 §3): the client's ServerNameList carrying one
 * host_name, and the server's acknowledgement, an extension with empty data
 * in EncryptedExtensions (RFC 8446 §4.3.1 via RFC 6066 §3).
 * @module
 */
import { utf8 } from '../../wire/bytes.ts';
import type { Reader } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType, ServerNameType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { decodeEmpty, makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** The client's extension naming `hostName` (ASCII, no trailing dot: RFC 6066 §3). */
export function serverNameExtension(hostName: string): Extension {
  return makeExtension(ExtensionType.server_name, (w) =>
    w.vector(2, (list) => list.u8(ServerNameType.host_name).opaque(2, utf8(hostName))),
  );
}

/** The server's empty server_name, saying it used the name (RFC 6066 §3). */
export function serverNameAckExtension(): Extension {
  return { type: ExtensionType.server_name, data: new Uint8Array(0) };
}

/**
 * The host_name of a ClientHello's server_name, or undefined when the list
 * holds only name types we do not know. RFC 6066 §3 makes every future
 * NameType's data start with a 16-bit length, so those are read and skipped.
 * A list that does not parse (empty, an empty HostName, lengths that overrun
 * or leave bytes over) is a decode_error; one that parses but breaks §3's
 * rules is illegal_parameter: "MUST NOT contain more than one name of the
 * same name_type" (`DuplicateServerName`), and a HostName that is not ASCII
 * without a trailing dot (`BadServerName`).
 */
export function decodeServerName(data: Uint8Array): string | undefined {
  const names = decodeExact(data, 'ServerNameList', (r) => r.list(2, 'ServerNameList.server_name_list', readServerName, 1));
  const types = new Set<number>();
  for (const { type } of names) {
    if (types.has(type)) throw new ProtocolError('DuplicateServerName', `more than one name of name_type ${type}`);
    types.add(type);
  }
  const host = names.find((n) => n.type === ServerNameType.host_name);
  return host && asciiHostName(host.name);
}

function readServerName(r: Reader): { readonly type: number; readonly name: Uint8Array } {
  const type = r.u8('ServerName.name_type');
  const name = type === ServerNameType.host_name ? r.opaque(2, 'HostName', 1) : r.opaque(2, 'ServerName.name');
  return { type, name };
}

/** The server's acknowledgement carries nothing. */
export function decodeServerNameAck(data: Uint8Array): true {
  return decodeEmpty(data, 'server_name');
}

function asciiHostName(name: Uint8Array): string {
  // Printable ASCII only: a NUL or a space would let one name pass for another.
  if (name.some((b) => b < 0x21 || b > 0x7e)) throw new ProtocolError('BadServerName', 'HostName is not printable ASCII');
  const text = String.fromCharCode(...name);
  if (text.endsWith('.')) throw new ProtocolError('BadServerName', 'HostName ends with a dot');
  return text;
}
