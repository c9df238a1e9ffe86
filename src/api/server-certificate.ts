/**
 * `ssl.get_server_certificate`: the PEM of the certificate a server presents,
 * fetched as CPython 3.10+ does it: a stdlib context (no verification unless
 * `ca_certs` is given), `create_connection`, a handshake with SNI.
 * @module
 */
import { CERT_NONE, CERT_REQUIRED, PROTOCOL_TLS_CLIENT } from './constants.ts';
import { _create_unverified_context } from './default-context.ts';
import { DER_cert_to_PEM_cert } from './pem-cert.ts';
import { create_connection } from './socket/functions.ts';

export async function get_server_certificate(addr: readonly [host: string, port: number], ssl_version: number = PROTOCOL_TLS_CLIENT, ca_certs: string | null = null, timeout?: number | null): Promise<string> {
  const [host] = addr;
  const context = _create_unverified_context(ssl_version, { cert_reqs: ca_certs !== null ? CERT_REQUIRED : CERT_NONE, cafile: ca_certs });
  const sock = await create_connection(addr, timeout);
  try {
    const sslsock = await context.wrap_socket(sock, { server_hostname: host });
    try {
      return DER_cert_to_PEM_cert(sslsock.getpeercert(true) as Uint8Array);
    } finally {
      await sslsock.close();
    }
  } finally {
    await sock.close();
  }
}
