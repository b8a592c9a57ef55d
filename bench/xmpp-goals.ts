/**
 * The issue 13 goals bench/xmpp.ts does not measure, on Parley alone (the 1-1 message path, p99 at
 * half the peak, CPU-ms per 1k messages and the peers are bench/xmpp.ts's):
 *
 *   npx tsx bench/xmpp-goals.ts [--phases sessions,fanout,history] [--steps 5000,10000,19500]
 *        [--room 1000] [--window 4] [--seconds 10] [--login-concurrency 100]
 *        [--history-dialog 1000000] [--history-total 10000000] [--seed-budget 300] [--history-dir DIR]
 *        [--history-concurrency 16] [--cpu-prof DIR] [--tmpdir DIR]
 *
 * - sessions: token logins/s (SASL PLAIN with a session token, then bind and initial presence) and
 *   idle-session memory at each step of --steps (server RSS slope per session, projected to 100k);
 *   bench/lib/goals-sessions.ts.
 * - fanout: one groupchat message to a room of --room members, all online over XMPP: deliveries/s and
 *   the last recipient's p99; bench/lib/goals-fanout.ts.
 * - history: GET /chat/Message.json pages of 100 on a dialog of --history-dialog messages in a store
 *   of --history-total (bulk SQL seed, bounded by --seed-budget seconds: the real size is reported);
 *   bench/lib/goals-history.ts.
 *
 * The server runs as a child process on a temporary SQLite folder (history: its own folder), users and
 * session tokens written beforehand; cores used = the server's CPU time / wall time of each phase. The
 * container caps file descriptors at 20,000 per process, so the largest step stays below it (client
 * and server each hold one socket per session). Prints a table with the goals, then one JSON line.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { roomJid } from '@parley/protocol';
import { parseCommandLine } from './lib/cli.js';
import { fanoutPhase, type FanoutResult } from './lib/goals-fanout.js';
import { historyPhase, type HistoryResult } from './lib/goals-history.js';
import { sessionsPhase, type SessionsResult } from './lib/goals-sessions.js';
import { runFacts } from './lib/report.js';
import { errorStack, onInterrupt, progressLine, runMain, startWatchdog, warn } from './lib/run.js';
import { startParley } from './lib/xmpp-parley.js';
import type { XmppTarget } from './lib/xmpp-target.js';

const USAGE = `usage: npx tsx bench/xmpp-goals.ts [options]
  --phases LIST             sessions, fanout, history (default: all three, in this order)
  --steps LIST              idle sessions open at each memory reading (default 5000,10000,19500; < 20,000)
  --room N                  members of the fan-out room, all online (default 1000)
  --window N                fan-out messages in flight (default 4)
  --seconds S               duration of the fan-out and history phases (default 10)
  --login-concurrency N     logins in progress at once (default 100)
  --history-dialog N        messages in the dialog whose pages are read (default 1000000)
  --history-total N         messages in the whole store (default 10000000)
  --seed-budget S           seconds the bulk seed may take; filler dialogs stop there (default 300)
  --history-dir DIR         keep the history store in DIR and reuse it in later runs (default: temporary)
  --history-concurrency N   parallel history requests (default 16)
  --hash-cost N             log2 scrypt cost of the users' password (default 10)
  --cpu-prof DIR            run the server with node --cpu-prof (profiles written into DIR at stop)
  --tmpdir DIR              where temporary data folders go (default: the OS temp folder)`;

const PHASES = ['sessions', 'fanout', 'history'] as const;
type Phase = (typeof PHASES)[number];
const LOGIN_TIMEOUT_MS = 60_000;
const FD_CAP = 20_000;

interface Params {
  phases: Phase[];
  steps: number[];
  room: number;
  window: number;
  seconds: number;
  loginConcurrency: number;
  historyDialog: number;
  historyTotal: number;
  seedBudget: number;
  historyDir: string | undefined;
  historyConcurrency: number;
  hashCost: number;
  cpuProf: string | undefined;
  tmpdir: string;
}

function parseParams(argv: string[]): Params {
  const cli = parseCommandLine(argv, USAGE, Object.fromEntries(
    ['phases', 'steps', 'room', 'window', 'seconds', 'login-concurrency', 'history-dialog', 'history-total', 'seed-budget', 'history-dir', 'history-concurrency', 'hash-cost', 'cpu-prof', 'tmpdir'].map((name) => [name, { type: 'string' as const }]),
  ));
  const { text } = cli;
  const phases = (text('phases') ?? PHASES.join(',')).split(',').map((name) => name.trim()) as Phase[];
  for (const phase of phases) if (!PHASES.includes(phase)) cli.fail(`--phases: unknown phase '${phase}' (${PHASES.join(', ')})`);
  const steps = (text('steps') ?? '5000,10000,19500').split(',').map((step) => cli.integer('steps', step.trim(), 0, 1, FD_CAP - 100));
  for (let index = 1; index < steps.length; index += 1) if ((steps[index] as number) <= (steps[index - 1] as number)) cli.fail('--steps must ascend');
  const dir = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const resolved = path.resolve(value);
    if (name !== 'history-dir' && !existsSync(resolved)) cli.fail(`--${name} ${resolved} does not exist`);
    return resolved;
  };
  const historyDialog = cli.integer('history-dialog', text('history-dialog'), 1_000_000, 100, 100_000_000);
  return {
    phases,
    steps,
    room: cli.integer('room', text('room'), 1000, 2, FD_CAP - 100),
    window: cli.integer('window', text('window'), 4, 1, 1000),
    seconds: cli.integer('seconds', text('seconds'), 10, 1, 600),
    loginConcurrency: cli.integer('login-concurrency', text('login-concurrency'), 100, 1, 5000),
    historyDialog,
    historyTotal: Math.max(historyDialog, cli.integer('history-total', text('history-total'), 10_000_000, 100, 1_000_000_000)),
    seedBudget: cli.integer('seed-budget', text('seed-budget'), 300, 1, 36_000),
    historyDir: dir('history-dir'),
    historyConcurrency: cli.integer('history-concurrency', text('history-concurrency'), 16, 1, 1000),
    hashCost: cli.integer('hash-cost', text('hash-cost'), 10, 10, 20),
    cpuProf: dir('cpu-prof'),
    tmpdir: dir('tmpdir') ?? os.tmpdir(),
  };
}

const progress = progressLine('xmpp-goals');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Parley with `accounts` users, a session token each, and (for the fan-out) a group dialog of the first `room`. */
async function startGoalsParley(params: Params, accounts: number, room: number | undefined): Promise<{ target: XmppTarget; roomJid: string | undefined }> {
  const tokens: string[] = [];
  let jid: string | undefined;
  const target = await startParley(accounts, params.hashCost, progress, {
    nodeArgs: params.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', params.cpuProf] : [],
    async seed(server, appId, ids) {
      progress(`parley: a session token for each of ${ids.length} users`);
      const now = Date.now();
      for (const userId of ids) {
        const token = randomBytes(40).toString('hex').toUpperCase();
        tokens.push(token);
        await server.store.sessions.create({ appId, userId, tokenHash: sha256(token), nonce: 1, ts: Math.floor(now / 1000), createdAt: now, updatedAt: now, expiresAt: now + 86_400_000, hardExpiresAt: null, scram: null });
      }
      if (room !== undefined) {
        const owner = ids[0] as number;
        const dialog = await server.services.dialogs.create({ appId, userId: owner, sessionId: 0 }, { type: 2, name: 'fan-out', occupantIds: ids.slice(1, room) });
        jid = roomJid(appId, dialog.dialog.id, 'localhost');
        progress(`parley: room ${jid} with ${room} members`);
      }
    },
  });
  return { target: { ...target, passwordOf: (index) => tokens[index] ?? '' }, roomJid: jid };
}

