/**
 * signature_algorithms and signature_algorithms_cert (RFC 8446 §4.2.3): the
 * same `SignatureSchemeList` under two extension types, one for handshake
 * signatures and one for signatures in certificates.
 * @module
 */
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

function schemeList(type: number, schemes: readonly number[]): Extension {
  return makeExtension(type, (w) => w.vector(2, (v) => schemes.forEach((s) => v.u16(s))));
}

export function signatureAlgorithmsExtension(schemes: readonly number[]): Extension {
  return schemeList(ExtensionType.signature_algorithms, schemes);
}

export function signatureAlgorithmsCertExtension(schemes: readonly number[]): Extension {
  return schemeList(ExtensionType.signature_algorithms_cert, schemes);
}

/** `SignatureScheme supported_signature_algorithms<2..2^16-2>`, for either extension. */
export function decodeSignatureAlgorithms(data: Uint8Array): number[] {
  const field = 'SignatureSchemeList.supported_signature_algorithms';
  return decodeExact(data, 'SignatureSchemeList', (r) => r.list(2, field, (x) => x.u16(field), 2, 2 ** 16 - 2));
}
