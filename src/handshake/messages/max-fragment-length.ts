/**
 * max_fragment_length (RFC 6066 §4). Our server does not negotiate it: RFC
 * 6066 lets a server ignore the request by not echoing it, and our client
 * never offers it, so a server that sends one is answered by the unsolicited
 * rule (`checkAllowed`). The code is still decoded, so a bad value is refused
 * as §4 requires and the request can be reported.
 * @module
 */
import { ProtocolError } from '../../wire/errors.ts';
import { ExtensionType } from '../../wire/registry.ts';
import type { Extension } from './extensions.ts';
import { makeExtension } from './extensions.ts';
import { decodeExact } from './handshake-message.ts';

/** RFC 6066 §4: `enum { 2^9(1), 2^10(2), 2^11(3), 2^12(4), (255) } MaxFragmentLength`. */
export const MaxFragmentLength = {
  '2^9': 1,
  '2^10': 2,
  '2^11': 3,
  '2^12': 4,
} as const;

export function maxFragmentLengthExtension(code: number): Extension {
  return makeExtension(ExtensionType.max_fragment_length, (w) => w.u8(code));
}

/** RFC 6066 §4: a value other than the four defined ones is an illegal_parameter. */
export function decodeMaxFragmentLength(data: Uint8Array): number {
  const code = decodeExact(data, 'MaxFragmentLength', (r) => r.u8('MaxFragmentLength'));
  if (!Object.values(MaxFragmentLength).some((v) => v === code)) {
    throw new ProtocolError('MaxFragmentLengthRefused', `max_fragment_length code ${code} is not defined`);
  }
  return code;
}
