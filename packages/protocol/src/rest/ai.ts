/** Parley's AI routes (docs/ai.md); not part of the ConnectyCube API. */

/** `POST /ai/summarize` (and the stream's final event); @parley/sdk exposes it as `ChatSummary`. */
export interface ChatSummaryWire {
  summary: string;
  provider: string;
  /** `true` (provider `'extractive'`) when the server has no AI provider and picked key messages itself. */
  extractive: boolean;
  cached: boolean;
  messages_count: number;
}

/** `POST /ai/tone`: the rewritten draft. */
export interface ToneRewriteWire {
  text: string;
}
