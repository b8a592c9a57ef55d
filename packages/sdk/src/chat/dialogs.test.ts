import { describe, it, expect } from 'vitest';
import { DialogType } from './enums.js';
import { ConnectyCube } from '../connectycube.js';
import { fakeFetch, replies } from '../testing/fake-fetch.js';
import { FORM_HEADERS, JSON_HEADERS, recordingClient, wire } from '../testing/recording-client.js';

const ID = '5c094c0ce588ce6856f87422';
const ID2 = '5c094c0ce588ce6856f87423';

describe('chat.dialog', () => {
  it('list sends its params as a query (bare ? without any) and reads JSON', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.dialog.list();
    expect(wire(last())).toEqual({ method: 'GET', path: '/chat/Dialog.json?', headers: FORM_HEADERS, body: undefined, readAs: 'json' });

    await cc.chat.dialog.list({ type: { in: [3, 2] }, limit: 10, skip: 20, sort_desc: 'last_message_date_sent', extensions: { category: 'news' } });
    expect(last().path).toBe('/chat/Dialog.json?extensions[category]=news&limit=10&skip=20&sort_desc=last_message_date_sent&type[in]=2%2C3');

    await cc.chat.dialog.list({ count: 1 });
    expect(last().path).toBe('/chat/Dialog.json?count=1');
  });

  it('create joins occupants_ids and admins_ids with ", " and posts JSON', async () => {
    const { cc, last } = recordingClient();
    const params = { type: DialogType.GROUP, name: 'Team', occupants_ids: [29086, 29087], admins_ids: [29086], extensions: { topic: 'x' } };
    await cc.chat.dialog.create(params);
    expect(wire(last())).toEqual({
      method: 'POST',
      path: '/chat/Dialog.json',
      headers: JSON_HEADERS,
      body: '{"type":2,"name":"Team","occupants_ids":"29086, 29087","admins_ids":"29086","extensions":{"topic":"x"}}',
      readAs: 'json',
    });
    expect(params.occupants_ids).toEqual([29086, 29087]); // the caller's object is left alone

    await cc.chat.dialog.create({ type: 3, occupants_ids: '29086', photo: null, description: undefined });
    expect(last().body).toBe('{"type":3,"occupants_ids":"29086","photo":null}');
    await cc.chat.dialog.create({ type: 4, name: 'Open', occupants_ids: [] });
    expect(last().body).toBe('{"type":4,"name":"Open","occupants_ids":""}');
  });

  it('update puts the params as JSON', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.dialog.update(ID, { push_all: { occupants_ids: [1, 2] }, pull_all: { pinned_messages_ids: ['m1'] }, name: 'New' });
    expect(wire(last())).toEqual({
      method: 'PUT',
      path: `/chat/Dialog/${ID}.json`,
      headers: JSON_HEADERS,
      body: '{"push_all":{"occupants_ids":[1,2]},"pull_all":{"pinned_messages_ids":["m1"]},"name":"New"}',
      readAs: 'json',
    });
    await cc.chat.dialog.update(ID);
    expect(last().body).toBe('{}');
  });

  it('delete: one id reads TEXT with an empty urlencoded body; several ids read JSON', async () => {
    const { cc, last } = recordingClient();
    await expect(cc.chat.dialog.delete(ID)).resolves.toBe('{}'); // TEXT: the raw body
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Dialog/${ID}.json`, headers: FORM_HEADERS, body: '', readAs: 'text' });

    await cc.chat.dialog.delete(`${ID}, ${ID2}`, { force: 1 });
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Dialog/${ID},${ID2}.json`, headers: FORM_HEADERS, body: 'force=1', readAs: 'json' });

    await cc.chat.dialog.delete([ID, ID2]);
    expect(last()).toMatchObject({ path: `/chat/Dialog/${ID},${ID2}.json`, body: '', readAs: 'json' });
    await cc.chat.dialog.delete([ID], { force: 1 });
    expect(last()).toMatchObject({ path: `/chat/Dialog/${ID}.json`, body: 'force=1', readAs: 'text' });
    await cc.chat.dialog.delete(` ${ID} `);
    expect(last()).toMatchObject({ path: `/chat/Dialog/${ID}.json`, readAs: 'text' });
  });

  it('delete of several ids resolves with the parsed result lists', async () => {
    const result = { SuccessfullyDeleted: { ids: [ID] }, NotFound: { ids: [ID2] }, WrongPermissions: { ids: [] } };
    const { cc } = recordingClient(() => ({ body: result }));
    await expect(cc.chat.dialog.delete([ID, ID2])).resolves.toEqual(result);
  });

  it('clearHistory deletes /clearHistory/{id} with no body, TEXT', async () => {
    const { cc, last } = recordingClient(() => ({ text: '' }));
    await expect(cc.chat.dialog.clearHistory(ID)).resolves.toBe('');
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Dialog/clearHistory/${ID}.json`, headers: FORM_HEADERS, body: undefined, readAs: 'text' });
  });

  it('subscribe posts no body with the JSON content type; unsubscribe deletes, TEXT', async () => {
    const { cc, last } = recordingClient();
    expect(cc.chat.dialog.subscribeToPublic).toBe(cc.chat.dialog.subscribe);
    expect(cc.chat.dialog.unsubscribeFromPublic).toBe(cc.chat.dialog.unsubscribe);

    await cc.chat.dialog.subscribe(ID);
    expect(wire(last())).toEqual({ method: 'POST', path: `/chat/Dialog/${ID}/subscribe.json`, headers: JSON_HEADERS, body: undefined, readAs: 'json' });
    await cc.chat.dialog.subscribeToPublic(ID2);
    expect(last().path).toBe(`/chat/Dialog/${ID2}/subscribe.json`);

    await cc.chat.dialog.unsubscribe(ID);
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Dialog/${ID}/subscribe.json`, headers: FORM_HEADERS, body: undefined, readAs: 'text' });
  });

  it('addAdmins / removeAdmins put push_all / pull_all admins_ids', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.dialog.addAdmins(ID, [29086, 29087]);
    expect(wire(last())).toEqual({
      method: 'PUT',
      path: `/chat/Dialog/${ID}/admins.json`,
      headers: JSON_HEADERS,
      body: '{"push_all":{"admins_ids":[29086,29087]}}',
      readAs: 'json',
    });
    await cc.chat.dialog.removeAdmins(ID, [29087]);
    expect(last()).toMatchObject({ method: 'PUT', path: `/chat/Dialog/${ID}/admins.json`, body: '{"pull_all":{"admins_ids":[29087]}}' });
  });

  it('notification settings: PUT {enabled: 1|0} from any truthy/falsy value, GET reads JSON', async () => {
    const { cc, last } = recordingClient();
    const sent: Array<string | undefined> = [];
    for (const enabled of [true, false, 1, 0]) {
      await cc.chat.dialog.updateNotificationsSettings(ID, enabled);
      sent.push(last().body);
    }
    expect(sent).toEqual(['{"enabled":1}', '{"enabled":0}', '{"enabled":1}', '{"enabled":0}']);
    expect(wire(last())).toMatchObject({ method: 'PUT', path: `/chat/Dialog/${ID}/notifications.json`, headers: JSON_HEADERS, readAs: 'json' });

    await cc.chat.dialog.getNotificationsSettings(ID);
    expect(wire(last())).toEqual({ method: 'GET', path: `/chat/Dialog/${ID}/notifications.json`, headers: FORM_HEADERS, body: undefined, readAs: 'json' });
  });

  it('getPublicOccupants queries limit/skip', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.dialog.getPublicOccupants(ID, { limit: 10, skip: 5 });
    expect(wire(last())).toEqual({ method: 'GET', path: `/chat/Dialog/${ID}/occupants.json?limit=10&skip=5`, headers: FORM_HEADERS, body: undefined, readAs: 'json' });
    await cc.chat.dialog.getPublicOccupants(ID);
    expect(last().path).toBe(`/chat/Dialog/${ID}/occupants.json?`);
  });

  it('rejects with {code, info} and never throws synchronously', async () => {
    const { cc } = recordingClient(() => ({ status: 404, body: { errors: ["The resource wasn't found"] } }));
    await expect(cc.chat.dialog.delete(ID)).rejects.toEqual({ code: 404, info: { errors: ["The resource wasn't found"] } });
    // A bad argument (as from plain JS) becomes a rejection, not a throw.
    const call = cc.chat.dialog.delete(null as unknown as string);
    await expect(call).rejects.toBeInstanceOf(TypeError);
  });

  it('keeps working through init and the sessionExpired renew-and-retry flow', async () => {
    const expired = { status: 401, body: { errors: { base: ['Required session does not exist'] } } };
    const fake = fakeFetch(replies({ body: {} }, expired, { text: '' }));
    const cc = new ConnectyCube({ fetch: fake.fetch });
    const dialogs = cc.chat.dialog; // taken before init, as apps often do
    cc.init({ appId: 1, token: 'OLD' }, { endpoints: { api_url: 'http://late' }, on: { sessionExpired: (_h, retry) => retry({ token: 'NEW' }) } });
    await dialogs.getNotificationsSettings(ID);
    await expect(dialogs.unsubscribe(ID)).resolves.toBe('');
    expect(fake.calls.map((c) => `${c.method} ${c.url} ${c.headers['CB-Token']}`)).toEqual([
      `GET http://late/chat/Dialog/${ID}/notifications.json OLD`,
      `DELETE http://late/chat/Dialog/${ID}/subscribe.json OLD`,
      `DELETE http://late/chat/Dialog/${ID}/subscribe.json NEW`,
    ]);
  });
});
