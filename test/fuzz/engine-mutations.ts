/**
 * Mutations of one side's recorded byte stream, as data fast-check can
 * generate, print and shrink, at three levels (issue 14):
 * - bytes: any byte of a chunk (`byte-mutations.ts`);
 * - records: drop, duplicate, swap, retype, change the version, insert a
 *   record, change the hidden content type or the padding of a TLS 1.3
 *   record, mutate a record's plaintext and seal it again;
 * - handshake messages: drop, duplicate, swap, retype, insert, mutate the body
 *   with the frame kept consistent, edit the extension list through the
 *   message's own codec, mutate a certificate's DER.
 * Two more change nothing a peer may rely on — delivering a chunk in pieces or
 * two chunks at once, and fragmenting a handshake or application data record
 * (RFC 8446 §5.1) — so they must end exactly as the unmutated run did.
 * Indices are taken modulo what the stream has (a record edit picks among the
 * records of the whole stream it fits); a mutation that finds nothing to apply
 * to leaves the stream as it was.
 * @module
 */
import fc from 'fast-check';
import { decodeCertificateRequest, encodeCertificateRequest } from '../../src/handshake/messages/certificate-request.ts';
import { decodeCertificate12, encodeCertificate12 } from '../../src/handshake/messages/certificate12.ts';
import { decodeCertificate, encodeCertificate } from '../../src/handshake/messages/certificate.ts';
import { decodeClientHello, encodeClientHello } from '../../src/handshake/messages/client-hello.ts';
import { decodeEncryptedExtensions, encodeEncryptedExtensions } from '../../src/handshake/messages/encrypted-extensions.ts';
import type { Extension } from '../../src/handshake/messages/extensions.ts';
import { encodeHandshake } from '../../src/handshake/messages/handshake-message.ts';
import { decodeNewSessionTicket, encodeNewSessionTicket } from '../../src/handshake/messages/new-session-ticket.ts';
import { decodeServerHello, encodeServerHello } from '../../src/handshake/messages/server-hello.ts';
import { concatBytes, uintBytes } from '../../src/wire/bytes.ts';
import { ContentType, HandshakeType, ProtocolVersion } from '../../src/wire/registry.ts';
import type { ByteMutation } from './byte-mutations.ts';
import { applyByteMutations, byteMutation } from './byte-mutations.ts';
import { bytes, genericExtension, u16, u8, wellFormedExtension } from './codec-arbitraries.ts';
import type { Framing, WireRecord } from './wire-records.ts';
import { parseStream, recordBytes, sealFragments, sealLike, splitMessages } from './wire-records.ts';

export type RecordEdit =
  | { readonly op: 'drop' | 'duplicate' | 'swap' }
  | { readonly op: 'type' | 'version'; readonly value: number }
  | { readonly op: 'insert'; readonly type: number; readonly content: Uint8Array; readonly sealed: boolean }
  | { readonly op: 'innerType'; readonly value: number }
  | { readonly op: 'pad'; readonly length: number }
  | { readonly op: 'content'; readonly mutations: readonly ByteMutation[] };

export type ExtensionEdit =
  | { readonly op: 'drop' | 'duplicate' | 'swap'; readonly at: number }
  | { readonly op: 'type'; readonly at: number; readonly value: number }
  | { readonly op: 'data'; readonly at: number; readonly mutations: readonly ByteMutation[] }
  | { readonly op: 'insert'; readonly at: number; readonly extension: Extension }
  | { readonly op: 'grow'; readonly at: number; readonly length: number };

export type MessageEdit =
  | { readonly op: 'drop' | 'duplicate' | 'swap' }
  | { readonly op: 'type'; readonly value: number }
  | { readonly op: 'body'; readonly mutations: readonly ByteMutation[] }
  | { readonly op: 'insert'; readonly type: number; readonly body: Uint8Array }
  | { readonly op: 'extensions'; readonly edit: ExtensionEdit }
  | { readonly op: 'certificate'; readonly entry: number; readonly mutations: readonly ByteMutation[] };

export type EngineMutation =
  | { readonly level: 'bytes'; readonly chunk: number; readonly mutations: readonly ByteMutation[] }
  | { readonly level: 'record'; readonly record: number; readonly edit: RecordEdit }
  | { readonly level: 'message'; readonly record: number; readonly message: number; readonly edit: MessageEdit }
  | { readonly level: 'rechunk'; readonly chunk: number; readonly cuts: readonly number[]; readonly merge: boolean }
  | { readonly level: 'fragment'; readonly record: number; readonly cuts: readonly number[] };

