import { describe, expect, it } from 'vitest';
import { UnackedQueue } from './unacked-queue.js';

describe('UnackedQueue', () => {
  it('releases what an ack covers, oldest first, and keeps the rest in order', () => {
    const queue = new UnackedQueue(10);
    for (let h = 1; h <= 5; h += 1) expect(queue.push(h, `s${h}`)).toBe(true);
    queue.release(3);
    expect(queue.pending().map((item) => item.text)).toEqual(['s4', 's5']);
    queue.release(2); // an older ack changes nothing
    expect(queue.size).toBe(2);
    queue.release(9); // beyond what was sent: everything is released, nothing fails
    expect(queue.size).toBe(0);
  });

  it('compares counters modulo 2^32 across the wrap', () => {
    const queue = new UnackedQueue(10);
    const top = 2 ** 32 - 1;
    queue.push(top - 1, 'a');
    queue.push(top, 'b');
    queue.push(0, 'c');
    queue.push(1, 'd');
    queue.release(top);
    expect(queue.pending().map((item) => item.text)).toEqual(['c', 'd']);
    queue.release(0);
    expect(queue.pending().map((item) => item.text)).toEqual(['d']);
  });

  it('refuses pushes beyond its capacity and empties with takeAll', () => {
    const queue = new UnackedQueue(2);
    expect(queue.push(1, 'a')).toBe(true);
    expect(queue.push(2, 'b')).toBe(true);
    expect(queue.push(3, 'c')).toBe(false);
    expect(queue.takeAll().map((item) => item.text)).toEqual(['a', 'b']);
    expect(queue.size).toBe(0);
    expect(queue.push(3, 'c')).toBe(true);
  });

  it('compacts after many releases without losing order', () => {
    const queue = new UnackedQueue(5000);
    for (let h = 1; h <= 3000; h += 1) queue.push(h, String(h));
    queue.release(2500);
    expect(queue.pending().map((item) => Number(item.text))).toEqual(Array.from({ length: 500 }, (_, n) => 2501 + n));
  });
});
