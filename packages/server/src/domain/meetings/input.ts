import { MAX_ID, parseDateInput, toFlag, toId } from '@parley/protocol';
import type { MeetingAttendee, MeetingCondition, MeetingQuery, MeetingTimezone, NotifyBefore } from '../../ports/meetings.js';
import { DomainFailure } from '../shared/failure.js';
import { parseFilters, readLimit, readSkip, type FilterValueKind } from '../shared/filters.js';

type Fields = Record<string, string[]>;

export const MAX_ATTENDEES = 1000;
const MAX_NAME = 255;
/** Unix seconds later than any meeting: dates beyond it are refused, not overflowed. */
const MAX_UNIX_SECONDS = 253_402_300_799;

/** Ranges of `notify_before.value` per metric (rest.md §9). */
const notifyRanges: Record<NotifyBefore['metric'], [number, number]> = { minutes: [0, 55], hours: [1, 24], days: [1, 30], weeks: [1, 4] };

/** A create or update body, each field validated; only the fields present are set. */
export interface MeetingInput {
  name?: string;
  startDate?: number;
  endDate?: number;
  attendees?: MeetingAttendee[];
  chat?: boolean;
  record?: boolean;
  public?: boolean;
  scheduled?: boolean;
  notify?: boolean;
  notifyBefore?: NotifyBefore | null;
  timezone?: MeetingTimezone | null;
}

function add(errors: Fields, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

function readBool(input: Record<string, unknown>, key: string, errors: Fields, nullIsFalse = false): boolean | undefined {
  const raw = input[key];
  if (raw === undefined) return undefined;
  if (raw === null && nullIsFalse) return false;
  const value = toFlag(raw);
  if (value === undefined) add(errors, key, 'must be true or false');
  return value;
}

function readDate(input: Record<string, unknown>, key: string, errors: Fields): number | undefined {
  const raw = input[key];
  if (raw === undefined) return undefined;
  const ms = typeof raw === 'number' || typeof raw === 'string' ? parseDateInput(raw) : undefined;
  const seconds = ms === undefined ? undefined : Math.floor(ms / 1000);
  if (seconds === undefined || seconds < 0 || seconds > MAX_UNIX_SECONDS) {
    add(errors, key, 'must be a date (unix seconds)');
    return undefined;
  }
  return seconds;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readAttendees(raw: unknown, errors: Fields): MeetingAttendee[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    add(errors, 'attendees', 'must be an array of {id, email}');
    return undefined;
  }
  if (raw.length > MAX_ATTENDEES) add(errors, 'attendees', `at most ${MAX_ATTENDEES} attendees`);
  const attendees: MeetingAttendee[] = [];
  raw.slice(0, MAX_ATTENDEES).forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      add(errors, 'attendees', `entry ${index} must be an object with id or email`);
      return;
    }
    const { id, email } = entry as Record<string, unknown>;
    const attendee: MeetingAttendee = {};
    if (id !== undefined && id !== null) {
      const userId = toId(id);
      if (userId === undefined) add(errors, 'attendees', `entry ${index}: id must be a user id`);
      else attendee.id = userId;
    }
    if (email !== undefined && email !== null) {
      if (typeof email !== 'string' || email.length > 255 || !EMAIL.test(email)) add(errors, 'attendees', `entry ${index}: email is not an email address`);
      else attendee.email = email;
    }
    if (attendee.id === undefined && attendee.email === undefined) add(errors, 'attendees', `entry ${index} needs an id or an email`);
    else attendees.push(attendee);
  });
  return attendees;
}

function readNotifyBefore(raw: unknown, errors: Fields): NotifyBefore | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const { metric, value } = (typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const range = typeof metric === 'string' ? notifyRanges[metric as NotifyBefore['metric']] : undefined;
  if (!range || !Object.hasOwn(notifyRanges, metric as string)) {
    add(errors, 'notify_before', 'metric must be minutes, hours, days or weeks');
    return undefined;
  }
  const amount = typeof value === 'number' || typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(amount) || amount < range[0] || amount > range[1]) {
    add(errors, 'notify_before', `value must be an integer from ${range[0]} to ${range[1]} for ${metric as string}`);
    return undefined;
  }
  return { metric: metric as NotifyBefore['metric'], value: amount };
}

