/**
 * The measured phases of bench/xmpp.ts against one target: the message phases
 * (bench/lib/xmpp-messages.ts), then idle connections — `connections` sessions log in,
 * `loginConcurrency` at a time (logins/s and login latency: WebSocket upgrade → <open/> → SASL PLAIN →
 * <open/> → bind → initial presence), then stay idle; the server's resident memory (VmRSS of its
 * process tree) before and after, divided by the sessions, is the memory per idle connection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { treeRssKiB } from './proc-stats.js';
import { percentile } from './report.js';
import type { Progress } from './run.js';
import { now } from './xmpp-client.js';
import { cpuMark, cpuSince, loginMany, round, type CpuUse, type PhaseParams } from './xmpp-measure.js';
import { messagePhases, type MessagePhase } from './xmpp-messages.js';
import type { XmppTarget } from './xmpp-target.js';

export type { CpuUse, MessagePhase, PhaseParams };

const SETTLE_MS = 3_000;

export interface IdlePhase {
  attempted: number;
  connected: number;
  failed: number;
  failures: Record<string, number>;
  /** Sessions that logged in but were closed before the memory reading, by reason. */
  dropped: Record<string, number>;
  loginSeconds: number;
  loginsPerSecond: number;
  loginP50Ms: number | null;
  loginP99Ms: number | null;
  loginCpu: CpuUse;
  /** Server CPU-ms per login. */
  serverCpuMsPerLogin: number | null;
  rssBeforeKiB: number;
  /** After the first half of the logins (and a pause). */
  rssMiddleKiB: number;
  rssAfterKiB: number;
  /** (after − before) / connected. */
  kibPerConnection: number | null;
  /** (after − middle) / sessions added by the second half: the marginal cost. */
  kibPerConnectionSecondHalf: number | null;
}

export interface TargetResult {
  target: string;
  version: string;
  persistence: string;
  wsUrl: string;
  /** Null when the message phases failed (see messageError). */
  peak: MessagePhase | null;
  halfPeak: MessagePhase | null;
  messageError?: string;
  /** Rows in the message store after the message phases (Parley: messages; peers: archive rows, two per message). */
  storedRows: number | null;
  /** Messages delivered in the warm-up and both message phases. */
  messagesDelivered: number;
  idle: IdlePhase;
  rssIdleServerKiB: number;
}