/** Bytes handed to the target in one `receive` call, in the phase (handshake, or after action n) they belong to. */
export interface Delivery {
  readonly phase: number;
  readonly bytes: Uint8Array;
}

export interface Mutated {
  readonly deliveries: readonly Delivery[];
  /** True when the stream means what it meant before (re-chunked, re-fragmented, or nothing applied). */
  readonly neutral: boolean;
}

const mutations = fc.array(byteMutation, { minLength: 1, maxLength: 3 });
const contentTypes = fc.oneof(fc.constantFrom<number>(...Object.values(ContentType)), u8);
/** Alert and CCS bodies worth inserting: warnings, fatal alerts, close_notify, a CCS (RFC 8446 §5, §6). */
const knownRecordContents = [[1], [1, 0], [1, 90], [2, 0], [2, 40], [1, 100], [1, 10]].map((c) => Uint8Array.from(c));

const recordEdit: fc.Arbitrary<RecordEdit> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const) }),
  fc.record({ op: fc.constant('type' as const), value: contentTypes }),
  fc.record({ op: fc.constant('version' as const), value: fc.oneof(fc.constantFrom(0x0300, 0x0301, 0x0302, 0x0304, 0x03ff), u16) }),
  fc.record({ op: fc.constant('insert' as const), type: contentTypes, content: fc.oneof(fc.constantFrom(...knownRecordContents), bytes(0, 24)), sealed: fc.boolean() }),
  fc.record({ op: fc.constant('innerType' as const), value: contentTypes }),
  fc.record({ op: fc.constant('pad' as const), length: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constant(2 ** 14)) }),
  fc.record({ op: fc.constant('content' as const), mutations }),
);

/** Sizes at the edges of the u8 and u16 vectors, and past a record (RFC 8446 §5.1), so caps and encoders are reached. */
const bigLength = fc.constantFrom(255, 256, 2 ** 14, 65_000, 65_400, 65_535);

/** A well-formed extension grown large: a cookie of 65,400 bytes, a list of schemes past a record... */
const bigExtension: fc.Arbitrary<Extension> = fc.tuple(wellFormedExtension, bigLength).map(([e, length]) => ({ ...e, data: grown(e.data, length) }));

const extensionEdit: fc.Arbitrary<ExtensionEdit> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('type' as const), at: fc.nat(), value: fc.oneof(genericExtension.map((e) => e.type), u16) }),
  fc.record({ op: fc.constant('data' as const), at: fc.nat(), mutations }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), extension: fc.oneof(genericExtension, wellFormedExtension, bigExtension) }),
  fc.record({ op: fc.constant('grow' as const), at: fc.nat(), length: bigLength }),
);

const handshakeTypes = fc.oneof(fc.constantFrom<number>(...Object.values(HandshakeType)), u8);

const messageEdit: fc.Arbitrary<MessageEdit> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const, 'swap' as const) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('type' as const), value: handshakeTypes }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('body' as const), mutations }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('insert' as const), type: handshakeTypes, body: fc.oneof(bytes(0, 40), fc.constantFrom(Uint8Array.of(0), Uint8Array.of(1))) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('extensions' as const), edit: extensionEdit }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('certificate' as const), entry: fc.nat(), mutations }), weight: 3 },
);

const cuts = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });

export const engineMutation: fc.Arbitrary<EngineMutation> = fc.oneof(
  { arbitrary: fc.record({ level: fc.constant('bytes' as const), chunk: fc.nat(), mutations }), weight: 3 },
  { arbitrary: fc.record({ level: fc.constant('record' as const), record: fc.nat(), edit: recordEdit }), weight: 3 },
  { arbitrary: fc.record({ level: fc.constant('message' as const), record: fc.nat(), message: fc.nat(), edit: messageEdit }), weight: 5 },
  { arbitrary: fc.record({ level: fc.constant('rechunk' as const), chunk: fc.nat(), cuts, merge: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ level: fc.constant('fragment' as const), record: fc.nat(), cuts }), weight: 1 },
);

