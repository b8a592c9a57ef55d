/**
 * P2P call benchmark (issue 10):
 *
 *   npx tsx bench/calls.ts [--calls 20] [--sdk official|parley] [--pairs 50] [--seconds 10] [--skip-media]
 *
 * 1. Call set-up time, call → remote stream at the caller, p50/p95 over `calls` calls, direct (host
 *    candidates on loopback) and relayed (alwaysRelayCalls through a coturn started here on 127.0.0.1
 *    with --allow-loopback-peers). Two pages of headless Chromium with a fake camera, the official SDK
 *    (or @parley/sdk) on both ends; the callee accepts inside onCallListener; each call is hung up and the
 *    next starts once both sides closed it. The server runs in this process (e2e/browser/call-fixture).
 * 2. Signalling throughput: `pairs` pairs of raw XMPP clients (no media) run call → accept → hangUp
 *    cycles closed-loop for `seconds` against Parley in its own process; cycles/s and p50/p99 cycle time.
 *
 * Prints a table, then one JSON line (the last line of stdout). Asserts nothing; numbers from a shared
 * machine are indicative.
 */
import { loadConfig, startTurnRelay } from '@parley/server';
import { CallFixture, type CallUser } from '../e2e/browser/call-fixture.js';
import { freeTurnPorts } from '../e2e/browser/turn-ports.js';
import { parseCommandLine, withTimeout } from './lib/cli.js';
import { progressLine, runMain, startWatchdog, warn } from './lib/run.js';
import { login, now, type XmppSession } from './lib/xmpp-client.js';
import { startParley } from './lib/xmpp-parley.js';

const USAGE = `usage: npx tsx bench/calls.ts [--calls N] [--sdk official|parley] [--pairs N] [--seconds S] [--skip-media]
  --calls N       calls per media phase (default 20)
  --sdk NAME      SDK on both pages: official (connectycube@6.1.2 browser bundle, default) or parley
  --pairs N       XMPP client pairs in the signalling phase (default 50)
  --seconds S     duration of the signalling phase (default 10)
  --skip-media    only the signalling phase`;

const progress = progressLine('calls');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface SetupResult {
  mode: 'direct' | 'relay';
  calls: number;
  p50: number;
  p95: number;
  max: number;
}

async function callSetupPhase(fixture: CallFixture, sdk: 'official' | 'parley', mode: 'direct' | 'relay', calls: number): Promise<SetupResult> {
  const relay = mode === 'relay';
  const caller = await fixture.user(sdk, { alwaysRelayCalls: relay });
  const callee = await fixture.user(sdk, { alwaysRelayCalls: relay });
  if (relay && sdk === 'official') {
    for (const user of [caller, callee]) await user.page.evaluate((api) => window.T.useServerTurn(api), fixture.server.url);
  }
  await callee.page.evaluate(() => {
    window.T.autoAccept = true;
  });
  const times: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    times.push(await oneCall(caller, callee));
    progress(`${mode}: call ${i + 1}/${calls} set up in ${times.at(-1)!.toFixed(0)} ms`);
  }
  await fixture.closePages();
  const sorted = [...times].sort((a, b) => a - b);
  return { mode, calls, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1)! };
}

/** One call: milliseconds from `session.call()` to the caller's onRemoteStreamListener (page clock). */
async function oneCall(caller: CallUser, callee: CallUser): Promise<number> {
  for (const user of [caller, callee]) await user.page.evaluate(() => window.T.events.splice(0));
  const started = await caller.page.evaluate(async (id) => {
    const at = Date.now();
    await window.T.call([id]);
    return at;
  }, callee.id);
  await caller.page.waitForFunction(() => window.T.has('remote-stream'), undefined, { timeout: 30_000, polling: 10 });
  const streamAt = await caller.page.evaluate(() => window.T.events.find((event) => event.name === 'remote-stream')!.at);
  await caller.page.evaluate(() => window.T.stop());
  await callee.page.waitForFunction(() => window.T.has('close'), undefined, { timeout: 30_000, polling: 20 });
  return streamAt - started;
}

interface SignallingResult {
  pairs: number;
  seconds: number;
  cycles: number;
  cyclesPerSecond: number;
  p50: number;
  p99: number;
}

const signal = (to: string, type: string, sessionId: string, callerId: string, calleeId: string, sdp = false) =>
  `<message xmlns="jabber:client" to="${to}" type="headline" id="${type}${sessionId}"><extraParams xmlns="jabber:client"><sessionID>${sessionId}</sessionID><callType>1</callType><callerID>${callerId}</callerID><opponentsIDs><opponentID>${calleeId}</opponentID></opponentsIDs>${sdp ? '<sdp>v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n</sdp>' : ''}<moduleIdentifier>WebRTCVideoChat</moduleIdentifier><signalType>${type}</signalType><platform>web</platform></extraParams></message>`;

/** Resolves with the next frame of `session` containing `marker`. */
function nextFrame(session: XmppSession, marker: string): Promise<void> {
  return new Promise((resolve) => {
    session.onFrame = (frame) => {
      if (frame.includes(marker)) resolve();
    };
  });
}

