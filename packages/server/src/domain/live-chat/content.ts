import { isObjectId, newObjectId } from '@parley/protocol';
import { DomainFailure } from '../shared/failure.js';
import { capDateSent } from '../shared/date-sent.js';

/**
 * A content message as the real-time face decoded it (realtime.md §7.3): plain values, no stanza.
 * `custom` holds the extraParams children that are not reserved, text as strings and nested
 * elements as objects.
 */
export interface LiveContent {
  /** The client's stanza id, any string; kept only when it is an ObjectId. */
  id?: string;
  body: string | null;
  attachments: Record<string, unknown>[];
  custom: Record<string, unknown>;
  saveToHistory: boolean;
  /** `extraParams/silent` = 1: no chat alert for offline recipients. */
  silent?: boolean;
  /** The client's `date_sent`: unix seconds, or milliseconds (normalised here). */
  dateSent?: number;
  dialogId?: string;
}

/** What happened to a content message: the id and date every routed copy carries. */
export interface AcceptedContent {
  id: string;
  /** The dialog the message belongs to; null for an unsaved 1-1 message without a private dialog yet. */
  dialogId: string | null;
  /** Unix seconds. */
  dateSent: number;
  /** True when this call stored it; false when it was not to be saved or was a retransmission. */
  stored: boolean;
  /** True when the same sender already sent this id to this dialog (route again, store nothing). */
  retransmission: boolean;
}

/** Milliseconds are told apart from seconds by size: 10^11 s is the year 5138. */
const MILLISECONDS_THRESHOLD = 1e11;

export function normaliseDateSent(value: number | undefined, now: number): number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return Math.floor(now / 1000);
  return capDateSent(Math.floor(value > MILLISECONDS_THRESHOLD ? value / 1000 : value), now);
}

/** The client's id when it is an ObjectId (lower-cased), else a fresh one (realtime.md §7.3 step 2). */
export function candidateId(id: string | undefined, now: number): string {
  const lowered = id?.toLowerCase();
  return lowered !== undefined && isObjectId(lowered) ? lowered : newObjectId(now);
}

export function checkContentSize(content: LiveContent, maxBytes: number): void {
  const tooLarge = (content.body !== null && Buffer.byteLength(content.body) > maxBytes) || Buffer.byteLength(JSON.stringify(content.custom)) > maxBytes;
  if (tooLarge) throw new DomainFailure('VALIDATION_FAILED', { fields: { message: [`is too long (maximum is ${maxBytes} bytes)`] } });
}
