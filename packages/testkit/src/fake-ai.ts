import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake provider received. */
export interface FakeAiRequest {
  method: string;
  /** Path without the query string, e.g. `/v1beta/models/gemini-2.5-flash:generateContent`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  wire: 'gemini' | 'openai';
  stream: boolean;
}

/** How the fake answers: text (split into a few pieces when streamed), an HTTP failure, or never. */
export type FakeAiBehaviour =
  | {
      kind: 'text';
      text: string | ((request: FakeAiRequest) => string);
      /** When streaming: the first piece goes out at once, the rest only once this settles. */
      holdAfterFirstPiece?: Promise<void>;
    }
  | { kind: 'fail'; status: number; body: string }
  | { kind: 'hang' };

export interface FakeAiProvider {
  /** e.g. `http://127.0.0.1:41234`; Gemini's base URL is `${url}/v1beta`, an OpenAI-compatible one `${url}/v1`. */
  url: string;
  readonly requests: FakeAiRequest[];
  behaviour: FakeAiBehaviour;
  stop(): Promise<void>;
}

function pieces(text: string): string[] {
  const words = text.split(/(?<= )/);
  const size = Math.max(1, Math.ceil(words.length / 3));
  const out: string[] = [];
  for (let index = 0; index < words.length; index += size) out.push(words.slice(index, index + size).join(''));
  return out.length > 0 ? out : [''];
}

const geminiChunk = (text: string, done: boolean) => ({
  candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0, ...(done ? { finishReason: 'STOP' } : {}) }],
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
});

const openAiChunk = (text: string | undefined, done: boolean) => ({
  id: 'chatcmpl-fake',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'fake',
  choices: [{ index: 0, delta: text === undefined ? {} : { role: 'assistant', content: text }, finish_reason: done ? 'stop' : null }],
});

/**
 * A local stand-in for the Gemini API (`/v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`) and an OpenAI-compatible server (`/v1/chat/completions`, plain or
 * `stream: true`), on a free loopback port. It records every request, so tests can check what reached
 * the provider (and that nothing else did).
 */
export async function startFakeAiProvider(behaviour: FakeAiBehaviour = { kind: 'text', text: 'A fake summary.' }): Promise<FakeAiProvider> {
  const requests: FakeAiRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const fake: FakeAiProvider = { url: '', requests, behaviour, stop: async () => undefined };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
      const gemini = /^\/v1beta\/models\/[^/]+:(generateContent|streamGenerateContent)$/.exec(url.pathname);
      const openAi = url.pathname === '/v1/chat/completions';
      if (!gemini && !openAi) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown path"}');
        return;
      }
      const request: FakeAiRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        wire: gemini ? 'gemini' : 'openai',
        stream: gemini ? gemini[1] === 'streamGenerateContent' : body.stream === true,
      };
      requests.push(request);
      const current = fake.behaviour;
      if (current.kind === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if (current.kind === 'fail') {
        res.writeHead(current.status, { 'content-type': 'application/json' }).end(current.body);
        return;
      }
      const text = typeof current.text === 'function' ? current.text(request) : current.text;
      if (!request.stream) {
        const answer =
          request.wire === 'gemini'
            ? geminiChunk(text, true)
            : { id: 'chatcmpl-fake', object: 'chat.completion', created: 0, model: 'fake', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const parts = pieces(text);
      const write = (part: string, index: number) =>
        res.write(`data: ${JSON.stringify(request.wire === 'gemini' ? geminiChunk(part, index === parts.length - 1) : openAiChunk(part, false))}\n\n`);
      const finish = () => {
        parts.slice(1).forEach((part, index) => write(part, index + 1));
        if (request.wire === 'openai') res.write(`data: ${JSON.stringify(openAiChunk(undefined, true))}\n\ndata: [DONE]\n\n`);
        res.end();
      };
      write(parts[0]!, 0);
      if (current.holdAfterFirstPiece) void current.holdAfterFirstPiece.then(finish);
      else finish();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return fake;
}

/** The user turn a request carried (Gemini `contents`, OpenAI `messages`), as text. */
export function userTurnOf(request: FakeAiRequest): string {
  if (request.wire === 'gemini') {
    const contents = request.body.contents as { role: string; parts: { text: string }[] }[];
    return contents.filter((content) => content.role === 'user').flatMap((content) => content.parts.map((part) => part.text)).join('');
  }
  const messages = request.body.messages as { role: string; content: string }[];
  return messages.filter((message) => message.role === 'user').map((message) => message.content).join('');
}

/** The instructions a request carried (Gemini `systemInstruction`, OpenAI `system` message). */
export function systemTurnOf(request: FakeAiRequest): string {
  if (request.wire === 'gemini') {
    const instruction = request.body.systemInstruction as { parts: { text: string }[] } | undefined;
    return instruction?.parts.map((part) => part.text).join('') ?? '';
  }
  const messages = request.body.messages as { role: string; content: string }[];
  return messages.filter((message) => message.role === 'system').map((message) => message.content).join('');
}
