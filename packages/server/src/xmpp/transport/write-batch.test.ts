import { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { corkForThisTurn, flushIfLarge, FLUSH_BYTES } from './write-batch.js';

/** A writable end that records every batch the stream hands to it (one entry per _write/_writev). */
class RecordingSocket extends Duplex {
  readonly batches: string[][] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.batches.push([chunk.toString()]);
    done();
  }
  override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
    this.batches.push(chunks.map(({ chunk }) => chunk.toString()));
    done();
  }
}

describe('write batching per loop turn', () => {
  it('frames written to a socket in one turn leave together, after the turn', async () => {
    const socket = new RecordingSocket();
    for (const frame of ['<a/>', '<b/>', '<r/>']) {
      corkForThisTurn(socket);
      socket.write(frame);
    }
    expect(socket.batches).toEqual([]);
    await nextTurn();
    expect(socket.batches).toEqual([['<a/>', '<b/>', '<r/>']]);
    expect(socket.writableCorked).toBe(0);
    // The next turn batches anew.
    corkForThisTurn(socket);
    socket.write('<c/>');
    await nextTurn();
    expect(socket.batches.at(-1)).toEqual(['<c/>']);
  });

  it('a socket holding FLUSH_BYTES is released at once, and later writes of the turn go straight through', async () => {
    const socket = new RecordingSocket();
    corkForThisTurn(socket);
    socket.write('x'.repeat(FLUSH_BYTES));
    flushIfLarge(socket);
    expect(socket.batches).toHaveLength(1);
    corkForThisTurn(socket);
    socket.write('<after/>');
    expect(socket.batches.at(-1)).toEqual(['<after/>']);
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(socket.batches).toHaveLength(2);
  });

  it('batches several sockets in the same turn, each on its own', async () => {
    const [one, two] = [new RecordingSocket(), new RecordingSocket()];
    for (const socket of [one, two, one]) {
      corkForThisTurn(socket);
      socket.write(socket === one ? '<1/>' : '<2/>');
    }
    await nextTurn();
    expect(one.batches).toEqual([['<1/>', '<1/>']]);
    expect(two.batches).toEqual([['<2/>']]);
  });
});
