/** Parley's AI routes (docs/ai.md); not part of the ConnectyCube API. */
import { Type, type Static } from '@sinclair/typebox';

/** `POST /ai/summarize` (and the stream's final event); @parley/sdk exposes it as `ChatSummary`. */
export interface ChatSummaryWire {
  summary: string;
  provider: string;
  /** `true` (provider `'extractive'`) when the server has no AI provider and picked key messages itself. */
  extractive: boolean;
  cached: boolean;
  messages_count: number;
}

/** `POST /ai/tone`: the rewritten draft and the provider that wrote it. */
export interface ToneRewriteWire {
  text: string;
  provider: string;
}

/**
 * Request bodies of the AI routes (docs/ai.md). Open and lenient like the other bodies: the HTTP face
 * decodes them into the AI domain's requests with per-field 422 messages (language names, tone words).
 */

/** `POST /ai/summarize` and `POST /ai/summarize/stream`. */
export const AiSummaryRequestSchema = Type.Object(
  {
    dialog_id: Type.Optional(Type.String()),
    /** Only the last `days` days (1 to 365). */
    days: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    /** A language name of up to three words; English by default. */
    language: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: true },
);
export type AiSummaryRequestBody = Static<typeof AiSummaryRequestSchema>;

/** `POST /ai/tone`. */
export const AiToneRequestSchema = Type.Object(
  {
    text: Type.Optional(Type.String()),
    /** `positive`, `negative`, `cringe` or a tone of one's own. */
    tone: Type.Optional(Type.String()),
    language: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: true },
);
export type AiToneRequestBody = Static<typeof AiToneRequestSchema>;
