// Maps the deprecated `users.get(params)` input onto its V1 route and query (rest.md §3.8).
import type { LegacyGetParams, LegacyUserFilter } from './types.js';

/** Lookup keys in the order the official SDK tries them; the first non-empty one wins. */
const ROUTE_BY_KEY: ReadonlyArray<readonly [string, string]> = [
  ['login', 'by_login'],
  ['full_name', 'by_full_name'],
  ['facebook_id', 'by_facebook_id'],
  ['twitter_id', 'by_twitter_id'],
  ['phone', 'phone'], // sic: the official SDK's route; the server also serves by_phone
  ['email', 'by_email'],
  ['tags', 'by_tags'],
  ['external', 'external'],
];

const DATE_FIELDS = ['created_at', 'updated_at', 'last_request_at'];
const NUMBER_FIELDS = ['id', 'external_user_id'];

export interface LegacyRoute {
  /** Path below `users` (`by_login`, `42`, `external/abc`), or '' for the list route. */
  path: string;
  query: Record<string, unknown> | undefined;
}

export function legacyRoute(params: LegacyGetParams): LegacyRoute {
  if (typeof params === 'number') return { path: String(params), query: undefined };

  // A JSON round-trip, as the official SDK does: a private copy, Dates become ISO strings and
  // undefined keys disappear before serialisation.
  const query = JSON.parse(JSON.stringify(params)) as Record<string, unknown>;
  if (query.order) query.order = formatOrder(query.order);
  if (query.filter) query.filter = formatFilters(query.filter);

  for (const [key, route] of ROUTE_BY_KEY) {
    // Lookup values are scalars (login, id, …); `tags` is an array but stays in the query.
    const value = query[key] as string | number | string[] | undefined;
    if (!value) continue;
    // `external` carries its value in the path and sends no query.
    if (key === 'external') return { path: `external/${String(value)}`, query: undefined };
    return { path: route, query };
  }
  return { path: '', query };
}

/** `{sort, field}` → `"<sort> <type> <field>"`; strings are taken as already formatted. */
function formatOrder(order: unknown): unknown {
  if (typeof order !== 'object' || order === null) return order;
  const { sort, field } = order as { sort?: string; field?: string };
  const name = String(field ?? '');
  // The official SDK always sends `string` here (a bug); the server ignores the type token, so
  // sending the real type costs nothing and is right for any server that does read it.
  const type = DATE_FIELDS.includes(name) ? 'date' : NUMBER_FIELDS.includes(name) ? 'number' : 'string';
  return [sort, type, name].join(' ');
}

/** Always an array of `"<type> <field> <param> <value>"` strings (sent as `filter[]=`). */
function formatFilters(filter: unknown): string[] {
  const list = Array.isArray(filter) ? (filter as unknown[]) : [filter];
  return list.map((entry) => (typeof entry === 'string' ? entry : formatFilter((entry ?? {}) as LegacyUserFilter)));
}

function formatFilter({ field, param, value }: LegacyUserFilter): string {
  const name = String(field ?? '');
  let type: string = typeof value;
  let text: unknown = value;
  if (Array.isArray(value)) {
    type = typeof value[0];
    text = value.join(',');
  }
  if (DATE_FIELDS.includes(name)) type = 'date';
  return [type, name, param, text].join(' ');
}
