import type { DataRecord } from '../../ports/data-store.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { parseListQuery } from './query.js';
import { isRecordId } from './records.js';
import { applyUpdatePlan, readUpdatePlan } from './update.js';
import { withAllFields } from './values.js';

/**
 * Operators' view of custom-object records (dashboard, admin API): every record of a class whatever
 * its permissions, with the filters of GET /data/{class}; edit fields and delete. This is where
 * moderation reports are read.
 */
export class DataRecordAdministration {
  constructor(
    private readonly store: Pick<Store, 'dataClasses' | 'dataRecords'>,
    private readonly clock: Clock,
  ) {}

  private async dataClass(appId: number, className: string) {
    const found = /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(className) ? await this.store.dataClasses.find(appId, className) : undefined;
    if (!found) throw new DomainFailure('DATA_CLASS_NOT_FOUND');
    return found;
  }

  async list(appId: number, className: string, params: Record<string, unknown>): Promise<{ total: number; skip: number; limit: number; items: DataRecord[] }> {
    const dataClass = await this.dataClass(appId, className);
    const query = parseListQuery(dataClass.fields, { ...params, count: undefined, aggregate: undefined, group_by: undefined });
    const scope = { kind: 'all' } as const;
    const items = await this.store.dataRecords.query(appId, dataClass.id, { conditions: query.conditions, scope, sort: query.sort, limit: query.limit, offset: query.offset });
    const total = await this.store.dataRecords.count(appId, dataClass.id, query.conditions, scope);
    return { total, skip: query.offset, limit: query.limit, items: items.map((record) => ({ ...record, fields: withAllFields(dataClass.fields, record.fields) })) };
  }

  async update(appId: number, className: string, id: string, body: unknown): Promise<DataRecord> {
    const dataClass = await this.dataClass(appId, className);
    const errors: Record<string, string[]> = {};
    const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    // Permissions stay the owner's business (rest.md §6.5): operators change field values only.
    const plan = readUpdatePlan(dataClass.fields, Object.fromEntries(Object.entries(input).filter(([key]) => key !== 'permissions')), errors);
    if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
    if (!isRecordId(id)) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    const now = this.clock();
    const [record] = await this.store.dataRecords.mutate(appId, dataClass.id, [id], (current) => applyUpdatePlan(current, plan, now));
    if (!record) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
    return { ...record, fields: withAllFields(dataClass.fields, record.fields) };
  }

  async remove(appId: number, className: string, id: string): Promise<void> {
    const dataClass = await this.dataClass(appId, className);
    const deleted = isRecordId(id) ? await this.store.dataRecords.delete(appId, dataClass.id, [id]) : 0;
    if (deleted === 0) throw new DomainFailure('DATA_RECORD_NOT_FOUND');
  }
}
