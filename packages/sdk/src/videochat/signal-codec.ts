// Call signal stanzas (realtime.md §12.1–§12.2): written in the official SDK's element order so the
// server and other clients see the same wire, and read back into a plain extension.
import { xml, NS_CLIENT, type XmlElement } from '../chat/realtime/xml.js';
import { CALL_MODULE_IDENTIFIER, type CallSignalType } from './enums.js';

export type UserInfo = Record<string, unknown>;

export interface IceCandidateInit {
  sdpMLineIndex?: number | null;
  sdpMid?: string | null;
  candidate?: string;
}

/** A signal's fields besides moduleIdentifier/signalType/platform, in the order they are written. */
export interface SignalFields {
  userInfo?: UserInfo;
  sessionID: string;
  callType?: number;
  callerID?: number;
  opponentsIDs?: number[];
  sdp?: string;
  iceCandidates?: IceCandidateInit[];
}

/** What a received signal carries (`userInfo` values as strings, nested objects kept). */
export interface ReceivedSignal {
  signalType: string;
  sessionID: string;
  callType: number | undefined;
  callerID: number;
  opponentsIDs: number[];
  sdp: string;
  iceCandidates: IceCandidateInit[];
  platform: string;
  userInfo: UserInfo;
}

function appendObject(parent: XmlElement, name: string, value: Record<string, unknown>): void {
  const child = parent.c(name);
  for (const [key, nested] of Object.entries(value)) {
    if (nested !== null && typeof nested === 'object') appendObject(child, key, nested as Record<string, unknown>);
    else child.c(key).t(String(nested ?? '')).up();
  }
}

/** The headline to `to` (a bare JID), no `from`: the server stamps it. */
export function signalStanza(to: string, id: string, signalType: CallSignalType, fields: SignalFields, platform = 'web'): XmlElement {
  // No xmlns on the message: the WebSocket transport writes it, as for the official SDK's stanzas.
  const stanza = xml('message', { to, type: 'headline', id });
  const extra = stanza.c('extraParams', { xmlns: NS_CLIENT });
  const userInfo = cleanUserInfo(fields.userInfo);
  if (userInfo) appendObject(extra, 'userInfo', userInfo);
  extra.c('sessionID').t(fields.sessionID).up();
  if (fields.callType !== undefined) extra.c('callType').t(String(fields.callType)).up();
  if (fields.callerID !== undefined) extra.c('callerID').t(String(fields.callerID)).up();
  if (fields.opponentsIDs) {
    const list = extra.c('opponentsIDs');
    for (const id of fields.opponentsIDs) list.c('opponentID').t(String(id)).up();
  }
  if (fields.sdp !== undefined) extra.c('sdp').t(fields.sdp).up();
  if (fields.iceCandidates) {
    const list = extra.c('iceCandidates');
    for (const candidate of fields.iceCandidates) {
      const item = list.c('iceCandidate');
      // The official SDK writes `String(value || '')`: an sdpMLineIndex of 0 becomes an empty element.
      item.c('sdpMLineIndex').t(String(candidate.sdpMLineIndex || '')).up();
      item.c('sdpMid').t(String(candidate.sdpMid || '')).up();
      item.c('candidate').t(String(candidate.candidate || '')).up();
    }
  }
  extra.c('moduleIdentifier').t(CALL_MODULE_IDENTIFIER).up();
  extra.c('signalType').t(signalType).up();
  extra.c('platform').t(platform).up();
  return stanza;
}

/**
 * Empty userInfo is left out and `maxBandwidth: 0` removed, in the official SDK's order: a userInfo of
 * only `maxBandwidth: 0` is written as an empty `<userInfo/>`.
 */
function cleanUserInfo(userInfo: UserInfo | undefined): UserInfo | undefined {
  if (!userInfo || typeof userInfo !== 'object' || Object.keys(userInfo).length === 0) return undefined;
  const copy = { ...userInfo };
  if (copy.maxBandwidth === 0) delete copy.maxBandwidth;
  return copy;
}

function textOf(element: XmlElement | undefined): string {
  return element?.getText() ?? '';
}

function objectOf(element: XmlElement): UserInfo {
  const result: UserInfo = {};
  for (const child of element.getChildElements()) {
    result[child.name] = child.getChildElements().length > 0 ? objectOf(child) : child.getText();
  }
  return result;
}

export function readSignal(extra: XmlElement): ReceivedSignal {
  const callType = textOf(extra.getChild('callType'));
  return {
    signalType: textOf(extra.getChild('signalType')),
    sessionID: textOf(extra.getChild('sessionID')),
    callType: callType === '1' ? 1 : callType === '2' ? 2 : undefined,
    callerID: parseInt(textOf(extra.getChild('callerID')), 10) || 0,
    opponentsIDs: (extra.getChild('opponentsIDs')?.getChildElements() ?? []).map((child) => parseInt(child.getText(), 10)).filter((id) => Number.isFinite(id)),
    sdp: textOf(extra.getChild('sdp')),
    iceCandidates: (extra.getChild('iceCandidates')?.getChildElements() ?? []).map((item) => ({
      sdpMLineIndex: parseInt(textOf(item.getChild('sdpMLineIndex')) || '0', 10),
      sdpMid: textOf(item.getChild('sdpMid')),
      candidate: textOf(item.getChild('candidate')),
    })),
    platform: textOf(extra.getChild('platform')),
    userInfo: extra.getChild('userInfo') ? objectOf(extra.getChild('userInfo')!) : {},
  };
}
