/**
 * Sessions phases of bench/xmpp-goals.ts (Parley only): token logins/s and idle-session memory.
 *
 * Every bench account has a session token (written into the store before the server starts, as
 * `POST /session` would: SHA-256 of the token, no SCRAM keys); clients log in with SASL PLAIN and the
 * token as the password, then bind and send initial presence. Sessions are added in steps (e.g. 5k,
 * 10k, 20k open at once) and stay idle; after each step the server's resident memory (VmRSS over its
 * process tree) is read, so the cost per session is the slope between steps, free of the server's
 * fixed heap.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { treeRssKiB } from './proc-stats.js';
import { percentile } from './report.js';
import type { Progress } from './run.js';
import { now, type XmppSession } from './xmpp-client.js';
import { cpuMark, cpuSince, loginMany, round, type CpuUse } from './xmpp-measure.js';
import type { XmppTarget } from './xmpp-target.js';

const SETTLE_MS = 3_000;

export interface SessionStep {
  /** Idle sessions open after this step. */
  sessions: number;
  rssKiB: number;
  /** (RSS − RSS of the step before) / sessions added; the first step compares with RSS before any login. */
  kibPerSessionMarginal: number | null;
  logins: number;
  loginsPerSecond: number;
  loginP50Ms: number | null;
  loginP99Ms: number | null;
  cpu: CpuUse;
  serverCpuMsPerLogin: number | null;
  failures: Record<string, number>;
}

export interface SessionsResult {
  rssBeforeKiB: number;
  steps: SessionStep[];
  /** All steps' logins together (token logins/s goal). */
  tokenLoginsPerSecond: number;
  loginP99Ms: number | null;
  serverCpuMsPerLogin: number | null;
  loginServerCores: number;
  /** Least-squares slope of RSS over open sessions (KiB per session), over the steps. */
  slopeKiBPerSession: number | null;
  /** RSS at 100,000 sessions: the last step plus the slope × the sessions missing. */
  projected100kMiB: number | null;
  /** (RSS at the last step − RSS before) / sessions at the last step. */
  kibPerSessionAtLast: number | null;
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number | null {
  if (points.length < 2) return null;
  const mx = points.reduce((total, p) => total + p.x, 0) / points.length;
  const my = points.reduce((total, p) => total + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? null : num / den;
}

/** Logs sessions in up to each count of `steps` (ascending), reading RSS after each; closes them all at the end. */
export async function sessionsPhase(target: XmppTarget, steps: readonly number[], concurrency: number, timeoutMs: number, progress: Progress): Promise<SessionsResult> {
  const rssBeforeKiB = treeRssKiB(target.pid);
  const open: XmppSession[] = [];
  const results: SessionStep[] = [];
  let previousRss = rssBeforeKiB;
  let previousCount = 0;
  let totalLogins = 0;
  let totalMs = 0;
  let totalServerMs = 0;
  const allLatencies: number[] = [];
  try {
    for (const count of steps) {
      const adding = count - open.length;
      progress(`parley: ${adding} token logins (${concurrency} at a time) → ${count} idle sessions`);
      const mark = cpuMark(target);
      const begin = now();
      const batch = await loginMany(target, open.length, adding, concurrency, timeoutMs);
      const elapsed = now() - begin;
      const cpu = cpuSince(target, mark);
      open.push(...batch.sessions);
      await sleep(SETTLE_MS);
      const alive = open.filter((session) => session.open).length;
      const rssKiB = treeRssKiB(target.pid);
      const failed = adding - batch.sessions.length;
      if (failed > 0) progress(`parley: ${failed} logins failed: ${JSON.stringify(batch.failures)}`);
      results.push({
        sessions: alive,
        rssKiB,
        kibPerSessionMarginal: alive > previousCount ? round((rssKiB - previousRss) / (alive - previousCount), 2) : null,
        logins: batch.sessions.length,
        loginsPerSecond: round((batch.sessions.length * 1000) / elapsed),
        loginP50Ms: percentile(batch.latencies, 50),
        loginP99Ms: percentile(batch.latencies, 99),
        cpu,
        serverCpuMsPerLogin: batch.sessions.length > 0 ? round(cpu.serverMs / batch.sessions.length, 2) : null,
        failures: batch.failures,
      });
      progress(`parley: ${alive} idle sessions, server RSS ${Math.round(rssKiB / 1024)} MiB, ${results.at(-1)?.loginsPerSecond} logins/s`);
      previousRss = rssKiB;
      previousCount = alive;
      totalLogins += batch.sessions.length;
      totalMs += elapsed;
      totalServerMs += cpu.serverMs;
      allLatencies.push(...batch.latencies);
      if (failed > adding / 10) break;
    }
  } finally {
    for (const session of open) session.terminate();
  }
  const points = [{ x: 0, y: rssBeforeKiB }, ...results.map((step) => ({ x: step.sessions, y: step.rssKiB }))];
  const kibSlope = slope(points);
  const last = results.at(-1);
  const sorted = Float64Array.from(allLatencies).sort();
  return {
    rssBeforeKiB,
    steps: results,
    tokenLoginsPerSecond: totalMs > 0 ? round((totalLogins * 1000) / totalMs) : 0,
    loginP99Ms: percentile(sorted, 99),
    serverCpuMsPerLogin: totalLogins > 0 ? round(totalServerMs / totalLogins, 2) : null,
    loginServerCores: totalMs > 0 ? round(totalServerMs / totalMs, 2) : 0,
    slopeKiBPerSession: kibSlope === null ? null : round(kibSlope, 2),
    projected100kMiB: kibSlope === null || !last ? null : round((last.rssKiB + kibSlope * (100_000 - last.sessions)) / 1024, 0),
    kibPerSessionAtLast: last && last.sessions > 0 ? round((last.rssKiB - rssBeforeKiB) / last.sessions, 2) : null,
  };
}
