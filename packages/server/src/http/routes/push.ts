import { isoSeconds, type PushEventWire, type PushSubscriptionWire } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { PushEventRecord, PushSubscriptionRecord } from '../../ports/push.js';
import { actorOf } from '../plugins/auth.js';
import type { HttpDependencies } from '../services.js';

const PLATFORM_OF_CHANNEL = { apns: 'ios', apns_voip: 'ios', gcm: 'android', web: 'web' } as const;

export function subscriptionWire(subscription: PushSubscriptionRecord): PushSubscriptionWire {
  return {
    subscription: {
      id: subscription.id,
      notification_channel: { name: subscription.channel },
      device: { udid: subscription.udid, platform: { name: subscription.platform ?? PLATFORM_OF_CHANNEL[subscription.channel] } },
    },
  };
}

/** rest.md §7.2 event object; one item per request ([A-60]). */
export function eventWire(event: PushEventRecord): PushEventWire {
  const created = isoSeconds(event.createdAt);
  return {
    event: {
      id: event.id,
      event_type: 'one_shot',
      message: event.message,
      date: null,
      period: null,
      name: null,
      occured_count: 0,
      created_at: created,
      updated_at: created,
      end_date: null,
      active: true,
      application_id: event.appId,
      user_id: event.userId,
      kind: 'API',
      environment: event.environment,
      tag_query: null,
      notification_channel: { name: event.channel },
    },
  };
}

/** Push notifications (rest.md §7): subscriptions and events, user sessions only. */
export function pushRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const { push } = deps;
  const config = { auth: 'user' as const };

  app.post('/subscriptions', { config }, async (request, reply) => {
    const subscription = await push.subscriptions.create(actorOf(request), request.body);
    // an array of one item.
    return reply.code(201).send([subscriptionWire(subscription)]);
  });

  app.get('/subscriptions', { config }, async (request) => (await push.subscriptions.list(actorOf(request))).map(subscriptionWire));

  app.delete<{ Params: { id: string } }>('/subscriptions/:id', { config }, async (request, reply) => {
    await push.subscriptions.remove(actorOf(request), request.params.id);
    return reply.code(200).send();
  });

  app.post('/events', { config }, async (request, reply) => {
    const event = await push.events.create(actorOf(request), request.body);
    return reply.code(201).send([eventWire(event)]);
  });

  // Parley addition: the application server key a page passes to pushManager.subscribe (Web Push).
  app.get('/push/vapid_public_key', { config: { auth: 'app' as const } }, async (request) => ({ public_key: await push.settings.vapidPublicKey(actorOf(request).appId) }));
}
