import { describe, it, expect } from 'vitest';
import { FORM_HEADERS, JSON_HEADERS, recordingClient, wire } from '../testing/recording-client.js';

const DIALOG = '5c093376e588ce6856f873fe';
const ID = '5c094682e588ce59fff87424';
const ID2 = '5c094682e588ce59fff87425';

describe('chat.message', () => {
  it('list queries /chat/Message and reads JSON', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.message.list({ chat_dialog_id: DIALOG, sort_desc: 'date_sent', limit: 50, skip: 0, date_sent: { gt: 1544111746 } });
    expect(wire(last())).toEqual({
      method: 'GET',
      path: `/chat/Message.json?chat_dialog_id=${DIALOG}&date_sent[gt]=1544111746&limit=50&skip=0&sort_desc=date_sent`,
      headers: FORM_HEADERS,
      body: undefined,
      readAs: 'json',
    });
    await cc.chat.message.list();
    expect(last().path).toBe('/chat/Message.json?');
  });

  it('create posts the params unchanged (custom keys included)', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.message.create({ chat_dialog_id: DIALOG, message: 'Hi 👋', attachments: [{ type: 'image', uid: 'u1' }], markable: 1, color: 'red' });
    expect(wire(last())).toEqual({
      method: 'POST',
      path: '/chat/Message.json',
      headers: JSON_HEADERS,
      body: `{"chat_dialog_id":"${DIALOG}","message":"Hi 👋","attachments":[{"type":"image","uid":"u1"}],"markable":1,"color":"red"}`,
      readAs: 'json',
    });
    await cc.chat.message.create();
    expect(last().body).toBe('{}');
  });

  it('update puts JSON and reads TEXT; ids may be one, comma-joined, an array, or none', async () => {
    const { cc, last } = recordingClient(() => ({ text: '' }));
    await expect(cc.chat.message.update(ID, { chat_dialog_id: DIALOG, read: 1 })).resolves.toBe('');
    expect(wire(last())).toEqual({
      method: 'PUT',
      path: `/chat/Message/${ID}.json`,
      headers: JSON_HEADERS,
      body: `{"chat_dialog_id":"${DIALOG}","read":1}`,
      readAs: 'text',
    });
    await cc.chat.message.update(`${ID},${ID2}`, { delivered: 1 });
    expect(last().path).toBe(`/chat/Message/${ID},${ID2}.json`);
    await cc.chat.message.update([ID, ID2], { message: 'edited' });
    expect(last()).toMatchObject({ path: `/chat/Message/${ID},${ID2}.json`, body: '{"message":"edited"}' });
    await cc.chat.message.update('', { chat_dialog_id: DIALOG, read: 1 });
    expect(last().path).toBe('/chat/Message.json');
  });

  it('delete reads TEXT; force=1 goes in an urlencoded body, no params send no body', async () => {
    const result = '{"SuccessfullyDeleted":{"ids":["a"]},"NotFound":{"ids":[]},"WrongPermissions":{"ids":[]}}';
    const { cc, last } = recordingClient(() => ({ text: result }));
    await expect(cc.chat.message.delete(ID)).resolves.toBe(result);
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Message/${ID}.json`, headers: FORM_HEADERS, body: undefined, readAs: 'text' });

    await cc.chat.message.delete([ID, ID2], { force: 1 });
    expect(wire(last())).toEqual({ method: 'DELETE', path: `/chat/Message/${ID},${ID2}.json`, headers: FORM_HEADERS, body: 'force=1', readAs: 'text' });
    await cc.chat.message.delete(`${ID},${ID2}`, {});
    expect(last()).toMatchObject({ path: `/chat/Message/${ID},${ID2}.json`, body: '' });
  });

  it('createSystem posts to /chat/Message/system', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.message.createSystem({ recipientId: 29086, param1: 'value1' });
    expect(wire(last())).toEqual({
      method: 'POST',
      path: '/chat/Message/system.json',
      headers: JSON_HEADERS,
      body: '{"recipientId":29086,"param1":"value1"}',
      readAs: 'json',
    });
  });

  it('unreadCount joins chat_dialog_ids with ", "', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.message.unreadCount({ chat_dialog_ids: [DIALOG, ID] });
    expect(wire(last())).toEqual({
      method: 'GET',
      path: `/chat/Message/unread.json?chat_dialog_ids=${DIALOG}%2C%20${ID}`,
      headers: FORM_HEADERS,
      body: undefined,
      readAs: 'json',
    });
    await cc.chat.message.unreadCount();
    expect(last().path).toBe('/chat/Message/unread.json?');
    await cc.chat.message.unreadCount({ chat_dialog_ids: DIALOG });
    expect(last().path).toBe(`/chat/Message/unread.json?chat_dialog_ids=${DIALOG}`);
    // Copied through JSON first, as the official SDK does: undefined keys vanish.
    await cc.chat.message.unreadCount({ chat_dialog_ids: undefined });
    expect(last().path).toBe('/chat/Message/unread.json?');
  });

  it('reactions: PUT {add}/{remove}/both reads TEXT, GET reads JSON, the id defaults to _', async () => {
    const { cc, last } = recordingClient();
    await cc.chat.message.addReaction(ID, '🔥');
    expect(wire(last())).toEqual({ method: 'PUT', path: `/chat/Message/${ID}/reactions.json`, headers: JSON_HEADERS, body: '{"add":"🔥"}', readAs: 'text' });
    await cc.chat.message.removeReaction(ID, '👎');
    expect(last().body).toBe('{"remove":"👎"}');
    await cc.chat.message.updateReaction(ID, '🔥', '👎');
    expect(last().body).toBe('{"add":"🔥","remove":"👎"}');

    await cc.chat.message.listReactions(ID);
    expect(wire(last())).toEqual({ method: 'GET', path: `/chat/Message/${ID}/reactions.json`, headers: FORM_HEADERS, body: undefined, readAs: 'json' });
    await cc.chat.message.listReactions();
    expect(last().path).toBe('/chat/Message/_/reactions.json');
  });
});
