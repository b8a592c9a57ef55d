/**
 * The order of one connection's stanza handling (ADR 0022). Most stanzas run one at a time: each starts
 * after every earlier one finished. Tasks started with `overlap` (content messages) may run alongside the
 * overlapping tasks before them, so their commits share a group-commit batch, while the connection still
 * sees arrival order where it counts:
 * - a task's writes: `handedIn` of every earlier task comes first (the store keeps hand-in order);
 * - a task's output: `earlier()` resolves once every earlier task finished;
 * - a task's `after` (the XEP-0198 count) runs once it and every earlier task finished, in start order;
 * - a `serial` task starts after every earlier task finished, and later tasks start after it.
 * At most `limit` overlapping tasks are unfinished at once; `overlap` waits for a free slot. Tasks are
 * given in arrival order by one caller, each call awaited before the next (the connection's read loop).
 */

/** What an overlapping task is given to keep its writes and its output in arrival order. */
export interface PipelineOrder {
  /** True once every earlier task finished (output may go out directly). */
  readonly reached: boolean;
  /** Resolves once every earlier task finished (the same promise each call). */
  earlier(): Promise<void>;
  /** Resolves once every earlier task handed in its write, or finished. */
  earlierHandedIn(): Promise<void>;
  /** This task handed in its write (idempotent; finishing counts as handing in). */
  handedIn(): void;
}

const settledOk = Promise.resolve();
const ignore = (): void => undefined;

class TaskOrder implements PipelineOrder {
  reached = false;
  #handed: (() => void) | undefined;
  readonly handed: Promise<void>;

  constructor(
    private readonly previous: Promise<void>,
    private readonly previousHandedIn: Promise<void>,
  ) {
    this.handed = new Promise<void>((resolve) => (this.#handed = resolve));
    void previous.then(this.markReached.bind(this));
  }

  private markReached(): void {
    this.reached = true;
  }

  earlier(): Promise<void> {
    return this.previous;
  }

  earlierHandedIn(): Promise<void> {
    return this.previousHandedIn;
  }

  handedIn(): void {
    this.#handed?.();
    this.#handed = undefined;
  }
}

export class StanzaPipeline {
  readonly #limit: number;
  #unfinished = 0;
  /** Settles once every task started so far finished and its `after` ran. */
  #finished: Promise<void> = settledOk;
  /** Settles once every task started so far handed in its write (or finished). */
  #handedIn: Promise<void> = settledOk;
  /** Settles once the last serial task finished. */
  #barrier: Promise<void> = settledOk;
  #slotFreed: (() => void) | undefined;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`pipeline limit must be a positive integer, got ${limit}`);
    this.#limit = limit;
  }

  /** Unfinished overlapping tasks. */
  get inFlight(): number {
    return this.#unfinished;
  }

  /**
   * Starts `task` alongside the earlier overlapping ones; resolves once it started. `task` must not
   * reject (a rejection is ignored); `after` runs once it and every earlier task finished.
   */
  async overlap(task: (order: PipelineOrder) => Promise<void>, after: () => void): Promise<void> {
    if (this.#barrier !== settledOk) {
      await this.#barrier;
      this.#barrier = settledOk;
    }
    while (this.#unfinished >= this.#limit) await new Promise<void>((resolve) => (this.#slotFreed = resolve));
    this.#unfinished += 1;
    const previous = this.#finished;
    const order = new TaskOrder(previous, this.#handedIn);
    const run = task(order).then(ignore, ignore);
    void run.then(order.handedIn.bind(order));
    this.#handedIn = Promise.all([this.#handedIn, order.handed]).then(ignore);
    this.#finished = Promise.all([previous, run]).then(() => {
      this.#unfinished -= 1;
      const wake = this.#slotFreed;
      this.#slotFreed = undefined;
      wake?.();
      after();
    });
  }

  /** Runs `task` once every earlier task finished, then `after`; resolves when both did (never rejects). */
  serial(task: () => Promise<void>, after?: () => void): Promise<void> {
    const done = this.#finished.then(task).then(ignore, ignore).then(after);
    this.#finished = done;
    this.#handedIn = done;
    this.#barrier = done;
    return done;
  }

  /** Resolves once every task started so far finished. */
  settled(): Promise<void> {
    return this.#finished;
  }
}
