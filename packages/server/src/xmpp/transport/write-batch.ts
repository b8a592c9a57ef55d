import type { Duplex } from 'node:stream';

/**
 * Coalesces what is written to one socket during one turn of the event loop into one `writev`: the
 * first write of a turn corks the socket, and one shared `setImmediate` uncorks every socket corked
 * in that turn. A stanza, the XEP-0198 `<r/>` after it, or a burst of copies to the same client then
 * cost one system call instead of one each (a syscall per frame was the largest cost of sending).
 * Writes still leave in the same loop iteration, after the I/O callbacks that produced them.
 */
const corked = new Set<Duplex>();
let scheduled = false;

export function corkForThisTurn(socket: Duplex): void {
  if (corked.has(socket) || socket.destroyed) return;
  socket.cork();
  corked.add(socket);
  if (!scheduled) {
    scheduled = true;
    setImmediate(uncorkAll);
  }
}

function uncorkAll(): void {
  scheduled = false;
  // Taken out first: an uncork may run write callbacks that cork a socket again for the next turn.
  const batch = [...corked];
  corked.clear();
  for (const socket of batch) socket.uncork();
}
