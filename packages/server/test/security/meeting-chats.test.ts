import { databaseKinds, startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 3, meetings part: a meeting chat (type 5) is joined by subscribing only by the meeting's
 * invitees and, when the meeting is public, by anyone of the application; others get 403 and stay out.
 */
describe.each(databaseKinds)('security: meeting chats are joinable by invitees or when public (%s)', (db) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(() => server?.stop());

  async function meetingChat(host: { token: string }, isPublic: boolean): Promise<string> {
    const created = await api(server, host, 'POST', '/meetings', { name: isPublic ? 'Town hall' : 'Board', start_date: 1613729948, end_date: 1613731012, chat: true, public: isPublic });
    expect(created.status, created.text).toBe(201);
    return (created.json as { chat_dialog_id: string }).chat_dialog_id;
  }

  it('an outsider gets 403 on a private meeting chat and 200 on a public one', async () => {
    const [host, outsider] = [await signedInUser(server), await signedInUser(server)];
    const closed = await meetingChat(host, false);
    expect((await api(server, outsider, 'POST', `/chat/Dialog/${closed}/subscribe.json`)).status).toBe(403);
    const occupants = async (dialogId: string) =>
      ((await api(server, host, 'GET', `/chat/Dialog.json?_id=${dialogId}`)).json as { items: { occupants_ids: number[] }[] }).items[0]?.occupants_ids;
    expect(await occupants(closed)).not.toContain(outsider.id);

    const open = await meetingChat(host, true);
    expect((await api(server, outsider, 'POST', `/chat/Dialog/${open}/subscribe.json`)).status).toBe(200);
    expect(await occupants(open)).toContain(outsider.id);
  });

  it('another application never reaches a public meeting chat', async () => {
    const host = await signedInUser(server);
    const open = await meetingChat(host, true);
    const otherApp = await server.server.services.apps.create(`other-${db}-${Date.now()}`);
    const stranger = await signedInUser(server, otherApp);
    expect((await api(server, stranger, 'POST', `/chat/Dialog/${open}/subscribe.json`)).status).toBe(404);
  });
});
