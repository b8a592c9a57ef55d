// The `meeting` module (rest.md §9): create, read, change and delete meetings, and list their
// recordings. Requests are those of the official SDK, defaults included.
import { routePath } from '../http/url.js';
import type { ApiRequest } from '../http/types.js';
import type { CreateMeetingParams, GetMeetingsParams, Meeting, MeetingParams, MeetingRecording } from './types.js';

export interface MeetingDeps {
  request<T>(request: ApiRequest): Promise<T>;
}

const MEETINGS = 'meetings';

export class MeetingService {
  constructor(private readonly deps: MeetingDeps) {}

  /** One meeting (`{_id}`) or the caller's meetings (filters, `limit`, `offset`). */
  get(params: GetMeetingsParams = {}): Promise<Meeting | Meeting[]> {
    return this.deps.request({ method: 'GET', path: MEETINGS, data: params });
  }

  /**
   * Creates a meeting hosted by the caller. Like the official SDK, fields not given default to a
   * one-hour meeting starting now, without attendees, recording or chat.
   */
  create(params: CreateMeetingParams = {}): Promise<Meeting> {
    const now = Math.ceil(Date.now() / 1000);
    const defaults = {
      // The official SDK formats the seconds as if they were milliseconds; kept for identical requests.
      name: new Date(now).toLocaleString('en', { year: 'numeric', month: 'long', day: 'numeric', hour: 'numeric', minute: 'numeric' }),
      start_date: now,
      end_date: now + 3600,
      attendees: [],
      record: false,
      chat: false,
    };
    return this.deps.request({ method: 'POST', path: MEETINGS, data: { ...defaults, ...params } });
  }

  /** Host only; any subset of the fields. */
  update(id: string | number, params: MeetingParams): Promise<Meeting> {
    return this.deps.request({ method: 'PUT', path: routePath(MEETINGS, id), data: params });
  }

  /** Host only. */
  delete(id: string | number): Promise<unknown> {
    return this.deps.request({ method: 'DELETE', path: routePath(MEETINGS, id), responseMode: 'text' });
  }

  /** The meeting's recordings with download URLs valid for an hour (host and attendees). */
  getRecordings(id: string | number): Promise<MeetingRecording[]> {
    return this.deps.request({ method: 'GET', path: routePath(MEETINGS, 'recordings', id) });
  }
}
