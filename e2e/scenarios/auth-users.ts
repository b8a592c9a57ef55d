import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type SdkFlavour, type ScenarioTarget } from './sdk.js';

const expiredBody = { errors: { base: ['Required session does not exist'] } };
const TWO_HOURS_MS = 2 * 3600 * 1000;

/** Sessions and users (rest.md §2–§3) through an SDK, on every database. */
export function authAndUserScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: sessions and users on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique, connect } = scenario;

    it('creates, reads and destroys an application session', async () => {
      const cube = connect();
      const session = await cube.createSession();
      expect(session).toMatchObject({ application_id: scenario.server.app.id, user_id: null });
      expect(session.token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(session.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Number.isInteger(session.ts)).toBe(true);
      expect((await cube.getSession()).id).toBe(session.id);
      await cube.destroySession();
      cube.setSession({ token: session.token });
      expect(await rejection(cube.getSession())).toEqual({ code: 401, info: expiredBody });
    });

    it('signs up with the auth key, then opens user sessions by login and by email', async () => {
      const login = unique('signup');
      const cube = connect();
      const { user } = await cube.users.signup(
        { login, password: 'password123', email: `${login}@example.com`, full_name: 'Sign Up', tag_list: ['vip', 'accountant'], custom_data: '{"a":1}' },
        scenario.server.app.authKey,
      );
      expect(user).toMatchObject({ login, email: `${login}@example.com`, full_name: 'Sign Up', user_tags: 'vip,accountant', custom_data: '{"a":1}', is_guest: null });
      expect(user).not.toHaveProperty('password');
      const byLogin = await connect().createSession({ login, password: 'password123' });
      expect(byLogin).toMatchObject({ user_id: user.id, application_id: scenario.server.app.id, user: { id: user.id, login } });
      expect(byLogin.user.last_request_at).not.toBeNull();
      const byEmail = await connect().createSession({ email: `${login.toUpperCase()}@EXAMPLE.COM`, password: 'password123' });
      expect(byEmail.user_id).toBe(user.id);
    });

    it('refuses sign-up without credentials, with a short password or a taken login, creating nothing', async () => {
      const login = unique('dup');
      const cube = connect();
      await cube.users.signup({ login, password: 'password123' }, scenario.server.app.authKey);
      expect(await rejection(cube.users.signup({ login, password: 'password123' }, scenario.server.app.authKey))).toEqual({
        code: 422,
        info: { errors: { login: ['has already been taken.'] } },
      });
      const short = await rejection(connect().users.signup({ login: unique('short'), password: 'abc' }, scenario.server.app.authKey));
      expect(short.code).toBe(422);
      expect(short.info).toEqual({ errors: { password: [expect.stringContaining('too short')] } });
      const neither = await rejection(connect().users.signup({ password: 'password123', full_name: 'Nobody' }, scenario.server.app.authKey));
      expect(neither).toEqual({ code: 422, info: { errors: { base: ['login or email required'] } } });
      const bad = await rejection(connect().users.signup({ login: unique('k'), password: 'password123' }, 'wrong-key'));
      expect(bad).toEqual({ code: 401, info: { errors: { base: ['Unauthorized'] } } });
      const admin = await connect().createSession();
      const found = await adminLookup(login);
      expect(found).toHaveLength(1);
      expect(admin.user_id).toBeNull();
    });

    /** Users of this app with this login, seen through the store (what a 4xx must not change). */
    async function adminLookup(login: string) {
      const page = await scenario.server.server.store.users.query(scenario.server.app.id, { conditions: [{ field: 'login', op: 'startsWith', value: login }], limit: 10, offset: 0 });
      return page.users;
    }

    it('creates the user on the fly at session creation, and rejects a wrong password', async () => {
      const login = unique('fly');
      const session = await connect().createSession({ login, password: 'supersecurepwd' });
      expect(session.user).toMatchObject({ login });
      expect(await rejection(connect().createSession({ login, password: 'not-the-password' }))).toEqual({
        code: 401,
        info: { errors: ['Invalid password'] },
      });
    });

    it('rejects unknown application credentials', async () => {
      const cube = initAgainst(sdk.create(), scenario.server.url, { id: scenario.server.app.id, authKey: 'not-the-key' });
      expect(await rejection(cube.createSession())).toEqual({ code: 401, info: { errors: { base: ['Unauthorized'] } } });
    });

    it('signs in a guest', async () => {
      const session = await connect().createSession({ guest: '1', full_name: 'Ann Guest' });
      expect(session.user).toMatchObject({ full_name: 'Ann Guest', is_guest: true });
      expect(session.user.login).toMatch(/^guest_login_[0-9a-f]+$/);
    });

    it('answers provider logins with 422 while no verifier is configured', async () => {
      const result = await rejection(connect().createSession({ provider: 'facebook', keys: { token: 'abc' } }));
      expect(result).toEqual({ code: 422, info: { errors: { base: ['Provider not supported'] } } });
    });

    it('logs a user in and out of an existing session', async () => {
      const login = unique('loginout');
      await connect().users.signup({ login, password: 'password123' }, scenario.server.app.authKey);
      const cube = connect();
      const appSession = await cube.createSession();
      const user = await cube.login({ login, password: 'password123' });
      expect(user.login).toBe(login);
      expect((await cube.getSession()).user_id).toBe(user.id);
      expect(await rejection(cube.login({ login, password: 'wrong-password' }))).toEqual({ code: 401, info: { errors: ['Invalid password'] } });
      expect(await rejection(cube.login({ login: unique('nobody'), password: 'password123' }))).toEqual({ code: 401, info: { errors: ['Unauthorized'] } });
      expect(await rejection(cube.login({ login }))).toEqual({ code: 422, info: { errors: { password: ['cannot be blank'] } } });
      await cube.logout();
      const after = await cube.getSession();
      expect(after).toMatchObject({ id: appSession.id, user_id: null });
    });

    it('finds users with getV2 filters, sort and paging', async () => {
      const tag = unique('tag');
      const cube = connect();
      await cube.createSession();
      const created = [];
      for (const name of ['Zeta One', 'Zeta Two', 'Zeta Three']) {
        created.push((await cube.users.signup({ login: unique('v2'), password: 'password123', full_name: `${name} ${tag}`, tag_list: [tag] })).user);
      }
      const ids = created.map((user) => user.id);
      const byIds = await cube.users.getV2({ id: { in: [ids[0], ids[2]] } });
      expect(byIds).toMatchObject({ total_entries: 2, skip: 0, limit: 100 });
      expect(byIds.items.map((user: { id: number }) => user.id)).toEqual([ids[0], ids[2]]);
      const byLogin = await cube.users.getV2({ login: created[1].login });
      expect(byLogin.items).toHaveLength(1);
      expect(byLogin.items[0].id).toBe(ids[1]);
      const byTag = await cube.users.getV2({ user_tags: { in: [tag] }, sort_desc: 'id', limit: 1, offset: 1 });
      expect(byTag).toMatchObject({ total_entries: 3, limit: 1, skip: 1 });
      expect(byTag.items[0].id).toBe(ids[1]);
      const prefix = await cube.users.getV2({ full_name: { start_with: 'Zeta T' }, user_tags: tag });
      expect(prefix.limit).toBe(5);
      expect(prefix.items.map((user: { id: number }) => user.id).sort()).toEqual([ids[1], ids[2]].sort());
      const since = await cube.users.getV2({ id: { in: ids }, created_at: { gte: new Date(Date.now() - 3600_000).toISOString() } });
      expect(since.total_entries).toBe(3);
      const invalid = await rejection(cube.users.getV2({ limit: 10 }));
      expect(invalid.code).toBe(422);
      expect(invalid.info).toEqual({ errors: { base: [expect.stringContaining('stand-alone')] } });
      expect((await rejection(cube.users.getV2({ full_name: { start_with: 'Ze' } }))).code).toBe(422);
    });

    it('updates the own profile and changes the password with the old one', async () => {
      const login = unique('upd');
      const cube = connect();
      await cube.createSession({ login, password: 'password123' });
      const { user } = await cube.users.update({ full_name: 'New Name', phone: '+100', tag_list: 'a,b', timezone: 120 });
      expect(user).toMatchObject({ full_name: 'New Name', phone: '+100', user_tags: 'a,b', timezone: 120 });
      expect(await rejection(cube.users.update({ password: 'newpassword1', old_password: 'wrong-old' }))).toEqual({
        code: 422,
        info: { errors: { old_password: ['is incorrect'] } },
      });
      await cube.users.update({ password: 'newpassword1', old_password: 'password123' });
      expect((await connect().createSession({ login, password: 'newpassword1' })).user_id).toBe(user.id);
      expect((await rejection(connect().createSession({ login, password: 'password123' }))).code).toBe(401);
    });

    it('deletes the own account, which ends its sessions', async () => {
      const login = unique('del');
      const cube = connect();
      const session = await cube.createSession({ login, password: 'password123' });
      await cube.users.delete();
      expect(await rejection(cube.getSession())).toEqual({ code: 401, info: expiredBody });
      const reader = connect();
      await reader.createSession();
      expect((await reader.users.getV2({ id: session.user_id })).items).toEqual([]);
    });

    it('accepts password reset requests without telling whether the email exists', async () => {
      const login = unique('reset');
      const cube = connect();
      await cube.createSession({ email: `${login}@example.com`, password: 'password123' });
      await expect(cube.users.resetPassword(`${login}@example.com`)).resolves.toBeDefined();
      await expect(cube.users.resetPassword(`nobody-${login}@example.com`)).resolves.toBeDefined();
    });

    it('serves the deprecated V1 lookups', async () => {
      const login = unique('vone');
      const tag = unique('t');
      const serial = Number.parseInt(login.slice(-3), 36) % 100000;
      const cube = connect();
      await cube.createSession();
      const { user } = await cube.users.signup({
        login, password: 'password123', email: `${login}@example.com`, full_name: `Vee ${login}`, phone: `+1${serial}`,
        facebook_id: `fb${login}`, twitter_id: `tw${login}`, external_user_id: 7000 + serial, tag_list: [tag],
      });
      expect((await cube.users.get(user.id)).user.id).toBe(user.id);
      expect((await cube.users.get({ login })).user.id).toBe(user.id);
      expect((await cube.users.get({ email: `${login}@example.com` })).user.id).toBe(user.id);
      expect((await cube.users.get({ facebook_id: `fb${login}` })).user.id).toBe(user.id);
      expect((await cube.users.get({ twitter_id: `tw${login}` })).user.id).toBe(user.id);
      expect((await cube.users.get({ phone: user.phone })).user.id).toBe(user.id);
      expect((await cube.users.get({ external: user.external_user_id })).user.id).toBe(user.id);
      const byName = await cube.users.get({ full_name: login, per_page: 5 });
      expect(byName).toMatchObject({ current_page: 1, per_page: 5, total_entries: 1 });
      expect(byName.items[0].user.id).toBe(user.id);
      const byTags = await cube.users.get({ tags: [tag] });
      expect(byTags.items.map((item: { user: { id: number } }) => item.user.id)).toEqual([user.id]);
      const filtered = await cube.users.get({ filter: { field: 'login', param: 'eq', value: login }, order: { sort: 'desc', field: 'id' } });
      expect(filtered.items).toHaveLength(1);
      expect((await rejection(cube.users.get(99999999))).code).toBe(404);
    });

    it('lists online users and counts them', async () => {
      const login = unique('online');
      const cube = connect();
      const session = await cube.createSession({ login, password: 'password123' });
      expect(await cube.users.getOnlineCount()).toEqual({ count: 0 });
      await scenario.server.server.services.presence.connected(scenario.server.app.id, session.user_id, 'test-connection');
      try {
        expect(await cube.users.getOnlineCount()).toEqual({ count: 1 });
        const { users } = await cube.users.listOnline({ limit: 10 });
        expect(users.map((user: { id: number }) => user.id)).toEqual([session.user_id]);
      } finally {
        await scenario.server.server.services.presence.disconnected(scenario.server.app.id, session.user_id, 'test-connection');
      }
    });

    it('refuses user-only routes to an application session', async () => {
      const cube = connect();
      await cube.createSession();
      expect(await rejection(cube.users.listOnline())).toEqual({ code: 403, info: { errors: { base: ['Forbidden. Need user.'] } } });
    });

    it('expires an unused session with the exact 401, and on.sessionExpired retries with a new session', async () => {
      const login = unique('expire');
      const cube = connect();
      await cube.createSession({ login, password: 'password123' });
      scenario.moveClock(TWO_HOURS_MS + 60_000);
      expect(await rejection(cube.users.getV2({ login }))).toEqual({ code: 401, info: expiredBody });

      const retried = initAgainst(sdk.create(), scenario.server.url, scenario.server.app, {
        on: {
          sessionExpired: (_handleResponse: unknown, retry: (session: unknown) => void) => {
            void retried.createSession({ login, password: 'password123' }).then(retry);
          },
        },
      });
      await retried.createSession({ login, password: 'password123' });
      scenario.moveClock(TWO_HOURS_MS + 60_000);
      const page = await retried.users.getV2({ login });
      expect(page.items[0].login).toBe(login);
    });

    it('keeps a used session alive past the TTL (sliding expiry)', async () => {
      const cube = connect();
      await cube.createSession({ login: unique('slide'), password: 'password123' });
      for (let step = 0; step < 3; step += 1) {
        scenario.moveClock(TWO_HOURS_MS - 10 * 60_000);
        expect((await cube.getSession()).user_id).not.toBeNull();
      }
    });

    it('keeps applications apart', async () => {
      const login = unique('tenant');
      const inA = connect();
      const sessionA = await inA.createSession({ login, password: 'password123' });
      const appB = await scenario.server.createApp(unique('app-b'));
      const inB = initAgainst(sdk.create(), scenario.server.url, { id: appB.id, authKey: appB.authKey });
      const sessionB = await inB.createSession({ login, password: 'password123' });
      expect(sessionB.application_id).toBe(appB.id);
      expect(sessionB.user_id).not.toBe(sessionA.user_id);
      expect((await inB.users.getV2({ id: sessionA.user_id })).items).toEqual([]);
      expect((await inB.users.getV2({ login })).items.map((user: { id: number }) => user.id)).toEqual([sessionB.user_id]);
      expect((await rejection(inB.users.get(sessionA.user_id))).code).toBe(404);
      const crossKey = initAgainst(sdk.create(), scenario.server.url, { id: appB.id, authKey: scenario.server.app.authKey });
      expect((await rejection(crossKey.createSession())).code).toBe(401);
    });
  });
}
