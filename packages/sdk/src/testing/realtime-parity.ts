// Test-only: our chat and the official SDK's side by side, so parity tests compare what each writes.
// Ours talks to a scripted XMPP server; the official one is "connected" with its writes captured.
import OfficialConnectyCube from 'connectycube';
import { afterAll, beforeAll } from 'vitest';
import { jid } from '@xmpp/client';
import type { XmlElement } from '../chat/realtime/xml.js';
import { ConnectyCube } from '../connectycube.js';
import { FakeXmppServer } from './fake-xmpp-websocket.js';

export const PARITY_APP_ID = 7;
export const PARITY_DOMAIN = 'chat.example.com';

/* eslint-disable @typescript-eslint/no-explicit-any -- the official SDK's chat internals are untyped here */
export interface RealtimePair {
  server: FakeXmppServer;
  ours: ConnectyCube;
  /** Our connection's full JID (the official chat pretends to be the same connection). */
  own: string;
  official: any;
  /** Frames our chat wrote during `act`; a ping right after it is the barrier (and is left out). */
  oursWrites(act: () => void): Promise<string[]>;
  /** Elements the official chat wrote during `act`, as its WebSocket transport would serialise them. */
  officialWrites(act: () => void): string[];
}

/** Connects our chat as user 5 to a scripted server and readies the official chat as the same connection. */
export async function connectRealtimePair(): Promise<RealtimePair> {
  const server = new FakeXmppServer({ domain: PARITY_DOMAIN });
  const ours = new ConnectyCube();
  ours.init(
    { appId: PARITY_APP_ID, token: 'TOK' },
    { endpoints: { api_url: 'http://127.0.0.1:1', chat: PARITY_DOMAIN, chat_url: 'ws://localhost/ws' }, chat: { websocket: server.WebSocket } },
  );
  await ours.chat.connect({ userId: 5, password: 'secret' });
  const own = ours.chat.helpers.userCurrentJid;

  OfficialConnectyCube.init({ appId: PARITY_APP_ID, token: 'TOK' }, { endpoints: { api: 'unused.example', api_url: 'http://127.0.0.1:1', chat: PARITY_DOMAIN }, debug: { mode: 0 } });
  const official = OfficialConnectyCube.chat as unknown as Record<string, any>;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  const officialSent: XmlElement[] = [];
  official.xmppClient.sendOnline = (element: XmlElement) => {
    officialSent.push(element);
    return Promise.resolve();
  };
  official.xmppClient.jid = jid(own);
  official.helpers.userCurrentJid = own;
  official.isConnected = true;

  return {
    server,
    ours,
    own,
    official,
    async oursWrites(act) {
      const before = server.frames.length;
      act();
      const barrier = server.frames.length;
      await ours.chat.ping();
      return server.frames.filter((_frame, index) => index >= before && index !== barrier);
    },
    officialWrites(act) {
      const before = officialSent.length;
      act();
      return officialSent.slice(before).map((element) => {
        element.attrs.xmlns ??= 'jabber:client'; // what the WebSocket transport adds when writing
        return String(element);
      });
    },
  };
}

/**
 * The hooks of a parity suite: connects the pair before its tests (handing it to `onConnected`) and
 * disconnects ours after them. Returns the two write recorders.
 */
export function realtimePairSuite(onConnected: (pair: RealtimePair) => void): Pick<RealtimePair, 'oursWrites' | 'officialWrites'> {
  let pair: RealtimePair | undefined;
  const connected = (): RealtimePair => {
    if (!pair) throw new Error('the parity pair is not connected yet');
    return pair;
  };
  beforeAll(async () => {
    pair = await connectRealtimePair();
    onConnected(pair);
  });
  afterAll(async () => {
    await pair?.ours.chat.disconnect();
  });
  return { oursWrites: (act) => connected().oursWrites(act), officialWrites: (act) => connected().officialWrites(act) };
}
