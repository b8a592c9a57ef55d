import { describe, it, expect } from 'vitest';
import { FORM_HEADERS, recordingClient, wire } from '../testing/recording-client.js';
import { searchQuery } from './search.js';

describe('chat.search', () => {
  it('sends dates as ISO strings and dialog ids joined with ","', async () => {
    const { cc, last } = recordingClient(() => ({ body: { results: { dialogs: [], messages: [], users: [] } } }));
    const result = await cc.chat.search({
      search_text: 'hello world',
      limit: 10,
      chat_dialog_ids: ['d1', 'd2'],
      start_date: new Date(Date.UTC(2024, 0, 31)),
      end_date: '2024-01-01T00:00:00Z',
    });
    expect(result).toEqual({ results: { dialogs: [], messages: [], users: [] } });
    expect(wire(last())).toEqual({
      method: 'GET',
      path:
        '/chat/search.json?chat_dialog_ids=d1%2Cd2&end_date=2024-01-01T00%3A00%3A00.000Z&limit=10' +
        '&search_text=hello%20world&start_date=2024-01-31T00%3A00%3A00.000Z',
      headers: FORM_HEADERS,
      body: undefined,
      readAs: 'json',
    });
  });

  it('reads numbers as milliseconds and leaves falsy dates alone, like the official SDK', () => {
    const params = { search_text: 'abcd', start_date: 1_700_000_000_000, end_date: 0, chat_dialog_ids: 'd1' };
    expect(searchQuery(params)).toEqual({ search_text: 'abcd', start_date: '2023-11-14T22:13:20.000Z', end_date: 0, chat_dialog_ids: 'd1' });
    expect(params.start_date).toBe(1_700_000_000_000); // the caller's object is left alone
    expect(searchQuery()).toEqual({});
  });

  it('rejects (does not throw) on an invalid date', async () => {
    const { cc, calls } = recordingClient();
    await expect(cc.chat.search({ search_text: 'abcd', start_date: 'not a date' })).rejects.toBeInstanceOf(RangeError);
    expect(calls).toHaveLength(0);
  });
});
