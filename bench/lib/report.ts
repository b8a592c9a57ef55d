/** Percentiles, per-phase summaries, and the lines and JSON fields benchmarks print. */
import os from 'node:os';
import type { LoadResult } from './load.js';

export interface PhaseSummary {
  phase: string;
  /** Completed requests (successes + errors). */
  requests: number;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  seconds: number;
  /** Completed requests per second. */
  rps: number;
  /** Successful requests per second. */
  okRps: number;
  /** Latency percentiles of successful requests, in ms; null when nothing succeeded. */
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  meanMs: number | null;
  maxMs: number | null;
  /** True when the phase ended on its time limit (not by finishing its work). */
  timeLimited: boolean;
}

/**
 * Nearest-rank percentile (the smallest sample with at least p% of the samples at or below it)
 * of ascending-sorted samples; null for no samples.
 */
export function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] ?? null;
}

const round = (value: number, digits: number) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};
const roundOrNull = (value: number | null, digits: number) => (value === null ? null : round(value, digits));

export function summarize(phase: string, result: LoadResult): PhaseSummary {
  const sorted = result.latenciesMs.slice().sort();
  const seconds = result.elapsedMs / 1000;
  let total = 0;
  for (const value of sorted) total += value;
  return {
    phase,
    requests: result.requests,
    ok: result.ok,
    errors: result.errors,
    errorKinds: result.errorKinds,
    seconds: round(seconds, 3),
    rps: seconds > 0 ? round(result.requests / seconds, 1) : 0,
    okRps: seconds > 0 ? round(result.ok / seconds, 1) : 0,
    p50Ms: roundOrNull(percentile(sorted, 50), 2),
    p90Ms: roundOrNull(percentile(sorted, 90), 2),
    p99Ms: roundOrNull(percentile(sorted, 99), 2),
    meanMs: sorted.length > 0 ? round(total / sorted.length, 2) : null,
    maxMs: roundOrNull(sorted.length > 0 ? (sorted[sorted.length - 1] ?? null) : null, 2),
    timeLimited: result.timeLimited,
  };
}

/** A phase that could not run (e.g. no tokens): reported as a row of zeros. */
export function emptySummary(phase: string): PhaseSummary {
  return summarize(phase, { requests: 0, ok: 0, errors: 0, errorKinds: {}, latenciesMs: new Float64Array(0), elapsedMs: 0, timeLimited: false });
}

const cell = (value: number | null, digits: number) => (value === null ? '-' : value.toFixed(digits));

/** Columns: phase, requests, req/s, p50 ms, p99 ms, errors. */
export function formatTable(rows: readonly PhaseSummary[]): string {
  const header = ['phase', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors'];
  const body = rows.map((row) => [row.phase, String(row.requests), cell(row.rps, 1), cell(row.p50Ms, 2), cell(row.p99Ms, 2), String(row.errors)]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((line) => (line[column] ?? '').length)));
  const render = (line: readonly string[]) =>
    line.map((text, column) => (column === 0 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0))).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [render(header), rule, ...body.map(render)].join('\n');
}

/** `http 401: 3, timeout: 1` — the error kinds of the rows that had errors, one line each. */
export function formatErrorKinds(rows: readonly PhaseSummary[]): string[] {
  return rows
    .filter((row) => row.errors > 0)
    .map((row) => `${row.phase} errors: ${Object.entries(row.errorKinds).map(([kind, count]) => `${kind}: ${count}`).join(', ')}`);
}

/** The report line that says where the server ran (the numbers mean different things). */
export function serverModeLine(serverProcess: boolean, serverPid: number): string {
  return serverProcess
    ? `server: separate process (pid ${serverPid}, node packages/server/bin/parley.js serve --log-level warn); this process (pid ${process.pid}) is only the load generator`
    : `server: in this process (--in-process, pid ${serverPid}), sharing one thread with the load generator`;
}

/** The fields every benchmark's JSON line starts with: which run, how long, on what machine. */
export function runFacts(bench: string, startedAt: Date, serverProcess: boolean) {
  return {
    bench,
    startedAt: startedAt.toISOString(),
    totalSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpus: os.cpus().length,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    serverProcess,
  };
}
