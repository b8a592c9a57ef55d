import { createHash } from 'node:crypto';
import { AiProviderError, type AiProvider, type AiProviderFactory, type AiRepository } from '../../ports/ai.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { extractiveSummary } from './extractive.js';
import type { HistoryReader } from './history.js';
import { SUMMARY_SYSTEM_PROMPT, TONE_SYSTEM_PROMPT, summaryUserTurn, toneUserTurn, type TranscriptEntry } from './prompts.js';
import type { AiQuota } from './quota.js';
import type { AiSettingsService } from './settings.js';

export interface AiServiceOptions {
  /** Time limit of one provider call. */
  timeoutMs: number;
  maxMessages: number;
  maxInputChars: number;
  summaryCacheTtlMs: number;
}

/** What a failed provider call is logged with: never the key, the prompt or the provider's body. */
export interface ProviderFailure {
  appId: number;
  provider: string;
  model: string;
  kind: 'timeout' | 'failed';
  status?: number;
}

export interface SummaryResult {
  summary: string;
  /** The provider's name, or 'extractive' for the local fallback. */
  provider: string;
  extractive: boolean;
  cached: boolean;
  /** Messages the summary was made from. */
  messages: number;
}

export type SummaryEvent = { type: 'delta'; text: string } | { type: 'done'; result: SummaryResult };

/** `POST /ai/summarize` as the face decodes it: a dialog, optionally only its last `days`, in `language`. */
export interface SummaryRequest {
  dialogId: string;
  days: number | undefined;
  language: string;
}

/** `POST /ai/tone`: a draft to rewrite in `tone`, in `language`. */
export interface ToneRequest {
  text: string;
  tone: string;
  language: string;
}

/** A summary request that passed validation, authorisation and quotas; produce it whole or streamed. */
export interface PreparedSummary {
  run(signal?: AbortSignal): Promise<SummaryResult>;
  stream(signal?: AbortSignal): AsyncGenerator<SummaryEvent>;
}

const SUMMARY_MAX_TOKENS = 1024;
const TONE_MAX_TOKENS = 512;
const NO_MESSAGES = 'No messages in this period.';

/**
 * Chat summaries and tone rewrites (docs/ai.md) with the app's provider, or the server default: reads
 * only what the caller may read, keeps instructions and data apart (prompts.ts), counts quotas, bounds
 * every provider call in time and turns provider failures into catalogue errors.
 */
export class AiService {
  constructor(
    private readonly settings: AiSettingsService,
    private readonly history: HistoryReader,
    private readonly quota: AiQuota,
    private readonly cache: Pick<AiRepository, 'findSummary' | 'putSummary' | 'purgeSummaries'>,
    private readonly providers: AiProviderFactory,
    private readonly clock: Clock,
    private readonly options: AiServiceOptions,
    private readonly onProviderFailure: (failure: ProviderFailure) => void = () => undefined,
  ) {}

  async prepareSummary(actor: Actor, input: SummaryRequest): Promise<PreparedSummary> {
    requireUser(actor);
    const effective = await this.settings.effective(actor.appId);
    const since = input.days === undefined ? undefined : this.clock() - input.days * 24 * 3600 * 1000;
    const { entries, lastMessageId } = await this.history.read(actor, input.dialogId, { since, maxMessages: this.options.maxMessages, maxChars: this.options.maxInputChars });
    await this.quota.take(actor, effective);
    const settings = effective.provider;
    if (!settings || entries.length === 0) {
      const result: SummaryResult = { summary: settings ? NO_MESSAGES : extractiveSummary(entries), provider: settings ? settings.provider : 'extractive', extractive: !settings, cached: false, messages: entries.length };
      return fixed(result);
    }
    const provider = this.providers(settings);
    const cacheKey = createHash('sha256')
      .update(JSON.stringify([input.dialogId, actor.userId, lastMessageId, input.language, input.days ?? 'all', provider.name, provider.model, entries.length]))
      .digest('hex');
    const cached = await this.cache.findSummary(actor.appId, cacheKey);
    if (cached && cached.createdAt > this.clock() - this.options.summaryCacheTtlMs) {
      return fixed({ summary: cached.summary, provider: cached.provider, extractive: false, cached: true, messages: entries.length });
    }
    const prompt = { system: SUMMARY_SYSTEM_PROMPT, user: summaryUserTurn(input.language, entries), maxOutputTokens: SUMMARY_MAX_TOKENS };
    const done = async (summary: string): Promise<SummaryResult> => {
      const text = summary.trim();
      if (text === '') throw this.failure(actor, provider, new AiProviderError('failed'));
      await this.cache.putSummary(actor.appId, cacheKey, { summary: text, provider: provider.name, createdAt: this.clock() });
      return { summary: text, provider: provider.name, extractive: false, cached: false, messages: entries.length };
    };
    return {
      run: async (signal) => {
        const summary = await this.call(actor, provider, signal, (limit) => provider.generate({ ...prompt, signal: limit }));
        return done(summary);
      },
      stream: async function* (this: AiService, signal?: AbortSignal) {
        const limit = this.limitSignal(signal);
        let summary = '';
        try {
          for await (const text of provider.stream({ ...prompt, signal: limit })) {
            summary += text;
            yield { type: 'delta' as const, text };
          }
        } catch (error) {
          throw this.failure(actor, provider, error);
        }
        yield { type: 'done' as const, result: await done(summary) };
      }.bind(this),
    };
  }

  async changeTone(actor: Actor, input: ToneRequest): Promise<{ text: string; provider: string }> {
    requireUser(actor);
    const effective = await this.settings.effective(actor.appId);
    if (!effective.provider) throw new DomainFailure('AI_NOT_CONFIGURED', { message: 'No AI provider is configured, so the tone of a message cannot be changed' });
    await this.quota.take(actor, effective);
    const provider = this.providers(effective.provider);
    const text = await this.call(actor, provider, undefined, (signal) =>
      provider.generate({ system: TONE_SYSTEM_PROMPT, user: toneUserTurn(input.text, input.tone, input.language), signal, maxOutputTokens: TONE_MAX_TOKENS }),
    );
    if (text.trim() === '') throw this.failure(actor, provider, new AiProviderError('failed'));
    return { text: text.trim(), provider: provider.name };
  }

  /** Drops cached summaries past their time to live. */
  purgeCache(): Promise<number> {
    return this.cache.purgeSummaries(this.clock() - this.options.summaryCacheTtlMs);
  }

  private limitSignal(signal: AbortSignal | undefined): AbortSignal {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  private async call(actor: Actor, provider: AiProvider, signal: AbortSignal | undefined, run: (signal: AbortSignal) => Promise<string>): Promise<string> {
    try {
      return await run(this.limitSignal(signal));
    } catch (error) {
      throw this.failure(actor, provider, error);
    }
  }

  private failure(actor: Actor, provider: AiProvider, error: unknown): DomainFailure {
    const failed = error instanceof AiProviderError ? error : new AiProviderError('failed');
    this.onProviderFailure({ appId: actor.appId, provider: provider.name, model: provider.model, kind: failed.kind, ...(failed.status === undefined ? {} : { status: failed.status }) });
    return new DomainFailure(failed.kind === 'timeout' ? 'AI_PROVIDER_TIMEOUT' : 'AI_PROVIDER_FAILED');
  }
}

function fixed(result: SummaryResult): PreparedSummary {
  return {
    run: async () => result,
    stream: async function* () {
      if (result.summary !== '') yield { type: 'delta', text: result.summary };
      yield { type: 'done', result };
    },
  };
}

export type { TranscriptEntry };
