import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniqueViolation, defaultAppSettings } from '../../src/ports/store.js';
import type {
  AppRecord,
  MigrationReport,
  NewSession,
  NewUser,
  ScramKeys,
  Store,
  UserCondition,
  UserQuery,
  UserRecord,
} from '../../src/ports/store.js';
import { openStore, type OpenedStore } from './stores.js';

/**
 * The storage port's guarantees (src/ports/store.ts), checked identically on every adapter.
 * Times carry milliseconds on purpose: both engines must hand back exactly the epoch ms they were given.
 */

/** A time with a non-zero millisecond part, well past 2^31 (needs a 64-bit column). */
const T = 1_700_000_000_123;
/** An expiry no sweeper in this file ever reaches. */
const FAR = 4_102_444_800_000;

let counter = 0;
const unique = (prefix: string): string => `${prefix}-${String((counter += 1))}`;

function newUser(fields: Partial<NewUser> = {}): NewUser {
  return {
    login: null,
    email: null,
    fullName: null,
    phone: null,
    website: null,
    customData: null,
    avatar: null,
    blobId: null,
    externalUserId: null,
    externalId: null,
    facebookId: null,
    twitterId: null,
    timezone: null,
    tags: [],
    isGuest: false,
    passwordHash: null,
    scram: null,
    createdAt: T,
    updatedAt: T,
    lastRequestAt: null,
    ...fields,
  };
}

