import { reservedMessageKeys } from '@parley/protocol';
import { Element } from '@xmpp/xml';
import { setChildText } from '../../elements.js';
import { NS } from '../../ns.js';

/** Attachment attributes stored as numbers when numeric (realtime.md §7.3 step 5). */
const NUMERIC_ATTACHMENT_KEYS = new Set(['size', 'width', 'height', 'duration']);
const NUMBER = /^-?\d+(\.\d+)?$/;
/** Not custom parameters: the contract's reserved keys and the SDK's routing marker. */
const NOT_CUSTOM = new Set([...reservedMessageKeys, 'attachment', 'moduleIdentifier']);

/** `1` or `true`, any case (realtime.md ). */
export function isOn(text: string | null | undefined): boolean {
  const value = text?.trim().toLowerCase();
  return value === '1' || value === 'true';
}

export function extraParamsOf(stanza: Element): Element | undefined {
  return stanza.getChild('extraParams');
}

/** Text → string; nested elements → objects, recursively; index-named arrays stay objects ([R-35]). */
function valueOf(element: Element): unknown {
  const children = element.getChildElements();
  if (children.length === 0) return element.getText();
  return Object.fromEntries(children.map((child) => [child.name, valueOf(child)]));
}

function attachmentOf(element: Element): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(element.attrs)
      .filter(([key]) => key !== 'xmlns')
      .map(([key, value]) => [key, NUMERIC_ATTACHMENT_KEYS.has(key) && NUMBER.test(value) ? Number(value) : value]),
  );
}

/** Whether a message carries content the contract stores and routes as a chat message (§7.3). */
export function hasContent(stanza: Element): boolean {
  return stanza.getChild('body') !== undefined || (extraParamsOf(stanza)?.getChild('attachment') ?? undefined) !== undefined;
}

/**
 * A content message as the stanza carries it (realtime.md §7.3): `custom` holds the extraParams children
 * that are not reserved, text as strings and nested elements as objects.
 */
export interface StanzaContent {
  /** The client's stanza id, any string (only an ObjectId becomes the message id). */
  id?: string;
  body: string | null;
  attachments: Record<string, unknown>[];
  custom: Record<string, unknown>;
  saveToHistory: boolean;
  /** `extraParams/silent` = 1: no chat alert for offline recipients. */
  silent?: boolean;
  /** The client's `date_sent`: unix seconds, or milliseconds. */
  dateSent?: number;
  dialogId?: string;
}

/** Decodes a content stanza's body and extraParams. */
export function readContent(stanza: Element): StanzaContent {
  const extra = extraParamsOf(stanza);
  const content: StanzaContent = {
    body: stanza.getChildText('body'),
    attachments: extra?.getChildren('attachment').map(attachmentOf) ?? [],
    custom: {},
    saveToHistory: isOn(extra?.getChildText('save_to_history')),
    silent: isOn(extra?.getChildText('silent')),
  };
  if (stanza.attrs.id !== undefined) content.id = stanza.attrs.id;
  const dialogId = extra?.getChildText('dialog_id')?.trim();
  if (dialogId) content.dialogId = dialogId.toLowerCase();
  const dateSent = extra?.getChildText('date_sent')?.trim();
  if (dateSent && NUMBER.test(dateSent)) content.dateSent = Number(dateSent);
  for (const child of extra?.getChildElements() ?? []) {
    if (!NOT_CUSTOM.has(child.name)) content.custom[child.name] = valueOf(child);
  }
  return content;
}

/** Stamps what every routed copy carries (§7.3 steps 2–4): the final id, `date_sent` and `dialog_id`. */
export function stampContent(stanza: Element, stamp: { id: string; dateSent: number; dialogId: string | null }): void {
  stanza.attrs.id = stamp.id;
  let extra = extraParamsOf(stanza);
  if (!extra) {
    extra = new Element('extraParams', { xmlns: NS.client });
    extra.parent = stanza;
    stanza.children.push(extra);
  }
  setChildText(extra, 'date_sent', String(stamp.dateSent));
  if (stamp.dialogId !== null) setChildText(extra, 'dialog_id', stamp.dialogId);
}
