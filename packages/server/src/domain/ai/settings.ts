import type { AiProviderName, AiProviderSettings, AiSettingsRecord } from '../../ports/ai.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure, throwIfInvalid, type FieldErrors } from '../shared/failure.js';
import { keyHint, type KeyBox } from './key-box.js';

/** The server-wide default (PARLEY_AI_*). */
export interface AiServerDefaults {
  provider: AiProviderName | '';
  model: string;
  apiKey: string;
  baseUrl: string;
  userRequestsPerMinute: number;
  appRequestsPerDay: number;
}

/** What applies to one app's requests. `provider` undefined = no provider (extractive summaries, tone 503). */
export interface EffectiveAiSettings {
  source: 'app' | 'server' | 'none';
  provider: AiProviderSettings | undefined;
  userRequestsPerMinute: number;
  appRequestsPerDay: number;
}

/** The admin view: the key only as a hint. */
export interface AiSettingsView {
  source: 'app' | 'server' | 'none';
  provider: AiProviderName | 'none' | null;
  model: string | null;
  baseUrl: string | null;
  apiKeyHint: string | null;
  apiKeyEncrypted: boolean;
  userRequestsPerMinute: number;
  appRequestsPerDay: number;
}

const DEFAULT_MODELS: Record<AiProviderName, string> = { google: 'gemini-2.5-flash', 'openai-compatible': '' };

/**
 * An app's own provider as the faces decode it (admin API and CLI: `http/decoders/ai.ts`). Undefined
 * keeps the stored value (`apiKey`: while the provider stays the same); a null limit means the server
 * default. `invalid` holds the field errors, reported after the application is found.
 */
export interface AiSettingsChange {
  provider: AiProviderName | 'none';
  model?: string;
  apiKey?: string;
  baseUrl?: string;
  userRequestsPerMinute?: number | null;
  appRequestsPerDay?: number | null;
  invalid?: FieldErrors;
}

/**
 * Per-app AI provider settings (admin API and CLI) over the server default. Keys are sealed with the
 * KeyBox before they are stored and leave this service only towards a provider, never in a view.
 */
export class AiSettingsService {
  constructor(
    private readonly store: Pick<Store, 'ai' | 'apps'>,
    private readonly keys: KeyBox,
    private readonly defaults: AiServerDefaults,
    private readonly clock: Clock,
  ) {}

  private async ensureApp(appId: number): Promise<void> {
    if (!Number.isSafeInteger(appId) || !(await this.store.apps.findById(appId))) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
  }

  async effective(appId: number): Promise<EffectiveAiSettings> {
    const own = await this.store.ai.get(appId);
    const userRequestsPerMinute = own?.userRequestsPerMinute ?? this.defaults.userRequestsPerMinute;
    const appRequestsPerDay = own?.appRequestsPerDay ?? this.defaults.appRequestsPerDay;
    if (own) {
      if (own.provider === 'none') return { source: 'app', provider: undefined, userRequestsPerMinute, appRequestsPerDay };
      // A key sealed under another secret cannot be used; the provider then refuses the call (502), which the admin sees.
      const apiKey = this.keys.open(own.storedKey) ?? '';
      return { source: 'app', provider: { provider: own.provider, model: own.model, apiKey, baseUrl: own.baseUrl }, userRequestsPerMinute, appRequestsPerDay };
    }
    const { provider, model, apiKey, baseUrl } = this.defaults;
    if (provider === '') return { source: 'none', provider: undefined, userRequestsPerMinute, appRequestsPerDay };
    return { source: 'server', provider: { provider, model: model || DEFAULT_MODELS[provider], apiKey, baseUrl }, userRequestsPerMinute, appRequestsPerDay };
  }

  async show(appId: number): Promise<AiSettingsView> {
    await this.ensureApp(appId);
    const own = await this.store.ai.get(appId);
    const effective = await this.effective(appId);
    const limits = { userRequestsPerMinute: effective.userRequestsPerMinute, appRequestsPerDay: effective.appRequestsPerDay };
    if (own) {
      const none = own.provider === 'none';
      return {
        source: 'app',
        provider: own.provider,
        model: none ? null : own.model,
        baseUrl: none || own.baseUrl === '' ? null : own.baseUrl,
        apiKeyHint: keyHint(this.keys.open(own.storedKey) ?? (own.storedKey === '' ? undefined : 'unreadable')),
        apiKeyEncrypted: own.storedKey.startsWith('enc:'),
        ...limits,
      };
    }
    const server = effective.provider;
    return {
      source: effective.source,
      provider: server?.provider ?? null,
      model: server?.model ?? null,
      baseUrl: server && server.baseUrl !== '' ? server.baseUrl : null,
      apiKeyHint: keyHint(server?.apiKey),
      apiKeyEncrypted: false,
      ...limits,
    };
  }

  /**
   * Sets the app's own provider. `api_key` omitted keeps the stored key when the provider stays the
   * same; `""` removes it. Nothing changes when any field is invalid.
   */
  async set(appId: number, change: AiSettingsChange): Promise<AiSettingsView> {
    await this.ensureApp(appId);
    throwIfInvalid(change.invalid);
    const { model, apiKey, baseUrl, userRequestsPerMinute, appRequestsPerDay } = change;
    const previous = await this.store.ai.get(appId);
    const chosen = change.provider;
    const keptKey = previous && previous.provider === chosen ? previous.storedKey : '';
    const record: AiSettingsRecord = {
      appId,
      provider: chosen,
      model: chosen === 'none' ? '' : model || DEFAULT_MODELS[chosen],
      storedKey: chosen === 'none' ? '' : apiKey === undefined ? keptKey : this.keys.seal(apiKey),
      baseUrl: chosen === 'none' ? '' : (baseUrl ?? ''),
      userRequestsPerMinute: userRequestsPerMinute === undefined ? (previous?.userRequestsPerMinute ?? null) : userRequestsPerMinute,
      appRequestsPerDay: appRequestsPerDay === undefined ? (previous?.appRequestsPerDay ?? null) : appRequestsPerDay,
      updatedAt: this.clock(),
    };
    await this.store.ai.put(record);
    return this.show(appId);
  }

  /** Back to the server default. */
  async clear(appId: number): Promise<void> {
    await this.ensureApp(appId);
    await this.store.ai.remove(appId);
  }
}
