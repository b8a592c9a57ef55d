import type { AggregateRow, DataClassRecord, DataRecord, RecordAction, RecordScope } from '../../ports/data-store.js';
import type { Store } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { mayCreate, scopeFor } from './permissions.js';
import { parseConditions, parseListQuery, type ListQuery } from './query.js';
import { isRecordId, numberedRecords, readNewRecord } from './records.js';
import { applyUpdatePlan, readUpdatePlan, type UpdatePlan } from './update.js';
import { withAllFields } from './values.js';

type Errors = Record<string, string[]>;

export type DataListResult =
  | { kind: 'items'; skip: number; limit: number; items: DataRecord[]; output: ListQuery['output'] }
  | { kind: 'count'; count: number }
  | { kind: 'aggregate'; groupName: string; fieldName: string; op: string; rows: AggregateRow[] };

export interface DataDeleteSummary {
  deleted: string[];
  wrongPermissions: string[];
  notFound: string[];
}

/** Items echoed by update-by-criteria (all matching records are updated). */
const CRITERIA_ITEMS_LIMIT = 100;

interface Caller {
  dataClass: DataClassRecord;
  userId: number | null;
  groups: string[];
}

function throwIfErrors(errors: Errors): void {
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}

function asObject(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** Every declared field present (missing ones null), fields no longer declared hidden (rest.md §6.1). */
function complete(caller: Caller, records: DataRecord[]): DataRecord[] {
  return records.map((record) => ({ ...record, fields: withAllFields(caller.dataClass.fields, record.fields) }));
}

function requireUser(userId: number | null): number {
  if (userId === null) throw new DomainFailure('NEED_USER');
  return userId;
}

/** Custom-object records (rest.md §6.2–§6.7): parsing, permissions, then one store call. */
export class DataService {
  constructor(
    private readonly store: Pick<Store, 'users' | 'dataClasses' | 'dataRecords'>,
    private readonly clock: Clock,
  ) {}

  /** The class (404 when this app has none of that name) and the caller's user id and groups (tags). */
  private async caller(actor: Actor, className: string): Promise<Caller> {
    const dataClass = /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(className) ? await this.store.dataClasses.find(actor.appId, className) : undefined;
    if (!dataClass) throw new DomainFailure('DATA_CLASS_NOT_FOUND');
    const user = actor.userId === null ? undefined : await this.store.users.findById(actor.appId, actor.userId);
    return { dataClass, userId: actor.userId, groups: user?.tags ?? [] };
  }

  private scope(caller: Caller, action: RecordAction): RecordScope {
    return scopeFor(caller.dataClass, action, caller.userId, caller.groups);
  }

  private assertCreate(caller: Caller): number {
    const userId = requireUser(caller.userId);
    if (!mayCreate(caller.dataClass.permissions, userId, caller.groups)) throw new DomainFailure('FORBIDDEN');
    return userId;
  }

  async create(actor: Actor, className: string, body: unknown): Promise<DataRecord> {
    const caller = await this.caller(actor, className);
    const userId = this.assertCreate(caller);
    const errors: Errors = {};
    const record = readNewRecord(caller.dataClass, userId, body, this.clock(), errors);
    throwIfErrors(errors);
    await this.store.dataRecords.insert([record]);
    return complete(caller, [record])[0] ?? record;
  }

  /** All or nothing: one bad record refuses the whole batch. */
  async createMany(actor: Actor, className: string, body: unknown): Promise<DataRecord[]> {
    const caller = await this.caller(actor, className);
    const userId = this.assertCreate(caller);
    const errors: Errors = {};
    const now = this.clock();
    const records = numberedRecords(body, errors).map(([key, item]) => readNewRecord(caller.dataClass, userId, item, now, errors, `record.${key}.`));
    throwIfErrors(errors);
    await this.store.dataRecords.insert(records);
    return complete(caller, records);
  }

  async list(actor: Actor, className: string, params: Record<string, unknown>): Promise<DataListResult> {
    const caller = await this.caller(actor, className);
    const query = parseListQuery(caller.dataClass.fields, params);
    const scope = this.scope(caller, 'read');
    const { appId } = actor;
    const classId = caller.dataClass.id;
    if (query.aggregation) {
      const { field, op, groupBy, groupName } = query.aggregation;
      const rows = await this.store.dataRecords.aggregate(appId, classId, { conditions: query.conditions, scope, field, op, groupBy });
      return { kind: 'aggregate', groupName, fieldName: field.field, op, rows };
    }
    if (query.count) return { kind: 'count', count: await this.store.dataRecords.count(appId, classId, query.conditions, scope) };
    const items = await this.store.dataRecords.query(appId, classId, { conditions: query.conditions, scope, sort: query.sort, limit: query.limit, offset: query.offset });
    return { kind: 'items', skip: query.offset, limit: query.limit, items: complete(caller, items), output: query.output };
  }

  /** Records among `ids` the caller may read, in the order asked; others are left out (rest.md §6.3). */
  async byIds(actor: Actor, className: string, ids: string[]): Promise<DataRecord[]> {
    const caller = await this.caller(actor, className);
    return complete(caller, await this.store.dataRecords.findByIds(actor.appId, caller.dataClass.id, ids.filter(isRecordId), this.scope(caller, 'read')));
  }

  /** The record whose permissions its owner asks for (rest.md §6.5). */
  async readPermissions(actor: Actor, className: string, id: string): Promise<DataRecord> {
    const caller = await this.caller(actor, className);
    const [record] = await this.store.dataRecords.findByIds(actor.appId, caller.dataClass.id, isRecordId(id) ? [id] : [], { kind: 'all' });
    if (!record) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    if (record.userId !== actor.userId) throw new DomainFailure('FORBIDDEN');
    return record;
  }

  /** Splits ids into those allowed for `action`, those that exist but are not allowed, and unknown ones. */
  private async sortIds(actor: Actor, caller: Caller, ids: string[], action: RecordAction) {
    const wellFormed = [...new Set(ids)].filter(isRecordId);
    const classId = caller.dataClass.id;
    const existing = new Set((await this.store.dataRecords.findByIds(actor.appId, classId, wellFormed, { kind: 'all' })).map((record) => record.id));
    const allowed = new Set((await this.store.dataRecords.findByIds(actor.appId, classId, [...existing], this.scope(caller, action))).map((record) => record.id));
    const unique = [...new Set(ids)];
    return {
      allowed: unique.filter((id) => allowed.has(id)),
      wrongPermissions: unique.filter((id) => existing.has(id) && !allowed.has(id)),
      notFound: unique.filter((id) => !existing.has(id)),
    };
  }

  /** Applies plans in one transaction; only a record's owner may change its permissions. */
  private async applyPlans(actor: Actor, caller: Caller, plans: Map<string, UpdatePlan[]>): Promise<DataRecord[]> {
    const now = this.clock();
    return this.store.dataRecords.mutate(actor.appId, caller.dataClass.id, [...plans.keys()], (record) => {
      let next = record;
      for (const plan of plans.get(record.id) ?? []) {
        if (plan.permissions !== undefined && record.userId !== actor.userId) throw new DomainFailure('FORBIDDEN', { message: "Only the record's owner may change its permissions" });
        next = applyUpdatePlan(next, plan, now);
      }
      return next;
    });
  }

  async update(actor: Actor, className: string, id: string, body: unknown): Promise<DataRecord> {
    const caller = await this.caller(actor, className);
    requireUser(caller.userId);
    const errors: Errors = {};
    const plan = readUpdatePlan(caller.dataClass.fields, asObject(body), errors);
    throwIfErrors(errors);
    const sorted = await this.sortIds(actor, caller, [id], 'update');
    if (sorted.notFound.length > 0) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    if (sorted.wrongPermissions.length > 0) throw new DomainFailure('FORBIDDEN');
    const [record] = complete(caller, await this.applyPlans(actor, caller, new Map([[id, [plan]]])));
    if (!record) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    return record;
  }

  /** `PUT /data/{class}/by_criteria` (rest.md §6.6): every matching record the caller may update. */
  async updateByCriteria(actor: Actor, className: string, body: unknown): Promise<{ total: number; items: DataRecord[] }> {
    const caller = await this.caller(actor, className);
    requireUser(caller.userId);
    const input = asObject(body);
    const criteria = input.search_criteria;
    if (typeof criteria !== 'object' || criteria === null || Array.isArray(criteria)) throw new DomainFailure('VALIDATION_FAILED', { fields: { search_criteria: ['must be an object of conditions'] } });
    const conditions = parseConditions(caller.dataClass.fields, criteria as Record<string, unknown>);
    const errors: Errors = {};
    const plan = readUpdatePlan(caller.dataClass.fields, input, errors);
    throwIfErrors(errors);
    const ids = await this.store.dataRecords.matchingIds(actor.appId, caller.dataClass.id, conditions, this.scope(caller, 'update'));
    const records = await this.applyPlans(actor, caller, new Map(ids.map((id) => [id, [plan]])));
    return { total: records.length, items: complete(caller, records.slice(0, CRITERIA_ITEMS_LIMIT)) };
  }

  /** `PUT /data/{class}/multi`: each numbered entry names its record by `id`/`_id`. */
  async updateMany(actor: Actor, className: string, body: unknown): Promise<{ items: DataRecord[]; notFound: string[] }> {
    const caller = await this.caller(actor, className);
    requireUser(caller.userId);
    const errors: Errors = {};
    const plans = new Map<string, UpdatePlan[]>();
    for (const [key, item] of numberedRecords(body, errors)) {
      const input = asObject(item);
      const id = input.id ?? input._id;
      if (typeof id !== 'string' || !isRecordId(id)) {
        (errors[`record.${key}.id`] ??= []).push('must be a record id');
        continue;
      }
      const itemErrors: Errors = {};
      const plan = readUpdatePlan(caller.dataClass.fields, input, itemErrors);
      for (const [field, messages] of Object.entries(itemErrors)) (errors[`record.${key}.${field}`] ??= []).push(...messages);
      plans.set(id, [...(plans.get(id) ?? []), plan]);
    }
    throwIfErrors(errors);
    const sorted = await this.sortIds(actor, caller, [...plans.keys()], 'update');
    const allowed = new Map(sorted.allowed.map((id) => [id, plans.get(id) ?? []]));
    const written = await this.applyPlans(actor, caller, allowed);
    const byId = new Map(complete(caller, written).map((record) => [record.id, record]));
    return { items: sorted.allowed.flatMap((id) => byId.get(id) ?? []), notFound: [...sorted.notFound, ...sorted.wrongPermissions] };
  }

  async deleteOne(actor: Actor, className: string, id: string): Promise<void> {
    const summary = await this.deleteMany(actor, className, [id]);
    if (summary.notFound.length > 0) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    if (summary.wrongPermissions.length > 0) throw new DomainFailure('FORBIDDEN');
  }

  async deleteMany(actor: Actor, className: string, ids: string[]): Promise<DataDeleteSummary> {
    const caller = await this.caller(actor, className);
    requireUser(caller.userId);
    const sorted = await this.sortIds(actor, caller, ids, 'delete');
    await this.store.dataRecords.delete(actor.appId, caller.dataClass.id, sorted.allowed);
    return { deleted: sorted.allowed, wrongPermissions: sorted.wrongPermissions, notFound: sorted.notFound };
  }

  /** `DELETE /data/{class}/by_criteria`: needs at least one condition, so an empty body never empties a class. */
  async deleteByCriteria(actor: Actor, className: string, params: Record<string, unknown>): Promise<number> {
    const caller = await this.caller(actor, className);
    requireUser(caller.userId);
    const conditions = parseConditions(caller.dataClass.fields, params);
    if (conditions.length === 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { search_criteria: ['cannot be blank'] } });
    const ids = await this.store.dataRecords.matchingIds(actor.appId, caller.dataClass.id, conditions, this.scope(caller, 'delete'));
    return this.store.dataRecords.delete(actor.appId, caller.dataClass.id, ids);
  }
}
