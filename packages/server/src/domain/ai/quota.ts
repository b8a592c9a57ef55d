import type { FailureThrottle } from '../../ports/throttle.js';
import type { Actor } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

const MINUTE = 60;
const DAY = 24 * 3600;

/**
 * Per-user rate limit (requests per minute) and per-app quota (requests per day) of the /ai routes, in
 * fixed windows on the throttle port's counters. Counted once a request is valid and authorised, so
 * invalid or unauthorised requests never use anyone's quota. Best effort like the port: per node, lost on restart.
 */
export class AiQuota {
  constructor(private readonly counters: FailureThrottle) {}

  async take(actor: Actor, limits: { userRequestsPerMinute: number; appRequestsPerDay: number }): Promise<void> {
    const userKey = `ai:user:${actor.appId}:${actor.userId ?? 0}`;
    const appKey = `ai:app:${actor.appId}`;
    const user = await this.counters.attempt(userKey, limits.userRequestsPerMinute, MINUTE);
    if (user.blocked) throw new DomainFailure('AI_RATE_LIMITED', { retryAfterSeconds: user.retryAfterSeconds });
    // A request the app's daily quota refuses has still used one of the user's per-minute requests.
    const app = await this.counters.attempt(appKey, limits.appRequestsPerDay, DAY);
    if (app.blocked) throw new DomainFailure('AI_QUOTA_EXCEEDED', { retryAfterSeconds: app.retryAfterSeconds });
  }
}
