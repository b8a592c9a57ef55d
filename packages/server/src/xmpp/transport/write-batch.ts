import type { Duplex } from 'node:stream';

/**
 * Coalesces what is written to one socket during one turn of the event loop into one `writev`: the
 * first write of a turn corks the socket, and one shared `setImmediate` uncorks every socket corked
 * in that turn. A stanza, the XEP-0198 `<r/>` after it, or a burst of copies to the same client then
 * cost one system call instead of one each (a syscall per frame was the largest cost of sending).
 * Writes still leave in the same loop iteration, after the I/O callbacks that produced them.
 */
const corked = new Set<Duplex>();
/**
 * A socket holding this much uncorks at once: a large burst (a history page, an offline flush) goes
 * to the kernel as before, so the slow-reader limit (bytes the process holds for a client) is not
 * reached just because frames were held back for batching.
 */
export const FLUSH_BYTES = 64 * 1024;
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

/** After a write: releases the socket now when it holds FLUSH_BYTES or more (see FLUSH_BYTES). */
export function flushIfLarge(socket: Duplex): void {
  if (socket.writableCorked > 0 && socket.writableLength >= FLUSH_BYTES) socket.uncork();
}

function uncorkAll(): void {
  scheduled = false;
  // Taken out first: an uncork may run write callbacks that cork a socket again for the next turn.
  const batch = [...corked];
  corked.clear();
  // Uncorking a socket that flushIfLarge already released is a no-op.
  for (const socket of batch) socket.uncork();
}