/** One to three mutations, applied in turn (an inserted extension can then be grown, a moved record retyped...). */
export const engineMutations: fc.Arbitrary<EngineMutation[]> = fc.array(engineMutation, { minLength: 1, maxLength: 3 });

/** The stream with each of `mutations` applied in turn; neutral only if every one was. */
export function applyMutations(deliveries: readonly Delivery[], mutations: readonly EngineMutation[], framing: Framing): Mutated {
  return mutations.reduce<Mutated>((so, m) => {
    const next = applyMutation(so.deliveries, m, framing);
    return { deliveries: next.deliveries, neutral: so.neutral && next.neutral };
  }, { deliveries, neutral: true });
}

/** The stream `deliveries` with `mutation` applied; `framing` says how the sender sealed its records. */
export function applyMutation(deliveries: readonly Delivery[], mutation: EngineMutation, framing: Framing): Mutated {
  if (deliveries.length === 0) return { deliveries, neutral: true };
  const replace = (at: number, pieces: readonly Uint8Array[], neutral: boolean, upTo = at + 1): Mutated => ({
    deliveries: [...deliveries.slice(0, at), ...pieces.map((b) => ({ phase: deliveries[at]!.phase, bytes: b })), ...deliveries.slice(upTo)],
    neutral,
  });
  const unchanged: Mutated = { deliveries, neutral: true };
  switch (mutation.level) {
    case 'bytes': {
      const at = mutation.chunk % deliveries.length;
      return replace(at, [applyByteMutations(deliveries[at]!.bytes, mutation.mutations)], false);
    }
    case 'rechunk': {
      const at = mutation.chunk % deliveries.length;
      const { phase, bytes } = deliveries[at]!;
      const next = deliveries[at + 1];
      if (mutation.merge) return next && next.phase === phase ? replace(at, [concatBytes(bytes, next.bytes)], true, at + 2) : unchanged;
      return replace(at, pieces(bytes, mutation.cuts), true);
    }
    default: {
      const stream = parseStream(deliveries.map((d) => d.bytes), framing);
      const edited = editStream(stream, mutation, framing);
      return edited ? replace(edited.chunk, [concatBytes(...edited.records)], edited.neutral) : unchanged;
    }
  }
}

/** `bytes` cut at `cuts` (taken modulo its length) into non-empty pieces. */
function pieces(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  if (bytes.length < 2) return [bytes];
  const points = [...new Set(cuts.map((c) => 1 + (c % (bytes.length - 1))))].sort((a, b) => a - b);
  return [0, ...points].map((from, i) => bytes.slice(from, [...points, bytes.length][i]));
}

type RecordMutation = Extract<EngineMutation, { level: 'record' | 'message' | 'fragment' }>;

interface Located {
  readonly record: WireRecord;
  readonly chunk: number;
  readonly index: number;
}

/** Which records an edit can apply to. */
function fits(mutation: RecordMutation, record: WireRecord, framing: Framing): boolean {
  const readable = record.content !== undefined;
  switch (mutation.level) {
    case 'fragment':
      return readable && (record.contentType === ContentType.handshake || record.contentType === ContentType.application_data) && record.content!.length >= 2;
    case 'message': {
      const messages = readable && record.contentType === ContentType.handshake ? splitMessages(record.content!) : undefined;
      return messages !== undefined && messages.some((m) => messageFits(mutation.edit, m[0]!, framing));
    }
    case 'record':
      if (mutation.edit.op === 'content') return readable;
      if (mutation.edit.op === 'innerType' || mutation.edit.op === 'pad') return readable && record.protected && framing.version === ProtocolVersion.TLSv1_3;
      return true;
  }
}

