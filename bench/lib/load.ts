/**
 * A closed-loop load generator for benchmarks: `concurrency` workers each issue one request at a time,
 * back to back, until the phase's time is up or its request budget is spent.
 *
 * Timing rules (shared by every benchmark so their numbers compare):
 * - no request is started after `durationMs`;
 * - requests still in flight then may finish during `graceMs` and are counted normally;
 * - whatever is still running after `durationMs + graceMs` is aborted and counted as an error
 *   (`timeout`), so a phase never outlives that bound;
 * - `elapsedMs` runs from the start until the last worker finished (drain included), and rates
 *   divide by it.
 */
import { performance } from 'node:perf_hooks';

export interface LoadContext {
  /** 0-based worker number. */
  worker: number;
  /** 0-based number of this request within the phase. */
  sequence: number;
  /** Aborted at the phase's hard stop; pass it to `fetch`. */
  signal: AbortSignal;
}

export interface LoadOptions {
  concurrency: number;
  /** Stop starting requests after this long. */
  durationMs: number;
  /** How long in-flight requests may run past `durationMs` before they are aborted (default 5000). */
  graceMs?: number;
  /** Start at most this many requests (default: no limit, the phase runs for `durationMs`). */
  maxRequests?: number;
  /**
   * Performs one request, reads its body and returns the HTTP status. A 2xx status is a success;
   * any other status, a throw or an abort is an error. Latency covers the whole call.
   */
  request: (context: LoadContext) => Promise<number>;
}

export interface LoadResult {
  /** Requests that completed (successes + errors). */
  requests: number;
  ok: number;
  errors: number;
  /** Errors by kind: `http 4xx/5xx status`, `timeout`, or the network error code. */
  errorKinds: Record<string, number>;
  /** Latencies of the successful requests, in ms, in completion order. */
  latenciesMs: Float64Array;
  elapsedMs: number;
  /** True when the phase ended because its time ran out rather than its request budget. */
  timeLimited: boolean;
}

/** A growable buffer of float samples (cheaper than number[] for 10^5–10^6 latencies). */
export class SampleBuffer {
  private data = new Float64Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    this.length += 1;
  }

  get size(): number {
    return this.length;
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

const DEFAULT_GRACE_MS = 5_000;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const started = performance.now();
  const stopStartingAt = started + options.durationMs;

  const hardStop = new AbortController();
  const hardStopTimer = setTimeout(() => hardStop.abort(new Error('phase hard stop')), options.durationMs + graceMs);
  // One controller per request, aborted together at the hard stop: fetch adds a listener to the signal
  // it is given, so sharing the phase's signal across thousands of requests would pile listeners up.
  const inFlight = new Set<AbortController>();
  hardStop.signal.addEventListener('abort', () => {
    for (const controller of inFlight) controller.abort(hardStop.signal.reason);
  }, { once: true });

  const latencies = new SampleBuffer();
  const errorKinds: Record<string, number> = {};
  let issued = 0;
  let ok = 0;
  let errors = 0;
  let timeLimited = false;

  const countError = (kind: string) => {
    errors += 1;
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  };

  const worker = async (id: number) => {
    for (;;) {
      if (issued >= maxRequests) return;
      if (hardStop.signal.aborted || performance.now() >= stopStartingAt) {
        timeLimited = true;
        return;
      }
      const sequence = issued;
      issued += 1;
      const controller = new AbortController();
      inFlight.add(controller);
      // Rejects at the hard stop, so a request that ignores its signal still cannot hold the phase open.
      const aborted = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      aborted.catch(() => undefined);
      const begin = performance.now();
      try {
        const status = await Promise.race([options.request({ worker: id, sequence, signal: controller.signal }), aborted]);
        if (status >= 200 && status < 300) {
          ok += 1;
          latencies.push(performance.now() - begin);
        } else {
          countError(`http ${status}`);
        }
      } catch (error) {
        countError(hardStop.signal.aborted ? 'timeout' : describeError(error));
      } finally {
        inFlight.delete(controller);
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)));
  } finally {
    clearTimeout(hardStopTimer);
  }
  return {
    requests: ok + errors,
    ok,
    errors,
    errorKinds,
    latenciesMs: latencies.toArray(),
    elapsedMs: performance.now() - started,
    timeLimited,
  };
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`, … from a fetch failure (undici puts the code on `cause`), else its message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'error';
  const cause = (error as Error & { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const message = cause instanceof Error ? `${error.message}: ${cause.message}` : `${error.name}: ${error.message}`;
  return message.length > 60 ? `${message.slice(0, 57)}...` : message;
}

/** Picks a uniformly random element; the array must not be empty. */
export function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick() from an empty list');
  return item;
}
