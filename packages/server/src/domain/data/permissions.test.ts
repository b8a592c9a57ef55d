import { describe, expect, it } from 'vitest';
import type { DataClassRecord } from '../../ports/data-store.js';
import { defaultClassPermissions, defaultRecordPermissions, mayCreate, readClassPermissions, readRecordPermissions, scopeFor } from './permissions.js';

const classWith = (permissions: unknown): DataClassRecord => {
  const errors: Record<string, string[]> = {};
  const parsed = readClassPermissions(permissions, errors);
  expect(errors).toEqual({});
  return { id: 1, appId: 1, name: 'Note', fields: [], permissions: parsed, createdAt: 0, updatedAt: 0 };
};

describe('custom-object permissions', () => {
  it('turns each class rule into the scope the store applies, for users, groups and application sessions', () => {
    const open = classWith({ read: { access: 'open', level: 'class' } });
    expect(scopeFor(open, 'read', 5, [])).toEqual({ kind: 'all' });
    expect(scopeFor(open, 'read', null, [])).toEqual({ kind: 'all' });
    const owner = classWith({ update: { access: 'owner', level: 'class' } });
    expect(scopeFor(owner, 'update', 5, [])).toEqual({ kind: 'owner', userId: 5 });
    expect(scopeFor(owner, 'update', null, [])).toEqual({ kind: 'none' });
    expect(scopeFor(classWith({ delete: { access: 'not_allowed', level: 'class' } }), 'delete', 5, [])).toEqual({ kind: 'none' });
    const users = classWith({ read: { access: 'open_for_users_ids', ids: '5, 6', level: 'class' } });
    expect(scopeFor(users, 'read', 6, [])).toEqual({ kind: 'all' });
    expect(scopeFor(users, 'read', 7, [])).toEqual({ kind: 'none' });
    const groups = classWith({ read: { access: 'open_for_groups', user_groups: ['staff'], level: 'class' } });
    expect(scopeFor(groups, 'read', 7, ['staff'])).toEqual({ kind: 'all' });
    expect(scopeFor(groups, 'read', 7, ['guests'])).toEqual({ kind: 'none' });
    expect(scopeFor(classWith(undefined), 'read', 7, ['g'])).toEqual({ kind: 'recordRule', action: 'read', userId: 7, groups: ['g'] });
    expect(scopeFor(classWith(undefined), 'read', null, ['g'])).toEqual({ kind: 'recordRule', action: 'read', userId: 0, groups: [] });
  });

  it('checks create against the class rule only', () => {
    expect(mayCreate(defaultClassPermissions, 1, [])).toBe(true);
    expect(mayCreate(classWith({ create: { access: 'not_allowed' } }).permissions, 1, [])).toBe(false);
    expect(mayCreate(classWith({ create: { access: 'open_for_groups', groups: 'a,b' } }).permissions, 1, ['b'])).toBe(true);
  });

  it('reads record rules in all three spellings and refuses what records cannot hold', () => {
    const errors: Record<string, string[]> = {};
    const read = readRecordPermissions(
      { read: { access: 'open_for_users_ids', users_ids: ['3', 3, '4'] }, update: { access: 'open_for_groups', groups: 'a, b' }, delete: { access: 'open' } },
      defaultRecordPermissions,
      errors,
    );
    expect(errors).toEqual({});
    expect(read).toEqual({
      read: { access: 'open_for_users_ids', userIds: [3, 4], groups: [] },
      update: { access: 'open_for_groups', userIds: [], groups: ['a', 'b'] },
      delete: { access: 'open', userIds: [], groups: [] },
    });
    const bad: Record<string, string[]> = {};
    readRecordPermissions({ read: { access: 'not_allowed' }, update: { access: 'open_for_users_ids', ids: ['x'] }, delete: 'owner' }, defaultRecordPermissions, bad);
    expect(Object.keys(bad).sort()).toEqual(['permissions.delete', 'permissions.read.access', 'permissions.update.ids']);
    const classErrors: Record<string, string[]> = {};
    readClassPermissions({ read: { access: 'not_allowed', level: 'record' }, create: { access: 'owner' }, update: { access: 'open', level: 'row' } }, classErrors);
    expect(Object.keys(classErrors).sort()).toEqual(['permissions.create.access', 'permissions.read.level', 'permissions.update.level']);
  });
});
