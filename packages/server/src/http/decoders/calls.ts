import { MAX_CALL_SESSION_ID_LENGTH, toId } from '@parley/protocol';
import type { RejectCall } from '../../domain/calls/service.js';
import { invalidField } from '../../domain/shared/failure.js';
import { bodyObject } from './body.js';

/** `platform` values are short words (`web`, `ios`, `android`, `mobile` …). */
const PLATFORM = /^[A-Za-z0-9_-]{1,32}$/;
/** userInfo is shown to the caller: small and flat enough to route as a headline. */
const MAX_USER_INFO_BYTES = 4096;
/** userInfo keys become element names (realtime.md §12.1). */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

function validKeys(value: object, depth: number): boolean {
  if (depth > 4) return false;
  return Object.entries(value).every(([key, nested]) => XML_NAME.test(key) && !/^xml/i.test(key) && (nested === null || typeof nested !== 'object' || validKeys(nested, depth + 1)));
}

/** `POST /calls/reject.json` (rest.md §10; schema in @parley/protocol rest/calls.ts) → the calls domain's command. */
export function decodeRejectCall(body: unknown): RejectCall {
  const input = bodyObject(body);
  const sessionId = input.sessionID;
  if (typeof sessionId !== 'string' || sessionId.trim() === '') throw invalidField('sessionID', 'is required');
  if (sessionId.length > MAX_CALL_SESSION_ID_LENGTH) throw invalidField('sessionID', `is too long (maximum is ${MAX_CALL_SESSION_ID_LENGTH} characters)`);
  if (input.recipientId === undefined || input.recipientId === null || input.recipientId === '') throw invalidField('recipientId', 'is required');
  const recipientId = toId(input.recipientId);
  if (recipientId === undefined) throw invalidField('recipientId', 'is not a user id');
  const platform = input.platform === undefined ? 'web' : input.platform;
  if (typeof platform !== 'string' || !PLATFORM.test(platform)) throw invalidField('platform', 'must be a short word such as web, ios or android');
  const command: RejectCall = { sessionId, recipientId, platform };
  if (input.userInfo !== undefined && input.userInfo !== null) {
    if (typeof input.userInfo !== 'object' || Array.isArray(input.userInfo)) throw invalidField('userInfo', 'must be an object');
    if (Buffer.byteLength(JSON.stringify(input.userInfo)) > MAX_USER_INFO_BYTES) throw invalidField('userInfo', `is too large (maximum is ${MAX_USER_INFO_BYTES} bytes)`);
    if (!validKeys(input.userInfo, 0)) throw invalidField('userInfo', 'keys must be XML names, nested at most 4 deep');
    command.userInfo = input.userInfo as Record<string, unknown>;
  }
  return command;
}
