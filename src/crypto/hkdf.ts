/**
 * HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label / Derive-Secret
 * (RFC 8446 §7.1), over the provider's HMAC.
 * @module
 */
import { encode } from '../wire/codec.ts';
import { utf8 } from '../wire/bytes.ts';
import type { CryptoProvider, HashName } from './provider.ts';

export function hkdfExtract(provider: CryptoProvider, hash: HashName, salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const saltOrZeros = salt.length > 0 ? salt : new Uint8Array(provider.hash(hash).outputLength);
  return provider.hmac(hash, saltOrZeros, ikm);
}

export function hkdfExpand(provider: CryptoProvider, hash: HashName, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const hashLength = provider.hash(hash).outputLength;
  if (length > 255 * hashLength) throw new RangeError(`HKDF-Expand: ${length} bytes is more than 255 blocks`);
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0, offset = 0; offset < length; i++) {
    const input = new Uint8Array(previous.length + info.length + 1);
    input.set(previous, 0);
    input.set(info, previous.length);
    input[input.length - 1] = i + 1;
    previous = provider.hmac(hash, prk, input);
    out.set(previous.subarray(0, Math.min(previous.length, length - offset)), offset);
    offset += previous.length;
  }
  return out;
}

/** The HkdfLabel structure of RFC 8446 §7.1, with the "tls13 " prefix. */
export function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  return encode((w) => {
    w.u16(length);
    w.opaque(1, labelBytes(label));
    w.opaque(1, context);
  });
}

/** The protocol's own labels, encoded once ("tls13 c hs traffic", "tls13 key", ...). */
const LABELS = new Map<string, Uint8Array>();
const MAX_LABELS = 64;

/** `"tls13 " + label` as bytes; exporter labels come from callers, so the table stops growing at MAX_LABELS. */
function labelBytes(label: string): Uint8Array {
  let bytes = LABELS.get(label);
  if (bytes === undefined) {
    bytes = utf8(`tls13 ${label}`);
    if (LABELS.size < MAX_LABELS) LABELS.set(label, bytes);
  }
  return bytes;
}

export function hkdfExpandLabel(
  provider: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  return hkdfExpand(provider, hash, secret, hkdfLabel(label, context, length), length);
}

/** Derive-Secret(Secret, Label, Messages) with the transcript hash already taken (RFC 8446 §7.1). */
export function deriveSecret(
  provider: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  transcriptHash: Uint8Array,
): Uint8Array {
  return hkdfExpandLabel(provider, hash, secret, label, transcriptHash, transcriptHash.length);
}
