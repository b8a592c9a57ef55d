/**
 * @parley/sdk's `ai` module against the real server with a server-wide provider (a local Gemini
 * stand-in): summaries whole and streamed, tone rewrites, and failures as `{code, info}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectyCubeClient } from '@parley/sdk';
import { startFakeAiProvider, startServer, type FakeAiProvider, type TestServer } from '@parley/testkit';

describe('@parley/sdk ai.*', () => {
  let server: TestServer;
  let fake: FakeAiProvider;
  let me: ConnectyCubeClient;
  let stranger: ConnectyCubeClient;
  let dialogId = '';

  const client = async (login: string) => {
    const cube = new ConnectyCubeClient();
    cube.init({ appId: server.app.id, authKey: server.app.authKey }, { endpoints: { api_url: server.url, chat: 'localhost' } });
    const id = (await cube.createSession({ login, password: 'supersecurepwd' })).user_id as number;
    return { cube, id };
  };

  beforeAll(async () => {
    fake = await startFakeAiProvider({ kind: 'text', text: 'Both agreed on the plan for Friday.' });
    server = await startServer({ config: { aiProvider: 'google', aiApiKey: 'sdk-test-key', aiBaseUrl: `${fake.url}/v1beta` } });
    const friend = await client('sdk-ai-friend');
    ({ cube: me } = await client('sdk-ai-me'));
    ({ cube: stranger } = await client('sdk-ai-stranger'));
    dialogId = (await me.chat.dialog.create({ type: 3, occupants_ids: [friend.id] }))._id;
    await me.chat.message.create({ chat_dialog_id: dialogId, message: 'Friday at 10?' });
    await friend.cube.chat.message.create({ chat_dialog_id: dialogId, message: 'Friday at 10 works.' });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.stop();
  });

  it('summarizeChat and summarizeChatStream return the summary', async () => {
    const summary = await me.ai.summarizeChat({ dialogId, days: 7, language: 'English' });
    expect(summary).toEqual({ summary: 'Both agreed on the plan for Friday.', provider: 'google', extractive: false, cached: false, messages_count: 2 });
    const pieces: string[] = [];
    const streamed = await me.ai.summarizeChatStream({ dialogId, language: 'Italian' }, (text) => pieces.push(text));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Both agreed on the plan for Friday.');
    expect(streamed).toEqual({ ...summary, cached: false });
    expect(fake.requests.at(-1)?.path).toMatch(/:streamGenerateContent$/);
  });

  it('changeMessageTone returns the rewritten text', async () => {
    fake.behaviour = { kind: 'text', text: 'Friday at 10 sounds wonderful! 😊' };
    expect(await me.ai.changeMessageTone('friday 10', 'positive')).toBe('Friday at 10 sounds wonderful! 😊');
    expect(await me.ai.changeMessageTone('friday 10', 'like a sports commentator', 'English')).toBe('Friday at 10 sounds wonderful! 😊');
  });

  it('rejects with {code, info} for strangers, bad input and provider failures, streamed or not', async () => {
    await expect(stranger.ai.summarizeChat({ dialogId })).rejects.toEqual({ code: 403, info: { errors: ['Only members can read this dialog'] } });
    await expect(stranger.ai.summarizeChatStream({ dialogId })).rejects.toEqual({ code: 403, info: { errors: ['Only members can read this dialog'] } });
    await expect(me.ai.changeMessageTone('', 'positive')).rejects.toMatchObject({ code: 422, info: { errors: { text: ['cannot be blank'] } } });
    fake.behaviour = { kind: 'fail', status: 500, body: '{}' };
    const failure = { code: 502, info: { errors: { base: ['The AI provider failed to answer'] } } };
    await expect(me.ai.summarizeChatStream({ dialogId, days: 2 })).rejects.toEqual(failure);
    await expect(me.ai.changeMessageTone('hi', 'negative')).rejects.toEqual(failure);
  });
});
