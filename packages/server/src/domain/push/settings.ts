import { createHash, createPrivateKey } from 'node:crypto';
import { DEFAULT_CHAT_ALERT_TEMPLATE, type PushAppConfig, type PushRepository } from '../../ports/push.js';
import type { AppRepository } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

export type VapidKeyGenerator = () => { publicKey: string; privateKey: string };

type Fields = Record<string, string[]>;
const add = (errors: Fields, field: string, message: string) => (errors[field] ??= []).push(message);
const asRecord = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);
const TEMPLATE_MAX_CHARS = 1000;
const DEFAULT_VAPID_SUBJECT = 'mailto:push@localhost';
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** A short, stable fingerprint of a secret: enough to tell keys apart, useless to an attacker. */
const fingerprint = (secret: string) => `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;

/** What the admin API and CLI show: everything but the secrets, which appear as fingerprints. */
export interface PushSettingsView {
  vapid: { public_key: string; subject: string; private_key: string } | null;
  fcm: { project_id: string; client_email: string; token_uri: string; private_key: string } | null;
  apns: { key_id: string; team_id: string; bundle_id: string; private_key: string } | null;
  chat_alert_template: string;
  contact_joined: boolean;
  call_pushes: boolean;
}

export function settingsView(config: PushAppConfig): PushSettingsView {
  return {
    vapid: config.vapid && { public_key: config.vapid.publicKey, subject: config.vapid.subject, private_key: fingerprint(config.vapid.privateKey) },
    fcm: config.fcm && { project_id: config.fcm.projectId, client_email: config.fcm.clientEmail, token_uri: config.fcm.tokenUri, private_key: fingerprint(config.fcm.privateKey) },
    apns: config.apns && { key_id: config.apns.keyId, team_id: config.apns.teamId, bundle_id: config.apns.bundleId, private_key: fingerprint(config.apns.privateKey) },
    chat_alert_template: config.chatAlertTemplate,
    contact_joined: config.contactJoined,
    call_pushes: config.callPushes,
  };
}

function isPrivateKey(pem: unknown, type: 'rsa' | 'ec'): pem is string {
  if (typeof pem !== 'string') return false;
  try {
    return createPrivateKey(pem).asymmetricKeyType === type;
  } catch {
    return false;
  }
}

function readFcm(value: unknown, errors: Fields): PushAppConfig['fcm'] {
  let account = asRecord(value)?.service_account ?? value;
  if (typeof account === 'string') {
    try {
      account = JSON.parse(account) as unknown;
    } catch {
      add(errors, 'fcm.service_account', 'must be the service-account JSON');
      return null;
    }
  }
  const json = asRecord(account);
  if (!json) {
    add(errors, 'fcm.service_account', 'must be the service-account JSON');
    return null;
  }
  const { project_id: projectId, client_email: clientEmail, private_key: privateKey, token_uri: tokenUri } = json;
  if (typeof projectId !== 'string' || !/^[a-z0-9-]{1,64}$/i.test(projectId)) add(errors, 'fcm.project_id', 'is missing or invalid');
  if (typeof clientEmail !== 'string' || !clientEmail.includes('@')) add(errors, 'fcm.client_email', 'is missing or invalid');
  if (!isPrivateKey(privateKey, 'rsa')) add(errors, 'fcm.private_key', 'must be the RSA private key (PEM) of the service account');
  if (tokenUri !== undefined && (typeof tokenUri !== 'string' || !/^https?:\/\//.test(tokenUri))) add(errors, 'fcm.token_uri', 'must be a URL');
  if (Object.keys(errors).some((field) => field.startsWith('fcm.'))) return null;
  return { projectId: projectId as string, clientEmail: clientEmail as string, privateKey: privateKey as string, tokenUri: (tokenUri as string | undefined) ?? GOOGLE_TOKEN_URI };
}

function readApns(value: unknown, errors: Fields): PushAppConfig['apns'] {
  const input = asRecord(value);
  if (!input) {
    add(errors, 'apns', 'must be {key_id, team_id, bundle_id, private_key}');
    return null;
  }
  const { key_id: keyId, team_id: teamId, bundle_id: bundleId, private_key: privateKey } = input;
  if (typeof keyId !== 'string' || !/^[A-Z0-9]{10}$/.test(keyId)) add(errors, 'apns.key_id', 'must be the 10-character key id');
  if (typeof teamId !== 'string' || !/^[A-Z0-9]{10}$/.test(teamId)) add(errors, 'apns.team_id', 'must be the 10-character team id');
  if (typeof bundleId !== 'string' || !/^[A-Za-z0-9.-]{1,155}$/.test(bundleId)) add(errors, 'apns.bundle_id', 'must be the app bundle id');
  if (!isPrivateKey(privateKey, 'ec')) add(errors, 'apns.private_key', 'must be the .p8 key (PEM, P-256)');
  if (Object.keys(errors).some((field) => field.startsWith('apns'))) return null;
  return { keyId: keyId as string, teamId: teamId as string, bundleId: bundleId as string, privateKey: privateKey as string };
}

/**
 * Per-application push settings (admin API and CLI): provider credentials, the chat alert template,
 * and the automatic pushes an app turns on. VAPID keys are made on first need.
 */
export class PushSettingsService {
  private readonly vapidInFlight = new Map<number, Promise<PushAppConfig>>();

  constructor(
    private readonly repository: PushRepository,
    private readonly apps: AppRepository,
    private readonly generateVapidKeys: VapidKeyGenerator,
    private readonly clock: Clock,
  ) {}

  async view(appId: number): Promise<PushSettingsView> {
    return settingsView(await this.configWithVapid(appId));
  }

  /** The Web Push application server key a page passes to `pushManager.subscribe`. */
  async vapidPublicKey(appId: number): Promise<string> {
    return (await this.configWithVapid(appId)).vapid?.publicKey ?? '';
  }

  /**
   * Applies a partial change. `fcm`/`apns`: credentials, or null to remove; `vapid`: `{subject}`,
   * `{public_key, private_key}` to import, or `{regenerate: true}`. Bad input changes nothing.
   */
  async update(appId: number, body: unknown): Promise<PushSettingsView> {
    const config = await this.configWithVapid(appId);
    const input = asRecord(body) ?? {};
    const errors: Fields = {};
    const next: PushAppConfig = { ...config };
    if ('fcm' in input) next.fcm = input.fcm === null ? null : readFcm(input.fcm, errors);
    if ('apns' in input) next.apns = input.apns === null ? null : readApns(input.apns, errors);
    if ('vapid' in input) next.vapid = this.readVapid(input.vapid, config, errors);
    if ('chat_alert_template' in input) {
      const template = input.chat_alert_template;
      if (template === null || template === '') next.chatAlertTemplate = DEFAULT_CHAT_ALERT_TEMPLATE;
      else if (typeof template !== 'string' || template.length > TEMPLATE_MAX_CHARS) add(errors, 'chat_alert_template', `must be text of at most ${TEMPLATE_MAX_CHARS} characters`);
      else next.chatAlertTemplate = template;
    }
    for (const [field, key] of [['contact_joined', 'contactJoined'], ['call_pushes', 'callPushes']] as const) {
      if (!(field in input)) continue;
      if (typeof input[field] !== 'boolean') add(errors, field, 'must be true or false');
      else next[key] = input[field];
    }
    const known = new Set(['fcm', 'apns', 'vapid', 'chat_alert_template', 'contact_joined', 'call_pushes']);
    for (const field of Object.keys(input)) if (!known.has(field)) add(errors, field, 'is not a push setting');
    if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
    await this.repository.saveConfig(appId, next, this.clock());
    return settingsView(next);
  }

  private readVapid(value: unknown, current: PushAppConfig, errors: Fields): PushAppConfig['vapid'] {
    const input = asRecord(value);
    const subject = input?.subject ?? current.vapid?.subject ?? DEFAULT_VAPID_SUBJECT;
    if (typeof subject !== 'string' || !/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+)$/.test(subject)) add(errors, 'vapid.subject', 'must be a mailto: address or an https: URL');
    if (!input) {
      add(errors, 'vapid', 'must be {subject}, {public_key, private_key} or {regenerate: true}');
      return current.vapid;
    }
    if (input.regenerate === true) return { ...this.generateVapidKeys(), subject: subject as string };
    if (input.public_key !== undefined || input.private_key !== undefined) {
      const okPublic = typeof input.public_key === 'string' && Buffer.from(input.public_key, 'base64url').length === 65;
      const okPrivate = typeof input.private_key === 'string' && Buffer.from(input.private_key, 'base64url').length === 32;
      if (!okPublic) add(errors, 'vapid.public_key', 'must be the 65-byte P-256 public key, base64url');
      if (!okPrivate) add(errors, 'vapid.private_key', 'must be the 32-byte P-256 private key, base64url');
      return okPublic && okPrivate ? { publicKey: input.public_key as string, privateKey: input.private_key as string, subject: subject as string } : current.vapid;
    }
    return current.vapid ? { ...current.vapid, subject: subject as string } : { ...this.generateVapidKeys(), subject: subject as string };
  }

  /** The app's settings, with VAPID keys made (once, even under concurrent first calls) when missing. */
  private async configWithVapid(appId: number): Promise<PushAppConfig> {
    if (!(await this.apps.findById(appId))) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    const config = await this.repository.getConfig(appId);
    if (config.vapid) return config;
    let pending = this.vapidInFlight.get(appId);
    if (!pending) {
      pending = (async () => {
        const fresh = await this.repository.getConfig(appId);
        if (fresh.vapid) return fresh;
        const next = { ...fresh, vapid: { ...this.generateVapidKeys(), subject: DEFAULT_VAPID_SUBJECT } };
        await this.repository.saveConfig(appId, next, this.clock());
        return next;
      })().finally(() => this.vapidInFlight.delete(appId));
      this.vapidInFlight.set(appId, pending);
    }
    return pending;
  }
}
