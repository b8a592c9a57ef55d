// `ConnectyCube.data` (rest.md §6): custom objects. Paths, bodies and response modes are the official
// SDK 6.1.2's (index in rest.md §12); classes themselves are defined by the server's administrator.
import { routePath } from '../http/url.js';
import type { ApiRequest } from '../http/types.js';
import type {
  DataCreateRecord,
  DataDeleteResponse,
  DataListParams,
  DataListResponse,
  DataReadPermissionsResponse,
  DataRecord,
  DataUpdateOptions,
  DataUpdateResponse,
} from './types.js';

export interface DataDeps {
  request<T>(request: ApiRequest): Promise<T>;
}

const DATA = 'data';

/** A plain object (what the official SDK treats as delete criteria), not an array or a string. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * `{record: {"1": {…}, "2": {…}}}`, numbered from 1; a record named by `_id` also gets `id`
 * (appended after its own keys, or kept in place when it already has one).
 */
function numbered(records: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  records.forEach((item, index) => {
    const id = item.id || item._id;
    out[index + 1] = id ? { ...item, id } : item;
  });
  return out;
}

export class DataService {
  constructor(private readonly deps: DataDeps) {}

  /** One record (`POST /data/{class}`), or several at once when given an array (`…/multi`). */
  create(className: string, params: DataCreateRecord): Promise<DataRecord>;
  create(className: string, params: DataCreateRecord[]): Promise<DataListResponse>;
  async create(className: string, params: DataCreateRecord | DataCreateRecord[] = {}): Promise<DataRecord | DataListResponse> {
    const many = Array.isArray(params);
    return this.deps.request({
      method: 'POST',
      path: routePath(DATA, className, many ? 'multi' : undefined),
      data: many ? { record: numbered(params) } : params,
    });
  }

  /**
   * Records by id (a string, `"id1,id2"` or an array) or by query parameters (filters, sort, skip,
   * limit, count, output, calc/group_by).
   */
  async list(className: string, params: DataListParams | string | string[] = {}): Promise<DataListResponse> {
    const ids = typeof params === 'string' ? params : Array.isArray(params) ? params.toString() : undefined;
    return this.deps.request({ method: 'GET', path: routePath(DATA, className, ids), data: ids ? undefined : (params as DataListParams) });
  }

  /** The record's permissions; only its owner may ask. */
  async readPermissions(className: string, id: string): Promise<DataReadPermissionsResponse> {
    return this.deps.request({ method: 'GET', path: routePath(DATA, className, id), data: { permissions: 1 } });
  }

  /**
   * Updates one record (`id`/`_id`), every record matching `search_criteria`, or several records at
   * once when given an array. Supports the operators inc, push, add_to_set, pull, pull_all, pop, ….
   */
  update(className: string, params: DataUpdateOptions[]): Promise<DataUpdateResponse>;
  update(className: string, params?: DataUpdateOptions): Promise<DataUpdateResponse | DataRecord>;
  async update(className: string, params: DataUpdateOptions | DataUpdateOptions[] = {}): Promise<DataUpdateResponse | DataRecord> {
    const many = Array.isArray(params);
    const byCriteria = !many && Boolean(params.search_criteria);
    const target = many ? 'multi' : byCriteria ? 'by_criteria' : ((params.id || params._id || '') as string | number);
    return this.deps.request({ method: 'PUT', path: routePath(DATA, className, target), data: many ? { record: numbered(params) } : params });
  }

  /**
   * Deletes one record (answered as text), several ids (a summary) or every record matching a
   * criteria object (`{total_deleted}`; the criteria travel urlencoded in the body).
   */
  async delete(className: string, params: string | string[] | Record<string, unknown>): Promise<DataDeleteResponse | string> {
    const criteria = isPlainObject(params);
    const one = typeof params === 'string' || (Array.isArray(params) && params.length === 1);
    const target = criteria ? 'by_criteria' : typeof params === 'string' ? params : ((params as string[] | undefined)?.toString() ?? '');
    return this.deps.request({
      method: 'DELETE',
      path: routePath(DATA, className, target),
      data: criteria ? params : undefined,
      responseMode: one ? 'text' : 'json',
    });
  }
}
