import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AiSettingsRecord } from '../../src/ports/ai.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The AI repository's guarantees (src/ports/ai.ts), on every adapter. */
const T0 = 1_700_000_000_123;

const settings = (appId: number, change: Partial<AiSettingsRecord> = {}): AiSettingsRecord => ({
  appId,
  provider: 'openai-compatible',
  model: 'llama3',
  storedKey: 'enc:v1:abc:def:ghi',
  baseUrl: 'http://127.0.0.1:11434/v1',
  userRequestsPerMinute: 5,
  appRequestsPerDay: null,
  updatedAt: T0,
  ...change,
});

describe.each(storeKinds)('AI settings and summary cache contract on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'ai');
    ({ store, appA, appB } = withApps);
    opened = withApps;
  });
  afterAll(() => opened.dispose());

  it('returns the last settings put for an app, never another app’s, and removes them', async () => {
    expect(await store.ai.get(appA)).toBeUndefined();
    await store.ai.put(settings(appA));
    await store.ai.put(settings(appA, { provider: 'google', model: 'gemini-2.5-flash', baseUrl: '', storedKey: '', userRequestsPerMinute: null, appRequestsPerDay: 7, updatedAt: T0 + 1 }));
    await store.ai.put(settings(appB, { provider: 'none', model: '', storedKey: '', baseUrl: '' }));
    expect(await store.ai.get(appA)).toEqual(settings(appA, { provider: 'google', model: 'gemini-2.5-flash', baseUrl: '', storedKey: '', userRequestsPerMinute: null, appRequestsPerDay: 7, updatedAt: T0 + 1 }));
    expect((await store.ai.get(appB))?.provider).toBe('none');
    expect(await store.ai.remove(appA)).toBe(true);
    expect(await store.ai.remove(appA)).toBe(false);
    expect(await store.ai.get(appA)).toBeUndefined();
    expect(await store.ai.get(appB)).toBeDefined();
  });

  it('finds cached summaries by app and key, replaces them, and purges old ones', async () => {
    await store.ai.putSummary(appA, 'k1', { summary: 'first', provider: 'google', createdAt: T0 });
    await store.ai.putSummary(appA, 'k1', { summary: 'second', provider: 'google', createdAt: T0 + 10 });
    await store.ai.putSummary(appA, 'k2', { summary: 'old', provider: 'google', createdAt: T0 - 1000 });
    expect(await store.ai.findSummary(appA, 'k1')).toEqual({ summary: 'second', provider: 'google', createdAt: T0 + 10 });
    expect(await store.ai.findSummary(appB, 'k1')).toBeUndefined();
    expect(await store.ai.purgeSummaries(T0)).toBe(1);
    expect(await store.ai.findSummary(appA, 'k2')).toBeUndefined();
    expect(await store.ai.findSummary(appA, 'k1')).toBeDefined();
  });
});
