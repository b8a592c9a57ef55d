import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../../ports/store.js';
import { privateDialogName } from './private-names.js';

const user = (fields: Partial<UserRecord>): UserRecord => ({ id: 7, login: null, fullName: null, ...fields }) as UserRecord;

describe('privateDialogName [A-53]', () => {
  it('is the full_name, else the login, else the id: never null', () => {
    expect(privateDialogName(user({ fullName: 'Bob Builder', login: 'bob' }), 7)).toBe('Bob Builder');
    expect(privateDialogName(user({ fullName: '   ', login: 'bob' }), 7)).toBe('bob');
    expect(privateDialogName(user({ fullName: null, login: null }), 7)).toBe('7');
    expect(privateDialogName(undefined, 7)).toBe('7');
  });
});
