/**
 * Push benchmark: under chat load, how long from a message to an offline user until the provider
 * receives the push, and how many pushes per second one node delivers.
 *
 *   npx tsx bench/push.ts [--senders N] [--recipients N] [--seconds S] [--concurrency C] [--burst N] [--db sqlite|postgres]
 *
 * The server runs in this process (testkit `startServer`) with its FCM provider pointed at a local
 * HTTPS receiver (testkit `startPushReceivers`, which verifies the OAuth JWT and bearer token like FCM).
 * Senders post 1-1 messages (`POST /chat/Message.json`, C at a time, for S seconds) to recipients with
 * no chat connection and one FCM subscription each; every message becomes a chat alert. Latency is from
 * just before the message request is sent until the receiver has the push (matched by message id).
 * Then a burst: N pushes queued at once (an event to many users), timed until the receiver has all of
 * them — the delivery rate of one node without chat load.
 * Load generator, server and receiver share one thread, so the numbers include their contention.
 * Prints a table, then one JSON line. Exit status 0 after a run, 1 if it broke, 2 for bad arguments.
 */
import { performance } from 'node:perf_hooks';
import { newObjectId } from '@parley/protocol';
import { startPushReceivers, startServer } from '@parley/testkit';
import { parseCommandLine } from './lib/cli.js';
import { percentile } from './lib/report.js';

const USAGE = 'usage: npx tsx bench/push.ts [--senders N] [--recipients N] [--seconds S] [--concurrency C] [--burst N] [--db sqlite|postgres]';
const cli = parseCommandLine(process.argv.slice(2), USAGE, {
  senders: { type: 'string' },
  recipients: { type: 'string' },
  seconds: { type: 'string' },
  concurrency: { type: 'string' },
  burst: { type: 'string' },
  db: { type: 'string' },
});
const params = {
  senders: cli.integer('senders', cli.text('senders'), 20, 1, 10_000),
  recipients: cli.integer('recipients', cli.text('recipients'), 50, 1, 100_000),
  seconds: cli.integer('seconds', cli.text('seconds'), 10, 1, 3600),
  concurrency: cli.integer('concurrency', cli.text('concurrency'), 16, 1, 1000),
  burst: cli.integer('burst', cli.text('burst'), 2000, 0, 1_000_000),
  db: cli.db(),
};

const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };

