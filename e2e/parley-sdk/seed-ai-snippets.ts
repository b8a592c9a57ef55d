/**
 * The seed's "AI Features" snippets (seed-docs-readable.md), as written there, at module level (they
 * are `export` declarations). Changes, each needed for the code to compile and nothing else:
 * - "Custom client init" gains `baseURL` (the local stand-in for the Gemini API) and runs in
 *   `initGoogleModel`, since the URL is known only once the test has started it;
 * - `summarizeChatHistory`'s parameter list puts its types after the destructuring pattern (as
 *   written, `{ messages: Messages.Message[] = [] … }` is not valid TypeScript);
 * - `changeMessageTone` returns `Promise<string>` (written `Promise`, which needs a type argument);
 * - `users[sender_id] ?? {}` is typed as a partial user so `full_name`/`login` may be read from `{}`,
 *   and `message.date_sent` (a Date or a timestamp in the official types) is read as the number it is;
 * - `void days;` marks the parameter the snippet never reads (it filters by 7 days whatever `days` is);
 * - `console.error` in the catch blocks stays; the tests check the rethrown error.
 */
/* eslint-disable no-useless-escape -- the seed's prompts escape quotes inside template literals; kept verbatim */
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import type { LanguageModel } from 'ai';
import type { Users, Messages } from 'connectycube'; import { generateText } from 'ai';

let googleModelAI: LanguageModel;

/** "Custom client init", with the stand-in's base URL. */
export function initGoogleModel(baseURL: string, apiKey: string): void {
  const google = createGoogleGenerativeAI({ apiKey, baseURL }); googleModelAI = google('gemini-2.5-flash');
}

// "Helpers"
export const filterMessagesByDaysAgo = ( messages: Messages.Message[] = [], days: number = 0 ): Messages.Message[] => { const daysAgoTimestamp = days ? Math.floor(Date.now() / 1000) - days * 24 * 60 * 60 : 0; return messages.filter((message) => (message.date_sent as number) >= daysAgoTimestamp) }
export const buildMessagesString = ( messages: Messages.Message[] = [], users: Users.User[] = [], currentUserId: number = 0 ): string => { return messages.reduce((result, {sender_id, message, attachments}) => { const user: Partial<Users.User> = users[sender_id] ?? {}; const userName = user.full_name || user.login || ''; const postfix = sender_id === currentUserId ? '(me)' : ''; const attachmentsInfo = attachments ? `[attachments: ${JSON.stringify(attachments)}]` : ''; result += `- ${userName} ${postfix}: ${message || ''} ${attachmentsInfo}\n`; return result; }, ''); }

// "Chat history summarization" → "Example"
export const summarizeChatHistory = async ({ messages = [], users = [], currentUserId = 0, lng = 'English', days = 0 }: { messages?: Messages.Message[]; users?: Users.User[]; currentUserId?: number; lng?: string; days?: number }) => { void days; // 1. filter (by period in days)
 const filteredMessages = filterMessagesByDaysAgo(messages, 7); // 2. build the transcript
 const messagesString = await buildMessagesString(filteredMessages, users, currentUserId); // 3. build the prompt
 const prompt = `You are a helpful assistant. Provide a concise summary of the following chat messages in ${lng}. Use bullet points or a short paragraph. Focus on meaningful conversation and skip system messages or irrelevant technical info. If a username ends with \" (me)", it means the message was sent by ME. Messages:\n${messagesString}`; // 4. generate the summary
 try { const result = await generateText({ model: googleModelAI, prompt }); return result.text; // developer decides where to render the chat summarization
 } catch (error) { console.error('Summarization failed', error); throw error; } }

// "Change message tone" → "Example"
export enum MessageTones { POSITIVE = 'positive', NEGATIVE = 'negative', CRINGE = 'cringe', }; export const changeMessageTone = async( message: string = '', tone: MessageTones = MessageTones.POSITIVE, lng: string = 'English' ): Promise<string> => { const draft = message.trim(); const prompt = `Rewrite the text \"${draft}\" in ${tone} tone. Use its original language, or ${lng} if unclear. Avoid using italicized emotional interjections. Instead, express the same emotions directly using plain text or appropriate emojis. Keep all meaning. Output only the rewritten text.`
 try { const result = await generateText({ model: googleModelAI, prompt }); return result.text; } catch (error) { console.error('Change message tone failed', error)
 throw error; } }
