import { describe, expect, it } from 'vitest';
import { StanzaPipeline, type PipelineOrder } from './stanza-pipeline.js';

function deferred(): { promise: Promise<void>; resolve(): void; reject(error: Error): void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise continuation run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('StanzaPipeline', () => {
  it('runs overlapping tasks together and counts them in start order, whatever order they finish in', async () => {
    const pipeline = new StanzaPipeline(8);
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const counted: number[] = [];
    for (const [n, gate] of gates.entries()) {
      await pipeline.overlap(async () => {
        started.push(n);
        await gate.promise;
      }, () => counted.push(n));
    }
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect(pipeline.inFlight).toBe(3);
    gates[2]?.resolve();
    gates[1]?.resolve();
    await tick();
    expect(counted).toEqual([]);
    gates[0]?.resolve();
    await pipeline.settled();
    expect(counted).toEqual([0, 1, 2]);
    expect(pipeline.inFlight).toBe(0);
  });

  it('tells a task when every earlier one finished, and when every earlier one handed its write in', async () => {
    const pipeline = new StanzaPipeline(8);
    const first = deferred();
    let firstOrder: PipelineOrder | undefined;
    let secondOrder: PipelineOrder | undefined;
    await pipeline.overlap(async (order) => {
      firstOrder = order;
      await first.promise;
    }, () => undefined);
    const events: string[] = [];
    await pipeline.overlap(async (order) => {
      secondOrder = order;
      await order.earlierHandedIn();
      events.push('second may write');
      await order.earlier();
      events.push('second may send');
    }, () => undefined);
    await tick();
    expect(firstOrder?.reached).toBe(true);
    expect(secondOrder?.reached).toBe(false);
    expect(events).toEqual([]);
    firstOrder?.handedIn();
    await tick();
    expect(events).toEqual(['second may write']);
    expect(secondOrder?.reached).toBe(false);
    first.resolve();
    await pipeline.settled();
    expect(events).toEqual(['second may write', 'second may send']);
    expect(secondOrder?.reached).toBe(true);
  });

  it('a task that finishes without handing in counts as handed in', async () => {
    const pipeline = new StanzaPipeline(8);
    const first = deferred();
    await pipeline.overlap(() => first.promise, () => undefined);
    let mayWrite = false;
    await pipeline.overlap(async (order) => {
      await order.earlierHandedIn();
      mayWrite = true;
    }, () => undefined);
    await tick();
    expect(mayWrite).toBe(false);
    first.resolve();
    await pipeline.settled();
    expect(mayWrite).toBe(true);
  });

  it('starts a serial task after every earlier one finished, and later tasks after it', async () => {
    const pipeline = new StanzaPipeline(8);
    const log: string[] = [];
    const gate = deferred();
    await pipeline.overlap(async () => {
      await gate.promise;
      log.push('message 1 done');
    }, () => log.push('count 1'));
    const edit = pipeline.serial(async () => {
      log.push('edit starts');
      await tick();
      log.push('edit done');
    }, () => log.push('count edit'));
    const next = pipeline.overlap(async () => {
      log.push('message 2 starts');
    }, () => log.push('count 2'));
    await tick();
    expect(log).toEqual([]);
    gate.resolve();
    await edit;
    await next;
    await pipeline.settled();
    expect(log).toEqual(['message 1 done', 'count 1', 'edit starts', 'edit done', 'count edit', 'message 2 starts', 'count 2']);
  });

  it('waits for a free slot when the limit is reached', async () => {
    const pipeline = new StanzaPipeline(2);
    const gates = [deferred(), deferred()];
    for (const gate of gates) await pipeline.overlap(() => gate.promise, () => undefined);
    let thirdStarted = false;
    const third = pipeline.overlap(async () => {
      thirdStarted = true;
    }, () => undefined);
    await tick();
    expect(thirdStarted).toBe(false);
    expect(pipeline.inFlight).toBe(2);
    gates[0]?.resolve();
    await third;
    expect(thirdStarted).toBe(true);
    gates[1]?.resolve();
    await pipeline.settled();
    expect(pipeline.inFlight).toBe(0);
  });

  it('keeps order and goes on after a task that failed', async () => {
    const pipeline = new StanzaPipeline(4);
    const counted: number[] = [];
    const failing = deferred();
    await pipeline.overlap(() => failing.promise, () => counted.push(1));
    await pipeline.overlap(async () => undefined, () => counted.push(2));
    failing.reject(new Error('handler broke'));
    await pipeline.serial(async () => {
      throw new Error('serial broke');
    }, () => counted.push(3));
    await pipeline.overlap(async () => undefined, () => counted.push(4));
    await pipeline.settled();
    expect(counted).toEqual([1, 2, 3, 4]);
  });

  it('refuses a limit below one', () => {
    expect(() => new StanzaPipeline(0)).toThrow(RangeError);
  });
});
