/**
 * Cluster benchmark (issue 14): XMPP chat messages/s and latency on 2 Parley nodes against 1 node, on
 * the same machine, PostgreSQL + Redis and PostgreSQL + NATS, with what the bus costs.
 *
 *   npx tsx bench/cluster.ts [--buses redis,nats] [--pairs 10] [--window 4] [--seconds 5] [--hash-cost 10]
 *
 * Per bus a throwaway broker is started (Debian `redis-server` / `nats-server` with JetStream, temp
 * dir, free port), so its CPU and I/O belong to this run alone. Then, per topology:
 * - **1 node**: one `parley serve` child process on a fresh PostgreSQL database with the bus set
 *   (the cluster code path, one member); senders and receivers on it;
 * - **2 nodes**: two child processes (distinct PARLEY_NODE_ID) on one fresh database and the bus;
 *   every sender on node 1, every receiver on node 2, so every message crosses the bus.
 * Users are created beforehand through the user service. The phases are bench/xmpp.ts's
 * (bench/lib/xmpp-messages.ts): closed loop with `window` messages in flight per pair (peak
 * messages/s), then open loop at half that rate (p50/p99 end-to-end latency = send → receipt, one
 * clock; on 2 nodes that is the cross-node delivery latency). Every message has save_to_history=1
 * (a committed PostgreSQL row before the sender's ack and the delivery).
 *
 * Bus cost, over both phases: the broker process's CPU time and its bytes read + written
 * (/proc/PID/io rchar + wchar: sockets, plus JetStream's files for NATS), per 1,000 delivered
 * messages. The nodes' own CPU (both trees summed) per 1,000 messages shows the price of crossing.
 *
 * Prints a table, then one JSON line (the last line of stdout). Progress goes to stderr. Asserts
 * nothing. Exit status 0 after a run, 1 if it broke, 2 for bad arguments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startThrowawayNats, startThrowawayRedis, type ThrowawayBroker } from '@parley/testkit';
import { openBenchDatabase, openInProcessServer, type BenchDatabase } from './lib/bench-db.js';
import { parseCommandLine } from './lib/cli.js';
import { cpuMs } from './lib/proc-stats.js';
import { errorStack, onInterrupt, progressLine, runMain, startWatchdog, warn } from './lib/run.js';
import { startServerProcess, type ServerProcess } from './lib/server-process.js';
import { messagePhases, type MessagePhase } from './lib/xmpp-messages.js';
import { round } from './lib/xmpp-measure.js';
import type { XmppTarget } from './lib/xmpp-target.js';

type Bus = 'redis' | 'nats';
const PASSWORD = 'bench-cluster-password';
const CHAT_DOMAIN = 'localhost';

const USAGE = 'npx tsx bench/cluster.ts [--buses redis,nats] [--pairs 10] [--window 4] [--seconds 5] [--hash-cost 10]';
const args = parseCommandLine(process.argv.slice(2), USAGE, {
  buses: { type: 'string' },
  pairs: { type: 'string' },
  window: { type: 'string' },
  seconds: { type: 'string' },
  'hash-cost': { type: 'string' },
});
const buses = (args.text('buses') ?? 'redis,nats').split(',').map((bus) => (bus === 'redis' || bus === 'nats' ? bus : args.fail(`--buses takes redis and/or nats, got '${bus}'`)));
const pairs = args.integer('pairs', args.text('pairs'), 10, 1, 500);
const window = args.integer('window', args.text('window'), 4, 1, 100);
const seconds = args.integer('seconds', args.text('seconds'), 5, 1, 60);
const hashCost = args.integer('hash-cost', args.text('hash-cost'), 10, 1, 20);
const progress = progressLine('cluster');

/** The broker's process, found by the port on its command line (the test kit starts it). */
function brokerPid(broker: ThrowawayBroker): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Redis rewrites its command line to "redis-server 127.0.0.1:PORT"; nats-server keeps "-p PORT".
      const words = readFileSync(path.join('/proc', entry, 'cmdline'), 'utf8').split(/[\0 :]/);
      if (/(redis-server|nats-server)$/.test(words[0] ?? '') && words.includes(String(broker.port))) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error(`no broker process with port ${broker.port}`);
}

