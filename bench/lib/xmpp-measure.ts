/**
 * What the phases of bench/xmpp.ts share: their parameters, CPU accounting per phase (the server's
 * process tree, this load-generating process, everything else on the machine) and parallel logins.
 */
import { SampleBuffer } from './load.js';
import { machineBusyCpuMs, ownCpuMs, treeCpuMs } from './proc-stats.js';
import { login, now, type XmppSession } from './xmpp-client.js';
import type { XmppTarget } from './xmpp-target.js';

export interface PhaseParams {
  pairs: number;
  window: number;
  seconds: number;
  connections: number;
  loginConcurrency: number;
  loginTimeoutMs: number;
}

/** CPU time spent during a phase: the server's process tree, this (load-generating) process, and the rest of the machine. */
export interface CpuUse {
  serverMs: number;
  clientMs: number;
  /** Server CPU time / wall time (1.0 = one core busy). */
  serverCores: number;
  clientCores: number;
  /** Cores busy with other processes of the machine meanwhile (other work competing for the CPU). */
  otherCores: number;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** CPU-ms so far of every server process tree of the target. */
const serverCpuMs = (target: XmppTarget) => (target.pids ?? [target.pid]).reduce((total, pid) => total + treeCpuMs(pid), 0);

export function cpuSince(target: XmppTarget, start: { server: number; client: number; machine: number; at: number }): CpuUse {
  const wallMs = Math.max(1, now() - start.at);
  const serverMs = serverCpuMs(target) - start.server;
  const clientMs = ownCpuMs() - start.client;
  const otherMs = Math.max(0, machineBusyCpuMs() - start.machine - serverMs - clientMs);
  return {
    serverMs: round(serverMs, 0),
    clientMs: round(clientMs, 0),
    serverCores: round(serverMs / wallMs, 2),
    clientCores: round(clientMs / wallMs, 2),
    otherCores: round(otherMs / wallMs, 2),
  };
}

export const cpuMark = (target: XmppTarget) => ({ server: serverCpuMs(target), client: ownCpuMs(), machine: machineBusyCpuMs(), at: now() });

/** Logs in `count` sessions (accounts `first`…), `concurrency` at a time; failures are counted by reason. */
export async function loginMany(target: XmppTarget, first: number, count: number, concurrency: number, timeoutMs: number) {
  const sessions: XmppSession[] = [];
  const latencies = new SampleBuffer();
  const failures: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = first + next;
      next += 1;
      const begin = now();
      try {
        sessions.push(await login({ url: target.wsUrl, domain: target.domain, username: target.username(index), password: target.passwordOf?.(index) ?? target.password }, timeoutMs));
        latencies.push(now() - begin);
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).replace(/ for \S+/, '').slice(0, 80);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  return { sessions, latencies: latencies.toArray().sort(), failures };
}