interface Results {
  sessions?: SessionsResult;
  fanout?: FanoutResult;
  history?: HistoryResult;
  errors: Partial<Record<Phase, string>>;
}

function report(params: Params, startedAt: Date, results: Results): void {
  const lines: string[] = [];
  const fmt = (value: number | null | undefined, digits = 0) => (value === null || value === undefined ? 'n/a' : value.toFixed(digits));
  const goal = (name: string, measured: string, met: boolean | null) => lines.push(`${name.padEnd(58)} ${measured.padEnd(34)} ${met === null ? 'not measured' : met ? 'met' : 'MISSED'}`);
  lines.push(`Parley — issue 13 goals (sessions, fan-out, REST history); ${os.cpus().length} cores shared with the load generator`);
  const { sessions, fanout, history } = results;
  if (sessions) {
    lines.push('', 'sessions  logins/s  login p99 ms  server CPU-ms/login  server cores  RSS MiB  KiB/session (marginal)');
    for (const step of sessions.steps) {
      lines.push(
        `${String(step.sessions).padStart(8)}  ${fmt(step.loginsPerSecond).padStart(8)}  ${fmt(step.loginP99Ms, 1).padStart(12)}  ${fmt(step.serverCpuMsPerLogin, 2).padStart(19)}  ${fmt(step.cpu.serverCores, 2).padStart(12)}  ${fmt(step.rssKiB / 1024).padStart(7)}  ${fmt(step.kibPerSessionMarginal, 1).padStart(22)}`,
      );
    }
    lines.push(`slope ${fmt(sessions.slopeKiBPerSession, 2)} KiB/session (least squares over RSS before and at each step); projected RSS at 100k sessions: ${fmt(sessions.projected100kMiB)} MiB`);
  }
  if (fanout) {
    lines.push('', `fan-out: room of ${fanout.members} (${fanout.online} online at the end), ${fanout.window} in flight, ${fanout.seconds} s: ${fanout.messagesSent} messages, ${fanout.deliveries} copies`);
    lines.push(`  deliveries/s ${fmt(fanout.deliveriesPerSecond)}; last recipient p50 ${fmt(fanout.lastRecipientP50Ms, 1)} ms, p99 ${fmt(fanout.lastRecipientP99Ms, 1)} ms; server ${fmt(fanout.cpu.serverCores, 2)} cores, ${fmt(fanout.serverCpuMsPer1kDeliveries, 1)} CPU-ms per 1k copies; client ${fmt(fanout.cpu.clientCores, 2)} cores, others ${fmt(fanout.cpu.otherCores, 2)}`);
  }
  if (history) {
    lines.push('', `history: dialog of ${history.dialogMessages} messages in a store of ${history.storedMessages} (asked ${history.requestedTotal}; seed ${history.seedSeconds} s${history.reusedSeed ? ', reused' : ''}); first page held ${history.pageSize}`);
    lines.push(`  ${fmt(history.load.okRps)} pages/s, p50 ${fmt(history.load.p50Ms, 2)} ms, p99 ${fmt(history.load.p99Ms, 2)} ms, errors ${history.load.errors}; server ${fmt(history.serverCores, 2)} cores`);
  }
  for (const [phase, error] of Object.entries(results.errors)) lines.push(`${phase}: FAILED — ${error}`);
  lines.push('');
  const last = sessions?.steps.at(-1);
  goal('token logins/s ≥ 2,000', sessions ? `${fmt(sessions.tokenLoginsPerSecond)}/s` : 'n/a', sessions ? sessions.tokenLoginsPerSecond >= 2000 : null);
  goal(`idle sessions ≤ 10 KiB each (at ${last?.sessions ?? '?'} sessions)`, sessions ? `${fmt(sessions.kibPerSessionAtLast, 1)} KiB (slope ${fmt(sessions.slopeKiBPerSession, 1)})` : 'n/a', sessions?.kibPerSessionAtLast == null ? null : sessions.kibPerSessionAtLast <= 10);
  goal('group fan-out ≥ 200k deliveries/s', fanout ? `${fmt(fanout.deliveriesPerSecond)}/s` : 'n/a', fanout ? fanout.deliveriesPerSecond >= 200_000 : null);
  goal('group fan-out last recipient p99 ≤ 50 ms', fanout ? `${fmt(fanout.lastRecipientP99Ms, 1)} ms` : 'n/a', fanout?.lastRecipientP99Ms == null ? null : fanout.lastRecipientP99Ms <= 50);
  goal('history page ≥ 10k req/s', history ? `${fmt(history.load.okRps)}/s` : 'n/a', history ? history.load.okRps >= 10_000 : null);
  goal('history page p99 ≤ 5 ms', history ? `${fmt(history.load.p99Ms, 2)} ms` : 'n/a', history?.load.p99Ms == null ? null : history.load.p99Ms <= 5);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ ...runFacts('xmpp-goals', startedAt, true), loadAverage: os.loadavg(), params, ...results })}\n`);
}

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  process.env.TMPDIR = params.tmpdir;
  if (params.historyDir) mkdirSync(params.historyDir, { recursive: true });
  const startedAt = new Date();
  const stopWatchdog = startWatchdog(30 * 60_000 + params.seedBudget * 1000);
  let running: XmppTarget | undefined;
  const stopRunning = async () => {
    const target = running;
    running = undefined;
    if (target) await target.stop().catch(warn);
  };
  onInterrupt(progress, stopRunning);
  const results: Results = { errors: {} };
  const run = async (phase: Phase, body: () => Promise<void>) => {
    if (!params.phases.includes(phase)) return;
    try {
      await body();
    } catch (error) {
      progress(`${phase} failed: ${errorStack(error)}`);
      results.errors[phase] = errorStack(error).split('\n')[0] ?? 'failed';
    } finally {
      await stopRunning();
    }
  };
  await run('sessions', async () => {
    const { target } = await startGoalsParley(params, params.steps.at(-1) as number, undefined);
    running = target;
    results.sessions = await sessionsPhase(target, params.steps, params.loginConcurrency, LOGIN_TIMEOUT_MS, progress);
  });
  await run('fanout', async () => {
    const { target, roomJid: jid } = await startGoalsParley(params, params.room, params.room);
    running = target;
    results.fanout = await fanoutPhase(target, jid as string, params.room, params.window, params.seconds, params.loginConcurrency, LOGIN_TIMEOUT_MS, progress);
  });
  await run('history', async () => {
    results.history = await historyPhase(
      {
        dialogMessages: params.historyDialog,
        totalMessages: params.historyTotal,
        seedBudgetSeconds: params.seedBudget,
        seconds: params.seconds,
        concurrency: params.historyConcurrency,
        keptDir: params.historyDir,
        hashCost: params.hashCost,
        nodeArgs: params.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', params.cpuProf] : [],
      },
      progress,
    );
  });
  stopWatchdog();
  report(params, startedAt, results);
  return 0;
}

runMain(main);
