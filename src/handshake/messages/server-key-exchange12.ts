/**
 * The TLS 1.2 ECDHE ServerKeyExchange (RFC 8422 §5.4): the server's ephemeral
 * public key on a named group, signed together with both hello randoms under a
 * SignatureAndHashAlgorithm (RFC 5246 §7.4.3 digitally-signed, §7.4.1.4.1),
 * whose code points are TLS 1.3's SignatureScheme values.
 * @module
 */
import { concatBytes } from '../../wire/bytes.ts';
import { encode } from '../../wire/codec.ts';
import { ProtocolError } from '../../wire/errors.ts';
import { decodeExact } from './handshake-message.ts';

/** RFC 8422 §5.4 ECCurveType.named_curve: the only curve type left (explicit_prime and explicit_char2 are deprecated). */
const NAMED_CURVE = 3;

/**
 * `struct { ServerECDHParams params; digitally-signed struct {...} signed_params; } ServerKeyExchange`,
 * with ServerECDHParams = `{ ECParameters curve_params; ECPoint public; }`.
 */
export interface ServerKeyExchange12 {
  /** `NamedCurve namedcurve`: a NamedGroup number (RFC 8422 §5.1.1). */
  readonly group: number;
  /** `opaque point <1..2^8-1>`: a 32-byte X25519 key or an uncompressed SEC1 point (RFC 8422 §5.4.1). */
  readonly publicKey: Uint8Array;
  /** `SignatureAndHashAlgorithm algorithm` (RFC 5246 §7.4.1.4.1). */
  readonly algorithm: number;
  /** `opaque signature<0..2^16-1>`. */
  readonly signature: Uint8Array;
}

/** The ServerECDHParams bytes: curve_type named_curve, the group, the point. */
export function serverKeyExchangeParams(group: number, publicKey: Uint8Array): Uint8Array {
  return encode((w) => w.u8(NAMED_CURVE).u16(group).opaque(1, publicKey));
}

/** What the server signs (RFC 8422 §5.4): ClientHello.random + ServerHello.random + ServerECDHParams. */
export function serverKeyExchangeSignedContent(clientRandom: Uint8Array, serverRandom: Uint8Array, params: Uint8Array): Uint8Array {
  return concatBytes(clientRandom, serverRandom, params);
}

export function encodeServerKeyExchange12(message: ServerKeyExchange12): Uint8Array {
  return encode((w) => w.bytes(serverKeyExchangeParams(message.group, message.publicKey)).u16(message.algorithm).opaque(2, message.signature));
}

/**
 * Decodes the body. A curve_type other than named_curve is illegal_parameter
 * rather than a decode_error: the bytes may be a well-formed explicit curve
 * (RFC 8422 §5.4 deprecates them, and we offer only named groups in
 * supported_groups, §5.1.1), so the server chose a parameter it may not use —
 * OpenSSL answers the same (WRONG_CURVE, illegal_parameter). Nothing after the
 * curve type can be read without understanding it, so decoding stops there.
 */
export function decodeServerKeyExchange12(body: Uint8Array): ServerKeyExchange12 {
  return decodeExact(body, 'ServerKeyExchange', (r) => {
    const curveType = r.u8('ECParameters.curve_type');
    if (curveType !== NAMED_CURVE) throw new ProtocolError('IllegalParameter', `ServerKeyExchange curve_type ${curveType}, not named_curve`);
    return {
      group: r.u16('ECParameters.namedcurve'),
      publicKey: r.opaque(1, 'ServerECDHParams.public', 1),
      algorithm: r.u16('DigitallySigned.algorithm'),
      signature: r.opaque(2, 'DigitallySigned.signature'),
    };
  });
}
