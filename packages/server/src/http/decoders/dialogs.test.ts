import { describe, expect, it } from 'vitest';
import { keepExtensions, withExtensionErrors } from '../../domain/dialogs/extensions.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { decodeAdminsChange, decodeCreateDialog, decodeDialogList, decodeNotificationsSetting, decodeOccupantsPage, decodeUpdateDialog } from './dialogs.js';

describe('dialog decoders', () => {
  it('decode a create body leniently, collecting field errors in body order', () => {
    expect(decodeCreateDialog({ type: '2', name: 'Team', occupants_ids: '5, 7', admins_ids: [5], extensions: { a: 1, b: null }, permissions: { allow_preview: 1 } })).toEqual({
      type: 2, name: 'Team', occupantIds: [5, 7], adminIds: [5], extensions: { a: 1 }, permissions: { allow_preview: true }, description: null, photo: null, invalid: {},
    });
    const bad = decodeCreateDialog({ photo: 7, permissions: 'x', name: '', occupants_ids: ['x'] });
    expect(Object.keys(bad.invalid ?? {})).toEqual(['type', 'occupants_ids', 'permissions']);
    expect(decodeCreateDialog({ type: 3 }).occupantIds).toBeUndefined();
    expect(() => decodeCreateDialog([1])).toThrow(DomainFailure);
  });

  it('keep errors the contract answers after the access check in the command', () => {
    expect(decodeUpdateDialog('text').invalid).toEqual({ base: ['body must be an object'] });
    expect(decodeUpdateDialog({ name: null, pull_all: { occupants_ids: [3] } })).toEqual({ name: null, push: { occupants: [], admins: [], pinned: [] }, pull: { occupants: [3], admins: [], pinned: [] }, invalid: {} });
    expect(decodeNotificationsSetting({ enabled: 'maybe' }).invalid).toEqual({ enabled: ['must be 1 or 0'] });
    expect(() => decodeNotificationsSetting({})).toThrow(DomainFailure);
    expect(decodeOccupantsPage({ limit: '-1', skip: 'x' }).invalid).toEqual({ limit: [expect.any(String)] });
    expect(decodeDialogList({ sort_asc: 'nope', count: '1' })).toMatchObject({ count: true, invalid: { sort_asc: [expect.any(String)] } });
  });

  it('answer a bad admins body at once', () => {
    expect(decodeAdminsChange({ push_all: { admins_ids: [4] }, pull_all: { admins_ids: '5' } })).toEqual({ add: [4], remove: [5] });
    expect(() => decodeAdminsChange({ push_all: [] })).toThrow(DomainFailure);
  });
});

describe('dialog extensions', () => {
  it('keep declared fields only, as strings, and place their errors where the body had them', () => {
    const errors: string[] = [];
    expect(keepExtensions({ a: 1, b: { c: 2 }, zz: 'x' }, ['a', 'b'], errors)).toEqual({ a: '1', b: '{"c":2}' });
    expect(errors).toEqual([]);
    keepExtensions({ 'bad key': 1, a: 1, b: 2, c: 3 }, [], errors);
    expect(errors).toHaveLength(2);
    const merged = withExtensionErrors({ type: ['t'], permissions: ['p'], photo: ['f'] }, errors, ['permissions', 'description', 'photo']);
    expect(Object.keys(merged)).toEqual(['type', 'extensions', 'permissions', 'photo']);
    expect(Object.keys(withExtensionErrors({ name: ['n'] }, ['e'], ['permissions']))).toEqual(['name', 'extensions']);
  });
});