async function signallingPhase(pairs: number, seconds: number): Promise<SignallingResult> {
  progress(`signalling: starting Parley with ${pairs * 2} users`);
  const target = await startParley(pairs * 2, 10, progress);
  try {
    const sessions: XmppSession[] = [];
    for (let i = 0; i < pairs * 2; i += 1) {
      sessions.push(await withTimeout(login({ url: target.wsUrl, domain: target.domain, username: target.username(i), password: target.password }, 30_000), 30_000, 'login'));
    }
    const cycleTimes: number[] = [];
    const deadline = now() + seconds * 1000;
    let serial = 0;
    await Promise.all(
      Array.from({ length: pairs }, async (_unused, pair) => {
        const caller = sessions[pair * 2]!;
        const callee = sessions[pair * 2 + 1]!;
        const callerBare = caller.jid.split('/')[0]!;
        const calleeBare = callee.jid.split('/')[0]!;
        const callerId = callerBare.split('-')[0]!;
        const calleeId = calleeBare.split('-')[0]!;
        while (now() < deadline) {
          const sessionId = `${pair}-${(serial += 1)}`;
          const started = now();
          const ringing = nextFrame(callee, `id="call${sessionId}"`);
          caller.send(signal(calleeBare, 'call', sessionId, callerId, calleeId, true));
          await ringing;
          const accepted = nextFrame(caller, `id="accept${sessionId}"`);
          callee.send(signal(callerBare, 'accept', sessionId, callerId, calleeId, true));
          await accepted;
          const hungUp = nextFrame(callee, `id="hangUp${sessionId}"`);
          caller.send(signal(calleeBare, 'hangUp', sessionId, callerId, calleeId));
          await hungUp;
          cycleTimes.push(now() - started);
        }
      }),
    );
    for (const session of sessions) session.terminate();
    const sorted = cycleTimes.sort((a, b) => a - b);
    return { pairs, seconds, cycles: sorted.length, cyclesPerSecond: sorted.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  } finally {
    await target.stop();
  }
}

async function main(): Promise<number> {
  const cli = parseCommandLine(process.argv.slice(2), USAGE, {
    calls: { type: 'string' },
    sdk: { type: 'string' },
    pairs: { type: 'string' },
    seconds: { type: 'string' },
    'skip-media': { type: 'boolean' },
  });
  const calls = cli.integer('calls', cli.text('calls'), 20, 1, 1000);
  const sdkName = cli.text('sdk') ?? 'official';
  if (sdkName !== 'official' && sdkName !== 'parley') cli.fail(`--sdk must be official or parley, got '${sdkName}'`);
  const sdk = sdkName === 'parley' ? 'parley' : 'official';
  const pairs = cli.integer('pairs', cli.text('pairs'), 50, 1, 5000);
  const seconds = cli.integer('seconds', cli.text('seconds'), 10, 1, 600);
  const stopWatchdog = startWatchdog((calls * 2 * 30 + seconds + 300) * 1000);
  const setups: SetupResult[] = [];
  if (!cli.flag('skip-media')) {
    const ports = await freeTurnPorts();
    const config = loadConfig({ turn: 'managed', turnPort: String(ports.port), turnRelayMinPort: String(ports.relayMin), turnRelayMaxPort: String(ports.relayMax), dataDir: ports.dir, logLevel: 'silent' }, {});
    const relay = await startTurnRelay(config, undefined, { allowLoopbackPeers: true });
    const fixture = new CallFixture();
    try {
      await fixture.start({ parleySdk: sdk === 'parley', overrides: { turn: relay.turn } });
      setups.push(await callSetupPhase(fixture, sdk, 'direct', calls));
      setups.push(await callSetupPhase(fixture, sdk, 'relay', calls));
    } finally {
      await fixture.stop().catch(warn);
      await relay.stop();
    }
  }
  const signalling = await signallingPhase(pairs, seconds);
  stopWatchdog();

  const lines = [
    `P2P calls (${sdk} SDK in headless Chromium, fake media; server and load on one shared machine)`,
    '',
    'call set-up (call → remote stream at the caller)',
    '  mode     calls   p50 ms   p95 ms   max ms',
    ...setups.map((s) => `  ${s.mode.padEnd(7)} ${String(s.calls).padStart(6)} ${s.p50.toFixed(0).padStart(8)} ${s.p95.toFixed(0).padStart(8)} ${s.max.toFixed(0).padStart(8)}`),
    '',
    `signalling without media: ${signalling.pairs} pairs, ${signalling.seconds} s, closed loop call → accept → hangUp`,
    `  ${signalling.cycles} cycles, ${signalling.cyclesPerSecond.toFixed(0)} cycles/s (${(signalling.cyclesPerSecond * 3).toFixed(0)} signals/s), cycle p50 ${signalling.p50.toFixed(1)} ms, p99 ${signalling.p99.toFixed(1)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify({ bench: 'calls', sdk, setup: setups, signalling })}\n`);
  return 0;
}

runMain(main);
