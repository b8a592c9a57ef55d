import { describe, it, expect } from 'vitest';
import ConnectyCubeDefault, { ConnectyCube, ConnectyCubeClient } from './index.js';
import { fakeFetch } from './testing/fake-fetch.js';

describe('ConnectyCube instances', () => {
  it('exports a default instance and the class (also as ConnectyCubeClient)', () => {
    expect(ConnectyCubeDefault).toBeInstanceOf(ConnectyCube);
    expect(ConnectyCubeClient).toBe(ConnectyCube);
    expect(ConnectyCubeDefault.ConnectyCube).toBe(ConnectyCube);
  });

  it('keeps config and session per instance', async () => {
    const a = fakeFetch();
    const b = fakeFetch();
    const alice = new ConnectyCube({ fetch: a.fetch });
    const bob = new ConnectyCube({ fetch: b.fetch });
    alice.init({ appId: 1, token: 'ALICE' }, { endpoints: { api_url: 'http://a.test' } });
    bob.init({ appId: 2, token: 'BOB' }, { endpoints: { api: 'b.test' } });

    await alice.users.listOnline();
    await bob.users.listOnline();
    expect(a.calls[0]).toMatchObject({ url: 'http://a.test/users/online.json?', headers: { 'CB-Token': 'ALICE' } });
    expect(b.calls[0]).toMatchObject({ url: 'https://b.test/users/online.json?', headers: { 'CB-Token': 'BOB' } });
  });

  it('uses a fetch passed to init over the constructor one', async () => {
    const ctor = fakeFetch();
    const fromInit = fakeFetch();
    const cc = new ConnectyCube({ fetch: ctor.fetch });
    cc.init({ appId: 1, token: 'T' }, { fetch: fromInit.fetch });
    await cc.users.getOnlineCount();
    expect(ctor.calls).toHaveLength(0);
    expect(fromInit.calls[0]?.url).toBe('https://api.connectycube.com/users/online.json?count=true');
  });

  it('init stores chat endpoints and starts over on every call', () => {
    const cc = new ConnectyCube();
    cc.init({ appId: 1, token: 'T' }, { endpoints: { api_url: 'http://x', chat: 'chat.x', chat_url: 'ws://x/ws' }, debug: { mode: 1 } });
    expect(cc.service.sdkInstance.config.endpoints).toEqual({
      api: 'api.connectycube.com',
      api_url: 'http://x',
      chat: 'chat.x',
      chat_url: 'ws://x/ws',
      muc: 'muc.chat.x',
    });
    expect(cc.service.sdkInstance.session).toEqual({ token: 'T' });

    cc.init({ appId: 1, authKey: 'K' });
    expect(cc.service.sdkInstance.config.endpoints.api_url).toBeUndefined();
    expect(cc.service.sdkInstance.config.debug.mode).toBe(0);
    expect(cc.service.sdkInstance.session).toBeNull();
  });

  it('keeps references to services valid across init', async () => {
    const fake = fakeFetch();
    const cc = new ConnectyCube({ fetch: fake.fetch });
    const users = cc.users;
    cc.init({ appId: 1, token: 'T' }, { endpoints: { api_url: 'http://late' } });
    await users.getOnlineCount();
    expect(fake.calls[0]?.url).toBe('http://late/users/online.json?count=true');
  });
});