function newSession(appId: number, userId: number | null, fields: Partial<NewSession> = {}): NewSession {
  return {
    appId,
    userId,
    tokenHash: unique('token-hash'),
    nonce: 4_294_967_297,
    ts: 1_700_000_000,
    createdAt: T,
    updatedAt: T,
    expiresAt: FAR,
    hardExpiresAt: null,
    ...fields,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the write to be rejected');
}

const scramKeys: ScramKeys = {
  salt: 'QSXCR+Q6sek8bf92',
  iterations: 4096,
  storedKey: '6dlGYMOdZcOPutkcNY8U2g7vK9Y=',
  serverKey: 'D+CSWLOshSulAsxiupA+qs2/fTE=',
};

describe.each(['sqlite', 'postgres'] as const)('Store contract on %s', (kind) => {
  let opened: OpenedStore | undefined;
  let store: Store;
  let firstMigration: MigrationReport;

  beforeAll(async () => {
    opened = await openStore(kind);
    store = opened.store;
    firstMigration = await store.migrate();
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  async function createApp(target: Store = store): Promise<AppRecord> {
    const name = unique('app');
    return target.apps.create({ name, authKey: `${name}-key`, authSecret: `${name}-secret`, settings: defaultAppSettings, createdAt: T });
  }

  async function countUsers(appId: number): Promise<number> {
    return (await store.users.query(appId, { conditions: [], limit: 1, offset: 0 })).total;
  }

  async function countTagged(appId: number, tags: string[], target: Store = store): Promise<number> {
    return (await target.users.query(appId, { conditions: [{ field: 'tags', op: 'hasAny', values: tags }], limit: 1, offset: 0 })).total;
  }

  describe('migrate and ping', () => {
    it('applies the migrations once; a second migrate applies nothing', async () => {
      expect(firstMigration.applied.length).toBeGreaterThan(0);
      expect(firstMigration.current).toBe(firstMigration.applied[firstMigration.applied.length - 1]);
      const second = await store.migrate();
      expect(second).toEqual({ applied: [], current: firstMigration.current });
    });

    it('ping resolves', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('refreshes planner statistics and keeps answering queries', async () => {
      await expect(store.optimize()).resolves.toBeUndefined();
      await expect(store.apps.list()).resolves.toEqual(expect.any(Array));
    });

    it('reports its engine', () => {
      expect(store.kind).toBe(kind);
    });
  });

  describe('apps', () => {
    it('creates an app and finds it by id, auth key and name', async () => {
      const settings = { usersV1Enabled: false, denySessionWithoutUser: true, relaxedStartWith: true };
      const app = await store.apps.create({ name: 'Contract App', authKey: 'contract-key', authSecret: 'contract-secret', settings, createdAt: T });
      expect(app).toEqual({ id: expect.any(Number), name: 'Contract App', authKey: 'contract-key', authSecret: 'contract-secret', settings, createdAt: T });
      expect(await store.apps.findById(app.id)).toEqual(app);
      expect(await store.apps.findByAuthKey('contract-key')).toEqual(app);
      expect(await store.apps.findByName('Contract App')).toEqual(app);
    });

    it('answers undefined for an unknown id, auth key or name', async () => {
      expect(await store.apps.findById(987_654)).toBeUndefined();
      expect(await store.apps.findByAuthKey('no-such-key')).toBeUndefined();
      expect(await store.apps.findByName('no such app')).toBeUndefined();
    });

    it('lists every app in id order', async () => {
      const first = await createApp();
      const second = await createApp();
      const list = await store.apps.list();
      const ids = list.map((app) => app.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(list).toContainEqual(first);
      expect(list).toContainEqual(second);
    });

    it('keeps the creation time in epoch ms as a number', async () => {
      const app = await createApp();
      const found = await store.apps.findById(app.id);
      expect(typeof found?.createdAt).toBe('number');
      expect(found?.createdAt).toBe(T);
    });
  });

  describe('users: create and find', () => {
    it('creates a user with every field and tags, and reads it back identically', async () => {
      const app = await createApp();
      const input = newUser({
        login: 'full-user',
        email: 'Full.User@Example.COM',
        fullName: 'Full User',
        phone: '+6110797757',
        website: 'https://example.com',
        customData: '{"a":1}',
        avatar: 'avatar-uid',
        blobId: 42,
        externalUserId: 4242,
        externalId: 'ext-1',
        facebookId: 'fb-1',
        twitterId: 'tw-1',
        timezone: -180,
        tags: ['vip', 'accountant'],
        passwordHash: 'scrypt$10$8$1$c2FsdA==$aGFzaA==',
        scram: scramKeys,
        createdAt: T,
        updatedAt: T + 1,
        lastRequestAt: T + 2,
      });
      const created = await store.users.create(app.id, input);
      expect(created).toEqual({ ...input, id: expect.any(Number), appId: app.id });
      expect(await store.users.findById(app.id, created.id)).toEqual(created);
      expect(await store.users.findByLogin(app.id, 'full-user')).toEqual(created);
    });

    it('keeps times as epoch ms numbers, milliseconds included', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ createdAt: T, updatedAt: T + 333, lastRequestAt: T + 666 }));
      const found = await store.users.findById(app.id, created.id);
      for (const time of [found?.createdAt, found?.updatedAt, found?.lastRequestAt]) expect(typeof time).toBe('number');
      expect([found?.createdAt, found?.updatedAt, found?.lastRequestAt]).toEqual([T, T + 333, T + 666]);
    });

    it('keeps nulls, no tags and the guest flag', async () => {
      const app = await createApp();
      const input = newUser({ isGuest: true });
      const created = await store.users.create(app.id, input);
      expect(await store.users.findById(app.id, created.id)).toEqual({ ...input, id: created.id, appId: app.id });
      expect(created.tags).toEqual([]);
      expect(created.scram).toBeNull();
      expect(created.isGuest).toBe(true);
    });

    it('finds a user by email case-insensitively, keeping the email as written', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ email: 'Mixed.Case@Example.com' }));
      for (const email of ['Mixed.Case@Example.com', 'mixed.case@example.com', 'MIXED.CASE@EXAMPLE.COM']) {
        expect((await store.users.findByEmail(app.id, email))?.id, email).toBe(created.id);
      }
      expect((await store.users.findByEmail(app.id, 'mixed.case@example.com'))?.email).toBe('Mixed.Case@Example.com');
      expect(await store.users.findByEmail(app.id, 'other@example.com')).toBeUndefined();
    });

    it('answers undefined for an unknown id or login', async () => {
      const app = await createApp();
      expect(await store.users.findById(app.id, 987_654)).toBeUndefined();
      expect(await store.users.findByLogin(app.id, 'nobody-here')).toBeUndefined();
    });

    it('lets many users have no login and no email', async () => {
      const app = await createApp();
      await store.users.create(app.id, newUser());
      await store.users.create(app.id, newUser());
      expect(await countUsers(app.id)).toBe(2);
    });
  });

  describe('users: update', () => {
    it('changes only the given fields', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ login: 'partial', fullName: 'Before', phone: '123', tags: ['keep'] }));
      const updated = await store.users.update(app.id, created.id, { fullName: 'After', updatedAt: T + 5000 });
      const expected = { ...created, fullName: 'After', updatedAt: T + 5000 };
      expect(updated).toEqual(expected);
      expect(await store.users.findById(app.id, created.id)).toEqual(expected);
    });

    it('clears a field set to null', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ phone: '123', website: 'https://example.com' }));
      const updated = await store.users.update(app.id, created.id, { phone: null });
      expect(updated?.phone).toBeNull();
      expect(updated?.website).toBe('https://example.com');
    });

    it('replaces the tag set, and queries see the new tags only', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ tags: ['old-a', 'old-b'] }));
      const updated = await store.users.update(app.id, created.id, { tags: ['new-c'] });
      expect(updated?.tags).toEqual(['new-c']);
      expect((await store.users.findById(app.id, created.id))?.tags).toEqual(['new-c']);
      expect(await countTagged(app.id, ['old-a', 'old-b'])).toBe(0);
      expect(await countTagged(app.id, ['new-c'])).toBe(1);

      const cleared = await store.users.update(app.id, created.id, { tags: [] });
      expect(cleared?.tags).toEqual([]);
      expect(await countTagged(app.id, ['new-c'])).toBe(0);
    });

    it('leaves the tags alone when the change has none', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ tags: ['stay'] }));
      await store.users.update(app.id, created.id, { fullName: 'x' });
      expect((await store.users.findById(app.id, created.id))?.tags).toEqual(['stay']);
      expect(await countTagged(app.id, ['stay'])).toBe(1);
    });

    it('sets and clears the SCRAM keys and the password hash', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser());
      expect((await store.users.update(app.id, created.id, { scram: scramKeys, passwordHash: 'hash-1' }))?.scram).toEqual(scramKeys);
      const found = await store.users.findById(app.id, created.id);
      expect(found?.scram).toEqual(scramKeys);
      expect(found?.passwordHash).toBe('hash-1');
      expect((await store.users.update(app.id, created.id, { scram: null }))?.scram).toBeNull();
      expect((await store.users.findById(app.id, created.id))?.passwordHash).toBe('hash-1');
    });

    it('moves the case-insensitive email lookup with an email change and frees the old email', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ email: 'first@example.com' }));
      await store.users.update(app.id, created.id, { email: 'Second@Example.com' });
      expect(await store.users.findByEmail(app.id, 'first@example.com')).toBeUndefined();
      expect((await store.users.findByEmail(app.id, 'SECOND@example.COM'))?.id).toBe(created.id);
      const other = await store.users.create(app.id, newUser({ email: 'FIRST@example.com' }));
      expect((await store.users.findByEmail(app.id, 'first@example.com'))?.id).toBe(other.id);

      await store.users.update(app.id, created.id, { email: null });
      expect(await store.users.findByEmail(app.id, 'second@example.com')).toBeUndefined();
    });

    it('sets and clears the last request time and the guest flag', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ isGuest: true }));
      const updated = await store.users.update(app.id, created.id, { lastRequestAt: T + 9, isGuest: false });
      expect(updated?.lastRequestAt).toBe(T + 9);
      expect(updated?.isGuest).toBe(false);
    });

    it('answers undefined for an unknown user', async () => {
      const app = await createApp();
      expect(await store.users.update(app.id, 987_654, { fullName: 'x' })).toBeUndefined();
    });

    it('returns the user unchanged for an empty change', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ login: 'empty-change' }));
      expect(await store.users.update(app.id, created.id, {})).toEqual(created);
    });
  });

  describe('users: delete', () => {
    it('deletes the user, its tags and its sessions, and only those', async () => {
      const app = await createApp();
      const doomed = await store.users.create(app.id, newUser({ login: 'doomed', tags: ['doomed-tag'] }));
      const survivor = await store.users.create(app.id, newUser({ login: 'survivor' }));
      const doomedSession = await store.sessions.create(newSession(app.id, doomed.id));
      const survivorSession = await store.sessions.create(newSession(app.id, survivor.id));
      const appSession = await store.sessions.create(newSession(app.id, null));

      expect(await store.users.delete(app.id, doomed.id)).toBe(true);
      expect(await store.users.findById(app.id, doomed.id)).toBeUndefined();
      expect(await store.users.findByLogin(app.id, 'doomed')).toBeUndefined();
      expect(await countTagged(app.id, ['doomed-tag'])).toBe(0);
      expect(await store.sessions.findByTokenHash(doomedSession.tokenHash)).toBeUndefined();
      expect(await store.sessions.findByTokenHash(survivorSession.tokenHash)).toEqual(survivorSession);
      expect(await store.sessions.findByTokenHash(appSession.tokenHash)).toEqual(appSession);
      expect(await store.users.findById(app.id, survivor.id)).toEqual(survivor);
    });

    it('answers false when there is no such user', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser());
      expect(await store.users.delete(app.id, created.id)).toBe(true);
      expect(await store.users.delete(app.id, created.id)).toBe(false);
      expect(await store.users.delete(app.id, 987_654)).toBe(false);
    });

    it('frees the login and email of a deleted user', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ login: 'reused', email: 'reused@example.com' }));
      await store.users.delete(app.id, created.id);
      const again = await store.users.create(app.id, newUser({ login: 'reused', email: 'REUSED@example.com' }));
      expect((await store.users.findByLogin(app.id, 'reused'))?.id).toBe(again.id);
    });
  });

  describe('users: uniqueness and atomic writes', () => {
    it('rejects a duplicate login with UniqueViolation(login), writing nothing', async () => {
      const app = await createApp();
      await store.users.create(app.id, newUser({ login: 'taken' }));
      const error = await rejection(store.users.create(app.id, newUser({ login: 'taken', email: 'new@example.com', tags: ['from-failed-write'] })));
      expect(error).toBeInstanceOf(UniqueViolation);
      expect((error as UniqueViolation).field).toBe('login');
      expect(await countUsers(app.id)).toBe(1);
      expect(await store.users.findByEmail(app.id, 'new@example.com')).toBeUndefined();
      // A later user (which may reuse the failed row's id) must not inherit tags from the failed write.
      const next = await store.users.create(app.id, newUser({ login: 'next' }));
      expect(next.tags).toEqual([]);
      expect(await countTagged(app.id, ['from-failed-write'])).toBe(0);
    });

    it('rejects an email differing only in case with UniqueViolation(email), writing nothing', async () => {
      const app = await createApp();
      await store.users.create(app.id, newUser({ email: 'owner@example.com' }));
      const error = await rejection(store.users.create(app.id, newUser({ login: 'second', email: 'Owner@EXAMPLE.com', tags: ['failed-email-write'] })));
      expect(error).toBeInstanceOf(UniqueViolation);
      expect((error as UniqueViolation).field).toBe('email');
      expect(await countUsers(app.id)).toBe(1);
      expect(await store.users.findByLogin(app.id, 'second')).toBeUndefined();
      const next = await store.users.create(app.id, newUser());
      expect(next.tags).toEqual([]);
      expect(await countTagged(app.id, ['failed-email-write'])).toBe(0);
    });

    it('rejects an update to a taken login or email, leaving the whole row and its tags unchanged', async () => {
      const app = await createApp();
      await store.users.create(app.id, newUser({ login: 'holder', email: 'holder@example.com' }));
      const mover = await store.users.create(app.id, newUser({ login: 'mover', email: 'mover@example.com', fullName: 'Mover', tags: ['mover-tag'] }));

      const loginError = await rejection(store.users.update(app.id, mover.id, { login: 'holder', fullName: 'Changed', tags: ['changed-tag'] }));
      expect(loginError).toBeInstanceOf(UniqueViolation);
      expect((loginError as UniqueViolation).field).toBe('login');

      const emailError = await rejection(store.users.update(app.id, mover.id, { email: 'HOLDER@example.com', fullName: 'Changed', tags: ['changed-tag'] }));
      expect(emailError).toBeInstanceOf(UniqueViolation);
      expect((emailError as UniqueViolation).field).toBe('email');

      expect(await store.users.findById(app.id, mover.id)).toEqual(mover);
      expect(await countTagged(app.id, ['changed-tag'])).toBe(0);
      expect(await countTagged(app.id, ['mover-tag'])).toBe(1);
    });

    it('writes a user and its tags all or nothing: a failing tag write leaves no user', async () => {
      const app = await createApp();
      // The same tag twice makes the tag rows collide after the user row is written.
      await expect(store.users.create(app.id, newUser({ login: 'half-written', tags: ['twice', 'twice'] }))).rejects.toThrow();
      expect(await store.users.findByLogin(app.id, 'half-written')).toBeUndefined();
      expect(await countUsers(app.id)).toBe(0);
      expect(await countTagged(app.id, ['twice'])).toBe(0);
    });

    it('updates a user and its tags all or nothing: a failing tag write leaves the row unchanged', async () => {
      const app = await createApp();
      const created = await store.users.create(app.id, newUser({ login: 'atomic-update', fullName: 'Before', tags: ['before'] }));
      await expect(store.users.update(app.id, created.id, { fullName: 'After', tags: ['twice', 'twice'] })).rejects.toThrow();
      expect(await store.users.findById(app.id, created.id)).toEqual(created);
      expect(await countTagged(app.id, ['before'])).toBe(1);
      expect(await countTagged(app.id, ['twice'])).toBe(0);
    });

    it('scopes uniqueness to the application', async () => {
      const appA = await createApp();
      const appB = await createApp();
      const a = await store.users.create(appA.id, newUser({ login: 'same-login', email: 'same@example.com' }));
      const b = await store.users.create(appB.id, newUser({ login: 'same-login', email: 'SAME@example.com' }));
      expect(a.id).not.toBe(b.id);
      expect((await store.users.findByLogin(appB.id, 'same-login'))?.id).toBe(b.id);
      expect((await store.users.findByEmail(appA.id, 'same@example.com'))?.id).toBe(a.id);
    });
  });

  describe('users.query', () => {
    let appId: number;
    const users = new Map<string, UserRecord>();
    const idOf = (login: string): number => {
      const user = users.get(login);
      if (!user) throw new Error(`no fixture user ${login}`);
      return user.id;
    };

    beforeAll(async () => {
      appId = (await createApp()).id;
      const fixtures: Partial<NewUser>[] = [
        { login: 'alpha', email: 'alpha@example.com', fullName: 'Alpha One', createdAt: T + 1000, tags: ['red', 'blue'], externalUserId: 10, timezone: 60, lastRequestAt: T + 10 },
        { login: 'beta', fullName: '100% Beta', createdAt: T + 2000, tags: ['blue'], timezone: -120 },
        { login: 'gamma_1', fullName: 'Gamma_Under', createdAt: T + 3000 },
        { login: 'gammax1', fullName: 'gammaX', createdAt: T + 4000, tags: ['green'] },
        { login: 'delta', fullName: null, createdAt: T + 5000, tags: ['red'] },
        { login: 'back\\slash', fullName: 'Back\\Slash', createdAt: T + 6000 },
      ];
      for (const fixture of fixtures) {
        const user = await store.users.create(appId, newUser(fixture));
        users.set(user.login ?? '', user);
      }
      // A user of another application, carrying the same tags, must never show up here.
      const other = await createApp();
      await store.users.create(other.id, newUser({ login: 'alpha-elsewhere', fullName: 'Alpha Elsewhere', tags: ['red', 'blue', 'green'], createdAt: T + 1000 }));
    });

    const all = ['alpha', 'beta', 'gamma_1', 'gammax1', 'delta', 'back\\slash'];

    /** Logins matching the conditions, in the default order (id ascending = creation order). */
    async function logins(conditions: UserCondition[], extra: Partial<UserQuery> = {}): Promise<string[]> {
      const page = await store.users.query(appId, { conditions, limit: 100, offset: 0, ...extra });
      if (extra.limit === undefined && extra.offset === undefined) expect(page.total).toBe(page.users.length);
      for (const user of page.users) expect(user.appId).toBe(appId);
      return page.users.map((user) => user.login ?? '');
    }

    it('returns every user of the application without conditions, in id order', async () => {
      expect(await logins([])).toEqual(all);
    });

    it('eq matches strings, ids, integer fields and exact ms times', async () => {
      expect(await logins([{ field: 'login', op: 'eq', value: 'beta' }])).toEqual(['beta']);
      expect(await logins([{ field: 'id', op: 'eq', value: idOf('gamma_1') }])).toEqual(['gamma_1']);
      expect(await logins([{ field: 'external_user_id', op: 'eq', value: 10 }])).toEqual(['alpha']);
      expect(await logins([{ field: 'timezone', op: 'eq', value: -120 }])).toEqual(['beta']);
      expect(await logins([{ field: 'created_at', op: 'eq', value: T + 1000 }])).toEqual(['alpha']);
      expect(await logins([{ field: 'login', op: 'eq', value: 'nobody' }])).toEqual([]);
    });

    it('ne excludes the value and keeps users where the field is empty', async () => {
      expect(await logins([{ field: 'login', op: 'ne', value: 'beta' }])).toEqual(all.filter((login) => login !== 'beta'));
      expect(await logins([{ field: 'full_name', op: 'ne', value: 'gammaX' }])).toEqual(all.filter((login) => login !== 'gammax1'));
    });

    it('gt, lt, gte and lte compare dates in epoch ms', async () => {
      expect(await logins([{ field: 'created_at', op: 'gt', value: T + 3000 }])).toEqual(['gammax1', 'delta', 'back\\slash']);
      expect(await logins([{ field: 'created_at', op: 'gte', value: T + 3000 }])).toEqual(['gamma_1', 'gammax1', 'delta', 'back\\slash']);
      expect(await logins([{ field: 'created_at', op: 'lt', value: T + 2000 }])).toEqual(['alpha']);
      expect(await logins([{ field: 'created_at', op: 'lte', value: T + 2000 }])).toEqual(['alpha', 'beta']);
      expect(await logins([{ field: 'created_at', op: 'gt', value: T + 999 }, { field: 'created_at', op: 'lt', value: T + 1001 }])).toEqual(['alpha']);
      expect(await logins([{ field: 'last_request_at', op: 'gt', value: 0 }])).toEqual(['alpha']);
    });

    it('between is inclusive at both ends', async () => {
      expect(await logins([{ field: 'created_at', op: 'between', low: T + 2000, high: T + 4000 }])).toEqual(['beta', 'gamma_1', 'gammax1']);
      expect(await logins([{ field: 'login', op: 'between', low: 'beta', high: 'delta' }])).toEqual(['beta', 'delta']);
    });

    it('in matches any listed value; an empty list matches nothing', async () => {
      expect(await logins([{ field: 'id', op: 'in', values: [idOf('gamma_1'), idOf('alpha')] }])).toEqual(['alpha', 'gamma_1']);
      expect(await logins([{ field: 'login', op: 'in', values: ['delta', 'beta', 'nobody'] }])).toEqual(['beta', 'delta']);
      expect(await logins([{ field: 'login', op: 'in', values: [] }])).toEqual([]);
    });

    it('nin excludes the listed values, keeps empty fields; an empty list excludes nothing', async () => {
      expect(await logins([{ field: 'login', op: 'nin', values: ['alpha', 'beta'] }])).toEqual(['gamma_1', 'gammax1', 'delta', 'back\\slash']);
      expect(await logins([{ field: 'full_name', op: 'nin', values: ['Alpha One', '100% Beta'] }])).toEqual(['gamma_1', 'gammax1', 'delta', 'back\\slash']);
      expect(await logins([{ field: 'id', op: 'nin', values: [] }])).toEqual(all);
    });

    it('startsWith matches a prefix, taking % and _ in the input literally', async () => {
      expect(await logins([{ field: 'login', op: 'startsWith', value: 'gam' }])).toEqual(['gamma_1', 'gammax1']);
      expect(await logins([{ field: 'login', op: 'startsWith', value: 'gamma_' }])).toEqual(['gamma_1']);
      expect(await logins([{ field: 'full_name', op: 'startsWith', value: '100%' }])).toEqual(['beta']);
      expect(await logins([{ field: 'full_name', op: 'startsWith', value: '1%' }])).toEqual([]);
      expect(await logins([{ field: 'full_name', op: 'startsWith', value: '%' }])).toEqual([]);
      expect(await logins([{ field: 'full_name', op: 'startsWith', value: '_' }])).toEqual([]);
      expect(await logins([{ field: 'login', op: 'startsWith', value: 'back\\' }])).toEqual(['back\\slash']);
      expect(await logins([{ field: 'login', op: 'startsWith', value: 'lpha' }])).toEqual([]);
    });

    it('contains matches a substring, taking %, _ and \\ in the input literally', async () => {
      expect(await logins([{ field: 'full_name', op: 'contains', value: 'ph' }])).toEqual(['alpha']);
      expect(await logins([{ field: 'full_name', op: 'contains', value: '%' }])).toEqual(['beta']);
      expect(await logins([{ field: 'full_name', op: 'contains', value: '_' }])).toEqual(['gamma_1']);
      expect(await logins([{ field: 'full_name', op: 'contains', value: '\\' }])).toEqual(['back\\slash']);
      expect(await logins([{ field: 'full_name', op: 'contains', value: 'zzz' }])).toEqual([]);
    });

    it('startsWith and contains ignore case the same way on every engine', async () => {
      expect(await logins([{ field: 'full_name', op: 'startsWith', value: 'GAMMA' }])).toEqual(['gamma_1', 'gammax1']);
      expect(await logins([{ field: 'full_name', op: 'contains', value: 'ALPHA O' }])).toEqual(['alpha']);
    });

    it('startsWith and contains also work on an integer field (id)', async () => {
      const prefix = String(idOf('alpha'));
      const found = await logins([{ field: 'id', op: 'startsWith', value: prefix }]);
      expect(found).toContain('alpha');
      for (const login of found) expect(String(idOf(login)).startsWith(prefix)).toBe(true);
      expect(await logins([{ field: 'id', op: 'contains', value: String(idOf('beta')) }])).toContain('beta');
    });

    it('tags hasAny matches users having any of the tags; hasNone those having none', async () => {
      expect(await logins([{ field: 'tags', op: 'hasAny', values: ['red'] }])).toEqual(['alpha', 'delta']);
      expect(await logins([{ field: 'tags', op: 'hasAny', values: ['red', 'green'] }])).toEqual(['alpha', 'gammax1', 'delta']);
      expect(await logins([{ field: 'tags', op: 'hasAny', values: ['unknown-tag'] }])).toEqual([]);
      expect(await logins([{ field: 'tags', op: 'hasNone', values: ['blue'] }])).toEqual(['gamma_1', 'gammax1', 'delta', 'back\\slash']);
      expect(await logins([{ field: 'tags', op: 'hasNone', values: ['red', 'green'] }])).toEqual(['beta', 'gamma_1', 'back\\slash']);
    });

    it('tags hasAny with no tags matches nothing; hasNone with no tags excludes nothing', async () => {
      expect(await logins([{ field: 'tags', op: 'hasAny', values: [] }])).toEqual([]);
      expect(await logins([{ field: 'tags', op: 'hasNone', values: [] }])).toEqual(all);
    });

    it('combines conditions with AND', async () => {
      expect(await logins([{ field: 'tags', op: 'hasAny', values: ['red'] }, { field: 'created_at', op: 'gt', value: T + 1000 }])).toEqual(['delta']);
      expect(await logins([{ field: 'login', op: 'startsWith', value: 'gamma' }, { field: 'tags', op: 'hasNone', values: ['green'] }])).toEqual(['gamma_1']);
    });

    it('sorts ascending and descending on the requested field', async () => {
      const byName = ['alpha', 'back\\slash', 'beta', 'delta', 'gamma_1', 'gammax1'];
      expect(await logins([], { sort: { field: 'login', direction: 'asc' } })).toEqual(byName);
      expect(await logins([], { sort: { field: 'login', direction: 'desc' } })).toEqual([...byName].reverse());
      expect(await logins([], { sort: { field: 'created_at', direction: 'desc' } })).toEqual([...all].reverse());
      expect(await logins([], { sort: { field: 'id', direction: 'desc' } })).toEqual([...all].reverse());
      expect(await logins([{ field: 'tags', op: 'hasAny', values: ['blue'] }], { sort: { field: 'timezone', direction: 'asc' } })).toEqual(['beta', 'alpha']);
    });

    it('pages with limit and offset, counting every match in total', async () => {
      const page = await store.users.query(appId, { conditions: [], limit: 2, offset: 1 });
      expect(page.total).toBe(6);
      expect(page.users.map((user) => user.login)).toEqual(['beta', 'gamma_1']);

      const sorted = await store.users.query(appId, { conditions: [], sort: { field: 'created_at', direction: 'desc' }, limit: 2, offset: 0 });
      expect(sorted.users.map((user) => user.login)).toEqual(['back\\slash', 'delta']);

      const filtered = await store.users.query(appId, { conditions: [{ field: 'tags', op: 'hasAny', values: ['blue'] }], limit: 1, offset: 1 });
      expect(filtered.total).toBe(2);
      expect(filtered.users.map((user) => user.login)).toEqual(['beta']);

      const beyond = await store.users.query(appId, { conditions: [], limit: 10, offset: 50 });
      expect(beyond).toEqual({ total: 6, users: [] });
    });

    it('returns full records with their tags', async () => {
      const page = await store.users.query(appId, { conditions: [{ field: 'login', op: 'eq', value: 'alpha' }], limit: 10, offset: 0 });
      expect(page.users).toEqual([users.get('alpha')]);
    });
  });

  describe('tenant isolation', () => {
    it('hides a user of app A from every user method called with app B', async () => {
      const appA = await createApp();
      const appB = await createApp();
      const user = await store.users.create(appA.id, newUser({ login: 'tenant-a', email: 'tenant@example.com', fullName: 'Tenant A', tags: ['tenant-tag'] }));
      const ownB = await store.users.create(appB.id, newUser({ login: 'tenant-b', tags: ['tenant-tag'] }));

      expect(await store.users.findById(appB.id, user.id)).toBeUndefined();
      expect(await store.users.findByLogin(appB.id, 'tenant-a')).toBeUndefined();
      expect(await store.users.findByEmail(appB.id, 'tenant@example.com')).toBeUndefined();

      const everything = await store.users.query(appB.id, { conditions: [], limit: 100, offset: 0 });
      expect(everything.users.map((u) => u.id)).toEqual([ownB.id]);
      expect(everything.total).toBe(1);
      for (const condition of [
        { field: 'id', op: 'eq', value: user.id },
        { field: 'id', op: 'in', values: [user.id] },
        { field: 'login', op: 'startsWith', value: 'tenant-a' },
        { field: 'full_name', op: 'contains', value: 'Tenant A' },
      ] satisfies UserCondition[]) {
        expect(await store.users.query(appB.id, { conditions: [condition], limit: 100, offset: 0 }), JSON.stringify(condition)).toEqual({ total: 0, users: [] });
      }
      const tagged = await store.users.query(appB.id, { conditions: [{ field: 'tags', op: 'hasAny', values: ['tenant-tag'] }], limit: 100, offset: 0 });
      expect(tagged.users.map((u) => u.id)).toEqual([ownB.id]);

      expect(await store.users.update(appB.id, user.id, { fullName: 'Hijacked', tags: [] })).toBeUndefined();
      expect(await store.users.delete(appB.id, user.id)).toBe(false);
      expect(await store.users.findById(appA.id, user.id)).toEqual(user);
      expect(await countTagged(appA.id, ['tenant-tag'])).toBe(1);
    });

    it('keeps a session of app A out of reach of session methods called with app B', async () => {
      const appA = await createApp();
      const appB = await createApp();
      const user = await store.users.create(appA.id, newUser());
      const session = await store.sessions.create(newSession(appA.id, user.id));

      await store.sessions.bindUser(appB.id, session.id, null, T + 50);
      await store.sessions.delete(appB.id, session.id);
      expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual(session);

      // Deleting app B's user with the same id as nothing in B leaves app A's sessions alone.
      expect(await store.users.delete(appB.id, user.id)).toBe(false);
      expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual(session);
    });
  });

  describe('sessions', () => {
    it('creates a session and finds it by token hash, with times as epoch ms numbers', async () => {
      const app = await createApp();
      const user = await store.users.create(app.id, newUser());
      const input = newSession(app.id, user.id, { createdAt: T, updatedAt: T + 1, expiresAt: T + 7_200_000, hardExpiresAt: T + 86_400_000, ts: 1_700_000_000, nonce: 9_007_199_254 });
      const created = await store.sessions.create(input);
      expect(created).toEqual({ ...input, id: expect.any(Number) });
      const found = await store.sessions.findByTokenHash(input.tokenHash);
      expect(found).toEqual(created);
      for (const value of [found?.createdAt, found?.updatedAt, found?.expiresAt, found?.hardExpiresAt, found?.ts, found?.nonce]) {
        expect(typeof value).toBe('number');
      }
    });

    it('keeps an application session (no user, no hard expiry)', async () => {
      const app = await createApp();
      const input = newSession(app.id, null);
      const created = await store.sessions.create(input);
      expect(await store.sessions.findByTokenHash(input.tokenHash)).toEqual({ ...input, id: created.id });
    });

    it('answers undefined for an unknown token hash', async () => {
      expect(await store.sessions.findByTokenHash('no-such-hash')).toBeUndefined();
    });

    it('keeps a token’s SCRAM keys; scramKeysOf lists the user’s unexpired keyed sessions newest first, per app', async () => {
      const app = await createApp();
      const otherApp = await createApp();
      const user = await store.users.create(app.id, newUser());
      const keys = (n: number) => ({ salt: 'c2FsdA==', iterations: 4096, storedKey: `stored-${n}`, serverKey: `server-${n}` });
      const first = await store.sessions.create(newSession(app.id, user.id, { scram: keys(1) }));
      expect(await store.sessions.findByTokenHash(first.tokenHash)).toEqual({ ...first, scram: keys(1) });
      await store.sessions.create(newSession(app.id, user.id, { scram: keys(2) }));
      await store.sessions.create(newSession(app.id, user.id));
      await store.sessions.create(newSession(app.id, user.id, { scram: keys(3), expiresAt: T }));
      await store.sessions.create(newSession(otherApp.id, user.id, { scram: keys(4) }));
      expect(await store.sessions.scramKeysOf(app.id, user.id, T)).toEqual([keys(2), keys(1)]);
      expect(await store.sessions.scramKeysOf(otherApp.id, user.id, T)).toEqual([keys(4)]);
      expect(await store.sessions.scramKeysOf(app.id, user.id + 1000, T)).toEqual([]);
    });

    it('touch slides the expiry and stamps the user’s last request time', async () => {
      const app = await createApp();
      const user = await store.users.create(app.id, newUser({ lastRequestAt: null }));
      const other = await store.users.create(app.id, newUser());
      const session = await store.sessions.create(newSession(app.id, user.id, { expiresAt: T + 1000 }));
      const otherSession = await store.sessions.create(newSession(app.id, other.id, { expiresAt: T + 1000 }));

      await store.sessions.touch(session, FAR - 1, T + 500);
      expect((await store.sessions.findByTokenHash(session.tokenHash))?.expiresAt).toBe(FAR - 1);
      expect((await store.users.findById(app.id, user.id))?.lastRequestAt).toBe(T + 500);
      expect((await store.sessions.findByTokenHash(otherSession.tokenHash))?.expiresAt).toBe(T + 1000);
      expect((await store.users.findById(app.id, other.id))?.lastRequestAt).toBeNull();
    });

    it('touch of an application session only slides its expiry', async () => {
      const app = await createApp();
      const session = await store.sessions.create(newSession(app.id, null, { expiresAt: T + 1000 }));
      await store.sessions.touch(session, T + 9000, T + 500);
      expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual({ ...session, expiresAt: T + 9000 });
    });

    it('bindUser binds and unbinds a user, stamping updated_at', async () => {
      const app = await createApp();
      const user = await store.users.create(app.id, newUser());
      const session = await store.sessions.create(newSession(app.id, null));
      await store.sessions.bindUser(app.id, session.id, user.id, T + 100);
      expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual({ ...session, userId: user.id, updatedAt: T + 100 });
      await store.sessions.bindUser(app.id, session.id, null, T + 200);
      expect(await store.sessions.findByTokenHash(session.tokenHash)).toEqual({ ...session, userId: null, updatedAt: T + 200 });
    });

    it('delete removes only that session', async () => {
      const app = await createApp();
      const doomed = await store.sessions.create(newSession(app.id, null));
      const kept = await store.sessions.create(newSession(app.id, null));
      await store.sessions.delete(app.id, doomed.id);
      expect(await store.sessions.findByTokenHash(doomed.tokenHash)).toBeUndefined();
      expect(await store.sessions.findByTokenHash(kept.tokenHash)).toEqual(kept);
    });
  });

  // Sweepers act across applications, so they get a store of their own: other tests' guests and sessions
  // cannot change their counts. The two tests use separate time ranges, so their order does not matter.
  describe('sweepers', () => {
    let sweepOpened: OpenedStore | undefined;
    let sweep: Store;

    beforeAll(async () => {
      sweepOpened = await openStore(kind);
      sweep = sweepOpened.store;
      await sweep.migrate();
    });
    afterAll(async () => {
      await sweepOpened?.dispose();
    });

    it('sessions.deleteExpired deletes sessions that expired before now, across applications', async () => {
      const now = 1_500_000_000_000;
      const appA = await createApp(sweep);
      const appB = await createApp(sweep);
      const user = await sweep.users.create(appA.id, newUser());
      const expiredA = await sweep.sessions.create(newSession(appA.id, user.id, { expiresAt: now - 1 }));
      const expiredB = await sweep.sessions.create(newSession(appB.id, null, { expiresAt: now - 60_000 }));
      const live = await sweep.sessions.create(newSession(appA.id, null, { expiresAt: now + 1 }));

      expect(await sweep.sessions.deleteExpired(now)).toBe(2);
      expect(await sweep.sessions.findByTokenHash(expiredA.tokenHash)).toBeUndefined();
      expect(await sweep.sessions.findByTokenHash(expiredB.tokenHash)).toBeUndefined();
      expect(await sweep.sessions.findByTokenHash(live.tokenHash)).toEqual(live);
      expect(await sweep.users.findById(appA.id, user.id)).toEqual(user);
      expect(await sweep.sessions.deleteExpired(now)).toBe(0);
    });

    it('users.deleteExpiredGuests deletes guests without a live session, keeps the rest and never touches non-guests', async () => {
      const now = 1_600_000_000_000;
      const appA = await createApp(sweep);
      const appB = await createApp(sweep);
      const guest = (appId: number, login: string) => sweep.users.create(appId, newUser({ login, isGuest: true, tags: ['guest-tag'] }));

      const expiredGuest = await guest(appA.id, 'guest-expired');
      const expiredGuestSession = await sweep.sessions.create(newSession(appA.id, expiredGuest.id, { expiresAt: now - 1 }));
      const bareGuest = await guest(appB.id, 'guest-without-sessions');
      const liveGuest = await guest(appA.id, 'guest-live');
      await sweep.sessions.create(newSession(appA.id, liveGuest.id, { expiresAt: now - 5000 }));
      const liveGuestSession = await sweep.sessions.create(newSession(appA.id, liveGuest.id, { expiresAt: now + 1000 }));
      const liveGuestB = await guest(appB.id, 'guest-live-b');
      await sweep.sessions.create(newSession(appB.id, liveGuestB.id, { expiresAt: now + 1 }));
      const member = await sweep.users.create(appA.id, newUser({ login: 'member-without-sessions' }));
      const lapsedMember = await sweep.users.create(appB.id, newUser({ login: 'member-expired' }));
      const lapsedMemberSession = await sweep.sessions.create(newSession(appB.id, lapsedMember.id, { expiresAt: now - 1 }));

      expect(await sweep.users.deleteExpiredGuests(now)).toBe(2);
      expect(await sweep.users.findById(appA.id, expiredGuest.id)).toBeUndefined();
      expect(await sweep.sessions.findByTokenHash(expiredGuestSession.tokenHash)).toBeUndefined();
      expect(await sweep.users.findById(appB.id, bareGuest.id)).toBeUndefined();
      expect(await countTagged(appA.id, ['guest-tag'], sweep)).toBe(1);
      expect(await countTagged(appB.id, ['guest-tag'], sweep)).toBe(1);

      expect((await sweep.users.findById(appA.id, liveGuest.id))?.login).toBe('guest-live');
      expect(await sweep.sessions.findByTokenHash(liveGuestSession.tokenHash)).toEqual(liveGuestSession);
      expect((await sweep.users.findById(appB.id, liveGuestB.id))?.login).toBe('guest-live-b');
      expect(await sweep.users.findById(appA.id, member.id)).toEqual(member);
      expect(await sweep.users.findById(appB.id, lapsedMember.id)).toEqual(lapsedMember);
      expect(await sweep.sessions.findByTokenHash(lapsedMemberSession.tokenHash)).toEqual(lapsedMemberSession);

      expect(await sweep.users.deleteExpiredGuests(now)).toBe(0);
    });
  });
});
