import { describe, it, expect } from 'vitest';
import { ConnectyCube } from '../connectycube.js';
import { fakeFetch } from '../testing/fake-fetch.js';

const API = 'http://127.0.0.1:8080';

function client(token?: string) {
  const fake = fakeFetch(() => ({ body: { ok: true } }));
  const cc = new ConnectyCube({ fetch: fake.fetch });
  cc.init(token ? { appId: 7, authKey: 'KEY', token } : { appId: 7, authKey: 'KEY' }, { endpoints: { api_url: API } });
  const last = () => {
    const call = fake.calls.at(-1);
    if (!call) throw new Error('no request sent');
    return { ...call, path: call.url.slice(API.length) };
  };
  return { cc, last };
}

describe('users', () => {
  it('signup posts {user} with CB-AuthKey when there is no session', async () => {
    const { cc, last } = client();
    await cc.users.signup({ login: 'ann', password: 'pw123456', tag_list: ['a'] });
    expect(last()).toMatchObject({ method: 'POST', path: '/users.json', body: '{"user":{"login":"ann","password":"pw123456","tag_list":["a"]}}' });
    expect(last().headers['CB-AuthKey']).toBe('KEY');
  });

  it('signup uses an explicit auth key, and the token when a session exists', async () => {
    const anon = client();
    await anon.cc.users.signup({ email: 'a@b.c', password: 'pw123456' }, 'OTHER');
    expect(anon.last().headers['CB-AuthKey']).toBe('OTHER');

    const withSession = client('TOK');
    await withSession.cc.users.signup({ email: 'a@b.c', password: 'pw123456' });
    expect(withSession.last().headers).toMatchObject({ 'CB-Token': 'TOK' });
    expect(withSession.last().headers['CB-AuthKey']).toBeUndefined();
  });

  it('getV2 sends an array-expanded query', async () => {
    const { cc, last } = client('TOK');
    await cc.users.getV2({ id: { in: [51941, 51946] }, limit: 10, offset: 50 });
    expect(last().path).toBe('/users/v2.json?id[in][]=51941&id[in][]=51946&limit=10&offset=50');
    await cc.users.getV2({ login: 'adminFirstUser' });
    expect(last().path).toBe('/users/v2.json?login=adminFirstUser');
  });

  it('update and delete target the current user, or /users when unknown', async () => {
    const { cc, last } = client('TOK');
    await cc.users.update({ full_name: 'Ann', password: 'new', old_password: 'old' });
    expect(last()).toMatchObject({ method: 'PUT', path: '/users.json', body: '{"user":{"full_name":"Ann","password":"new","old_password":"old"}}' });
    cc.setSession({ token: 'TOK', user_id: 12 });
    await cc.users.delete();
    expect(last()).toMatchObject({ method: 'DELETE', path: '/users/12.json', body: undefined });
  });

  it('resetPassword posts the email', async () => {
    const { cc, last } = client('TOK');
    await cc.users.resetPassword('a@b.c');
    expect(last()).toMatchObject({ method: 'POST', path: '/users/password/reset.json', body: '{"email":"a@b.c"}' });
  });

  it('listOnline and getOnlineCount query /users/online', async () => {
    const { cc, last } = client('TOK');
    await cc.users.listOnline({ limit: 5, offset: 10 });
    expect(last().path).toBe('/users/online.json?limit=5&offset=10');
    await cc.users.listOnline();
    expect(last().path).toBe('/users/online.json?');
    await cc.users.getOnlineCount();
    expect(last().path).toBe('/users/online.json?count=true');
  });

  it('get (V1) maps each input shape to its route', async () => {
    const { cc, last } = client('TOK');
    await cc.users.get(42);
    expect(last().path).toBe('/users/42.json');
    await cc.users.get({ login: 'ann' });
    expect(last().path).toBe('/users/by_login.json?login=ann');
    await cc.users.get({ tags: ['vip', 'accountant'] });
    expect(last().path).toBe('/users/by_tags.json?tags[]=accountant&tags[]=vip');
    await cc.users.get({ external: 'ext-1' });
    expect(last().path).toBe('/users/external/ext-1.json');
    await cc.users.get({ page: 2, per_page: 10, order: { sort: 'asc', field: 'login' } });
    expect(last().path).toBe('/users.json?order=asc%20string%20login&page=2&per_page=10');
  });
});
