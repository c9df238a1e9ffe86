/**
 * A plain TCP source for bench/edge-transports.ts, in its own process so the
 * runtime under test has its event loop to itself: on 127.0.0.1, every
 * connection gets `size` bytes and then the end. Prints the port.
 *
 *   node bench/edge-blaster.ts <size>
 */
import { createServer } from 'node:net';

const size = Number(process.argv[2]);
const block = new Uint8Array(64 * 1024).fill(0x5a);
const server = createServer((socket) => {
  let left = size;
  const pour = () => {
    while (left > 0) {
      const piece = block.subarray(0, Math.min(block.length, left));
      left -= piece.length;
      if (!socket.write(piece)) return void socket.once('drain', pour);
    }
    socket.end();
  };
  socket.on('error', () => {});
  pour();
});
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
