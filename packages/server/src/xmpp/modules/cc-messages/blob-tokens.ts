import type { Element } from '@xmpp/xml';
import type { BlobLinks } from '../../../domain/blobs/blob-links.js';

/**
 * Removes the `token` query parameter from links to this server's files anywhere in a message's
 * `extraParams` (attachment attributes and text values), in place, before the message is stored or
 * routed: the stanza itself is what recipients, carbons and the offline queue get (see BlobLinks).
 */
export function stripBlobTokens(stanza: Element, links: BlobLinks): void {
  const extra = stanza.getChild('extraParams');
  if (extra) stripElement(extra, links);
}

function stripElement(element: Element, links: BlobLinks): void {
  for (const [key, value] of Object.entries(element.attrs)) {
    if (typeof value === 'string' && key !== 'xmlns') element.attrs[key] = links.strip(value);
  }
  const children = element.getChildElements();
  if (children.length === 0) {
    // A text value may arrive as several text nodes (around entities): strip it whole.
    const text = element.getText();
    if (text !== '') {
      const stripped = links.strip(text);
      if (stripped !== text) element.children = [stripped];
    }
    return;
  }
  for (const child of children) stripElement(child, links);
}
