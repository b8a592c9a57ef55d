// Parity with the official SDK 6.1.2's call signalling: for each signal its WebRTCSession sends, the
// official chat's `sendWebRTCSignalingMessage` and our codec put the same bytes on the wire (ours through
// our real chat connection to a scripted server). The extension is built as the official session and
// signalling provider build it (field order, userInfo cleanup, platform last).
import { describe, expect, it } from 'vitest';
import { PARITY_APP_ID, PARITY_DOMAIN, realtimePairSuite, type RealtimePair } from '../testing/realtime-parity.js';
import { CallSignalType } from './enums.js';
import { readSignal, signalStanza, type SignalFields } from './signal-codec.js';
import { parseXml } from '../chat/realtime/xml.js';

const PEER = `9-${PARITY_APP_ID}@${PARITY_DOMAIN}`;
const SESSION = '1f0c5d8e-7b2a-4c3d-9e8f-0a1b2c3d4e5f';
const SDP = 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\na=group:BUNDLE 0 1\r\n';
const base = { sessionID: SESSION, callType: 1, callerID: 5, opponentsIDs: [9, 12] };

/** What the official WebRTCSignalingProvider.sendMessage hands to the chat. */
function officialExtension(fields: SignalFields, signalType: string): Record<string, unknown> {
  const extension: Record<string, unknown> = { ...fields, moduleIdentifier: 'WebRTCVideoChat', signalType, platform: 'web' };
  const userInfo = extension.userInfo as Record<string, unknown> | undefined;
  if (userInfo) {
    if (Object.keys(userInfo).length === 0) delete extension.userInfo;
    else if (userInfo.maxBandwidth === 0) delete userInfo.maxBandwidth;
  }
  return extension;
}

const CASES: Array<[string, CallSignalType, SignalFields]> = [
  ['call with userInfo and a bandwidth cap', CallSignalType.CALL, { userInfo: { name: 'Alice', maxBandwidth: 256, avatar: { url: 'https://cdn.example/a.png' } }, ...base, sdp: SDP }],
  ['call with empty userInfo', CallSignalType.CALL, { userInfo: {}, ...base, sdp: SDP }],
  ['call with maxBandwidth 0 only', CallSignalType.CALL, { userInfo: { maxBandwidth: 0 }, ...base, sdp: SDP }],
  ['accept', CallSignalType.ACCEPT, { userInfo: {}, ...base, sdp: SDP }],
  ['reject busy', CallSignalType.REJECT, { userInfo: { busy: true }, ...base }],
  ['hangUp', CallSignalType.STOP, { userInfo: {}, ...base }],
  ['iceCandidates (sdpMLineIndex 0 and 1)', CallSignalType.CANDIDATE, { ...base, iceCandidates: [{ sdpMLineIndex: 0, sdpMid: '0', candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host' }, { sdpMLineIndex: 1, sdpMid: '1', candidate: 'candidate:2 1 udp 2122260223 127.0.0.1 50002 typ host' }] }],
  ['iceRestart', CallSignalType.RESTART, { sessionID: SESSION, sdp: SDP }],
  ['iceRestartAccept', CallSignalType.RESTART_ACCEPT, { sessionID: SESSION, sdp: SDP }],
];

describe('call signalling: same bytes as the official SDK', () => {
  let pair: RealtimePair;
  const { oursWrites, officialWrites } = realtimePairSuite((connected) => {
    pair = connected;
  });

  it.each(CASES)('%s', async (_name, signalType, fields) => {
    const id = '6744fa101a2b3c04d5000000';
    const theirs = officialWrites(() => pair.official.sendWebRTCSignalingMessage(9, { id, extension: officialExtension(structuredClone(fields), signalType) }));
    const ours = await oursWrites(() => pair.ours.chat.sendCallSignal(signalStanza(PEER, id, signalType, structuredClone(fields), 'web')));
    expect(ours).toEqual(theirs);
  });

  it('reads back what it writes (userInfo values as strings, sdpMLineIndex 0 from an empty element)', () => {
    const [, , fields] = CASES[6]!;
    const stanza = parseXml(String(signalStanza(PEER, 'i', CallSignalType.CANDIDATE, fields)))[0]!;
    const read = readSignal(stanza.getChild('extraParams')!);
    expect(read).toMatchObject({ signalType: 'iceCandidates', sessionID: SESSION, callType: 1, callerID: 5, opponentsIDs: [9, 12], platform: 'web' });
    expect(read.iceCandidates.map((candidate) => candidate.sdpMLineIndex)).toEqual([0, 1]);
    const call = parseXml(String(signalStanza(PEER, 'i', CallSignalType.CALL, CASES[0]![2])))[0]!;
    expect(readSignal(call.getChild('extraParams')!)).toMatchObject({ sdp: SDP, userInfo: { name: 'Alice', maxBandwidth: '256', avatar: { url: 'https://cdn.example/a.png' } } });
  });
});
