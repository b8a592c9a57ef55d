import { describe, expect, it } from 'vitest';
import { decodeSummaryRequest, decodeToneRequest } from './ai.js';

describe('AI request bodies', () => {
  it('reads summary and tone input, naming each bad field', () => {
    expect(decodeSummaryRequest({ dialog_id: 'abc', days: 3, language: 'Chinese (Simplified)' })).toEqual({ dialogId: 'abc', days: 3, language: 'Chinese (Simplified)' });
    expect(decodeSummaryRequest({ dialog_id: 'abc' })).toEqual({ dialogId: 'abc', days: undefined, language: 'English' });
    expect(() => decodeSummaryRequest({ dialog_id: 'abc', days: 1.5, language: 'a b c d' })).toThrow(expect.objectContaining({ detail: { fields: { days: [expect.any(String)], language: [expect.any(String)] } } }));
    expect(decodeToneRequest({ text: ' hi ', tone: 'like a pirate' })).toEqual({ text: 'hi', tone: 'like a pirate', language: 'English' });
    expect(() => decodeToneRequest({ text: 'hi', tone: 'be <b>' })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
