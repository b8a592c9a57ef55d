// Builds the `POST /session` body from `createSession(params)` (rest.md §2.2). The identity group
// is chosen by which keys are present, in the official SDK's order; unrecognised shapes yield an
// application session, as they do there. The body's type is the server's schema in @parley/protocol.
import type { CreateSessionBody } from '@parley/protocol';
import type { CreateSessionParams, LoginProvider } from './types.js';

export function createSessionBody(
  appId: number | string,
  authKey: string,
  params: CreateSessionParams | Record<string, unknown> = {},
): CreateSessionBody {
  const body: CreateSessionBody = { application_id: appId, auth_key: authKey };
  const p = params as Record<string, unknown>;

  if ('guest' in p) {
    // Guest params go through as given (e.g. `{guest: '1', full_name: 'Ann'}`).
    body.user = p as CreateSessionBody['user'];
  } else if ('login' in p && 'password' in p) {
    // Only the credentials: other keys (full_name…) are dropped on purpose.
    body.user = { login: p.login as string, password: p.password as string };
  } else if ('email' in p && 'password' in p) {
    body.user = { email: p.email as string, password: p.password as string };
  } else if ('provider' in p) {
    body.provider = p.provider as LoginProvider;
    if ('keys' in p) body.keys = p.keys as CreateSessionBody['keys'];
    if ('firebase_phone' in p) body.firebase_phone = p.firebase_phone as CreateSessionBody['firebase_phone'];
    if ('firebase_email' in p) body.firebase_email = p.firebase_email as CreateSessionBody['firebase_email'];
  }

  return body;
}
