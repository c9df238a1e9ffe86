import { describe, expect, it } from 'vitest';
import { decodeAlert, encodeAlert } from '../../src/record/alert.ts';
import { AlertDescription } from '../../src/wire/registry.ts';
import { expectFailure } from './helpers.ts';

describe('alert body', () => {
  it('round-trips', () => {
    expect(encodeAlert(2, 40)).toEqual(new Uint8Array([2, 40]));
    expect(decodeAlert(new Uint8Array([1, 0]))).toEqual({ level: 1, description: 0 });
  });

  it('must be exactly two bytes', () => {
    for (const body of [[], [2], [2, 40, 2], [1, 0, 1, 0]]) {
      expectFailure(() => decodeAlert(new Uint8Array(body)), 'MalformedAlert', AlertDescription.decode_error);
    }
  });
});
