/**
 * AI text generation and the per-app AI settings.
 *
 * A provider gets instructions (the system prompt) and data (one user turn) separately, so the
 * adapter can hand them to the model in their own slots: Gemini's `systemInstruction` and `contents`,
 * an OpenAI-compatible `system` and `user` message. Guarantees of every adapter:
 * - the API key goes only to the provider's base URL, and is never in a thrown error's message;
 * - a call ends (resolves or rejects) no later than shortly after `signal` aborts;
 * - failures reject with `AiProviderError` ('timeout' when the signal ended the call, else 'failed'),
 *   whose message never quotes the provider's response body.
 */
export type AiProviderName = 'google' | 'openai-compatible';

export interface AiPrompt {
  /** Instructions: fixed text written by Parley, never user input. */
  system: string;
  /** The data the instructions apply to (transcript, draft), delimited by the caller. */
  user: string;
  signal: AbortSignal;
  maxOutputTokens?: number;
}

export interface AiProvider {
  readonly name: AiProviderName;
  readonly model: string;
  generate(prompt: AiPrompt): Promise<string>;
  /** Text as the model produces it, piece by piece. */
  stream(prompt: AiPrompt): AsyncIterable<string>;
}

/** What a provider needs to be reached; the key is in clear here, only in memory. */
export interface AiProviderSettings {
  provider: AiProviderName;
  model: string;
  apiKey: string;
  baseUrl: string;
}

/** Builds a provider (chosen in app.ts); cheap, called per request with the app's settings. */
export type AiProviderFactory = (settings: AiProviderSettings) => AiProvider;

export class AiProviderError extends Error {
  override name = 'AiProviderError';
  constructor(
    readonly kind: 'timeout' | 'failed',
    /** HTTP status the provider answered with, when it answered. */
    readonly status?: number,
  ) {
    super(kind === 'timeout' ? 'AI provider call timed out' : `AI provider call failed${status ? ` (HTTP ${status})` : ''}`);
  }
}

/** An application's own AI settings; `provider: 'none'` turns AI off for the app whatever the server default. */
export interface AiSettingsRecord {
  appId: number;
  provider: AiProviderName | 'none';
  model: string;
  /** The key as stored: `enc:v1:…` when encrypted with PARLEY_AI_SECRET, else the key itself ('' = none). */
  storedKey: string;
  baseUrl: string;
  userRequestsPerMinute: number | null;
  appRequestsPerDay: number | null;
  updatedAt: number;
}

export interface CachedSummary {
  summary: string;
  provider: string;
  createdAt: number;
}

/**
 * Per-app AI settings and the summary cache, both tenant-scoped. Guarantees: `get` returns the last
 * `put` of that app (or undefined), never another app's; cache entries are found only by the same app
 * and key, and `putSummary` replaces an entry of the same key.
 */
export interface AiRepository {
  get(appId: number): Promise<AiSettingsRecord | undefined>;
  put(settings: AiSettingsRecord): Promise<void>;
  remove(appId: number): Promise<boolean>;
  findSummary(appId: number, cacheKey: string): Promise<CachedSummary | undefined>;
  putSummary(appId: number, cacheKey: string, summary: CachedSummary): Promise<void>;
  /** Drops cache entries created before `before` (epoch ms). */
  purgeSummaries(before: number): Promise<number>;
}
