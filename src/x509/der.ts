/**
 * The bridge to the ASN.1 library. `asn1js` decodes BER and `@peculiar/asn1-*`
 * map the tree onto the RFC 5280 / 8017 / 5915 / 5958 schemas; neither insists
 * on DER, on consuming every byte, or on throwing one error type. This module
 * adds exactly that: resource limits, "no trailing bytes", the DER rules that
 * make an encoding unique (X.690 §10–11: definite minimal lengths, primitive
 * strings, minimal INTEGERs and OID arcs, canonical BOOLEAN and BIT STRING),
 * and the wrapping of every library failure in `X509ParseError`. SET OF sort
 * order (§11.6) is not checked: OpenSSL does not, and issued names break it.
 * It also hands out the exact encoded bytes of a node, which signatures and
 * name comparisons need (RFC 5280 §4.1.1.3, §7.1).
 * @module
 */
import * as asn1js from 'asn1js';
import { AsnParser } from '@peculiar/asn1-schema';
import { X509ParseError } from './errors.ts';

export type DerNode = asn1js.BaseBlock;

/**
 * Bounds for untrusted input: a certificate is a few KiB and a few hundred
 * nodes deep at most; these stop pathological nesting and node counts early.
 */
const LIMITS: asn1js.FromBerOptions = {
  maxDepth: 48,
  maxNodes: 200_000,
  maxContentLength: 1 << 24,
  parseEmbedded: false,
};

const TAG = { BOOLEAN: 1, INTEGER: 2, BIT_STRING: 3, NULL: 5, OID: 6, ENUMERATED: 10, SEQUENCE: 16, SET: 17 } as const;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Decodes one complete DER element; anything else is an `X509ParseError` on `field`. */
export function decodeDer(bytes: Uint8Array, field: string): DerNode {
  if (bytes.length === 0) throw new X509ParseError(field, 'empty');
  let parsed: asn1js.FromBerResult;
  try {
    parsed = asn1js.fromBER(bytes, LIMITS);
  } catch (error) {
    throw new X509ParseError(field, `not DER: ${describe(error)}`);
  }
  if (parsed.offset === -1 || parsed.result.error) {
    throw new X509ParseError(field, `not DER: ${parsed.result.error || 'undecodable'}`);
  }
  if (parsed.offset !== bytes.length) {
    throw new X509ParseError(field, `${bytes.length - parsed.offset} trailing bytes`);
  }
  checkDer(parsed.result, field);
  return parsed.result;
}

/** Maps a decoded node onto a `@peculiar` schema class, wrapping its errors. */
export function parseNode<T>(node: DerNode, type: new () => T, field: string): T {
  try {
    return AsnParser.fromASN(node, type) as T;
  } catch (error) {
    throw new X509ParseError(field, `does not match the ASN.1 schema: ${describe(error)}`);
  }
}

/** `decodeDer` then `parseNode`: bytes to a schema object, DER-strict. */
export function parseDer<T>(bytes: Uint8Array, type: new () => T, field: string): T {
  return parseNode(decodeDer(bytes, field), type, field);
}

/** The exact bytes of the element (tag, length and contents), copied. */
export function encodingOf(node: DerNode): Uint8Array {
  return node.valueBeforeDecodeView.slice();
}

/** The contents octets of a primitive element (after tag and length). */
export function contentsOf(node: DerNode): Uint8Array {
  return node.valueBeforeDecodeView.subarray(node.idBlock.blockLength + node.lenBlock.blockLength);
}

/** The elements of a constructed node (SEQUENCE, SET, or a constructed tag). */
export function childrenOf(node: DerNode, field: string): DerNode[] {
  const value = (node.valueBlock as { value?: unknown }).value;
  if (!node.idBlock.isConstructed || !Array.isArray(value)) {
    throw new X509ParseError(field, 'expected a constructed element');
  }
  return value as DerNode[];
}

/**
 * The elements of a SEQUENCE with `min`..`max` of them. The schema check
 * (asn1js's compareSchema) stops at the last element it knows, so elements
 * past the end of a type's definition are refused here, as OpenSSL refuses them.
 */
export function elementsOf(node: DerNode, field: string, min: number, max: number): DerNode[] {
  const elements = childrenOf(node, field);
  if (elements.length < min || elements.length > max) {
    throw new X509ParseError(field, `has ${elements.length} elements, expected ${min === max ? min : `${min} to ${max}`}`);
  }
  return elements;
}

/** The n-th element of a constructed node, or an error naming `field`. */
export function childOf(node: DerNode, index: number, field: string): DerNode {
  const child = childrenOf(node, field)[index];
  if (child === undefined) throw new X509ParseError(field, `missing element ${index}`);
  return child;
}

export function isTag(node: DerNode, tagClass: 'universal' | 'context', tagNumber: number): boolean {
  return node.idBlock.tagClass === (tagClass === 'universal' ? 1 : 3) && node.idBlock.tagNumber === tagNumber;
}

