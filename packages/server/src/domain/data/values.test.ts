import { describe, expect, it } from 'vitest';
import { coerceValue, MAX_ARRAY_ITEMS } from './values.js';

describe('custom-object field values', () => {
  it('coerces leniently to the declared type (rest.md §6.1)', () => {
    expect(coerceValue('Integer', '41')).toEqual({ ok: true, value: 41 });
    expect(coerceValue('Float', ' 2.5 ')).toEqual({ ok: true, value: 2.5 });
    expect(coerceValue('Boolean', '0')).toEqual({ ok: true, value: false });
    expect(coerceValue('String', 12)).toEqual({ ok: true, value: '12' });
    expect(coerceValue('Array', 'a, b,')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(coerceValue('Array', [1, 'x', true])).toEqual({ ok: true, value: [1, 'x', true] });
    expect(coerceValue('Location', '13.4, 52.5')).toEqual({ ok: true, value: [13.4, 52.5] });
    expect(coerceValue('Date', 1700000000)).toEqual({ ok: true, value: '2023-11-14T22:13:20.000Z' });
    expect(coerceValue('Date', '2024-01-01T10:00:00+02:00')).toEqual({ ok: true, value: '2024-01-01T08:00:00.000Z' });
    expect(coerceValue('File', { file_id: 'x' })).toEqual({ ok: true, value: { file_id: 'x' } });
    expect(coerceValue('Integer', null)).toEqual({ ok: true, value: null });
  });

  it('refuses values that are not of the type', () => {
    for (const [type, value] of [
      ['Integer', '4.5'], ['Integer', 'x'], ['Integer', 2 ** 60], ['Float', 'NaN'], ['Float', {}], ['Boolean', 'yes'], ['String', { a: 1 }],
      ['Array', [{ a: 1 }]], ['Array', Array.from({ length: MAX_ARRAY_ITEMS + 1 }, () => 1)], ['Location', [200, 0]], ['Location', '1'], ['Date', 'soon'], ['File', 5],
      ['String', 'nul\u0000'], ['String', 'half \ud800 pair'], ['Array', ['ok', 'x\u0000']], ['File', { name: '\u0000' }],
    ] as const) {
      expect(coerceValue(type, value).ok, `${type} ${JSON.stringify(value).slice(0, 20)}`).toBe(false);
    }
  });
});
