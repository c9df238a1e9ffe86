/**
 * Test helpers that make certificates no CA would issue: re-encode a real
 * certificate after editing its `@peculiar/asn1-x509` schema object, and write
 * raw DER (tag-length-value) for the parts that must be exactly so. The
 * signatures are not fixed up; nothing that uses these checks them.
 * @module
 */
import * as asn1js from 'asn1js';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Certificate as CertificateSchema,
  Extension,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { concatBytes } from '../../src/wire/bytes.ts';

/** Re-encodes a certificate after `edit` changes its schema object. */
export function craft(der: Uint8Array, edit: (c: CertificateSchema) => void): Uint8Array {
  const c = AsnConvert.parse(der, CertificateSchema);
  edit(c);
  delete c.tbsCertificateRaw; // make the serializer re-encode the edited TBS
  return new Uint8Array(AsnConvert.serialize(c));
}

/** One DER element: tag octet, definite minimal length (X.690 §10.1), contents. */
export function tlv(tag: number, ...contents: (Uint8Array | readonly number[])[]): Uint8Array {
  const body = concatBytes(...contents.map((c) => Uint8Array.from(c)));
  return concatBytes(Uint8Array.of(tag, ...derLength(body.length)), body);
}

/** X.690 §8.1.3: one octet below 128, else 0x80 + the count of big-endian length octets that follow. */
function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const octets: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return [0x80 | octets.length, ...octets];
}

export function oid(dotted: string): Uint8Array {
  return new Uint8Array(new asn1js.ObjectIdentifier({ value: dotted }).toBER());
}

export const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A Name from RDNs of [OID, raw DER value] pairs. */
export function rawName(rdns: readonly (readonly (readonly [string, Uint8Array])[])[]): Name {
  return new Name(
    rdns.map(
      (rdn) =>
        new RelativeDistinguishedName(
          rdn.map(([type, value]) => new AttributeTypeAndValue({ type, value: new AttributeValue({ anyValue: value.slice().buffer }) })),
        ),
    ),
  );
}

/** An extension with raw DER contents. */
export function rawExtension(extnID: string, value: Uint8Array, critical = false): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(value) });
}
