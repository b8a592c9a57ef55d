// `chat.dialog` (rest.md §4.3–4.11): dialogs over REST. Paths, bodies and response modes are the
// official SDK 6.1.2's; the index of rest.md §12 lists them. Every method returns a promise and
// never throws synchronously, as in the official SDK.
import { routePath } from '../http/url.js';
import type { ChatDeps } from './deps.js';
import type {
  ChatCountResponse,
  CreateDialogParams,
  DeleteResponse,
  Dialog,
  DialogListParams,
  DialogListResponse,
  ForceParams,
  NotificationsSettingsResponse,
  PublicOccupantsParams,
  PublicOccupantsResponse,
  UpdateDialogParams,
} from './types.js';
import { jsonCopy } from './wire.js';

const DIALOG = 'chat/Dialog';

/** The contract's encoding of id lists in a create body: `"29085, 29086"` (rest.md §4.4). */
function joinIds(ids: Array<number | string>): string {
  return ids.join(', ');
}

export class DialogsService {
  constructor(private readonly deps: ChatDeps) {}

  /** The caller's dialogs; `{count: 1}` returns only `{items: {count}}`. */
  list(params: DialogListParams & { count: 1 | '1' }): Promise<ChatCountResponse>;
  list(params?: DialogListParams): Promise<DialogListResponse>;
  async list(params: DialogListParams = {}): Promise<DialogListResponse | ChatCountResponse> {
    return this.deps.request({ method: 'GET', path: DIALOG, data: params });
  }

  /**
   * Creates a dialog (for a private one, returns the existing dialog of the pair if there is one).
   * Array `occupants_ids` / `admins_ids` are sent as one string joined with `", "`.
   */
  async create(params: CreateDialogParams): Promise<Dialog> {
    const data = jsonCopy(params) as CreateDialogParams | null;
    if (data) {
      // Only arrays are rewritten, in place, so the key order of the body stays the caller's.
      if (Array.isArray(data.occupants_ids)) data.occupants_ids = joinIds(data.occupants_ids);
      if (Array.isArray(data.admins_ids)) data.admins_ids = joinIds(data.admins_ids);
    }
    // A `null` argument sends no body at all, as in the official SDK.
    return this.deps.request({ method: 'POST', path: DIALOG, data: data ?? undefined });
  }

  /** Renames, adds/removes members, admins or pinned messages (`push_all` / `pull_all`), etc. */
  async update(id: string, params: UpdateDialogParams = {}): Promise<Dialog> {
    return this.deps.request({ method: 'PUT', path: routePath(DIALOG, id), data: params });
  }

  /**
   * Deletes one or several dialogs for the caller, or for everyone with `{force: 1}`. A string is
   * split on commas and trimmed. One id answers with the raw (usually empty) text; several answer
   * with the `DeleteResponse` lists.
   */
  async delete(idOrIds: string | string[], params: ForceParams = {}): Promise<DeleteResponse | string> {
    const ids = typeof idOrIds === 'string' ? idOrIds.split(',').map((id) => id.trim()) : idOrIds;
    return this.deps.request({
      method: 'DELETE',
      // String() of an array is its comma-joined items; it also copes with a stray number id.
      path: routePath(DIALOG, String(ids)),
      data: params,
      responseMode: ids.length === 1 ? 'text' : 'json',
    });
  }

  /** Hides every current message of the dialog from the caller's history. */
  async clearHistory(id: string): Promise<string> {
    return this.deps.request({ method: 'DELETE', path: routePath(DIALOG, 'clearHistory', id), responseMode: 'text' });
  }

  /** Joins a public dialog (also a group or meeting dialog). Sent with no body. */
  async subscribe(id: string): Promise<Dialog> {
    return this.deps.request({ method: 'POST', path: routePath(DIALOG, id, 'subscribe') });
  }

  /** Same as `subscribe`, under its older name. */
  readonly subscribeToPublic = this.subscribe;

  async unsubscribe(id: string): Promise<string> {
    return this.deps.request({ method: 'DELETE', path: routePath(DIALOG, id, 'subscribe'), responseMode: 'text' });
  }

  /** Same as `unsubscribe`, under its older name. */
  readonly unsubscribeFromPublic = this.unsubscribe;

  /** Owner only; at most 5 admins, each already a member. */
  async addAdmins(id: string, admins_ids: Array<number | string>): Promise<Dialog> {
    return this.deps.request({ method: 'PUT', path: routePath(DIALOG, id, 'admins'), data: { push_all: { admins_ids } } });
  }

  async removeAdmins(id: string, admins_ids: Array<number | string>): Promise<Dialog> {
    return this.deps.request({ method: 'PUT', path: routePath(DIALOG, id, 'admins'), data: { pull_all: { admins_ids } } });
  }

  /** Push notifications for this dialog, for the caller: any truthy value sends 1, else 0. */
  async updateNotificationsSettings(id: string, enabled: number | boolean): Promise<NotificationsSettingsResponse> {
    return this.deps.request({
      method: 'PUT',
      path: routePath(DIALOG, id, 'notifications'),
      data: { enabled: enabled ? 1 : 0 },
    });
  }

  async getNotificationsSettings(id: string): Promise<NotificationsSettingsResponse> {
    return this.deps.request({ method: 'GET', path: routePath(DIALOG, id, 'notifications') });
  }

  /** Subscribers of a public/broadcast dialog (members for other types), as bare users. */
  async getPublicOccupants(id: string, params: PublicOccupantsParams = {}): Promise<PublicOccupantsResponse> {
    return this.deps.request({ method: 'GET', path: routePath(DIALOG, id, 'occupants'), data: params });
  }
}
