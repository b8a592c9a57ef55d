// The `ai` module (Parley only, docs/ai.md): chat summaries and tone rewrites made on the server, so the
// AI provider's key never ships in the app. Failures reject with `{code, info}` like every other call.
import type { ToneRewriteWire } from '@parley/protocol';
import type { SdkConfig } from '../config.js';
import { apiError, failWith, networkError, parseErrorText } from '../http/errors.js';
import { buildRequest } from '../http/request.js';
import type { ApiRequest, FetchLike } from '../http/types.js';
import { apiBase } from '../http/url.js';
import { readSse } from './sse.js';
import type { ChatSummary, MessageTone, SummarizeChatParams } from './types.js';

/** What the AI feature needs: the shared transport, and config and token for the streamed call. */
export interface AiDeps {
  request<T>(request: ApiRequest): Promise<T>;
  config(): SdkConfig;
  token(): string | undefined;
}

function summaryBody(params: SummarizeChatParams): Record<string, unknown> {
  return {
    dialog_id: params.dialogId,
    ...(params.days === undefined ? {} : { days: params.days }),
    ...(params.language === undefined ? {} : { language: params.language }),
  };
}

export class AiService {
  constructor(private readonly deps: AiDeps) {}

  /** `POST /ai/summarize`: a summary of what you may read in the dialog over the last `days` days. */
  summarizeChat(params: SummarizeChatParams): Promise<ChatSummary> {
    return this.deps.request({ method: 'POST', path: 'ai/summarize', data: summaryBody(params) });
  }

  /**
   * `POST /ai/summarize/stream`: the same summary streamed (server-sent events). `onText` gets each
   * piece as it arrives; the promise resolves with the whole summary, or rejects with `{code, info}`
   * (also when the provider fails half-way).
   */
  async summarizeChatStream(params: SummarizeChatParams, onText: (text: string) => void = () => undefined): Promise<ChatSummary> {
    const config = this.deps.config();
    const { url, init } = buildRequest({ method: 'POST', path: 'ai/summarize/stream', data: summaryBody(params) }, apiBase(config.endpoints), this.deps.token());
    init.headers.Accept = 'text/event-stream';
    const fetchFn = (config.fetch ?? globalThis.fetch) as FetchLike;
    let response: Response;
    try {
      response = (await fetchFn(url, config.timeout ? { ...init, signal: AbortSignal.timeout(config.timeout) } : init)) as Response;
    } catch (cause) {
      return failWith(networkError(cause));
    }
    if (!response.ok || !response.body) return failWith(apiError(response.status, parseErrorText(await response.text())));
    for await (const event of readSse(response.body)) {
      const data = JSON.parse(event.data) as Record<string, unknown>;
      if (event.event === 'delta') onText(String(data.text ?? ''));
      else if (event.event === 'done') return data as unknown as ChatSummary;
      else if (event.event === 'error') {
        const { status, ...body } = data;
        return failWith(apiError(typeof status === 'number' ? status : 502, body));
      }
    }
    return failWith(apiError(response.status, { errors: { base: ['The summary stream ended early'] } }));
  }

  /** `POST /ai/tone`: the draft rewritten in `tone` (its own language, else `language`). */
  async changeMessageTone(text: string, tone: MessageTone, language?: string): Promise<string> {
    const result = await this.deps.request<ToneRewriteWire>({ method: 'POST', path: 'ai/tone', data: { text, tone, ...(language === undefined ? {} : { language }) } });
    return result.text;
  }
}
