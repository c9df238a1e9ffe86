/**
 * A TCP relay on 127.0.0.1 between a TLS client and a server on `targetPort`
 * that forwards every byte unchanged and records each TLS record as it
 * passes, in the order the relay saw them, so a test can read (and, with the
 * key log, decrypt) a conversation between two peers it does not control.
 * Serves one connection.
 * @module
 */
import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { concatBytes } from '../../src/wire/bytes.ts';

export interface RelayedRecord {
  readonly from: 'client' | 'server';
  readonly type: number;
  readonly version: number;
  readonly body: Uint8Array;
}

export interface RecordRelay {
  readonly port: number;
  /** Every complete record so far, both directions, in arrival order. */
  readonly records: readonly RelayedRecord[];
  close(): Promise<void>;
}

/** Cuts one direction's byte stream into records as they complete. */
function recordReader(from: RelayedRecord['from'], out: RelayedRecord[]): (chunk: Uint8Array) => void {
  let pending: Uint8Array = new Uint8Array(0);
  return (chunk) => {
    pending = concatBytes(pending, chunk);
    while (pending.length >= 5) {
      const length = ((pending[3] as number) << 8) | (pending[4] as number);
      if (pending.length < 5 + length) break;
      out.push({ from, type: pending[0] as number, version: ((pending[1] as number) << 8) | (pending[2] as number), body: pending.slice(5, 5 + length) });
      pending = pending.subarray(5 + length);
    }
  };
}

/** Forwards `from`'s bytes to `to`, recording them; an end or error on one side ends the other. */
function forward(from: Socket, to: Socket, record: (chunk: Uint8Array) => void): void {
  from.on('data', (chunk: Buffer) => {
    record(new Uint8Array(chunk));
    to.write(chunk);
  });
  from.on('end', () => to.end());
  from.on('error', () => to.destroy());
}

export function startRecordRelay(targetPort: number): Promise<RecordRelay> {
  const records: RelayedRecord[] = [];
  const sockets: Socket[] = [];
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.push(client, upstream);
    forward(client, upstream, recordReader('client', records));
    forward(upstream, client, recordReader('server', records));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('relay has no TCP address');
      resolve({
        port: address.port,
        records,
        close: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