/** The chunk an edit changed and its records as bytes, or undefined when no record of the stream fits the edit. */
function editStream(stream: readonly WireRecord[][], mutation: RecordMutation, framing: Framing): { chunk: number; records: Uint8Array[]; neutral: boolean } | undefined {
  const candidates: Located[] = stream.flatMap((records, chunk) => records.flatMap((record, index) => (fits(mutation, record, framing) ? [{ record, chunk, index }] : [])));
  if (candidates.length === 0) return undefined;
  const { record, chunk, index } = candidates[mutation.record % candidates.length]!;
  const records = stream[chunk]!;
  const wire = records.map(recordBytes);
  const splice = (count: number, ...items: Uint8Array[]) => {
    wire.splice(index, count, ...items);
    return { chunk, records: wire, neutral: false };
  };
  if (mutation.level === 'fragment') {
    wire.splice(index, 1, ...pieces(record.content!, mutation.cuts).map((piece) => sealLike(record, record.contentType!, piece, framing)));
    return { chunk, records: wire, neutral: true };
  }
  if (mutation.level === 'message') {
    const messages = editMessages(splitMessages(record.content!)!, mutation.message, mutation.edit, framing);
    return messages && splice(1, ...sealFragments(record, ContentType.handshake, concatBytes(...messages), framing));
  }
  const edit = mutation.edit;
  switch (edit.op) {
    case 'drop':
      return splice(1);
    case 'duplicate':
      return splice(0, wire[index]!);
    case 'swap':
      return index + 1 < wire.length ? splice(2, wire[index + 1]!, wire[index]!) : undefined;
    case 'type':
      return splice(1, recordBytes({ ...record, type: edit.value }));
    case 'version':
      return splice(1, recordBytes({ ...record, version: edit.value }));
    case 'insert': {
      const sealed = edit.sealed && framing.transparent && record.protected;
      return splice(0, sealLike({ protected: sealed, version: record.version }, edit.type, edit.content, framing));
    }
    case 'innerType':
      return splice(1, sealLike(record, edit.value, record.content!, framing));
    case 'pad':
      return splice(1, sealLike(record, record.contentType!, record.content!, framing, edit.length));
    case 'content':
      return splice(1, sealLike(record, record.contentType!, applyByteMutations(record.content!, edit.mutations), framing));
  }
}

/** Whether `edit` applies to a message of `type`: extension edits need an extension list, certificate edits a Certificate. */
function messageFits(edit: MessageEdit, type: number, framing: Framing): boolean {
  if (edit.op === 'certificate') return type === HandshakeType.certificate;
  if (edit.op === 'extensions') return EXTENSION_BLOCKS.has(type) && (framing.version === ProtocolVersion.TLSv1_3 || EXTENSION_BLOCKS12.has(type));
  return true;
}

/** The messages after `edit` of the `index`-th message it fits, or undefined when the edit cannot be made. */
function editMessages(messages: readonly Uint8Array[], index: number, edit: MessageEdit, framing: Framing): Uint8Array[] | undefined {
  const fitting = messages.flatMap((m, i) => (messageFits(edit, m[0]!, framing) ? [i] : []));
  const at = fitting[index % fitting.length]!;
  const message = messages[at]!;
  const type = message[0]!;
  const body = message.subarray(4);
  const out = [...messages];
  switch (edit.op) {
    case 'drop':
      out.splice(at, 1);
      return out;
    case 'duplicate':
      out.splice(at, 0, message);
      return out;
    case 'swap':
      if (at + 1 >= out.length) return undefined;
      out.splice(at, 2, out[at + 1]!, message);
      return out;
    case 'type':
      out[at] = encodeHandshake(edit.value, body);
      return out;
    case 'body':
      out[at] = encodeHandshake(type, applyByteMutations(body, edit.mutations));
      return out;
    case 'insert':
      out.splice(at, 0, encodeHandshake(edit.type, edit.body));
      return out;
    case 'extensions': {
      const edited = editExtensionsOf(type, body, edit.edit);
      if (!edited) return undefined;
      out[at] = encodeHandshake(type, edited);
      return out;
    }
    case 'certificate': {
      const edited = editCertificate(body, edit, framing);
      if (!edited) return undefined;
      out[at] = encodeHandshake(type, edited);
      return out;
    }
  }
}

interface ExtensionBlock {
  read(body: Uint8Array): readonly Extension[];
  write(body: Uint8Array, extensions: Extension[]): Uint8Array;
}

