/**
 * Parsed certificates shared across verifications, keyed by their exact DER.
 * A client that connects to the same servers again and again receives the
 * same chains; parsing one (asn1js, then the `@peculiar` schema check) costs
 * more than checking an RSA signature, so each distinct certificate is parsed
 * once and its view, with its lazily decoded key and extensions, is reused.
 * Go's crypto/tls keeps such a table for the same reason (`certCache`).
 *
 * Safety: the key is the whole DER, compared byte for byte (no hash that could
 * collide), and a view is only cached after it parsed; a failed parse is
 * thrown again on every call. A `Certificate` view is never mutated by this
 * library, and what leaves it is copied: validated chains (`verify_chain`, the
 * engine's verifier) and the keys and bytes given to a `CryptoProvider`, which
 * may be the caller's. The table holds at most `capacity` certificates, least
 * recently used out first, and only certificates up to `MAX_CACHED_DER`
 * bytes, so a peer cannot grow it without bound.
 * @module
 */
import { bytesKey } from '../wire/bytes.ts';
import { type Certificate, parseCertificate } from './certificate.ts';

/**
 * Certificates larger than this are parsed every time (real ones are 1–2 KiB).
 * Below 16 KiB on purpose: V8 hashes longer strings by their length alone.
 */
const MAX_CACHED_DER = 12 * 1024;

export class CertificateCache {
  readonly capacity: number;
  /** `bytesKey` of the DER → view; Map order is recency. */
  readonly #entries = new Map<string, Certificate>();

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The parsed view of `der`, from the table when the same bytes were parsed before. */
  parse(der: Uint8Array): Certificate {
    if (this.capacity === 0 || der.length > MAX_CACHED_DER) return parseCertificate(der);
    const key = bytesKey(der);
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const certificate = parseCertificate(der);
    // Keyed by the parser's own copy, so the view always matches its key even if the caller's
    // buffer changed during the parse (a SharedArrayBuffer another worker writes to).
    this.#entries.set(bytesKey(certificate.der), certificate);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return certificate;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The process-wide table the verifier and the engine parse peer certificates through. */
export const certificateCache = new CertificateCache(256);
