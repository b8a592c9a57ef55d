import { Type, type Static } from '@sinclair/typebox';

/**
 * Request bodies of the dialog routes (rest.md §4.4, §4.5, §4.9, §4.10) as the official SDK sends them:
 * ids as numbers, strings or the SDK's `"1, 2"` lists, flags as numbers or strings. Open and lenient like
 * the cloud; the HTTP face decodes them into the dialogs domain's commands with per-field 422 messages.
 */
const Flag = Type.Union([Type.Boolean(), Type.Integer(), Type.String()]);
const IdList = Type.Union([Type.Array(Type.Union([Type.Integer(), Type.String()])), Type.String(), Type.Integer()]);
const Text = Type.Union([Type.String(), Type.Number(), Type.Null()]);

/** `push_all` / `pull_all`: the set-valued keys an update adds or removes. */
export const DialogSetChangesSchema = Type.Object(
  { occupants_ids: Type.Optional(IdList), admins_ids: Type.Optional(IdList), pinned_messages_ids: Type.Optional(IdList) },
  { additionalProperties: true },
);

/** `POST /chat/Dialog` (rest.md §4.4). */
export const CreateDialogSchema = Type.Object(
  {
    type: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    name: Type.Optional(Text),
    description: Type.Optional(Text),
    photo: Type.Optional(Text),
    occupants_ids: Type.Optional(IdList),
    admins_ids: Type.Optional(IdList),
    /** Custom fields: values are stored as strings (rest.md §4.12). */
    extensions: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    permissions: Type.Optional(Type.Union([Type.Object({ allow_preview: Flag }), Type.Null()])),
  },
  { additionalProperties: true },
);
export type CreateDialogBody = Static<typeof CreateDialogSchema>;

/** `PUT /chat/Dialog/{id}` (rest.md §4.5). */
export const UpdateDialogSchema = Type.Object(
  {
    name: Type.Optional(Text),
    description: Type.Optional(Text),
    photo: Type.Optional(Text),
    push_all: Type.Optional(DialogSetChangesSchema),
    pull_all: Type.Optional(DialogSetChangesSchema),
    extensions: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    permissions: Type.Optional(Type.Union([Type.Object({ allow_preview: Flag }), Type.Null()])),
  },
  { additionalProperties: true },
);
export type UpdateDialogBody = Static<typeof UpdateDialogSchema>;

/** `PUT /chat/Dialog/{id}/admins` (rest.md §4.9): `admins_ids` inside `push_all` / `pull_all`. */
export const DialogAdminsChangeSchema = Type.Object(
  { push_all: Type.Optional(DialogSetChangesSchema), pull_all: Type.Optional(DialogSetChangesSchema) },
  { additionalProperties: true },
);
export type DialogAdminsChangeBody = Static<typeof DialogAdminsChangeSchema>;

/** `PUT /chat/Dialog/{id}/notifications` (rest.md §4.10). */
export const DialogNotificationsSchema = Type.Object({ enabled: Type.Optional(Flag) }, { additionalProperties: true });
export type DialogNotificationsBody = Static<typeof DialogNotificationsSchema>;
