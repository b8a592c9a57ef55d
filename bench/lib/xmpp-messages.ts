/**
 * The message phases of bench/xmpp.ts:
 *
 * - closed loop ("peak"): `pairs` sender/receiver sessions; each sender keeps `window` chat messages
 *   in flight to its receiver and sends the next one when the receiver got one, for `seconds`.
 *   Delivered messages per second is the peak; latencies here are mostly queueing.
 * - open loop at half the peak: the same pairs send at a fixed total rate (peak / 2), spread
 *   round-robin over the pairs on a 1 ms ticker, for `seconds`; p50/p99 here are the latency figures.
 *
 * End-to-end latency = receive time − send time of each message, both read from this process's
 * monotonic clock (the body carries the send time). Every message asks for persistence:
 * `<extraParams><save_to_history>1</save_to_history></extraParams>` (Parley stores it; the peers
 * archive every message anyway and forward the element untouched).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { newObjectId } from '@parley/protocol';
import { SampleBuffer } from './load.js';
import { percentile } from './report.js';
import type { Progress } from './run.js';
import { escapeXml, now, textOf, type XmppSession } from './xmpp-client.js';
import { cpuMark, cpuSince, loginMany, round, type CpuUse, type PhaseParams } from './xmpp-measure.js';
import type { XmppTarget } from './xmpp-target.js';

export interface MessagePhase {
  mode: 'closed-loop' | 'open-loop';
  /** Open loop: the offered rate (messages/s); closed loop: messages in flight (pairs × window). */
  offered: number;
  seconds: number;
  sent: number;
  /** Messages sent in this phase that arrived (including those arriving in the grace period). */
  delivered: number;
  /** Sent but not delivered by the end of the grace period. */
  lost: number;
  /** Deliveries within the phase's time window per second. */
  rate: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  cpu: CpuUse;
  /** Server CPU-ms per 1,000 delivered messages (comparable across servers on a shared machine). */
  serverCpuMsPer1k: number | null;
}

const GRACE_MS = 5_000;
const PAUSE_MS = 2_000;
const WARM_UP_TIMEOUT_MS = 15_000;
const WARM_UP_RESEND_MS = 2_000;
const TICK_MS = 1;
const FILLER = 'hello from the parley xmpp benchmark';

interface Pair {
  index: number;
  sender: XmppSession;
  receiver: XmppSession;
  to: string;
  seq: number;
  /** Called on every message the receiver gets from this pair's sender: (send time). */
  onDelivered: (sentAt: number) => void;
}

function messageStanza(pair: Pair): string {
  pair.seq += 1;
  const body = `${pair.index} ${pair.seq} ${now().toFixed(3)} ${FILLER}`;
  return (
    `<message xmlns="jabber:client" to="${pair.to}" type="chat" id="${newObjectId()}"><body>${body}</body>` +
    '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history></extraParams></message>'
  );
}

function wirePairs(target: XmppTarget, senders: XmppSession[], receivers: XmppSession[], firstReceiver: number): Pair[] {
  return senders.map((sender, index) => {
    const receiver = receivers[index] as XmppSession;
    const pair: Pair = { index, sender, receiver, to: escapeXml(`${target.username(firstReceiver + index)}@${target.domain}`), seq: 0, onDelivered: () => undefined };
    receiver.onFrame = (frame) => {
      if (!frame.startsWith('<message')) return;
      const body = textOf(frame, 'body');
      if (body === undefined) return;
      const sentAt = Number(body.split(' ')[2]);
      if (Number.isFinite(sentAt)) pair.onDelivered(sentAt);
    };
    return pair;
  });
}

/** Runs `phase` over the pairs; the collector tracks sends and deliveries of this phase only. */
function collector(startedAt: number) {
  const latencies = new SampleBuffer();
  let sent = 0;
  let delivered = 0;
  let inWindow = 0;
  let endAt = Number.POSITIVE_INFINITY;
  return {
    sent: () => (sent += 1),
    delivered(sentAt: number) {
      if (sentAt < startedAt) return;
      const at = now();
      delivered += 1;
      if (at <= endAt) inWindow += 1;
      latencies.push(at - sentAt);
    },
    end: (at: number) => (endAt = at),
    get outstanding() {
      return sent - delivered;
    },
    summary(mode: MessagePhase['mode'], offered: number, seconds: number, cpu: CpuUse): MessagePhase {
      const sorted = latencies.toArray().sort();
      const r2 = (value: number | null) => (value === null ? null : round(value, 2));
      return {
        mode,
        offered,
        seconds,
        sent,
        delivered,
        lost: sent - delivered,
        rate: round(inWindow / seconds),
        p50Ms: r2(percentile(sorted, 50)),
        p99Ms: r2(percentile(sorted, 99)),
        maxMs: r2(sorted.length > 0 ? (sorted[sorted.length - 1] ?? null) : null),
        cpu,
        serverCpuMsPer1k: delivered > 0 ? round((cpu.serverMs * 1000) / delivered) : null,
      };
    },
  };
}

async function drain(outstanding: () => number): Promise<void> {
  const deadline = now() + GRACE_MS;
  while (outstanding() > 0 && now() < deadline) await sleep(5);
}

