// Builders for the edit (XEP-0308 replace) and delete stanzas (realtime.md §7.7, §7.8). Attribute order
// and child layout match the official SDK 6.1.2: body, the change element, then extraParams with
// `dialog_id` first and the extension keys after it.
import { appendExtraParams } from './extra-params.js';
import type { ExtraParams } from './extra-params.js';
import { NS_CLIENT, xml } from './xml.js';
import type { XmlElement } from './xml.js';

export const NS_CORRECTION = 'urn:xmpp:message-correct:0';
export const NS_DELETE = 'urn:xmpp:message-delete:0';

interface Addressing {
  from: string;
  to: string;
  type: string;
  id: string;
}

export function editStanza(params: Addressing & { body: string; originMessageId: string; last: boolean; dialogId: string; extension?: ExtraParams | undefined }): XmlElement {
  const stanza = xml('message', { from: params.from, to: params.to, type: params.type, id: params.id });
  stanza.c('body').t(params.body);
  stanza.c('replace', { xmlns: NS_CORRECTION, id: params.originMessageId, last: params.last ? 'true' : 'false' });
  const extraParams = stanza.c('extraParams', { xmlns: NS_CLIENT });
  extraParams.c('dialog_id').t(params.dialogId);
  if (params.extension) appendExtraParams(extraParams, params.extension);
  return stanza;
}

export function deleteStanza(params: Addressing & { messageId: string; dialogId: string }): XmlElement {
  const stanza = xml('message', { from: params.from, to: params.to, type: params.type, id: params.id });
  stanza.c('remove', { xmlns: NS_DELETE, id: params.messageId });
  stanza.c('extraParams', { xmlns: NS_CLIENT }).c('dialog_id').t(params.dialogId);
  return stanza;
}
