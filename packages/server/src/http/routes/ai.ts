import { Readable } from 'node:stream';
import type { AiSummaryRequestBody, AiToneRequestBody, ChatSummaryWire, ToneRewriteWire } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { PreparedSummary, SummaryResult } from '../../domain/ai/service.js';
import { decodeSummaryRequest, decodeToneRequest } from '../decoders/ai.js';
import { actorOf } from '../plugins/auth.js';
import { toWireError } from '../plugins/errors.js';
import type { HttpDependencies } from '../services.js';

function summaryWire(result: SummaryResult): ChatSummaryWire {
  return { summary: result.summary, provider: result.provider, extractive: result.extractive, cached: result.cached, messages_count: result.messages };
}

function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The summary as server-sent events: `delta` pieces, then `done` with the whole result, or `error`. */
async function* summaryEvents(prepared: PreparedSummary, signal: AbortSignal): AsyncGenerator<string> {
  try {
    for await (const event of prepared.stream(signal)) {
      yield event.type === 'delta' ? sseEvent('delta', { text: event.text }) : sseEvent('done', summaryWire(event.result));
    }
  } catch (error) {
    const wire = toWireError(error);
    yield sseEvent('error', wire ? { status: wire.status, ...wire.body } : { status: 500, errors: { base: ['Internal server error'] } });
  }
}

/**
 * AI routes (docs/ai.md): `POST /ai/summarize`, its streamed twin `POST /ai/summarize/stream`
 * (text/event-stream) and `POST /ai/tone`, all for user sessions. The stream starts only once the
 * request is valid, authorised and within quota, so those failures keep their plain JSON errors.
 */
export function aiRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.post<{ Body: AiSummaryRequestBody | undefined }>('/ai/summarize', async (request) => {
    const prepared = await deps.ai.prepareSummary(actorOf(request), decodeSummaryRequest(request.body));
    return summaryWire(await prepared.run());
  });

  app.post<{ Body: AiSummaryRequestBody | undefined }>('/ai/summarize/stream', async (request, reply) => {
    const prepared = await deps.ai.prepareSummary(actorOf(request), decodeSummaryRequest(request.body));
    const gone = new AbortController();
    reply.raw.on('close', () => gone.abort());
    return reply
      .header('Content-Type', 'text/event-stream; charset=utf-8')
      .header('Cache-Control', 'no-cache, no-transform')
      .header('X-Accel-Buffering', 'no')
      .send(Readable.from(summaryEvents(prepared, gone.signal), { objectMode: false }));
  });

  app.post<{ Body: AiToneRequestBody | undefined }>('/ai/tone', async (request): Promise<ToneRewriteWire> => {
    const { text, provider } = await deps.ai.changeTone(actorOf(request), decodeToneRequest(request.body));
    return { text, provider };
  });
}
