import type { DialogPermissions, DialogQuery, DialogType } from '../../ports/dialogs.js';
import type { FieldErrors } from '../shared/failure.js';

/**
 * Dialog commands and queries as the faces decode them (the HTTP face: `http/decoders/dialogs.ts`).
 * `invalid` holds the field errors the face found while decoding: the service reports them where the
 * contract does, after its access checks and together with its own rules, as one 422.
 */
export interface Decoded {
  invalid?: FieldErrors;
}

/** `push_all` / `pull_all` of an update: the three set-valued keys. */
export interface SetChanges {
  occupants: number[];
  admins: number[];
  pinned: string[];
}

/** Custom fields as sent (non-null values); the app's declared fields decide which are kept (rest.md §4.12). */
export type ExtensionsInput = Record<string, unknown>;

/** `POST /chat/Dialog` (rest.md §4.4). */
export interface CreateDialog extends Decoded {
  /** Undefined when missing or invalid (then `invalid` says so). */
  type: DialogType | undefined;
  name?: string | null;
  description?: string | null;
  photo?: string | null;
  /** Undefined when the body did not name any: a group needs them. */
  occupantIds?: number[];
  adminIds?: number[];
  extensions?: ExtensionsInput | null;
  permissions?: DialogPermissions | null;
}

/** `PUT /chat/Dialog/{id}` (rest.md §4.5): undefined = unchanged, null = cleared. */
export interface UpdateDialog extends Decoded {
  name?: string | null;
  description?: string | null;
  photo?: string | null;
  extensions?: ExtensionsInput | null;
  permissions?: DialogPermissions | null;
  push?: SetChanges;
  pull?: SetChanges;
}

/** `PUT /chat/Dialog/{id}/admins` (rest.md §4.9). */
export interface ChangeAdmins {
  add: number[];
  remove: number[];
}

/** `PUT /chat/Dialog/{id}/notifications` (rest.md §4.10). */
export interface SetNotifications extends Decoded {
  enabled: boolean;
}

/** `GET /chat/Dialog` (rest.md §4.3): `count` answers the number only. */
export interface ListDialogs extends Decoded {
  query: DialogQuery;
  count: boolean;
}

/** `GET /chat/Dialog/{id}/occupants`: a window of member ids. */
export interface OccupantsPage extends Decoded {
  limit: number;
  skip: number;
}
