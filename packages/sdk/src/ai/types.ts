import type { ChatSummaryWire } from '@parley/protocol';

/** `ai.summarizeChat` parameters: the dialog, the period in days (whole history when left out), the summary's language (default English). */
export interface SummarizeChatParams {
  dialogId: string;
  days?: number;
  language?: string;
}

/** A chat summary. `extractive: true` (provider `'extractive'`) when the server has no AI provider and picked key messages itself. */
export type ChatSummary = ChatSummaryWire;

/** The tones the docs name; any other short tone (e.g. `'like a pirate'`) works too. */
export type MessageTone = 'positive' | 'negative' | 'cringe' | (string & NonNullable<unknown>);
