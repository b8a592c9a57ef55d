/**
 * XMPP load benchmark: Parley side by side with ejabberd and Prosody (Debian packages), same load,
 * same machine, one run, one target at a time.
 *
 *   npx tsx bench/xmpp.ts [--targets parley,ejabberd,prosody,ejabberd-nomam,prosody-nomam] [--pairs 20]
 *                         [--window 8] [--seconds 10] [--connections 10000] [--login-concurrency 100]
 *                         [--hash-cost 10] [--tmpdir DIR] [--rounds N] [--cpu-prof DIR]
 *
 * Each target is started fresh on loopback with persistence on, measured, and stopped before the next:
 * - Parley: this repository's server as a child process (node packages/server/bin/parley.js serve) on
 *   a temporary SQLite folder; users created through its user service beforehand; XMPP at /ws.
 * - ejabberd / Prosody: `ejabberdctl foreground` / `prosody -F` with bench/peers/ configurations
 *   (shapers and rate limits raised, message archive on, SQLite), temporary folders, free ports,
 *   accounts written into their SQLite stores beforehand (bench/lib/xmpp-peers.ts). A peer that is
 *   not installed is skipped with a message (apt-get install -y ejabberd erlang-p1-sqlite3 prosody
 *   lua-dbi-sqlite3). `ejabberd-nomam` / `prosody-nomam` are the same servers with the archive off
 *   (bench/peers/*.nomam.*): routing only, nothing persisted — issue 13's reference for routing cost.
 *
 * Phases per target (bench/lib/xmpp-phases.ts): `pairs` sender/receiver sessions exchange chat
 * messages with <save_to_history>1</save_to_history> — closed loop with `window` messages in flight
 * per pair (peak messages/s), then open loop at half that rate (p50/p99 end-to-end latency); then
 * `connections` sessions log in (logins/s) and stay idle (server RSS delta per connection, read from
 * /proc/<pid>/status of the server's process tree). The load generator is this one Node process
 * (raw WebSocket clients, bench/lib/xmpp-client.ts); on a 2-core machine it shares the cores with the
 * server, so the table also shows both sides' CPU use, the CPU other processes took meanwhile, and the
 * server's CPU-ms per 1,000 messages; with --rounds N every target is measured N times in turn and the
 * least disturbed round is shown. The rows in each server's message store are counted afterwards (a
 * check that persistence was on). See bench/README.md.
 *
 * Prints a table with the ratios Parley/peer and the goal lines, then one JSON line (the last line of
 * stdout). Progress goes to stderr. Exit status: 0 after a run (a target that failed or was skipped
 * is reported, not fatal), 1 if the run broke, 2 for bad arguments.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCommandLine } from './lib/cli.js';
import { errorStack, errorText, onInterrupt, progressLine, runMain, SERVER_START_TIMEOUT_MS, SERVER_STOP_TIMEOUT_MS, startWatchdog, warn } from './lib/run.js';
import { startParley } from './lib/xmpp-parley.js';
import { peerMissing, startEjabberd, startProsody } from './lib/xmpp-peers.js';
import { runTarget, type PhaseParams } from './lib/xmpp-phases.js';
import { report, type Outcome } from './lib/xmpp-report.js';
import type { TargetName, XmppTarget } from './lib/xmpp-target.js';

const USAGE = `usage: npx tsx bench/xmpp.ts [--targets LIST] [--pairs N] [--window N] [--seconds S]
                             [--connections N] [--login-concurrency N] [--hash-cost N] [--tmpdir DIR] [--rounds N]
                             [--cpu-prof DIR]
  --targets LIST           servers to measure, in this order, from parley, ejabberd, prosody, ejabberd-nomam,
                           prosody-nomam (the peers with their message archive off); default: all five
  --pairs N                sender/receiver session pairs for the message phases (default 20)
  --window N               messages in flight per pair in the closed-loop (peak) phase (default 8)
  --seconds S              duration of each message phase (default 10)
  --connections N          idle sessions for the memory phase, also the logins/s sample (default 10000)
  --login-concurrency N    logins in progress at once (default 100)
  --hash-cost N            Parley's log2 scrypt cost for the bench users' password (default 10, the
                           server's minimum; the peers store passwords in plain text)
  --tmpdir DIR             where every target's temporary data folder goes (default: the OS temp folder);
                           e.g. /dev/shm takes fsync out of the comparison for all three
  --rounds N               measure every target N times, in turn (default 1); per target the table shows
                           the round in which other processes took the least CPU (a shared machine)
  --cpu-prof DIR           run Parley's server with node --cpu-prof, writing its profile into DIR when it
                           stops (summarise it with: npx tsx bench/cpu-profile-top.ts FILE)`;

const ALL_TARGETS: TargetName[] = ['parley', 'ejabberd', 'prosody', 'ejabberd-nomam', 'prosody-nomam'];
const LOGIN_TIMEOUT_MS = 30_000;

interface Params extends PhaseParams {
  targets: TargetName[];
  hashCost: number;
  tmpdir: string;
  rounds: number;
  cpuProf: string | undefined;
}

function parseParams(argv: string[]): Params {
  const cli = parseCommandLine(argv, USAGE, {
    targets: { type: 'string' },
    pairs: { type: 'string' },
    window: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    'login-concurrency': { type: 'string' },
    'hash-cost': { type: 'string' },
    tmpdir: { type: 'string' },
    rounds: { type: 'string' },
    'cpu-prof': { type: 'string' },
  });
  const { text } = cli;
  const tmpdir = path.resolve(text('tmpdir') ?? os.tmpdir());
  if (!existsSync(tmpdir)) cli.fail(`--tmpdir ${tmpdir} does not exist`);
  const targets = (text('targets') ?? ALL_TARGETS.join(',')).split(',').map((name) => name.trim()) as TargetName[];
  for (const name of targets) if (!ALL_TARGETS.includes(name)) cli.fail(`--targets: unknown target '${name}' (${ALL_TARGETS.join(', ')})`);
  if (new Set(targets).size !== targets.length) cli.fail('--targets lists a target twice');
  const cpuProf = text('cpu-prof') === undefined ? undefined : path.resolve(text('cpu-prof') as string);
  if (cpuProf !== undefined && !existsSync(cpuProf)) cli.fail(`--cpu-prof ${cpuProf} does not exist`);
  return {
    targets,
    pairs: cli.integer('pairs', text('pairs'), 20, 1, 5000),
    window: cli.integer('window', text('window'), 8, 1, 1000),
    seconds: cli.integer('seconds', text('seconds'), 10, 1, 600),
    connections: cli.integer('connections', text('connections'), 10_000, 1, 50_000),
    loginConcurrency: cli.integer('login-concurrency', text('login-concurrency'), 100, 1, 5000),
    hashCost: cli.integer('hash-cost', text('hash-cost'), 10, 10, 20),
    loginTimeoutMs: LOGIN_TIMEOUT_MS,
    tmpdir,
    rounds: cli.integer('rounds', text('rounds'), 1, 1, 10),
    cpuProf,
  };
}

const progress = progressLine('xmpp');

function startTarget(name: TargetName, accounts: number, params: Params): Promise<XmppTarget> {
  switch (name) {
    case 'parley':
      return startParley(accounts, params.hashCost, progress, params.cpuProf ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', params.cpuProf] } : {});
    case 'ejabberd':
    case 'ejabberd-nomam':
      return startEjabberd(accounts, progress, name === 'ejabberd');
    case 'prosody':
    case 'prosody-nomam':
      return startProsody(accounts, progress, name === 'prosody');
  }
}

async function main(): Promise<number> {
  const params = parseParams(process.argv.slice(2));
  // Every target makes its temporary folder with os.tmpdir(), which reads TMPDIR.
  process.env.TMPDIR = params.tmpdir;
  const startedAt = new Date();
  const accounts = Math.max(2 * params.pairs, params.connections);
  // Per target: start, pair logins, warm-up, two message phases with their grace, logins at a
  // pessimistic 50/s, settling, stop.
  const perTargetMs = SERVER_START_TIMEOUT_MS + 2 * (params.seconds * 1000 + 5_000) + (accounts / 50) * 1000 + 60_000 + SERVER_STOP_TIMEOUT_MS;
  const stopWatchdog = startWatchdog(params.rounds * params.targets.length * perTargetMs);

  let running: XmppTarget | undefined;
  const stopRunning = async () => {
    const target = running;
    running = undefined;
    if (target) {
      progress(`stopping ${target.name}`);
      await target.stop().catch(warn);
    }
  };
  onInterrupt(progress, stopRunning);

  // Every round measures every target once; per target the report shows its least disturbed round.
  const rounds: Partial<Record<TargetName, Outcome>>[] = [];
  try {
    for (let round = 1; round <= params.rounds; round += 1) {
      const outcomes: Partial<Record<TargetName, Outcome>> = {};
      rounds.push(outcomes);
      for (const name of params.targets) {
        const missing = name === 'parley' ? undefined : peerMissing(name);
        if (missing) {
          if (round === 1) progress(`skipping ${name}: ${missing}`);
          outcomes[name] = { ok: false, reason: missing };
          continue;
        }
        if (params.rounds > 1) progress(`round ${round} of ${params.rounds}: ${name}`);
        try {
          running = await startTarget(name, accounts, params);
          outcomes[name] = { ok: true, result: await runTarget(running, params, progress) };
        } catch (error) {
          progress(`${name} failed: ${errorStack(error)}`);
          outcomes[name] = { ok: false, reason: `failed: ${errorText(error).split('\n')[0]}` };
        } finally {
          await stopRunning();
        }
      }
    }
    stopWatchdog();
    report(params, startedAt, rounds);
    return 0;
  } catch (error) {
    process.stderr.write(`error: the benchmark failed: ${errorStack(error)}\n`);
    await stopRunning();
    return 1;
  }
}

runMain(main);
