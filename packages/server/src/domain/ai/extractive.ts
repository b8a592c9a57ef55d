import type { TranscriptEntry } from './prompts.js';

const MAX_LINES = 5;
const MAX_LINE_CHARS = 200;
const WORD = /[\p{L}\p{N}]{3,}/gu;

function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_LINE_CHARS ? flat : `${flat.slice(0, MAX_LINE_CHARS - 1)}…`;
}

/**
 * A summary computed here, with no model: a header line, then the (at most five) messages whose words
 * recur most across the conversation (messages sharing no word with the rest are left out when others
 * do), in the order they were sent. Deterministic: the same transcript
 * always gives the same text (ties go to the earlier message).
 */
export function extractiveSummary(messages: TranscriptEntry[]): string {
  if (messages.length === 0) return 'No messages in this period.';
  const frequency = new Map<string, number>();
  for (const message of messages) for (const word of new Set(words(message.text))) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const scored = messages.map((message, index) => {
    const distinct = [...new Set(words(message.text))];
    // Only words other messages share count: they carry the topic, one-off words are chatter.
    const weight = distinct.reduce((sum, word) => sum + (frequency.get(word) ?? 1) - 1, 0);
    return { index, score: distinct.length === 0 ? 0 : weight / Math.sqrt(distinct.length) };
  });
  const topical = scored.filter((entry) => entry.score > 0);
  const picked = (topical.length > 0 ? topical : scored)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_LINES)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  const senders = new Set(messages.map((message) => message.sender));
  const first = messages[0]!.sent_at.slice(0, 10);
  const last = messages[messages.length - 1]!.sent_at.slice(0, 10);
  const span = first === last ? `on ${first}` : `from ${first} to ${last}`;
  const header = `${messages.length} message${messages.length === 1 ? '' : 's'} from ${senders.size} participant${senders.size === 1 ? '' : 's'} ${span}. Key messages:`;
  const lines = picked.map((index) => {
    const message = messages[index]!;
    return `- ${message.sender}${message.from_me ? ' (you)' : ''}: ${clip(message.text) || `[${(message.attachments ?? ['attachment']).join(', ')}]`}`;
  });
  return [header, ...lines].join('\n');
}
