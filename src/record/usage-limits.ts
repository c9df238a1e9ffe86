/**
 * Key usage limits (RFC 8446 §5.5, with the integrity figures of RFC 9147
 * §4.5.3): how many records one key may protect. AES-GCM's confidentiality
 * limit is 2^24.5 full-size records, after which the sender must change keys
 * (TLS 1.3 KeyUpdate; TLS 1.2 has no way to, so the connection ends there).
 * ChaCha20-Poly1305 has none below the sequence-number limit. Every record a
 * peer sends is a forgery attempt counted against the integrity limit, 2^36
 * for both: no key opens more records than that.
 * @module
 */
import type { AeadName } from '../crypto/provider.ts';
import { SEQUENCE_LIMIT } from './sequence.ts';

export interface UsageLimits {
  /** Records the key may seal before it must change. */
  readonly seal: number;
  /** Records the key may open at all. */
  readonly open: number;
}

const INTEGRITY_LIMIT = 2 ** 36;

export const USAGE_LIMITS: Readonly<Record<AeadName, UsageLimits>> = {
  'AES-128-GCM': { seal: Math.floor(2 ** 24.5), open: INTEGRITY_LIMIT },
  'AES-256-GCM': { seal: Math.floor(2 ** 24.5), open: INTEGRITY_LIMIT },
  'CHACHA20-POLY1305': { seal: SEQUENCE_LIMIT, open: INTEGRITY_LIMIT },
};

/** The unprotected epoch counts nothing. */
export const NO_LIMITS: UsageLimits = { seal: Infinity, open: Infinity };