/** Messages with an extension list, decoded and encoded by their own codecs (TLS 1.3 forms where the versions differ). */
const EXTENSION_BLOCKS: ReadonlyMap<number, ExtensionBlock> = new Map<number, ExtensionBlock>([
  [HandshakeType.client_hello, { read: (b) => decodeClientHello(b).extensions, write: (b, extensions) => encodeClientHello({ ...decodeClientHello(b), extensions }) }],
  [HandshakeType.server_hello, { read: (b) => decodeServerHello(b).extensions, write: (b, extensions) => encodeServerHello({ ...decodeServerHello(b), extensions }) }],
  [HandshakeType.encrypted_extensions, { read: (b) => decodeEncryptedExtensions(b).extensions, write: (_, extensions) => encodeEncryptedExtensions({ extensions }) }],
  [
    HandshakeType.certificate_request,
    { read: (b) => decodeCertificateRequest(b).extensions, write: (b, extensions) => encodeCertificateRequest({ ...decodeCertificateRequest(b), extensions }) },
  ],
  [HandshakeType.new_session_ticket, { read: (b) => decodeNewSessionTicket(b).extensions, write: (b, extensions) => encodeNewSessionTicket({ ...decodeNewSessionTicket(b), extensions }) }],
]);

/** Only hellos carry extensions in both versions (RFC 5246 §7.4.1.4). */
const EXTENSION_BLOCKS12 = new Set<number>([HandshakeType.client_hello, HandshakeType.server_hello]);

function editExtensionsOf(type: number, body: Uint8Array, edit: ExtensionEdit): Uint8Array | undefined {
  const block = EXTENSION_BLOCKS.get(type)!;
  let list: Extension[];
  try {
    list = [...block.read(body)];
  } catch {
    return undefined;
  }
  const edited = editList(list, edit);
  if (!edited) return undefined;
  try {
    return block.write(body, edited);
  } catch {
    // Grown past what the message's own length fields can say: not a message at all.
    return undefined;
  }
}

/** `list` after `edit`, or undefined when there is nothing for it to edit. */
function editList(list: Extension[], edit: ExtensionEdit): Extension[] | undefined {
  if (edit.op === 'insert') {
    list.splice(edit.at % (list.length + 1), 0, edit.extension);
    return list;
  }
  if (list.length === 0) return undefined;
  const at = edit.at % list.length;
  const extension = list[at]!;
  switch (edit.op) {
    case 'drop':
      list.splice(at, 1);
      break;
    case 'duplicate':
      list.splice(at, 0, extension);
      break;
    case 'swap':
      if (at + 1 >= list.length) return undefined;
      list.splice(at, 2, list[at + 1]!, extension);
      break;
    case 'type':
      list[at] = { ...extension, type: edit.value };
      break;
    case 'data':
      list[at] = { ...extension, data: applyByteMutations(extension.data, edit.mutations) };
      break;
    case 'grow':
      list[at] = { ...extension, data: grown(extension.data, edit.length) };
      break;
  }
  return list;
}

/**
 * `data` grown to `length` bytes. Data that is one length-prefixed vector (a
 * cookie, a list of schemes, of key shares...) keeps a prefix that matches,
 * with its body repeated, so the bytes still parse and the size reaches the
 * code behind the parser; other data is repeated as it is.
 */
function grown(data: Uint8Array, length: number): Uint8Array {
  for (const width of [2, 1]) {
    const body = length - width;
    if (data.length > width && readUint(data, width) === data.length - width && body < 2 ** (8 * width)) {
      return concatBytes(uintBytes(body, width), repeated(data.subarray(width), body));
    }
  }
  return repeated(data, length);
}

function readUint(bytes: Uint8Array, width: number): number {
  return bytes.subarray(0, width).reduce((v, b) => v * 256 + b, 0);
}

/** `data` repeated (zeros, if it is empty) to `length` bytes. */
function repeated(data: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; data.length > 0 && i < length; i += data.length) out.set(data.subarray(0, length - i), i);
  return out;
}

/** A Certificate with one certificate's DER mutated (TLS 1.3 entries or the TLS 1.2 list). */
function editCertificate(body: Uint8Array, edit: Extract<MessageEdit, { op: 'certificate' }>, framing: Framing): Uint8Array | undefined {
  try {
    if (framing.version === ProtocolVersion.TLSv1_2) {
      const chain = decodeCertificate12(body);
      if (chain.length === 0) return undefined;
      const at = edit.entry % chain.length;
      chain[at] = applyByteMutations(chain[at]!, edit.mutations);
      return encodeCertificate12(chain);
    }
    const message = decodeCertificate(body);
    const list = [...message.certificateList];
    if (list.length === 0) return undefined;
    const at = edit.entry % list.length;
    list[at] = { ...list[at]!, certData: applyByteMutations(list[at]!.certData, edit.mutations) };
    return encodeCertificate({ ...message, certificateList: list });
  } catch {
    return undefined;
  }
}
