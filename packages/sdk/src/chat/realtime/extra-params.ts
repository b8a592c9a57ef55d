// The `<extraParams xmlns="jabber:client">` codec (realtime.md §7.1, §7.2). Building and reading follow
// the official SDK 6.1.2 rule by rule, because servers and other clients are written against its
// output — including its quirks: every value is read back as a string, an array becomes children
// named by index (`<tags><0>a</0></tags>`, read back as `{0: 'a'}`), and empty elements are dropped.
import { NS_CLIENT, toAttrs, xml } from './xml.js';
import type { XmlElement } from './xml.js';

export type ExtraParams = Record<string, unknown>;

export interface ParsedExtraParams {
  extension: ExtraParams;
  /** `<dialog_id>` text (also kept in `extension.dialog_id`); `null` when absent. */
  dialogId: string | null;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** `<name>` with one child per key: scalars as text (`null`/`undefined` → empty), objects recursively. */
function appendObject(parent: XmlElement, name: string, value: object): void {
  const element = parent.c(name);
  for (const [key, item] of Object.entries(value)) {
    if (isObject(item)) appendObject(element, key, item);
    else element.c(key).t(String(item ?? ''));
  }
}

/**
 * Appends one child per `extension` key to `extraParams`, in key order: `attachments` (an array)
 * becomes one `<attachment/>` per item with the item's keys as attributes; objects and arrays nest;
 * scalars become text.
 */
export function appendExtraParams(extraParams: XmlElement, extension: ExtraParams): void {
  for (const [key, value] of Object.entries(extension)) {
    if (key === 'attachments' && Array.isArray(value)) {
      for (const attachment of value) extraParams.c('attachment', toAttrs(isObject(attachment) ? attachment : {}));
    } else if (isObject(value)) {
      appendObject(extraParams, key, value);
    } else {
      extraParams.c(key).t(String(value ?? ''));
    }
  }
}

/** A new `<extraParams xmlns="jabber:client">` holding `extension`. */
export function extraParamsElement(extension: ExtraParams): XmlElement {
  const element = xml('extraParams', { xmlns: NS_CLIENT });
  appendExtraParams(element, extension);
  return element;
}

/**
 * The value of an element that has content: its text, or (when it has child elements) an object
 * keyed by child name, where an empty child reads as `null`. A later duplicate name wins.
 */
function readValue(element: XmlElement): unknown {
  const children = element.getChildElements();
  if (children.length === 0) return element.getText();
  const value: Record<string, unknown> = {};
  for (const child of children) value[child.name] = child.children.length > 0 ? readValue(child) : child.getText() || null;
  return value;
}

function readAttachment(element: XmlElement): Record<string, unknown> {
  const attachment: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element.attrs)) {
    attachment[key] = key === 'size' ? parseInt(String(value), 10) : value;
  }
  return attachment;
}

/**
 * Reads `<extraParams>` into the SDK's `extension`: text children become string values, nested
 * elements objects, `<attachment/>` attributes objects in `attachments` (only `size` as a number);
 * empty top-level elements and `moduleIdentifier` are left out.
 */
export function parseExtraParams(element: XmlElement): ParsedExtraParams {
  const attachments: Record<string, unknown>[] = [];
  // `attachments` first, as in the official reader's result.
  const extension: ExtraParams = { attachments };
  let dialogId: string | null = null;

  for (const child of element.getChildElements()) {
    if (child.name === 'attachment') {
      attachments.push(readAttachment(child));
    } else if (child.name === 'dialog_id') {
      // Kept even when empty, unlike other keys (the official reader special-cases it).
      dialogId = element.getChildText('dialog_id');
      extension.dialog_id = dialogId ?? undefined;
    }
    if (child.children.length > 0) extension[child.name] = readValue(child);
  }

  if (attachments.length === 0) delete extension.attachments;
  delete extension.moduleIdentifier;
  return { extension, dialogId };
}