async function main(): Promise<void> {
  const receivers = await startPushReceivers();
  const server = await startServer({
    db: params.db,
    config: { pushCaFile: receivers.caFile, pushFcmUrl: receivers.origin, pushRetryBaseMs: '200', logLevel: 'warn' },
  });
  try {
    const appId = server.app.id;
    await server.server.services.push.settings.update(appId, { fcm: { service_account: receivers.fcmServiceAccount() } });
    const session = async (login: string) => {
      const response = await fetch(`${server.url}/session.json`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ application_id: appId, auth_key: server.app.authKey, user: { login, password: 'password123' } }) });
      const body = (await response.json()) as { session: { token: string; user_id: number } };
      return { token: body.session.token, id: body.session.user_id };
    };
    const run = Date.now().toString(36);
    process.stderr.write(`setting up ${params.senders} senders and ${params.recipients} offline recipients…\n`);
    const senders = await Promise.all(Array.from({ length: params.senders }, (_, index) => session(`bs${run}${index}`)));
    const recipients = await Promise.all(Array.from({ length: params.recipients }, (_, index) => session(`br${run}${index}`)));
    for (const recipient of recipients) {
      await fetch(`${server.url}/subscriptions.json`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'CB-Token': recipient.token },
        body: JSON.stringify({ notification_channel: 'gcm', push_token: { environment: 'production', client_identification_sequence: `fcm${recipient.id}` }, device: { platform: 'android', udid: `d${recipient.id}` } }),
      });
    }

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const originalAccept = receivers.refuse;
    receivers.refuse = (push) => {
      if (push.provider === 'fcm') {
        const id = (push.message.data as Record<string, string> | undefined)?.message_id;
        const start = id === undefined ? undefined : sentAt.get(id);
        if (start !== undefined) latencies.push(performance.now() - start);
      }
      return originalAccept(push);
    };

    let sent = 0;
    let errors = 0;
    const deadline = performance.now() + params.seconds * 1000;
    const loadStart = performance.now();
    process.stderr.write(`sending for ${params.seconds}s at concurrency ${params.concurrency}…\n`);
    await Promise.all(
      Array.from({ length: params.concurrency }, async (_, worker) => {
        for (let n = worker; performance.now() < deadline; n += params.concurrency) {
          const sender = senders[n % senders.length] as { token: string };
          const recipient = recipients[n % recipients.length] as { id: number };
          const id = newObjectId();
          sentAt.set(id, performance.now());
          const response = await fetch(`${server.url}/chat/Message.json`, {
            method: 'POST',
            headers: { ...JSON_HEADERS, 'CB-Token': sender.token },
            body: JSON.stringify({ _id: id, recipient_id: recipient.id, message: `bench ${n}` }),
          });
          await response.arrayBuffer();
          if (response.ok) sent += 1;
          else errors += 1;
        }
      }),
    );
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const deliveredDuringLoad = latencies.length;
    process.stderr.write('draining the push queue…\n');
    const drainStart = performance.now();
    await server.server.services.push.settled();
    while ((await server.server.store.push.pendingCount(appId)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const drainSeconds = (performance.now() - drainStart) / 1000;
    let burstPerSecond: number | null = null;
    if (params.burst > 0) {
      process.stderr.write(`burst: ${params.burst} pushes queued at once…\n`);
      const before = receivers.received.length;
      const burstStart = performance.now();
      const perUser = Math.ceil(params.burst / recipients.length);
      const ids = recipients.map((recipient) => recipient.id);
      for (let round = 0; round < perUser; round += 1) {
        await server.server.services.push.outbox.queue(appId, ids, () => ({ payload: { data: { message: `burst ${round}` } }, pushType: 'alert', urgent: false, expiresAt: 0 }));
      }
      await receivers.waitFor(before + perUser * ids.length, 600_000);
      burstPerSecond = Math.round((perUser * ids.length) / ((performance.now() - burstStart) / 1000));
    }
    const sorted = Float64Array.from(latencies).sort();
    const round = (value: number | null) => (value === null ? null : Math.round(value));
    const result = {
      bench: 'push',
      db: params.db,
      senders: params.senders,
      recipients: params.recipients,
      concurrency: params.concurrency,
      messagesSent: sent,
      messageErrors: errors,
      messagesPerSecond: Math.round(sent / loadSeconds),
      pushesDelivered: latencies.length,
      pushesPerSecondDuringLoad: Math.round(deliveredDuringLoad / loadSeconds),
      pushesPerSecondOverall: Math.round(latencies.length / (loadSeconds + drainSeconds)),
      drainSeconds: Math.round(drainSeconds * 100) / 100,
      burstPushesPerSecond: burstPerSecond,
      latencyP50Ms: round(percentile(sorted, 50)),
      latencyP95Ms: round(percentile(sorted, 95)),
      latencyP99Ms: round(percentile(sorted, 99)),
      latencyMaxMs: round(sorted.length > 0 ? (sorted[sorted.length - 1] ?? null) : null),
      receiverViolations: receivers.violations.length,
    };
    process.stdout.write(
      [
        `messages  ${result.messagesSent} sent (${result.messagesPerSecond}/s), ${result.messageErrors} errors`,
        `pushes    ${result.pushesDelivered} delivered: ${result.pushesPerSecondDuringLoad}/s during load, ${result.pushesPerSecondOverall}/s overall (queue drained ${result.drainSeconds}s after the load)`,
        `burst     ${params.burst > 0 ? `${result.burstPushesPerSecond} pushes/s delivered from a queue of ~${params.burst}` : 'skipped'}`,
        `latency   message → provider request: p50 ${result.latencyP50Ms} ms, p95 ${result.latencyP95Ms} ms, p99 ${result.latencyP99Ms} ms, max ${result.latencyMaxMs} ms`,
        JSON.stringify(result),
      ].join('\n') + '\n',
    );
  } finally {
    await server.stop();
    await receivers.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