/** X.690 §10–11 on one node and its descendants. */
function checkDer(node: DerNode, field: string): void {
  const fail = (what: string): never => {
    throw new X509ParseError(field, `not DER: ${what}`);
  };
  const { idBlock, lenBlock } = node;
  if (lenBlock.isIndefiniteForm) fail('indefinite length');
  if (idBlock.warnings.length > 0) fail('non-minimal tag');
  if (!minimalLength(node)) fail('non-minimal length');
  if (idBlock.tagClass === 1) {
    const constructedType = idBlock.tagNumber === TAG.SEQUENCE || idBlock.tagNumber === TAG.SET;
    // §10.2: strings are primitive; SEQUENCE and SET are always constructed.
    if (idBlock.isConstructed !== constructedType) fail(`wrong form for universal tag ${idBlock.tagNumber}`);
    if (!idBlock.isConstructed) checkPrimitive(idBlock.tagNumber, contentsOf(node), fail);
  }
  if (idBlock.isConstructed) for (const child of childrenOf(node, field)) checkDer(child, field);
}

/**
 * X.690 §10.1: the definite form with the fewest octets. Checked on the bytes
 * rather than trusted to asn1js, which flags 0x82 0x01 0x00 (a length of 256)
 * as needlessly long although it is minimal.
 */
function minimalLength(node: DerNode): boolean {
  const header = node.valueBeforeDecodeView.subarray(node.idBlock.blockLength, node.idBlock.blockLength + node.lenBlock.blockLength);
  const first = header[0]!;
  if (first < 0x80) return header.length === 1;
  const octets = header.subarray(1);
  return octets.length === (first & 0x7f) && octets[0] !== 0 && node.lenBlock.length >= 0x80;
}

function checkPrimitive(tag: number, c: Uint8Array, fail: (what: string) => never): void {
  switch (tag) {
    case TAG.BOOLEAN: // §11.1
      if (c.length !== 1 || (c[0] !== 0 && c[0] !== 0xff)) fail('BOOLEAN is not 00 or FF');
      break;
    case TAG.INTEGER:
    case TAG.ENUMERATED: // §8.3.2: minimal two's complement
      if (c.length === 0) fail('empty INTEGER');
      if (c.length > 1 && ((c[0] === 0 && c[1]! < 0x80) || (c[0] === 0xff && c[1]! >= 0x80))) {
        fail('INTEGER not minimally encoded');
      }
      break;
    case TAG.BIT_STRING: {
      // §11.2: unused bits (at most 7, none in an empty string) are zero.
      const unused = c[0];
      if (unused === undefined || unused > 7 || (c.length === 1 && unused !== 0)) fail('bad BIT STRING padding');
      if (unused !== undefined && unused > 0 && (c[c.length - 1]! & ((1 << unused) - 1)) !== 0) {
        fail('BIT STRING unused bits not zero');
      }
      break;
    }
    case TAG.NULL:
      if (c.length !== 0) fail('NULL with contents');
      break;
    case TAG.OID: // §8.19.2: no leading 0x80 in a subidentifier, last octet ends one
      if (c.length === 0 || c[c.length - 1]! >= 0x80) fail('truncated OBJECT IDENTIFIER');
      for (let i = 0; i < c.length; i++) {
        if (c[i] === 0x80 && (i === 0 || c[i - 1]! < 0x80)) fail('OBJECT IDENTIFIER arc not minimal');
      }
      break;
  }
}

/**
 * A schema INTEGER as a non-negative safe integer. The library hands back a
 * number below 2^31 and a decimal string above; both land here.
 */
export function smallInteger(value: number | string, field: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new X509ParseError(field, `integer out of range: ${value}`);
  return n;
}

/**
 * A named-bit BIT STRING (X.680 §22.6) as a mask: bit 0, the first and most
 * significant bit of the first octet, becomes `1 << 0`. Bits past 30 are
 * ignored: no X.509 named-bit list is that long.
 */
export function bitMask(node: DerNode, field: string): number {
  if (!isTag(node, 'universal', 3) && node.idBlock.tagClass !== 3) throw new X509ParseError(field, 'not a BIT STRING');
  if (node.idBlock.isConstructed) throw new X509ParseError(field, 'constructed BIT STRING');
  const c = contentsOf(node);
  if (c.length === 0 || c[0]! > 7) throw new X509ParseError(field, 'bad BIT STRING');
  let mask = 0;
  for (let bit = 0; bit < Math.min(31, (c.length - 1) * 8 - c[0]!); bit++) {
    if ((c[1 + (bit >> 3)]! >> (7 - (bit & 7))) & 1) mask |= 1 << bit;
  }
  return mask;
}

/** An INTEGER (or IMPLICIT-tagged one) that must be a non-negative safe integer (SkipCerts, BaseDistance). */
export function nonNegativeInteger(node: DerNode, field: string): number {
  const c = contentsOf(node);
  if (node.idBlock.isConstructed || c.length === 0 || c[0]! >= 0x80) throw new X509ParseError(field, 'not a non-negative INTEGER');
  let n = 0;
  for (const b of c) n = n * 256 + b;
  return smallInteger(n, field);
}
