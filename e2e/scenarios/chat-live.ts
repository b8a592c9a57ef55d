import type { TestApp } from '@parley/testkit';
import { ChatEvents } from './chat-events.js';
import { initAgainst, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

export const CHAT_PASSWORD = 'password123';

/** A user with a REST session and its own SDK instance, its chat listeners recorded. */
export interface Chatter {
  cube: CubeLike;
  id: number;
  login: string;
  token: string;
  events: ChatEvents;
}

/** `[T, T, …]` of length N, so destructured people need no `!`. */
export type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [T, ...R]>;

export interface LiveChatOptions {
  /** Login prefix, so each scenario file's users are easy to tell apart. */
  prefix: string;
  /** The SDK's `chat.reconnect` (default: the SDK's own). */
  reconnect?: { enable: boolean; timeInterval?: number };
}

/**
 * The real-time scenarios' server and people: SDK instances whose chat points at the server's WebSocket
 * (stream management on), users signed up over REST, connected and available (the ping after connect is
 * answered after the SDK's initial presence).
 */
export function liveChatServer(sdk: SdkFlavour, target: ScenarioTarget, options: LiveChatOptions) {
  const scenario = scenarioServer(sdk, target);

  function chatCube(app: TestApp = scenario.server.app): CubeLike {
    const { url } = scenario.server;
    // On two nodes, each new SDK instance's chat goes to the next node.
    const { wsUrl } = scenario.nextNode();
    return initAgainst(sdk.create(), url, app, {
      endpoints: { api_url: url, chat: 'localhost', chat_url: wsUrl },
      chat: { streamManagement: { enable: true }, ...(options.reconnect ? { reconnect: options.reconnect } : {}) },
    });
  }

  async function signUp(app?: TestApp): Promise<Chatter> {
    const cube = chatCube(app);
    const login = scenario.unique(options.prefix);
    const session = await cube.createSession({ login, password: CHAT_PASSWORD });
    return { cube, id: session.user_id as number, login, token: session.token as string, events: new ChatEvents(cube.chat as unknown as Record<string, unknown>) };
  }

  async function online(person: Chatter): Promise<Chatter> {
    await person.cube.chat.connect({ userId: person.id, password: CHAT_PASSWORD });
    await person.cube.chat.ping();
    return person;
  }

  async function chatters<N extends number>(count: N): Promise<Tuple<Chatter, N>> {
    const people = await Promise.all(Array.from({ length: count }, () => signUp()));
    return Promise.all(people.map(online)) as Promise<Tuple<Chatter, N>>;
  }

  const disconnectAll = (...people: Chatter[]) => Promise.all(people.map((person) => person.cube.chat.disconnect()));

  /** `who`'s history of a dialog, oldest first, without marking anything read. */
  async function history(who: Chatter, dialogId: string): Promise<any[]> {
    return (await who.cube.chat.message.list({ chat_dialog_id: dialogId, mark_as_read: 0, sort_asc: 'date_sent' })).items;
  }

  /** A group dialog of `owner` with `members`. */
  async function group(owner: Chatter, members: Chatter[]): Promise<any> {
    return owner.cube.chat.dialog.create({ type: 2, name: scenario.unique('Live '), occupants_ids: members.map((member) => member.id) });
  }

  return { scenario, chatCube, signUp, online, chatters, disconnectAll, history, group };
}
