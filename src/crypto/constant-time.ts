/**
 * Comparison of secret values (Finished verify_data, binders) in time that
 * depends only on the length (RFC 8446 §4.4.4 leaves this to implementations;
 * a short-circuit compare leaks how many leading bytes matched).
 * @module
 */

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
