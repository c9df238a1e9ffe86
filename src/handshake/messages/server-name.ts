/**
 * server_name (RFC 6066 §3): the client's ServerNameList carrying one
 * host_name, and the server's acknowledgement, an extension with empty data
 * in EncryptedExtensions (RFC 8446 §4.3.1 via RFC 6066 §3).
 * @module
 */
import { utf8 } from '../../wire/bytes.ts';
import { DecodeError } from '../../wire/errors.ts';
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
 * NameType start with a 16-bit length, so those are skipped; a second
 * host_name, an empty one, or one that is not a DNS name in ASCII without a
 * trailing dot is a decode_error.
 */
export function decodeServerName(data: Uint8Array): string | undefined {
  return decodeExact(data, 'ServerNameList', (r) => {
    const list = r.vector(2, 'ServerNameList.server_name_list', 1);
    let hostName: string | undefined;
    while (!list.atEnd) {
      const type = list.u8('ServerName.name_type');
      if (type !== ServerNameType.host_name) {
        list.opaque(2, 'ServerName.name');
        continue;
      }
      const name = list.opaque(2, 'HostName', 1);
      if (hostName !== undefined) throw new DecodeError('ServerNameList.server_name_list', 'more than one host_name');
      hostName = asciiHostName(name);
    }
    return hostName;
  });
}

/** The server's acknowledgement carries nothing. */
export function decodeServerNameAck(data: Uint8Array): true {
  return decodeEmpty(data, 'server_name');
}

function asciiHostName(name: Uint8Array): string {
  // Printable ASCII only: a NUL or a space would let one name pass for another.
  if (name.some((b) => b < 0x21 || b > 0x7e)) throw new DecodeError('HostName', 'not printable ASCII');
  const text = String.fromCharCode(...name);
  if (text.endsWith('.')) throw new DecodeError('HostName', 'trailing dot');
  return text;
}
