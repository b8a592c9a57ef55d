/**
 * The seed's "AI Features" snippets (seed-ai-snippets.ts) run against a local stand-in for the Gemini
 * API, fed by messages and users fetched from Parley with @parley/sdk and typed with the official
 * SDK's `Messages`/`Users` types: apps that follow the seed keep working with Parley data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Users, Messages } from 'connectycube';
import { ConnectyCubeClient } from '@parley/sdk';
import { startFakeAiProvider, startServer, userTurnOf, type FakeAiProvider, type TestServer } from '@parley/testkit';
import { MessageTones, changeMessageTone, initGoogleModel, summarizeChatHistory } from './seed-ai-snippets.js';

const CLIENT_KEY = 'client-side-gemini-key';

describe('seed: AI Features snippets with Parley data (@parley/sdk + official types)', () => {
  let server: TestServer;
  let fake: FakeAiProvider;
  let me: ConnectyCubeClient;
  let meId = 0;
  let friendId = 0;
  let dialogId = '';

  beforeAll(async () => {
    fake = await startFakeAiProvider({ kind: 'text', text: 'You asked Kim about Friday; Kim agreed.' });
    server = await startServer();
    const config = { endpoints: { api_url: server.url, chat: 'localhost' } };
    const friend = new ConnectyCubeClient();
    friend.init({ appId: server.app.id, authKey: server.app.authKey }, config);
    friendId = (await friend.createSession({ login: 'seed-ai-kim', password: 'supersecurepwd' })).user_id as number;
    await friend.users.update({ full_name: 'Kim Friend' });
    me = new ConnectyCubeClient();
    me.init({ appId: server.app.id, authKey: server.app.authKey }, config);
    meId = (await me.createSession({ login: 'seed-ai-me', password: 'supersecurepwd' })).user_id as number;
    dialogId = (await me.chat.dialog.create({ type: 3, occupants_ids: [friendId] }))._id;
    const old = Math.floor(Date.now() / 1000) - 30 * 24 * 3600;
    await me.chat.message.create({ chat_dialog_id: dialogId, message: 'A month-old message', date_sent: old });
    await me.chat.message.create({ chat_dialog_id: dialogId, message: 'Are we still on for Friday?' });
    await friend.chat.message.create({ chat_dialog_id: dialogId, message: 'Yes, see you at 10!' });
    initGoogleModel(`${fake.url}/v1beta`, CLIENT_KEY);
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
  });

  it('summarizeChatHistory sends the transcript built from Parley messages and users to the model', async () => {
    const { items } = await me.chat.message.list({ chat_dialog_id: dialogId, sort_asc: 'date_sent' });
    const { items: people } = await me.users.getV2({ id: { in: [meId, friendId] } });
    // The snippet looks users up by id in an array (users[sender_id]).
    const users: Users.User[] = [];
    for (const user of people) users[user.id] = user as unknown as Users.User;
    const summary = await summarizeChatHistory({ messages: items as unknown as Messages.Message[], users, currentUserId: meId, lng: 'English' });
    expect(summary).toBe('You asked Kim about Friday; Kim agreed.');
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
    expect(request.headers['x-goog-api-key']).toBe(CLIENT_KEY);
    const prompt = userTurnOf(request);
    expect(prompt).toMatch(/^You are a helpful assistant\. Provide a concise summary of the following chat messages in English\./);
    // Messages without attachments carry `attachments: []` (as from ConnectyCube), which the snippet prints.
    expect(prompt.endsWith('Messages:\n- seed-ai-me (me): Are we still on for Friday? [attachments: []]\n- Kim Friend : Yes, see you at 10! [attachments: []]\n')).toBe(true);
    expect(prompt).not.toContain('month-old');
  });

  it('changeMessageTone rewrites a draft through the model', async () => {
    fake.behaviour = { kind: 'text', text: 'Friday is going to be amazing! 🎉' };
    const text = await changeMessageTone('  see you friday  ', MessageTones.POSITIVE);
    expect(text).toBe('Friday is going to be amazing! 🎉');
    expect(userTurnOf(fake.requests.at(-1)!)).toBe('Rewrite the text "see you friday" in positive tone. Use its original language, or English if unclear. Avoid using italicized emotional interjections. Instead, express the same emotions directly using plain text or appropriate emojis. Keep all meaning. Output only the rewritten text.');
    fake.behaviour = { kind: 'fail', status: 400, body: '{"error":{"message":"boom"}}' };
    const failed = await changeMessageTone('x', MessageTones.CRINGE).catch((error: unknown) => error);
    expect((failed as { statusCode?: number }).statusCode).toBe(400);
  });
});
