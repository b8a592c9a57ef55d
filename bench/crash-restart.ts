/**
 * Crash-restart benchmark (issue 13, "Reliability that must hold"): kill -9 of the server in the middle
 * of a 100k-message burst with XEP-0198, restart on the same store, resend of everything unacked.
 *
 *   npx tsx bench/crash-restart.ts [--messages 100000] [--senders 16] [--window 100] [--kill-at 50]
 *                                  [--db sqlite|postgres] [--hash-cost 10]
 *
 * One `parley serve` child process on a fresh store (SQLite in a temp folder, the default, with its
 * default synchronous=FULL; or a fresh PostgreSQL database). `--senders` users in pairs, one private
 * dialog per pair; each user sends its share of `--messages` to its partner over XMPP (WebSocket) with
 * XEP-0198 — client-chosen ids, save_to_history=1, `--window` messages in flight, an `<r/>` every 31–61
 * messages. When `--kill-at` % of the burst is acknowledged the server gets SIGKILL; the store is read
 * as the kill left it; the same server is started again on the same store; every sender reconnects
 * (resumption fails: a new stream), sends again every message not acknowledged under the same ids, and
 * finishes its share. Then every dialog's history is read over REST and the store itself.
 * The scenario is bench/lib/crash-restart.ts, the same as e2e/reliability/kill-restart.test.ts.
 *
 * Prints acked before the kill, resent, stored, lost (must be 0), duplicates (must be 0), time to
 * restart and to recover, messages/s before the kill, then one JSON line (the last line of stdout).
 * Progress goes to stderr. Asserts nothing, but says so when lost or duplicates are not 0.
 * Exit status 0 after a run, 1 if it broke, 2 for bad arguments.
 */
import { parseCommandLine } from './lib/cli.js';
import { runCrashRestart, type CrashRestartReport } from './lib/crash-restart.js';
import { errorStack, progressLine, runMain, SERVER_START_TIMEOUT_MS, startWatchdog } from './lib/run.js';

const USAGE = 'npx tsx bench/crash-restart.ts [--messages 100000] [--senders 16] [--window 100] [--kill-at 50] [--db sqlite|postgres] [--hash-cost 10]';
const args = parseCommandLine(process.argv.slice(2), USAGE, {
  messages: { type: 'string' },
  senders: { type: 'string' },
  window: { type: 'string' },
  'kill-at': { type: 'string' },
  db: { type: 'string' },
  'hash-cost': { type: 'string' },
});
const messages = args.integer('messages', args.text('messages'), 100_000, 100, 10_000_000);
const senders = args.integer('senders', args.text('senders'), 16, 2, 1000);
if (senders % 2 !== 0) args.fail(`--senders must be even (they form pairs), got ${senders}`);
const window = args.integer('window', args.text('window'), 100, 1, 10_000);
const killAt = args.integer('kill-at', args.text('kill-at'), 50, 1, 99);
const db = args.db();
const hashCost = args.integer('hash-cost', args.text('hash-cost'), 10, 10, 20);
const progress = progressLine('crash');

const thousands = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function table(report: CrashRestartReport): string {
  const rows: [string, string][] = [
    ['store', report.db === 'sqlite' ? 'SQLite (synchronous=FULL)' : 'PostgreSQL'],
    ['messages', `${thousands(report.messages)} from ${report.senders} senders, ${report.window} in flight each`],
    ['acked before the kill', `${thousands(report.ackedBeforeKill)} (SIGKILL sent at ${thousands(report.killedAtAcked)})`],
    ['sent before the kill', thousands(report.sentBeforeKill)],
    ['stored at the kill', `${thousands(report.storedAtKill)} (${thousands(report.storedUnackedAtKill)} of them not acked yet)`],
    ['acked but not stored at the kill', thousands(report.lostAtKill)],
    ['resent after the restart', thousands(report.resent)],
    ['stored at the end', thousands(report.stored)],
    ['lost', `${thousands(report.lost)}${report.lost === 0 ? '' : '  <-- must be 0'}`],
    ['duplicates', `${thousands(report.duplicates)}${report.duplicates === 0 ? '' : '  <-- must be 0'}`],
    ['stored ids nobody sent', thousands(report.unexpected)],
    ['error bounces', thousands(report.errors)],
    ['reconnections after the restart', `${report.reconnects.newStream} new streams, ${report.reconnects.resumed} resumed`],
    ['messages/s before the kill', thousands(report.rateBeforeKill)],
    ['kill → restarted server listening', seconds(report.restartMs)],
    ['kill → everything sent before the kill acked', seconds(report.recoverMs)],
    ['kill → whole burst acked', seconds(report.finishMs)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

runMain(async () => {
  // Two server starts, user set-up, and the burst at no less than ~20 messages/s.
  const stopWatchdog = startWatchdog(2 * SERVER_START_TIMEOUT_MS + 60_000 + messages * 50);
  const startedAt = new Date();
  let report: CrashRestartReport;
  try {
    report = await runCrashRestart({ db, messages, senders, window, killAtPercent: killAt, hashCost, startTimeoutMs: SERVER_START_TIMEOUT_MS, progress });
  } catch (error) {
    progress(errorStack(error));
    stopWatchdog();
    return 1;
  }
  stopWatchdog();
  process.stdout.write(`${table(report)}\n`);
  if (report.lost !== 0 || report.duplicates !== 0) process.stdout.write('NOT MET: every acknowledged message stored exactly once\n');
  process.stdout.write(`${JSON.stringify({ bench: 'crash-restart', startedAt: startedAt.toISOString(), killAtPercent: killAt, ...report })}\n`);
  return 0;
});
