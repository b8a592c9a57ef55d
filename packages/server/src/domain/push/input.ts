import { toId, toList } from '@parley/protocol';
import { PUSH_CHANNELS, PUSH_ENVIRONMENTS, type NewPushSubscription, type PushChannel, type PushEnvironment } from '../../ports/push.js';
import { DomainFailure } from '../shared/failure.js';
import { checkWebEndpoint } from '../../ports/push-endpoint.js';

/** Decoding of push requests (rest.md §7), with the spellings of accepted. */

type Fields = Record<string, string[]>;
const add = (errors: Fields, field: string, message: string) => (errors[field] ??= []).push(message);
const asRecord = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

function throwIfErrors(errors: Fields): void {
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}

export const TOKEN_MAX_CHARS = 1024;
export const UDID_MAX_CHARS = 255;
export const MESSAGE_MAX_CHARS = 16 * 1024;
const PLATFORMS = ['ios', 'android', 'web'] as const;

function text(value: unknown, field: string, errors: Fields, max: number, required: boolean): string | null {
  if (value === undefined || value === null || value === '') {
    if (required) add(errors, field, 'cannot be blank');
    return null;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    add(errors, field, 'should be a string');
    return null;
  }
  const result = String(value);
  if (result.length > max) add(errors, field, `is too long (maximum is ${max} characters)`);
  return result;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, errors: Fields): T | undefined {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  add(errors, field, `must be one of ${allowed.join(', ')}`);
  return undefined;
}

/** `POST /subscriptions` body → the subscription to store (without its user). */
export function readSubscription(body: unknown, allowPrivateEndpoints: boolean): Omit<NewPushSubscription, 'appId' | 'userId'> {
  const input = asRecord(body);
  const errors: Fields = {};
  const channel = oneOf<PushChannel>(input.notification_channel ?? input.notification_channels, PUSH_CHANNELS, 'notification_channel', errors);
  const token = asRecord(input.push_token);
  const device = asRecord(input.device);
  const environment = oneOf<PushEnvironment>(token.environment, PUSH_ENVIRONMENTS, 'push_token.environment', errors);
  const platform = oneOf(device.platform, PLATFORMS, 'device.platform', errors);
  const udid = text(device.udid, 'device.udid', errors, UDID_MAX_CHARS, true);
  const bundleId = text(token.bundle_identifier, 'push_token.bundle_identifier', errors, 255, false);
  let deviceToken: string | null = null;
  let webAuth: string | null = null;
  let webP256dh: string | null = null;
  if (channel === 'web') {
    deviceToken = text(token.web_endpoint, 'push_token.web_endpoint', errors, TOKEN_MAX_CHARS, true);
    webAuth = text(token.web_auth, 'push_token.web_auth', errors, 64, true);
    webP256dh = text(token.web_p256dh, 'push_token.web_p256dh', errors, 128, true);
    if (deviceToken !== null) {
      const problem = checkWebEndpoint(deviceToken, allowPrivateEndpoints);
      if (problem) add(errors, 'push_token.web_endpoint', problem);
    }
    if (webAuth !== null && base64UrlBytes(webAuth) !== 16) add(errors, 'push_token.web_auth', 'must be the 16-byte auth secret, base64url');
    if (webP256dh !== null && base64UrlBytes(webP256dh) !== 65) add(errors, 'push_token.web_p256dh', 'must be the 65-byte P-256 public key, base64url');
  } else if (channel !== undefined) {
    deviceToken = text(token.client_identification_sequence, 'push_token.client_identification_sequence', errors, TOKEN_MAX_CHARS, true);
    if (deviceToken !== null && !/^[\w.:-]+$/.test(deviceToken)) add(errors, 'push_token.client_identification_sequence', 'has characters a device token never has');
  }
  throwIfErrors(errors);
  return {
    channel: channel as PushChannel,
    environment: environment as PushEnvironment,
    platform: platform as NewPushSubscription['platform'],
    udid: udid as string,
    token: deviceToken as string,
    bundleId,
    webAuth,
    webP256dh,
  };
}

function base64UrlBytes(value: string): number {
  return /^[A-Za-z0-9_\-+/]+=*$/.test(value) ? Buffer.from(value, 'base64url').length : -1;
}

export interface EventRecipients {
  userIds: number[];
  externalIds: number[];
  tagsAny: string[];
  tagsAll: string[];
  tagsExclude: string[];
}

export interface EventInput {
  channel: PushChannel | null;
  environment: PushEnvironment | null;
  /** As sent (base64 JSON, or `payload=<base64>`). */
  message: string;
  /** The decoded JSON object. */
  content: Record<string, unknown>;
  /** `payload=`: the content is the provider payload itself, not the universal keys. */
  platformSpecific: boolean;
  recipients: EventRecipients;
}

function ids(value: unknown, field: string, errors: Fields): number[] {
  const list = toList(value);
  const parsed = list.map((item) => toId(item));
  if (parsed.some((id) => id === undefined)) add(errors, field, 'must be a comma-separated list of ids');
  return [...new Set(parsed.filter((id): id is number => id !== undefined))];
}

/** Base64 (standard or URL-safe) of a JSON object, or undefined. */
function decodeJsonObject(encoded: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(encoded.trim())) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded.trim(), 'base64').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /events` body (`{event: {…}}`) → what to send to whom. */
export function readEvent(body: unknown): EventInput {
  const event = asRecord(asRecord(body).event);
  const errors: Fields = {};
  if (event.notification_type !== undefined && event.notification_type !== 'push') add(errors, 'notification_type', 'must be push');
  if (event.event_type !== undefined && event.event_type !== 'one_shot') add(errors, 'event_type', 'only one_shot is supported');
  const channel = event.push_type === undefined || event.push_type === null || event.push_type === '' ? null : (oneOf<PushChannel>(event.push_type, PUSH_CHANNELS, 'push_type', errors) ?? null);
  const environment = event.environment === undefined || event.environment === null || event.environment === '' ? null : (oneOf<PushEnvironment>(event.environment, PUSH_ENVIRONMENTS, 'environment', errors) ?? null);
  const message = text(event.message, 'message', errors, MESSAGE_MAX_CHARS, true);
  let content: Record<string, unknown> | undefined;
  let platformSpecific = false;
  if (message !== null) {
    platformSpecific = message.startsWith('payload=');
    content = decodeJsonObject(platformSpecific ? message.slice('payload='.length) : message);
    if (!content) add(errors, 'message', platformSpecific ? 'payload= must be followed by base64 of a JSON object' : 'must be base64 of a JSON object');
    else if (platformSpecific && channel === null) add(errors, 'push_type', 'is required with a platform-specific payload');
  }
  const user = asRecord(event.user);
  const tags = asRecord(user.tags);
  const recipients: EventRecipients = {
    userIds: ids(user.ids, 'user.ids', errors),
    externalIds: ids(asRecord(event.external_user).ids, 'external_user.ids', errors),
    tagsAny: toList(tags.any),
    tagsAll: toList(tags.all),
    tagsExclude: toList(tags.exclude),
  };
  const selectors = recipients.userIds.length + recipients.externalIds.length + recipients.tagsAny.length + recipients.tagsAll.length + recipients.tagsExclude.length;
  if (selectors === 0 && !errors['user.ids'] && !errors['external_user.ids']) add(errors, 'base', 'no recipients: give user.ids, user.tags or external_user.ids');
  throwIfErrors(errors);
  return { channel, environment, message: message as string, content: content as Record<string, unknown>, platformSpecific, recipients };
}
