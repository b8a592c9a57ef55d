/**
 * Group fan-out phase of bench/xmpp-goals.ts: one group dialog (a room) of `members` users, all online
 * over XMPP (members receive the room's messages without joining it). Member 0 sends groupchat
 * messages with save_to_history=1, keeping `window` in flight: the next one goes when every other
 * member got one. Measured: deliveries/s (copies received by members other than the sender, within
 * the phase) and, per message, the latency of its LAST recipient (send → the last member's copy, one
 * monotonic clock: every client lives in this process).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SampleBuffer } from './load.js';
import { percentile } from './report.js';
import type { Progress } from './run.js';
import { now, textOf, type XmppSession } from './xmpp-client.js';
import { cpuMark, cpuSince, loginMany, round, type CpuUse } from './xmpp-measure.js';
import type { XmppTarget } from './xmpp-target.js';

const GRACE_MS = 10_000;
const FILLER = 'fan-out from the parley goals benchmark';

export interface FanoutResult {
  members: number;
  online: number;
  window: number;
  seconds: number;
  messagesSent: number;
  /** Messages every other member received. */
  messagesCompleted: number;
  deliveries: number;
  deliveriesPerSecond: number;
  /** Per message: send → its last recipient's copy. */
  lastRecipientP50Ms: number | null;
  lastRecipientP99Ms: number | null;
  lastRecipientMaxMs: number | null;
  cpu: CpuUse;
  /** Server CPU-ms per 1,000 delivered copies. */
  serverCpuMsPer1kDeliveries: number | null;
}

interface InFlight {
  sentAt: number;
  remaining: number;
}

export async function fanoutPhase(target: XmppTarget, roomJid: string, members: number, window: number, seconds: number, concurrency: number, timeoutMs: number, progress: Progress): Promise<FanoutResult> {
  progress(`parley: logging in the ${members} room members`);
  const login = await loginMany(target, 0, members, concurrency, timeoutMs);
  const sessions = login.sessions;
  try {
    if (sessions.length < members) throw new Error(`room member logins failed: ${JSON.stringify(login.failures)}`);
    // Sessions come back in completion order; the sender is whichever is first (any member may send).
    const [sender, ...receivers] = sessions as [XmppSession, ...XmppSession[]];
    const expected = receivers.length;
    const inFlight = new Map<number, InFlight>();
    const latencies = new SampleBuffer();
    let seq = 0;
    let sent = 0;
    let completed = 0;
    let deliveries = 0;
    let inWindow = 0;
    let startedAt = Number.POSITIVE_INFINITY;
    let stopAt = Number.POSITIVE_INFINITY;
    let measuring = false;

    const send = () => {
      seq += 1;
      const sentAt = now();
      inFlight.set(seq, { sentAt, remaining: expected });
      sent += 1;
      sender.send(
        `<message xmlns="jabber:client" to="${roomJid}" type="groupchat" id="fan${seq}"><body>${seq} ${FILLER}</body>` +
          '<extraParams xmlns="jabber:client"><save_to_history>1</save_to_history></extraParams></message>',
      );
    };
    /** What else the members received, by element and type (a diagnostic for failed runs). */
    const other = new Map<string, number>();
    const onCopy = (frame: string) => {
      if (!frame.startsWith('<message')) {
        const kind = /^<(\w+)[^>]*?(?: type=["'](\w+)["'])?/.exec(frame);
        const key = `${kind?.[1] ?? '?'} ${kind?.[2] ?? ''}`.trim();
        other.set(key, (other.get(key) ?? 0) + 1);
        return;
      }
      const body = textOf(frame, 'body');
      if (body === undefined) return;
      const id = Number(body.slice(0, body.indexOf(' ')));
      const entry = inFlight.get(id);
      if (!entry) return;
      const at = now();
      if (measuring) {
        deliveries += 1;
        if (at <= stopAt) inWindow += 1;
      }
      entry.remaining -= 1;
      if (entry.remaining > 0) return;
      inFlight.delete(id);
      if (measuring && entry.sentAt >= startedAt) {
        completed += 1;
        latencies.push(at - entry.sentAt);
      }
      // Closed loop during the phase only (the warm-up message is not replaced).
      if (measuring && at < stopAt) send();
    };
    for (const receiver of receivers) receiver.onFrame = onCopy;
    let senderSaw = '';
    sender.onFrame = (frame) => {
      if (senderSaw === '' && frame.includes('type="error"')) senderSaw = frame.slice(0, 300);
    };

    // Warm-up: one message to everybody (the first send of a dialog does one-time work).
    send();
    const warmDeadline = now() + timeoutMs;
    while (inFlight.size > 0 && now() < warmDeadline) await sleep(5);
    if (inFlight.size > 0) {
      throw new Error(`warm-up: ${inFlight.values().next().value?.remaining} of ${expected} members got no copy; other frames: ${JSON.stringify(Object.fromEntries(other))}${senderSaw ? `; the sender got ${senderSaw}` : ''}`);
    }

    progress(`parley: fan-out to ${expected} members, ${window} messages in flight, ${seconds} s`);
    const mark = cpuMark(target);
    sent = 0;
    measuring = true;
    startedAt = now();
    stopAt = startedAt + seconds * 1000;
    for (let count = 0; count < window; count += 1) send();
    await sleep(seconds * 1000);
    const cpu = cpuSince(target, mark);
    const drainUntil = now() + GRACE_MS;
    while (inFlight.size > 0 && now() < drainUntil) await sleep(5);
    const sorted = latencies.toArray().sort();
    const result: FanoutResult = {
      members,
      online: sessions.filter((session) => session.open).length,
      window,
      seconds,
      messagesSent: sent,
      messagesCompleted: completed,
      deliveries,
      deliveriesPerSecond: round(inWindow / seconds),
      lastRecipientP50Ms: percentile(sorted, 50),
      lastRecipientP99Ms: percentile(sorted, 99),
      lastRecipientMaxMs: sorted.length > 0 ? (sorted[sorted.length - 1] ?? null) : null,
      cpu,
      serverCpuMsPer1kDeliveries: inWindow > 0 ? round((cpu.serverMs * 1000) / inWindow) : null,
    };
    progress(`parley: ${result.deliveriesPerSecond} deliveries/s, last recipient p99 ${result.lastRecipientP99Ms} ms`);
    return result;
  } finally {
    for (const session of sessions) session.terminate();
  }
}
