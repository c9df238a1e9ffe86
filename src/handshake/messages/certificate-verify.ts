/**
 * CertificateVerify (RFC 8446 §4.4.3): the signature scheme and the signature
 * over the transcript, and the content that signature covers.
 * @module
 */
import { concatBytes, utf8 } from '../../wire/bytes.ts';
import { encode } from '../../wire/codec.ts';
import { decodeExact } from './handshake-message.ts';

/** `struct { SignatureScheme algorithm; opaque signature<0..2^16-1>; } CertificateVerify`. */
export interface CertificateVerify {
  readonly algorithm: number;
  readonly signature: Uint8Array;
}

export function encodeCertificateVerify(message: CertificateVerify): Uint8Array {
  return encode((w) => w.u16(message.algorithm).opaque(2, message.signature));
}

export function decodeCertificateVerify(body: Uint8Array): CertificateVerify {
  return decodeExact(body, 'CertificateVerify', (r) => ({
    algorithm: r.u16('CertificateVerify.algorithm'),
    signature: r.opaque(2, 'CertificateVerify.signature'),
  }));
}

/**
 * RFC 8446 §4.4.3: what is signed is 64 spaces (0x20), the context string of
 * the signing side, a zero byte, then Transcript-Hash(Handshake Context,
 * Certificate). The prefix keeps a TLS 1.3 signature from ever being valid
 * for an earlier version's signed structures; the context string keeps a
 * server's signature from being replayed as a client's.
 */
export function certificateVerifyContent(signer: 'server' | 'client', transcriptHash: Uint8Array): Uint8Array {
  return concatBytes(
    new Uint8Array(64).fill(0x20),
    utf8(`TLS 1.3, ${signer} CertificateVerify`),
    new Uint8Array([0]),
    transcriptHash,
  );
}
