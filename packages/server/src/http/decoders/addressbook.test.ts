import { describe, expect, it } from 'vitest';
import { DomainFailure } from '../../domain/shared/failure.js';
import { decodeRegisteredQuery, decodeUpload } from './addressbook.js';

function failure(run: () => unknown): DomainFailure {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainFailure) return error;
    throw error;
  }
  throw new Error('expected a DomainFailure');
}

describe('decodeUpload', () => {
  it('turns contacts into ordered changes and reports bad ones by 0-based position', () => {
    const parsed = decodeUpload(
      {
        contacts: [
          { name: 'Ann', phone: '5550100200' },
          { name: '', phone: '5550100201' },
          { phone: '+1 555 010 0202', destroy: 1 },
          'not a contact',
          { name: 'Bob', phone: '12' },
          { name: 'Cy', phone: '5550100203', destroy: 'yes' },
          { name: 'x'.repeat(256), phone: 'abc' },
        ],
        force: '1',
        udid: 'device-1',
      },
      100,
    );
    expect(parsed.book).toBe('device-1');
    expect(parsed.replace).toBe(true);
    expect(parsed.changes).toEqual([
      { kind: 'upsert', name: 'Ann', phone: '5550100200', phoneKey: '5550100200' },
      { kind: 'delete', phoneKey: '15550100202' },
    ]);
    expect(parsed.rejected).toEqual({
      '1': ["Field 'name' is required."],
      '3': ['Invalid fields set'],
      '4': ["Length of 'phone' field should be min: 10 and max: 15."],
      '5': ["Field 'destroy' should be 1."],
      '6': [expect.stringContaining('only digits'), "Length of 'name' field should be min: 1 and max: 255."],
    });
  });

  it('uses the global book and merges without udid and force; destroy needs no name', () => {
    const parsed = decodeUpload({ contacts: [{ phone: '5550100200', destroy: '1' }, { name: 'Ann', phone: '5550100201', destroy: 0 }] }, 10);
    expect(parsed).toEqual({
      book: '',
      replace: false,
      changes: [
        { kind: 'delete', phoneKey: '5550100200' },
        { kind: 'upsert', name: 'Ann', phone: '5550100201', phoneKey: '5550100201' },
      ],
      rejected: {},
    });
  });

  it('fails the whole request with every field error when contacts, force or udid are wrong', () => {
    expect(failure(() => decodeUpload({}, 10)).detail.fields).toEqual({ contacts: ['cannot be blank'] });
    expect(failure(() => decodeUpload(undefined, 10)).detail.fields).toEqual({ contacts: ['cannot be blank'] });
    expect(failure(() => decodeUpload({ contacts: { name: 'a' }, force: 'always', udid: 'u'.repeat(65) }, 10)).detail.fields).toEqual({
      contacts: ['should be an array of contacts'],
      force: ['should be 1 or 0'],
      udid: ['is too long (maximum is 64 characters)'],
    });
    expect(failure(() => decodeUpload({ contacts: [], udid: { a: 1 } }, 10)).detail.fields).toEqual({ udid: ['should be a string'] });
    const tooMany = Array.from({ length: 3 }, (_, i) => ({ name: 'n', phone: `555010020${i}` }));
    expect(failure(() => decodeUpload({ contacts: tooMany }, 2)).detail.fields).toEqual({ contacts: ['at most 2 contacts in one upload'] });
  });
});

describe('decodeRegisteredQuery', () => {
  it('defaults to the global book and full users', () => {
    expect(decodeRegisteredQuery({})).toEqual({ book: '', compact: false });
    expect(decodeRegisteredQuery({ compact: '1', udid: 'd' })).toEqual({ book: 'd', compact: true });
    expect(decodeRegisteredQuery({ compact: 'false' })).toEqual({ book: '', compact: false });
  });

  it('reports a bad compact and udid together', () => {
    expect(failure(() => decodeRegisteredQuery({ compact: 'maybe', udid: 'u'.repeat(65) })).detail.fields).toEqual({
      udid: ['is too long (maximum is 64 characters)'],
      compact: ['should be 1 or 0'],
    });
  });
});
