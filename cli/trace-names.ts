/**
 * IANA names for the code points `--trace` prints (the TLS registries:
 * RFC 8446 §4 and §4.2, RFC 8422, RFC 7301, RFC 8701 GREASE). Cipher suite
 * names come from the context (`get_ciphers()`); these are the rest.
 * @module
 */

/** HandshakeType (RFC 8446 §4). */
export const HANDSHAKE_TYPES: Readonly<Record<number, string>> = {
  1: 'ClientHello', 2: 'ServerHello', 4: 'NewSessionTicket', 5: 'EndOfEarlyData', 8: 'EncryptedExtensions',
  11: 'Certificate', 12: 'ServerKeyExchange', 13: 'CertificateRequest', 14: 'ServerHelloDone', 15: 'CertificateVerify',
  16: 'ClientKeyExchange', 20: 'Finished', 24: 'KeyUpdate', 254: 'message_hash',
};

/** ExtensionType (RFC 8446 §4.2 and the registries it points to). */
export const EXTENSIONS: Readonly<Record<number, string>> = {
  0: 'server_name', 5: 'status_request', 10: 'supported_groups', 11: 'ec_point_formats', 13: 'signature_algorithms',
  16: 'application_layer_protocol_negotiation', 18: 'signed_certificate_timestamp', 21: 'padding', 22: 'encrypt_then_mac',
  23: 'extended_master_secret', 35: 'session_ticket', 41: 'pre_shared_key', 42: 'early_data', 43: 'supported_versions',
  44: 'cookie', 45: 'psk_key_exchange_modes', 47: 'certificate_authorities', 49: 'post_handshake_auth', 50: 'signature_algorithms_cert',
  51: 'key_share', 65281: 'renegotiation_info',
};

/** NamedGroup (RFC 8446 §4.2.7, draft-ietf-tls-ecdhe-mlkem). */
export const GROUPS: Readonly<Record<number, string>> = {
  23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 29: 'x25519', 30: 'x448',
  256: 'ffdhe2048', 257: 'ffdhe3072', 4587: 'SecP256r1MLKEM768', 4588: 'X25519MLKEM768', 4589: 'SecP384r1MLKEM1024',
};

/** SignatureScheme (RFC 8446 §4.2.3). */
export const SIGNATURE_SCHEMES: Readonly<Record<number, string>> = {
  0x0401: 'rsa_pkcs1_sha256', 0x0501: 'rsa_pkcs1_sha384', 0x0601: 'rsa_pkcs1_sha512',
  0x0403: 'ecdsa_secp256r1_sha256', 0x0503: 'ecdsa_secp384r1_sha384', 0x0603: 'ecdsa_secp521r1_sha512',
  0x0804: 'rsa_pss_rsae_sha256', 0x0805: 'rsa_pss_rsae_sha384', 0x0806: 'rsa_pss_rsae_sha512',
  0x0807: 'ed25519', 0x0808: 'ed448', 0x0809: 'rsa_pss_pss_sha256', 0x080a: 'rsa_pss_pss_sha384', 0x080b: 'rsa_pss_pss_sha512',
  0x0201: 'rsa_pkcs1_sha1', 0x0203: 'ecdsa_sha1',
};

/** ProtocolVersion (RFC 8446 §4.2.1). */
export const VERSIONS: Readonly<Record<number, string>> = { 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3' };

/** A registry name, `GREASE` for RFC 8701 values, or the hex code point. */
export function nameOf(table: Readonly<Record<number, string>>, value: number): string {
  const name = table[value];
  if (name !== undefined) return name;
  if ((value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff)) return 'GREASE';
  return `0x${value.toString(16).padStart(4, '0')}`;
}