async function idleConnections(target: XmppTarget, params: PhaseParams, progress: Progress): Promise<IdlePhase> {
  const rssBeforeKiB = treeRssKiB(target.pid);
  progress(`${target.name}: ${params.connections} logins, ${params.loginConcurrency} at a time (server RSS ${Math.round(rssBeforeKiB / 1024)} MiB)`);
  // Two halves with a pause between them: the second half's memory is the marginal cost, free of the
  // slack a process may already hold (a garbage-collected heap grows in steps).
  const half = Math.floor(params.connections / 2);
  const mark = cpuMark(target);
  let begin = now();
  const first = await loginMany(target, 0, half, params.loginConcurrency, params.loginTimeoutMs);
  const firstMs = now() - begin;
  const firstCpu = cpuSince(target, mark);
  await sleep(SETTLE_MS);
  const rssMiddleKiB = treeRssKiB(target.pid);
  const openMiddle = first.sessions.filter((session) => session.open).length;
  const secondMark = cpuMark(target);
  begin = now();
  const second = await loginMany(target, half, params.connections - half, params.loginConcurrency, params.loginTimeoutMs);
  const secondMs = now() - begin;
  const secondCpu = cpuSince(target, secondMark);
  const loginMs = firstMs + secondMs;
  const cpu: CpuUse = {
    serverMs: firstCpu.serverMs + secondCpu.serverMs,
    clientMs: firstCpu.clientMs + secondCpu.clientMs,
    serverCores: round((firstCpu.serverMs + secondCpu.serverMs) / loginMs, 2),
    clientCores: round((firstCpu.clientMs + secondCpu.clientMs) / loginMs, 2),
    otherCores: round((firstCpu.otherCores * firstMs + secondCpu.otherCores * secondMs) / loginMs, 2),
  };
  const sessions = [...first.sessions, ...second.sessions];
  const latencies = Float64Array.from([...first.latencies, ...second.latencies]).sort();
  const failures = { ...first.failures };
  for (const [reason, count] of Object.entries(second.failures)) failures[reason] = (failures[reason] ?? 0) + count;
  const failed = params.connections - sessions.length;
  if (failed > 0) progress(`${target.name}: ${failed} logins failed: ${JSON.stringify(failures)}`);
  // Let the server finish processing the initial presences (and settle its allocator) before reading memory.
  await sleep(SETTLE_MS);
  const stillOpen = sessions.filter((session) => session.open).length;
  const dropped: Record<string, number> = {};
  for (const session of sessions) {
    if (session.open) continue;
    const reason = session.endedBy ?? 'closed';
    dropped[reason] = (dropped[reason] ?? 0) + 1;
  }
  if (stillOpen < sessions.length) progress(`${target.name}: ${sessions.length - stillOpen} sessions ended while idle: ${JSON.stringify(dropped)}`);
  const rssAfterKiB = treeRssKiB(target.pid);
  progress(`${target.name}: ${stillOpen} idle sessions open; server RSS ${Math.round(rssAfterKiB / 1024)} MiB`);
  for (const session of sessions) session.terminate();
  const p = (value: number | null) => (value === null ? null : round(value, 2));
  return {
    attempted: params.connections,
    connected: stillOpen,
    failed,
    failures,
    dropped,
    loginSeconds: round(loginMs / 1000, 2),
    loginsPerSecond: round((sessions.length * 1000) / loginMs),
    loginP50Ms: p(percentile(latencies, 50)),
    loginP99Ms: p(percentile(latencies, 99)),
    loginCpu: cpu,
    serverCpuMsPerLogin: sessions.length > 0 ? round(cpu.serverMs / sessions.length, 2) : null,
    rssBeforeKiB,
    rssMiddleKiB,
    rssAfterKiB,
    kibPerConnection: stillOpen > 0 ? round((rssAfterKiB - rssBeforeKiB) / stillOpen, 1) : null,
    kibPerConnectionSecondHalf: stillOpen > openMiddle ? round((rssAfterKiB - rssMiddleKiB) / (stillOpen - openMiddle), 1) : null,
  };
}

/**
 * All phases against one started target (accounts 0 … max(2 × pairs, connections) − 1 must exist).
 * When the message phases fail (e.g. a server that does not route messages yet), the idle phase still
 * runs and the failure is reported in `messageError`.
 */
export async function runTarget(target: XmppTarget, params: PhaseParams, progress: Progress): Promise<TargetResult> {
  const rssIdleServerKiB = treeRssKiB(target.pid);
  let peak: MessagePhase | null = null;
  let halfPeak: MessagePhase | null = null;
  let messageError: string | undefined;
  try {
    ({ peak, halfPeak } = await messagePhases(target, params, progress));
  } catch (error) {
    messageError = error instanceof Error ? error.message : String(error);
    progress(`${target.name}: message phases failed: ${messageError}`);
  }
  const storedRows = target.storedRows();
  const delivered = peak ? peak.delivered + (halfPeak?.delivered ?? 0) + params.pairs : 0;
  progress(`${target.name}: ${storedRows ?? '?'} rows in its message store after ${delivered} delivered messages (warm-up included)`);
  await sleep(SETTLE_MS);
  const idle = await idleConnections(target, params, progress);
  return { target: target.name, version: target.version, persistence: target.persistence, wsUrl: target.wsUrl, peak, halfPeak, ...(messageError ? { messageError } : {}), storedRows, messagesDelivered: delivered, idle, rssIdleServerKiB };
}