function readTimezone(raw: unknown, errors: Fields): MeetingTimezone | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null) return null;
  const { offset, name } = (typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const minutes = typeof offset === 'number' || typeof offset === 'string' ? Number(offset) : Number.NaN;
  if (!Number.isInteger(minutes) || minutes < -720 || minutes > 840) add(errors, 'timezone', 'offset must be minutes from -720 to 840');
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) add(errors, 'timezone', 'name must be a time zone name');
  return errors.timezone ? undefined : { offset: minutes, name: name as string };
}

/** Validates a create (`partial` false) or update body; every bad field is reported at once. */
export function parseMeetingInput(body: unknown, partial: boolean): MeetingInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { base: ['the body must be a JSON object'] } });
  }
  const input = body as Record<string, unknown>;
  const errors: Fields = {};
  const out: MeetingInput = {};
  if (input.name !== undefined) {
    if (typeof input.name !== 'string' || input.name.trim() === '') add(errors, 'name', 'cannot be blank');
    else if (input.name.length > MAX_NAME) add(errors, 'name', `is too long (at most ${MAX_NAME} characters)`);
    else out.name = input.name;
  } else if (!partial) add(errors, 'name', 'cannot be blank');
  const startDate = readDate(input, 'start_date', errors);
  const endDate = readDate(input, 'end_date', errors);
  if (!partial && input.start_date === undefined) add(errors, 'start_date', 'cannot be blank');
  if (!partial && input.end_date === undefined) add(errors, 'end_date', 'cannot be blank');
  if (startDate !== undefined) out.startDate = startDate;
  if (endDate !== undefined) out.endDate = endDate;
  const attendees = readAttendees(input.attendees, errors);
  if (attendees !== undefined) out.attendees = attendees;
  for (const [key, target] of [['chat', 'chat'], ['public', 'public'], ['scheduled', 'scheduled'], ['notify', 'notify']] as const) {
    const value = readBool(input, key, errors);
    if (value !== undefined) out[target] = value;
  }
  // The SDK's type allows `record: null`.
  const record = readBool(input, 'record', errors, true);
  if (record !== undefined) out.record = record;
  const notifyBefore = readNotifyBefore(input.notify_before, errors);
  if (notifyBefore !== undefined) out.notifyBefore = notifyBefore;
  const timezone = readTimezone(input.timezone, errors);
  if (timezone !== undefined) out.timezone = timezone;
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
  return out;
}

const filterKinds: Record<string, FilterValueKind> = {
  start_date: 'unixSeconds',
  end_date: 'unixSeconds',
  start_at: 'unixSeconds',
  end_at: 'unixSeconds',
  created_at: 'epochMs',
  updated_at: 'epochMs',
};

/** `GET /meetings` parameters: limit (default 100), offset, date filters (docs and SDK names), scheduled. */
export function parseMeetingQuery(params: Record<string, unknown>): MeetingQuery {
  const conditions: MeetingCondition[] = [];
  for (const filter of parseFilters(params, filterKinds)) {
    const field = filter.field === 'start_at' ? 'start_date' : filter.field === 'end_at' ? 'end_date' : (filter.field as MeetingCondition['field']);
    if ('values' in filter) {
      if (filter.op === 'all') throw new DomainFailure('VALIDATION_FAILED', { fields: { [filter.field]: ["operator 'all' does not apply to dates"] } });
      conditions.push({ field, op: filter.op, values: filter.values.map(Number) });
    } else if (filter.op === 'ctn') {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { [filter.field]: ["operator 'ctn' does not apply to dates"] } });
    } else {
      conditions.push({ field, op: filter.op, value: Number(filter.value) });
    }
  }
  if (params.scheduled !== undefined) {
    const scheduled = toFlag(params.scheduled);
    if (scheduled === undefined) throw new DomainFailure('VALIDATION_FAILED', { fields: { scheduled: ['must be true or false'] } });
    conditions.push({ field: 'scheduled', op: 'eq', value: scheduled ? 1 : 0 });
  }
  const offset = params.offset === undefined ? readSkip(params.skip) : readOffset(params.offset);
  return { conditions, limit: readLimit(params.limit, 100, 100), offset };
}

function readOffset(value: unknown): number {
  const offset = toId(value) ?? (value === '0' || value === 0 ? 0 : undefined);
  if (offset === undefined || offset > MAX_ID) throw new DomainFailure('VALIDATION_FAILED', { fields: { offset: ['must be a non-negative integer'] } });
  return offset;
}
