import { Type, type Static } from '@sinclair/typebox';

/**
 * `POST /calls/reject.json` (rest.md §10) as the official SDK sends it. Open and lenient like the other
 * chat bodies: the HTTP face decodes it into the calls domain's command with the contract's 422 messages.
 */
export const RejectCallSchema = Type.Object(
  {
    sessionID: Type.Optional(Type.String()),
    recipientId: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    platform: Type.Optional(Type.String()),
    /** Shown to the caller inside the `reject` signal; keys become XML element names. */
    userInfo: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
  },
  { additionalProperties: true },
);
export type RejectCallBody = Static<typeof RejectCallSchema>;
