import type { PushDeliveryRecord } from '../../ports/push.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { appNotFound, idParam, objectBody, userNotFound, type AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

const fingerprinted = (fields: string[]) => ({
  type: ['object', 'null'],
  properties: Object.fromEntries([...fields.map((field) => [field, { type: 'string' }]), ['private_key', { type: 'string', description: 'a sha256: fingerprint, never the key' }]]),
});

const settingsSchema = {
  type: 'object',
  properties: {
    vapid: fingerprinted(['public_key', 'subject']),
    fcm: fingerprinted(['project_id', 'client_email', 'token_uri']),
    apns: fingerprinted(['key_id', 'team_id', 'bundle_id']),
    chat_alert_template: { type: 'string' },
    contact_joined: { type: 'boolean' },
    call_pushes: { type: 'boolean' },
  },
} as const;

const deliverySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    job_id: { type: 'integer' },
    subscription_id: { type: 'integer' },
    user_id: { type: 'integer' },
    channel: { type: 'string', enum: ['apns', 'apns_voip', 'gcm', 'web'] },
    outcome: { type: 'string', enum: ['delivered', 'rejected', 'retry', 'invalid-token'], description: 'retry: the provider was down or throttling, the push is tried again; invalid-token: the subscription was removed' },
    reason: { type: ['string', 'null'] },
    attempt: { type: 'integer' },
    elapsed_ms: { type: 'integer' },
    created_at: { type: 'string' },
  },
} as const;

const deliveryWire = (record: PushDeliveryRecord) => ({
  id: record.id,
  job_id: record.jobId,
  subscription_id: record.subscriptionId,
  user_id: record.userId,
  channel: record.channel,
  outcome: record.outcome,
  reason: record.reason,
  attempt: record.attempt,
  elapsed_ms: record.elapsedMs,
  created_at: new Date(record.createdAt).toISOString(),
});

/**
 * An application's push settings (docs/push.md): `GET|PUT /admin/apps/{appId}/push` (secrets shown as
 * fingerprints; PUT changes only the fields given), a test push to one user, and the delivery log.
 */
export function adminPushRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'push';
  const { push } = deps;

  routes.add({ method: 'GET', url: '/admin/apps/:appId/push', tag, summary: 'Push settings: provider credentials (keys as fingerprints), chat alert template, automatic pushes', response: settingsSchema }, async (request) =>
    push.settings.view(appId(request.params)),
  );

  routes.add(
    {
      method: 'PUT',
      url: '/admin/apps/:appId/push',
      tag,
      summary: 'Change the push settings given: fcm, apns, vapid (null removes), chat_alert_template, contact_joined, call_pushes',
      body: {
        type: 'object',
        properties: {
          fcm: { type: ['object', 'null'], description: '{service_account: <the JSON Google gives>}' },
          apns: { type: ['object', 'null'], description: '{key_id, team_id, bundle_id, private_key}' },
          vapid: { type: 'object', description: '{subject}, {public_key, private_key} or {regenerate: true}' },
          chat_alert_template: { type: 'string' },
          contact_joined: { type: 'boolean' },
          call_pushes: { type: 'boolean' },
        },
      },
      response: settingsSchema,
    },
    async (request) => push.settings.update(appId(request.params), request.body),
  );

  routes.add(
    {
      method: 'POST',
      url: '/admin/apps/:appId/push/test',
      tag,
      summary: 'Queue a test push to every device of one user; 422 when the user has no subscription',
      status: 201,
      body: { type: 'object', required: ['user_id', 'message'], properties: { user_id: { type: 'integer' }, message: { type: 'string' } } },
      response: { type: 'object', properties: { queued: { type: 'integer', description: 'pushes queued (one per device)' } } },
    },
    async (request) => {
      const body = objectBody(request.body);
      const userId = idParam(body.user_id, () => new DomainFailure('VALIDATION_FAILED', { fields: { user_id: ['must be a user id'] } }));
      return push.operator.sendTest(appId(request.params), userId, body.message);
    },
  );

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/push/deliveries',
      tag,
      summary: 'What the providers answered lately (newest first, kept a week)',
      query: {
        limit: { type: 'integer', description: '1–500, default 50' },
        failures: { type: 'boolean', description: 'true: only answers other than delivered' },
        user_id: { type: 'integer', description: 'only this user’s devices' },
      },
      response: { type: 'array', items: deliverySchema },
    },
    async (request) => {
      const id = appId(request.params);
      await deps.apps.get(id);
      const { limit, failures, user_id: userId } = request.query;
      const count = limit === undefined || limit === '' ? 50 : Number(limit);
      if (!Number.isInteger(count) || count < 1 || count > 500) throw new DomainFailure('VALIDATION_FAILED', { fields: { limit: ['must be an integer from 1 to 500'] } });
      if (failures !== undefined && failures !== 'true' && failures !== 'false') throw new DomainFailure('VALIDATION_FAILED', { fields: { failures: ['must be true or false'] } });
      const records = await push.operator.deliveries(id, {
        limit: count,
        failuresOnly: failures === 'true',
        ...(userId === undefined || userId === '' ? {} : { userId: idParam(userId, userNotFound) }),
      });
      return records.map(deliveryWire);
    },
  );
}