async function closedLoop(target: XmppTarget, pairs: Pair[], window: number, seconds: number): Promise<MessagePhase> {
  const startedAt = now();
  const stopAt = startedAt + seconds * 1000;
  const stats = collector(startedAt);
  const mark = cpuMark(target);
  for (const pair of pairs) {
    pair.onDelivered = (sentAt) => {
      stats.delivered(sentAt);
      if (now() < stopAt && pair.sender.open) {
        pair.sender.send(messageStanza(pair));
        stats.sent();
      }
    };
    for (let count = 0; count < window; count += 1) {
      pair.sender.send(messageStanza(pair));
      stats.sent();
    }
  }
  await sleep(Math.max(0, stopAt - now()));
  stats.end(stopAt);
  const cpu = cpuSince(target, mark);
  await drain(() => stats.outstanding);
  return stats.summary('closed-loop', pairs.length * window, seconds, cpu);
}

async function openLoop(target: XmppTarget, pairs: Pair[], rate: number, seconds: number): Promise<MessagePhase> {
  const startedAt = now();
  const stopAt = startedAt + seconds * 1000;
  const stats = collector(startedAt);
  const mark = cpuMark(target);
  for (const pair of pairs) pair.onDelivered = (sentAt) => stats.delivered(sentAt);
  let issued = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const at = now();
      const due = Math.floor((rate * (Math.min(at, stopAt) - startedAt)) / 1000) - issued;
      for (let count = 0; count < due; count += 1) {
        const pair = pairs[next % pairs.length] as Pair;
        next += 1;
        issued += 1;
        if (!pair.sender.open) continue;
        pair.sender.send(messageStanza(pair));
        stats.sent();
      }
      if (at >= stopAt) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  stats.end(stopAt);
  const cpu = cpuSince(target, mark);
  await drain(() => stats.outstanding);
  return stats.summary('open-loop', round(rate, 0), seconds, cpu);
}

/**
 * Every pair sends one message and waits for it (Parley creates the private dialog on the first saved
 * message). Pairs still waiting send again every WARM_UP_RESEND_MS: a server may not have processed a
 * receiver's initial presence yet when its first message arrives (ejabberd then stores a chat message
 * to the bare JID offline instead of delivering it).
 */
async function warmUp(pairs: Pair[]): Promise<void> {
  const startedAt = now();
  const waiting = new Set(pairs);
  await new Promise<void>((resolve, reject) => {
    const resend = setInterval(() => {
      for (const pair of waiting) pair.sender.send(messageStanza(pair));
    }, WARM_UP_RESEND_MS);
    const timer = setTimeout(() => {
      clearInterval(resend);
      reject(new Error(`warm-up: ${waiting.size} of ${pairs.length} pairs got no message within ${WARM_UP_TIMEOUT_MS / 1000} s`));
    }, WARM_UP_TIMEOUT_MS);
    for (const pair of pairs) {
      pair.onDelivered = (sentAt) => {
        if (!waiting.has(pair) || sentAt < startedAt) return;
        waiting.delete(pair);
        if (waiting.size === 0) {
          clearTimeout(timer);
          clearInterval(resend);
          resolve();
        }
      };
      pair.sender.send(messageStanza(pair));
    }
  });
}

/** Pair logins, warm-up, peak and half-peak phases; the sessions are closed afterwards. */
export async function messagePhases(target: XmppTarget, params: PhaseParams, progress: Progress) {
  const { pairs: pairCount } = params;
  progress(`${target.name}: logging in ${pairCount} sender/receiver pairs`);
  const senders = await loginMany(target, 0, pairCount, params.loginConcurrency, params.loginTimeoutMs);
  const receivers = await loginMany({ ...target, wsUrl: target.receiverWsUrl ?? target.wsUrl }, pairCount, pairCount, params.loginConcurrency, params.loginTimeoutMs);
  const all = [...senders.sessions, ...receivers.sessions];
  try {
    if (senders.sessions.length < pairCount || receivers.sessions.length < pairCount) {
      throw new Error(`pair logins failed: ${JSON.stringify({ ...senders.failures, ...receivers.failures })}`);
    }
    const pairs = wirePairs(target, senders.sessions, receivers.sessions, pairCount);
    await warmUp(pairs);
    progress(`${target.name}: closed loop, ${pairCount} pairs × ${params.window} in flight, ${params.seconds} s`);
    const peak = await closedLoop(target, pairs, params.window, params.seconds);
    progress(`${target.name}: peak ${peak.rate} msgs/s (p50 ${peak.p50Ms} ms, p99 ${peak.p99Ms} ms, lost ${peak.lost})`);
    // A pause, so that work the saturated phase left behind (GC, storage flushes) does not spill into the next.
    await sleep(PAUSE_MS);
    const halfRate = Math.max(1, peak.rate / 2);
    progress(`${target.name}: open loop at ${Math.round(halfRate)} msgs/s (half the peak), ${params.seconds} s`);
    const halfPeak = await openLoop(target, pairs, halfRate, params.seconds);
    progress(`${target.name}: half peak ${halfPeak.rate} msgs/s (p50 ${halfPeak.p50Ms} ms, p99 ${halfPeak.p99Ms} ms, lost ${halfPeak.lost})`);
    return { peak, halfPeak };
  } finally {
    for (const session of all) session.terminate();
  }
}
