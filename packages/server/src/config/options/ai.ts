import type { OptionDefinition } from '../option.js';

/** The server-wide AI provider and its limits. */
export const aiOptions = {
  aiProvider: {
    env: 'PARLEY_AI_PROVIDER',
    flag: '--ai-provider',
    type: { kind: 'enum', values: ['', 'google', 'openai-compatible'] },
    default: '',
    description: 'Server-wide AI provider for /ai routes (apps may set their own through the admin API); empty = none: summaries are extractive, tone answers 503.',
  },
  aiModel: {
    env: 'PARLEY_AI_MODEL',
    flag: '--ai-model',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Model of the server-wide AI provider, e.g. gemini-2.5-flash (the default for google) or the name a llama.cpp/Ollama/vLLM server knows.',
  },
  aiApiKey: {
    env: 'PARLEY_AI_API_KEY',
    flag: '--ai-api-key',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'API key of the server-wide AI provider; sent only to the provider, never logged or returned.',
  },
  aiBaseUrl: {
    env: 'PARLEY_AI_BASE_URL',
    flag: '--ai-base-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Base URL of the server-wide AI provider: required for openai-compatible (e.g. http://127.0.0.1:8080/v1), optional for google.',
  },
  aiSecret: {
    env: 'PARLEY_AI_SECRET',
    flag: '--ai-secret',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Secret that encrypts per-app AI API keys at rest (AES-256-GCM); empty = per-app keys are stored as given (still never returned or logged).',
  },
  aiTimeout: {
    env: 'PARLEY_AI_TIMEOUT',
    flag: '--ai-timeout',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 600 },
    default: '30s',
    description: 'Time limit of one AI provider call; past it the route answers 504.',
  },
  aiUserRequestsPerMinute: {
    env: 'PARLEY_AI_USER_REQUESTS_PER_MINUTE',
    flag: '--ai-user-requests-per-minute',
    type: { kind: 'integer', min: 1, max: 100000 },
    default: '10',
    description: 'AI requests one user may make per minute (apps may override); more get 429 with Retry-After.',
  },
  aiAppRequestsPerDay: {
    env: 'PARLEY_AI_APP_REQUESTS_PER_DAY',
    flag: '--ai-app-requests-per-day',
    type: { kind: 'integer', min: 1, max: 100_000_000 },
    default: '1000',
    description: 'AI requests one application may make per day (apps may override); more get 429 with Retry-After.',
  },
  aiMaxMessages: {
    env: 'PARLEY_AI_MAX_MESSAGES',
    flag: '--ai-max-messages',
    type: { kind: 'integer', min: 1, max: 5000 },
    default: '500',
    description: 'Most recent messages of the period a summary reads; older ones are left out.',
  },
  aiMaxInputChars: {
    env: 'PARLEY_AI_MAX_INPUT_CHARS',
    flag: '--ai-max-input-chars',
    type: { kind: 'integer', min: 1000, max: 10_000_000 },
    default: '60000',
    description: 'Most characters of message text one summary sends to the provider; the oldest messages are dropped first.',
  },
  aiSummaryCacheTtl: {
    env: 'PARLEY_AI_SUMMARY_CACHE_TTL',
    flag: '--ai-summary-cache-ttl',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 30 * 24 * 3600 },
    default: '1h',
    description: 'How long a summary is reused for the same dialog, caller, last message, language and period.',
  },
} as const satisfies Record<string, OptionDefinition>;
