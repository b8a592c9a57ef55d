import { isoSeconds, type SessionWire, type UserWire } from '@parley/protocol';
import type { SessionRecord, UserRecord } from '../ports/store.js';

/** Domain records → the contract's JSON objects (rest.md §2.1, §3.1). */
export function userWire(user: UserRecord): UserWire {
  return {
    id: user.id,
    full_name: user.fullName,
    email: user.email,
    login: user.login,
    phone: user.phone,
    website: user.website,
    created_at: isoSeconds(user.createdAt),
    updated_at: isoSeconds(user.updatedAt),
    last_request_at: user.lastRequestAt === null ? null : isoSeconds(user.lastRequestAt),
    external_user_id: user.externalUserId,
    external_id: user.externalId,
    facebook_id: user.facebookId,
    twitter_id: user.twitterId,
    blob_id: user.blobId,
    custom_data: user.customData,
    avatar: user.avatar,
    user_tags: user.tags.length > 0 ? user.tags.join(',') : null,
    timezone: user.timezone,
    is_guest: user.isGuest ? true : null,
  };
}

export function sessionWire(session: SessionRecord, token: string, user?: UserRecord): SessionWire {
  const wire: SessionWire = {
    id: session.id,
    user_id: session.userId,
    application_id: session.appId,
    token,
    nonce: session.nonce,
    ts: session.ts,
    created_at: isoSeconds(session.createdAt),
    updated_at: isoSeconds(session.updatedAt),
  };
  if (user) wire.user = userWire(user);
  return wire;
}
