/**
 * RFC 6066 §3: a server that used the client's server_name answers with an
 * empty server_name, in EncryptedExtensions (RFC 8446 §4.3.1) or the TLS 1.2
 * ServerHello. Ours always uses it (it chose the configuration), so every
 * hello that carried one is acknowledged, as OpenSSL does.
 * @module
 */
import type { Extension } from './messages/extensions.ts';
import { serverNameAckExtension } from './messages/server-name.ts';

/** The acknowledgement to send for the client's SNI name (undefined: it sent none). */
export function serverNameAck(clientServerName: string | undefined): Extension[] {
  return clientServerName === undefined ? [] : [serverNameAckExtension()];
}
