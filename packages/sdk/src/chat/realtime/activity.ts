// Active / inactive (realtime.md §11.2): the Tigase "mobile v2" IQ the official SDK 6.1.2 sends from
// `markActive()` / `markInactive()`. `enable="true"` means inactive (app in the background: the
// server sends chat alerts as if the user were offline); both calls use the id suffix `markActive`
// and nothing waits for the answer.
import { xml } from './xml.js';
import type { XmlElement } from './xml.js';

export const NS_MOBILE_V2 = 'http://tigase.org/protocol/mobile#v2';

export function mobileIq(params: { id: string; inactive: boolean }): XmlElement {
  const iq = xml('iq', { id: params.id, type: 'set' });
  iq.c('mobile', { xmlns: NS_MOBILE_V2, enable: String(params.inactive) });
  return iq;
}