/** Bytes the process read and wrote through system calls (sockets and files). */
function ioBytes(pid: number): number {
  const text = readFileSync(`/proc/${pid}/io`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return field('rchar') + field('wchar');
}

interface Row {
  bus: Bus;
  nodes: 1 | 2;
  peak: MessagePhase;
  halfPeak: MessagePhase;
  /** Broker CPU-ms and bytes (read + written) per 1,000 delivered messages, over both phases. */
  busCpuMsPer1k: number | null;
  busKiBPer1k: number | null;
  busCores: number;
}

async function createUsers(db: BenchDatabase, count: number): Promise<{ appId: number; ids: number[] }> {
  const local = await openInProcessServer(db, hashCost);
  try {
    const { app } = await local.services.apps.ensureDefault();
    const credentials = await local.services.users.credentialsFor(PASSWORD);
    const ids: number[] = [];
    for (let index = 0; index < count; index += 1) ids.push((await local.services.users.createUser(app.id, { login: `clusterbench_${index}`, ...credentials }, false)).id);
    return { appId: app.id, ids };
  } finally {
    await local.close();
  }
}

async function measure(bus: Bus, broker: ThrowawayBroker, nodeCount: 1 | 2): Promise<Row> {
  const db = await openBenchDatabase('postgres');
  const nodes: ServerProcess[] = [];
  try {
    progress(`${bus}, ${nodeCount} node(s): ${2 * pairs} users in ${db.description}`);
    const { appId, ids } = await createUsers(db, 2 * pairs);
    for (let index = 0; index < nodeCount; index += 1) {
      nodes.push(
        await startServerProcess({
          dataDir: db.dataDir,
          databaseUrl: db.databaseUrl,
          passwordHashCost: hashCost,
          env: { PARLEY_BUS_URL: broker.url, PARLEY_NODE_ID: `bench-${bus}-${index + 1}` },
        }),
      );
    }
    const ws = (node: ServerProcess) => `${node.url.replace(/^http/, 'ws')}/ws`;
    const first = nodes[0] as ServerProcess;
    const last = nodes[nodes.length - 1] as ServerProcess;
    const target: XmppTarget = {
      name: 'parley',
      version: `Parley, ${nodeCount} node(s), PostgreSQL + ${bus}`,
      wsUrl: ws(first),
      receiverWsUrl: ws(last),
      domain: CHAT_DOMAIN,
      password: PASSWORD,
      username: (index) => `${ids[index] ?? 0}-${appId}`,
      persistence: 'save_to_history=1, PostgreSQL',
      storedRows: () => null,
      pid: first.pid,
      pids: nodes.map((node) => node.pid),
      stop: async () => undefined,
    };
    const pid = brokerPid(broker);
    const before = { cpu: cpuMs(pid), io: ioBytes(pid), at: performance.now() };
    const { peak, halfPeak } = await messagePhases(target, { pairs, window, seconds, connections: 0, loginConcurrency: 20, loginTimeoutMs: 30_000 }, progress);
    const busCpu = cpuMs(pid) - before.cpu;
    const busBytes = ioBytes(pid) - before.io;
    const delivered = peak.delivered + halfPeak.delivered;
    return {
      bus,
      nodes: nodeCount,
      peak,
      halfPeak,
      busCpuMsPer1k: delivered > 0 ? round((busCpu * 1000) / delivered) : null,
      busKiBPer1k: delivered > 0 ? round((busBytes * 1000) / delivered / 1024) : null,
      busCores: round(busCpu / (performance.now() - before.at), 2),
    };
  } finally {
    for (const node of nodes) await node.stop().catch(warn);
    await db.dispose().catch(warn);
  }
}

function table(rows: Row[]): string {
  const header = ['bus', 'nodes', 'peak msg/s', 'peak p99 ms', 'half-peak msg/s', 'p50 ms', 'p99 ms', 'lost', 'nodes CPU-ms/1k', 'bus CPU-ms/1k', 'bus KiB/1k', 'bus cores'];
  const lines = rows.map((row) => [
    row.bus,
    String(row.nodes),
    String(row.peak.rate),
    String(row.peak.p99Ms),
    String(row.halfPeak.rate),
    String(row.halfPeak.p50Ms),
    String(row.halfPeak.p99Ms),
    String(row.peak.lost + row.halfPeak.lost),
    String(row.peak.serverCpuMsPer1k),
    String(row.busCpuMsPer1k),
    String(row.busKiBPer1k),
    String(row.busCores),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] ?? '').length)));
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ')).join('\n');
}

runMain(async () => {
  const stopWatchdog = startWatchdog(buses.length * 2 * (2 * seconds * 1000 + 120_000));
  const brokers: ThrowawayBroker[] = [];
  onInterrupt(progress, async () => {
    for (const broker of brokers) await broker.stop();
  });
  const rows: Row[] = [];
  const startedAt = new Date();
  try {
    for (const bus of buses) {
      const broker = await (bus === 'redis' ? startThrowawayRedis() : startThrowawayNats());
      brokers.push(broker);
      try {
        for (const nodeCount of [1, 2] as const) rows.push(await measure(bus, broker, nodeCount));
      } finally {
        await broker.stop();
      }
    }
  } catch (error) {
    progress(errorStack(error));
    stopWatchdog();
    return 1;
  }
  stopWatchdog();
  process.stdout.write(`${table(rows)}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'cluster', startedAt: startedAt.toISOString(), pairs, window, seconds, rows })}\n`);
  return 0;
});
