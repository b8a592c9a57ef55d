import { Type, type Static } from '@sinclair/typebox';

/**
 * Request bodies of the chat message routes (rest.md §4.15–§4.19) as the official SDK sends them. The
 * SDK sends flags and ids as numbers or strings, and any other key of a new message is a custom
 * parameter, so the schemas are open; the HTTP face decodes them into the messages domain's commands
 * with the contract's per-field 422 messages.
 */
const Flag = Type.Union([Type.Boolean(), Type.Integer(), Type.String()]);
const IdLike = Type.Union([Type.Integer(), Type.String()]);
const Attachment = Type.Record(Type.String(), Type.Unknown());

/** `POST /chat/Message` (rest.md §4.15). */
export const CreateMessageSchema = Type.Object(
  {
    _id: Type.Optional(Type.String()),
    chat_dialog_id: Type.Optional(Type.String()),
    recipient_id: Type.Optional(IdLike),
    message: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Null()])),
    /** An array, or the docs' index-keyed object ([A-48]). */
    attachments: Type.Optional(Type.Union([Type.Array(Attachment), Type.Record(Type.String(), Attachment), Type.Null(), Type.Literal('')])),
    date_sent: Type.Optional(IdLike),
    markable: Type.Optional(Flag),
    send_to_chat: Type.Optional(Flag),
    silent: Type.Optional(Flag),
  },
  { additionalProperties: true },
);
export type CreateMessageBody = Static<typeof CreateMessageSchema>;

/** `PUT /chat/Message/:ids` (rest.md §4.16): marks and/or a text edit. */
export const UpdateMessageSchema = Type.Object(
  {
    chat_dialog_id: Type.Optional(Type.String()),
    read: Type.Optional(Flag),
    delivered: Type.Optional(Flag),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type UpdateMessageBody = Static<typeof UpdateMessageSchema>;

/** `PUT /chat/Message/:id/reactions` (rest.md §4.19). */
export const ReactionChangeSchema = Type.Object(
  {
    add: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    remove: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: true },
);
export type ReactionChangeBody = Static<typeof ReactionChangeSchema>;
