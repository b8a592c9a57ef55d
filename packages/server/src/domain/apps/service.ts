import { randomBytes } from 'node:crypto';
import { defaultAppSettings, type AppRecord, type AppSettings, type Store } from '../../ports/store.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import type { Clock } from '../shared/actor.js';
import { safeEqual } from '../shared/secrets.js';
import { parseSettingsChange } from './settings.js';
import type { ConnectionRevoker } from '../../ports/connection-revocation.js';

export const defaultAppName = 'default';

/** URL-safe random credential ([A-Za-z0-9_-]). */
function credential(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export class AppService {
  constructor(
    private readonly store: Pick<Store, 'apps'>,
    private readonly clock: Clock,
    /** Live connections of a deleted application end at once and cannot resume. */
    private readonly revocations?: ConnectionRevoker,
  ) {}

  /** A new application; with `uniqueName` (the CLI and admin API default) a name already in use is refused. */
  async create(name: string, settings: Partial<AppSettings> = {}, options: { uniqueName?: boolean } = {}): Promise<AppRecord> {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed.length === 0 || trimmed.length > 100) throw invalidField('name', 'must be 1 to 100 characters');
    if (options.uniqueName && (await this.store.apps.findByName(trimmed))) {
      throw invalidField('name', `is already used by another application (allowDuplicate / --allow-duplicate creates one anyway)`);
    }
    return this.store.apps.create({
      name: trimmed,
      authKey: credential(18),
      authSecret: credential(24),
      settings: { ...defaultAppSettings, ...settings },
      createdAt: this.clock(),
    });
  }

  /** The application created on first start; later calls return the same one. */
  async ensureDefault(): Promise<{ app: AppRecord; created: boolean }> {
    const existing = await this.store.apps.findByName(defaultAppName);
    if (existing) return { app: existing, created: false };
    return { app: await this.create(defaultAppName), created: true };
  }

  list(): Promise<AppRecord[]> {
    return this.store.apps.list();
  }

  async get(appId: number): Promise<AppRecord> {
    const app = await this.store.apps.findById(appId);
    if (!app) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    return app;
  }

  /** Applies a settings change (validated by `parseSettingsChange`) and returns the application. */
  async updateSettings(appId: number, input: unknown): Promise<AppRecord> {
    const change = parseSettingsChange(input);
    const app = await this.get(appId);
    return this.updated(await this.store.apps.update(appId, { settings: { ...app.settings, ...change } }));
  }

  /** Renames an application. */
  async rename(appId: number, name: unknown): Promise<AppRecord> {
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (trimmed.length === 0 || trimmed.length > 100) throw invalidField('name', 'must be 1 to 100 characters');
    return this.updated(await this.store.apps.update(appId, { name: trimmed }));
  }

  /**
   * A new auth secret. Signed blob URLs issued with the old one stop working; the auth key (shipped in
   * clients) stays.
   */
  async rotateSecret(appId: number): Promise<AppRecord> {
    await this.get(appId);
    return this.updated(await this.store.apps.update(appId, { authSecret: credential(24) }));
  }

  /** Deletes the application and every row it owns (users, sessions, dialogs, messages, data …). */
  async remove(appId: number): Promise<void> {
    if (!(await this.store.apps.delete(appId))) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    await this.revocations?.revoke({ appId, reason: 'app-deleted' });
  }

  private updated(app: AppRecord | undefined): AppRecord {
    if (!app) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    return app;
  }

  /** The application a client names with id + auth key; refuses a mismatch without saying which part. */
  async authenticate(appId: number | undefined, authKey: string): Promise<AppRecord> {
    const app = appId === undefined ? undefined : await this.store.apps.findById(appId);
    if (!app || !safeEqual(app.authKey, authKey)) throw new DomainFailure('APP_UNAUTHORIZED');
    return app;
  }

  /** The application of a `CB-AuthKey` header (sign-up without a session). */
  async byAuthKey(authKey: string): Promise<AppRecord> {
    const app = await this.store.apps.findByAuthKey(authKey);
    if (!app) throw new DomainFailure('APP_UNAUTHORIZED');
    return app;
  }
}
