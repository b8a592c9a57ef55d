import { createGoogleGenerativeAI } from '@ai-sdk/google';
import type { AiProvider, AiProviderSettings } from '../../ports/ai.js';
import { vercelAiProvider } from '../ai-vercel/index.js';

/** Google's Gemini API (generateContent / streamGenerateContent), key in the x-goog-api-key header. */
export function createGoogleAiProvider(settings: AiProviderSettings): AiProvider {
  const google = createGoogleGenerativeAI({ apiKey: settings.apiKey, ...(settings.baseUrl === '' ? {} : { baseURL: settings.baseUrl }) });
  return vercelAiProvider('google', settings.model, google(settings.model));
}
