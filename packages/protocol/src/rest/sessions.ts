import { Type, type Static } from '@sinclair/typebox';
import type { UserWire } from './users.js';

/** The Session object on the wire (rest.md §2.1); @parley/sdk exposes it as `Session`. */
export interface SessionWire {
  id: number;
  /** `null` for an application session (no user bound). */
  user_id: number | null;
  application_id: number;
  token: string;
  nonce: number;
  /** Unix seconds. */
  ts: number;
  created_at: string;
  updated_at: string;
  /** Present for user sessions. */
  user?: UserWire;
}

/** `{session}`: `POST` and `GET /session` (rest.md §2.2, §2.3). */
export interface SessionResponseWire {
  session: SessionWire;
}

const IdLike = Type.Union([Type.Integer(), Type.String()]);
const Credential = Type.Union([Type.String(), Type.Number()]);

/** The identity groups the official SDK sends (rest.md §2.2); all optional, checked by the domain. */
const IdentityUser = Type.Object({
  login: Type.Optional(Credential),
  email: Type.Optional(Credential),
  password: Type.Optional(Credential),
  guest: Type.Optional(Type.Union([Type.String(), Type.Boolean(), Type.Number()])),
  full_name: Type.Optional(Type.String()),
});

const ProviderFields = {
  provider: Type.Optional(Type.String()),
  keys: Type.Optional(Type.Object({})),
  firebase_phone: Type.Optional(Type.Object({})),
  firebase_email: Type.Optional(Type.Object({})),
};

export const CreateSessionSchema = Type.Object({
  application_id: IdLike,
  auth_key: Type.String(),
  user: Type.Optional(IdentityUser),
  timestamp: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  nonce: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
  signature: Type.Optional(Type.String()),
  ...ProviderFields,
});
export type CreateSessionBody = Static<typeof CreateSessionSchema>;

/** `POST /login` takes the identity unwrapped (rest.md §2.5). */
export const LoginSchema = Type.Object({
  login: Type.Optional(Credential),
  email: Type.Optional(Credential),
  password: Type.Optional(Credential),
  ...ProviderFields,
});
export type LoginBody = Static<typeof LoginSchema>;
