import { APICallError, generateText, streamText, type LanguageModel } from 'ai';
import { AiProviderError, type AiPrompt, type AiProvider, type AiProviderName } from '../../ports/ai.js';

/**
 * An AiProvider over a Vercel AI SDK language model (the library the seed's AI chapter uses). Retries
 * are off: the caller's time limit covers one call. Errors are rebuilt as AiProviderError so neither
 * the provider's body nor anything carrying the key (request values, headers) travels further.
 */
export function vercelAiProvider(name: AiProviderName, modelId: string, model: LanguageModel): AiProvider {
  const call = (prompt: AiPrompt) => ({
    model,
    system: prompt.system,
    messages: [{ role: 'user' as const, content: prompt.user }],
    abortSignal: prompt.signal,
    maxRetries: 0,
    ...(prompt.maxOutputTokens === undefined ? {} : { maxOutputTokens: prompt.maxOutputTokens }),
  });
  return {
    name,
    model: modelId,
    async generate(prompt) {
      try {
        return (await generateText(call(prompt))).text;
      } catch (error) {
        throw toProviderError(error, prompt.signal);
      }
    },
    async *stream(prompt) {
      const result = streamText({ ...call(prompt), onError: () => undefined });
      try {
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta') yield part.text;
          else if (part.type === 'error') throw part.error;
          else if (part.type === 'abort') throw new AiProviderError('timeout');
        }
      } catch (error) {
        throw toProviderError(error, prompt.signal);
      }
    },
  };
}

function toProviderError(error: unknown, signal: AbortSignal): AiProviderError {
  if (error instanceof AiProviderError) return error;
  if (signal.aborted) return new AiProviderError('timeout');
  const cause = APICallError.isInstance(error) ? error : APICallError.isInstance((error as { lastError?: unknown })?.lastError) ? (error as { lastError: APICallError }).lastError : undefined;
  return new AiProviderError('failed', cause?.statusCode);
}
