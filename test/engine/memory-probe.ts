/**
 * Run as `node --expose-gc memory-probe.ts [scenario...]` by
 * memory-fragments.test.ts: for each scenario (all by default), builds one
 * adversarial input, feeds it, and prints a JSON line with the bytes the input
 * leaves buffered and the memory the process retains for it (`heapUsed +
 * arrayBuffers` after a full collection, minus the same before). A process of
 * its own, so that nothing else allocates between the two measurements and
 * `gc()` is there.
 * @module
 */
import { nobleProvider } from '../../src/crypto/noble.ts';
import { clientDefaults } from '../../src/handshake/config.ts';
import { TlsConnection } from '../../src/handshake/connection.ts';
import { RecordLayer } from '../../src/record/record-layer.ts';
import { ContentType, HandshakeType } from '../../src/wire/registry.ts';

/** A Certificate message length just under the 256 KiB cap: the most one partial message may hold. */
const MESSAGE_LENGTH = 256 * 1024 - 1;
/** All of the message but its last byte: the receiver must hold every fragment. */
const FRAGMENTS = 4 + MESSAGE_LENGTH - 1;
/** A full plaintext record (RFC 8446 §5.1), of which all but the last byte arrive. */
const RECORD_LENGTH = 1 << 14;

/** A plaintext handshake record carrying one byte of the message. */
function oneByteRecord(byte: number): Uint8Array {
  return Uint8Array.of(ContentType.handshake, 3, 3, 0, 1, byte);
}

/** Byte `i` of a Certificate message announcing MESSAGE_LENGTH bytes (header, then filler). */
function messageByte(i: number): number {
  const header = [HandshakeType.certificate, MESSAGE_LENGTH >> 16, (MESSAGE_LENGTH >> 8) & 0xff, MESSAGE_LENGTH & 0xff];
  return i < 4 ? header[i]! : i & 0xff;
}

/** All the one-byte records, in one buffer (about 1.5 MB). */
function fragmentWire(): Uint8Array {
  const wire = new Uint8Array(FRAGMENTS * 6);
  for (let i = 0; i < FRAGMENTS; i++) wire.set(oneByteRecord(messageByte(i)), i * 6);
  return wire;
}

interface Receiver {
  receive(bytes: Uint8Array): void;
}

/** A record layer that reads every event out after each receive(), as the connection does. */
function drainedLayer(): Receiver {
  const layer = new RecordLayer();
  return {
    receive(bytes: Uint8Array) {
      layer.receive(bytes);
      while (layer.nextEvent() !== null);
    },
  };
}

/** A client that sent its ClientHello and waits for the ServerHello. */
function client(): TlsConnection {
  const connection = TlsConnection.client(clientDefaults(nobleProvider), 'localhost');
  connection.takeOutgoing();
  return connection;
}

/** Each scenario: [bytes left buffered, a function that makes the receiver and feeds it]. */
const SCENARIOS: Record<string, [number, () => unknown]> = {
  /** 1.5 MB of one-byte handshake fragments, in one receive() call. */
  'fragments-at-once': [FRAGMENTS, () => {
    const layer = drainedLayer();
    layer.receive(fragmentWire());
    return layer;
  }],
  /** The same fragments, one record per receive() call. */
  'fragments-one-record-per-call': [FRAGMENTS, () => {
    const layer = drainedLayer();
    for (let i = 0; i < FRAGMENTS; i++) layer.receive(oneByteRecord(messageByte(i)));
    return layer;
  }],
  /** The same fragments to a client connection waiting for its ServerHello. */
  'fragments-to-connection': [FRAGMENTS, () => {
    const connection = client();
    connection.receive(fragmentWire());
    return connection;
  }],
  /** A 16 KiB record fed one byte per receive() call, all but its last byte. */
  'partial-record-byte-per-call': [5 + RECORD_LENGTH - 1, () => {
    const layer = drainedLayer();
    const header = Uint8Array.of(ContentType.handshake, 3, 3, RECORD_LENGTH >> 8, RECORD_LENGTH & 0xff);
    for (let i = 0; i < 5 + RECORD_LENGTH - 1; i++) layer.receive(i < 5 ? header.subarray(i, i + 1) : Uint8Array.of(i & 0xff));
    return layer;
  }],
  /** 1 MiB in one receive() call: whole change_cipher_spec records, then the first 15 bytes of a record. */
  'big-read-ending-in-a-partial-record': [15, () => {
    const layer = drainedLayer();
    const read = new Uint8Array(1 << 20);
    const whole = Math.floor((read.length - 15) / 6);
    for (let i = 0; i < whole; i++) read.set([ContentType.change_cipher_spec, 3, 3, 0, 1, 1], i * 6);
    read.set([ContentType.handshake, 3, 3, RECORD_LENGTH >> 8, RECORD_LENGTH & 0xff], whole * 6);
    layer.receive(read.subarray(0, whole * 6 + 15));
    return layer;
  }],
};

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

function used(): number {
  gc!();
  gc!();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(SCENARIOS);
/** The receiver being measured; the one before is let go before the next baseline. */
let kept: unknown;
for (const name of names) {
  kept = undefined;
  const scenario = SCENARIOS[name];
  if (scenario === undefined) throw new Error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`);
  const [buffered, run] = scenario;
  // Warm up: compile the code paths and fill lazily made tables, so that the measurement sees only the input.
  run();
  const before = used();
  kept = run();
  const retained = used() - before;
  // `kept` is used after the measurement, so the collector cannot free it before.
  process.stdout.write(`${JSON.stringify({ scenario: name, buffered, retained, kept: kept !== undefined })}\n`);
}
