import type { PushAppConfig, PushJob, PushOutcome, PushProvider, PushProviders, PushRepository } from '../../ports/push.js';
import type { Clock } from '../shared/actor.js';

export interface PushDeliveryOptions {
  /** First retry delay; doubles per attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the queue is looked at when nothing woke the worker (retries coming due). */
  pollMs: number;
  /** Jobs taken per round (sent concurrently). */
  batchSize: number;
  /** How long a claimed job is reserved; longer than a provider request can take. */
  leaseMs: number;
}

/** How long the delivery log keeps an answer, and how often old ones are dropped. */
const LOG_KEEP_MS = 7 * 24 * 3600 * 1000;
const LOG_PRUNE_EVERY_MS = 10 * 60 * 1000;

export const defaultDeliveryOptions: PushDeliveryOptions = { retryBaseMs: 5000, retryMaxMs: 15 * 60 * 1000, pollMs: 1000, batchSize: 32, leaseMs: 120_000 };

/** Sent requests and their outcomes, for metrics and the benchmark. */
export interface DeliveryObserver {
  sent?(job: PushJob, outcome: PushOutcome, elapsedMs: number): void;
  error?(error: unknown): void;
}

/**
 * The delivery worker: takes due jobs from the durable queue, sends each through its channel's
 * provider, logs the answer for operators (kept a week), and records the outcome — delivered (deleted: never sent again, even after a restart),
 * invalid token (the subscription is removed), retry (backoff; an outage delays, never drops),
 * rejected (that job alone is marked failed).
 */
export class PushDelivery {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private prunedAt = 0;

  constructor(
    private readonly repository: PushRepository,
    private readonly providers: PushProviders,
    private readonly clock: Clock,
    private readonly options: PushDeliveryOptions = defaultDeliveryOptions,
    private readonly observer: DeliveryObserver = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New jobs are due: look now instead of at the next poll. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  /** Stops taking jobs and waits for the round in flight to record its outcomes. */
  async close(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
    await Promise.all(Object.values(this.providers).map((provider: PushProvider) => provider.close?.()));
  }

  /** One round: returns how many jobs it handled. Public for tests that drive the queue by hand. */
  async deliverDue(): Promise<number> {
    const jobs = await this.repository.claim(this.clock(), this.options.batchSize, this.options.leaseMs);
    const configs = new Map<number, Promise<PushAppConfig>>();
    const configOf = (appId: number) => {
      let config = configs.get(appId);
      if (!config) configs.set(appId, (config = this.repository.getConfig(appId)));
      return config;
    };
    await Promise.all(jobs.map((job) => this.deliver(job, configOf)));
    return jobs.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        this.pendingWake = false;
        await this.pruneLog();
        handled = await this.deliverDue();
      } catch (error) {
        this.observer.error?.(error);
      }
      if (handled === this.options.batchSize || !this.running) continue;
      if (this.pendingWake) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async deliver(job: PushJob, configOf: (appId: number) => Promise<PushAppConfig>): Promise<void> {
    try {
      const subscription = await this.repository.findSubscription(job.appId, job.subscriptionId);
      // Unsubscribed meanwhile, or past the app's own expiry: nothing to send.
      if (!subscription || (job.message.expiresAt > 0 && job.message.expiresAt * 1000 < this.clock())) {
        await this.repository.complete(job.id);
        return;
      }
      const provider = subscription.channel === 'web' ? this.providers.web : subscription.channel === 'gcm' ? this.providers.fcm : this.providers.apns;
      const started = performance.now();
      let outcome: PushOutcome;
      try {
        outcome = await provider.send(subscription, job.message, await configOf(job.appId));
      } catch (error) {
        outcome = { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
      }
      const elapsedMs = performance.now() - started;
      this.observer.sent?.(job, outcome, elapsedMs);
      switch (outcome.kind) {
        case 'delivered':
          await this.repository.complete(job.id);
          break;
        case 'invalid-token':
          await this.repository.deleteSubscription(job.appId, subscription.id);
          await this.repository.complete(job.id);
          break;
        case 'rejected':
          await this.repository.fail(job.id, outcome.reason);
          break;
        default:
          await this.repository.retry(job.id, this.clock() + Math.max(outcome.retryAfterMs ?? 0, this.backoff(job.attempts)), outcome.reason);
      }
      // After the outcome is recorded: a log write that fails loses one log line, never the push.
      await this.repository.logDelivery({
        appId: job.appId,
        jobId: job.id,
        subscriptionId: subscription.id,
        userId: subscription.userId,
        channel: subscription.channel,
        outcome: outcome.kind,
        reason: outcome.kind === 'delivered' ? null : outcome.reason,
        attempt: job.attempts + 1,
        elapsedMs,
        createdAt: this.clock(),
      });
    } catch (error) {
      // The store itself failed: the lease runs out and the job is tried again.
      this.observer.error?.(error);
    }
  }

  private async pruneLog(): Promise<void> {
    const now = this.clock();
    if (now - this.prunedAt < LOG_PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.repository.pruneDeliveries(now - LOG_KEEP_MS);
  }

  /** Exponential backoff with ±20% jitter, so many jobs failed by one outage do not retry in step. */
  private backoff(attempts: number): number {
    const delay = Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** Math.min(attempts, 30));
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }
}
