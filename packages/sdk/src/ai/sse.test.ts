import { describe, expect, it } from 'vitest';
import { readSse } from './sse.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readSse', () => {
  it('reassembles events split anywhere, including inside a multi-byte character', async () => {
    const body = 'event: delta\ndata: {"text":"Grüße "}\n\nevent: done\ndata: {"summary":"Grüße"}\n\n';
    const bytes = new TextEncoder().encode(body);
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of "ü"
    // Raw byte slices: the reader, not the test, must handle the split character.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 5));
        controller.enqueue(bytes.slice(5, split));
        controller.enqueue(bytes.slice(split));
        controller.close();
      },
    });
    const events = [];
    for await (const event of readSse(stream)) events.push(event);
    expect(events).toEqual([
      { event: 'delta', data: '{"text":"Grüße "}' },
      { event: 'done', data: '{"summary":"Grüße"}' },
    ]);
  });

  it('ignores comments and blocks without data, and joins multi-line data', async () => {
    const events = [];
    for await (const event of readSse(streamOf([': keep-alive\n\n', 'data: a\ndata: b\n\n', 'event: x\n\n']))) events.push(event);
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
