import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { AiProvider, AiProviderSettings } from '../../ports/ai.js';
import { vercelAiProvider } from '../ai-vercel/index.js';

/** Any server speaking OpenAI's chat completions (llama.cpp, Ollama, vLLM …); the key, if any, as a Bearer token. */
export function createOpenAiCompatibleProvider(settings: AiProviderSettings): AiProvider {
  const provider = createOpenAICompatible({ name: 'parley-ai', baseURL: settings.baseUrl, ...(settings.apiKey === '' ? {} : { apiKey: settings.apiKey }) });
  return vercelAiProvider('openai-compatible', settings.model, provider.chatModel(settings.model));
}
