import { fieldTypes, isFieldName, type ClassField, type DataClassRecord, type FieldType } from '../../ports/data-store.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { readClassPermissions } from './permissions.js';

/**
 * Custom-object classes are defined by the application's administrator (CLI `parley data class …` or
 * the admin REST API), never through the ConnectyCube API (rest.md §6.1). A definition is a name, typed
 * fields (`indexed` ones get a database index) and a permission scheme.
 */

type Errors = Record<string, string[]>;
const addError = (errors: Errors, field: string, message: string) => (errors[field] ??= []).push(message);

export const MAX_FIELDS = 100;
/** Names the system fields use: a declared field may not shadow them. */
const reservedNames = new Set(['id', 'user_id', 'created_at', 'updated_at', 'permissions', 'limit', 'skip', 'count', 'output', 'group_by', 'near', 'record', 'multi', 'by_criteria']);
const indexableTypes: readonly FieldType[] = ['Integer', 'Float', 'Boolean', 'String', 'Date'];

export interface ClassDefinitionInput {
  name?: unknown;
  fields?: unknown;
  permissions?: unknown;
}

/** Fields as `[{name, type, indexed?}]` or `{name: type}`; type names are case-insensitive. */
export function readFields(raw: unknown, errors: Errors): ClassField[] {
  const entries: { name: unknown; type: unknown; indexed?: unknown }[] = Array.isArray(raw)
    ? (raw as { name: unknown; type: unknown; indexed?: unknown }[])
    : typeof raw === 'object' && raw !== null
      ? Object.entries(raw as Record<string, unknown>).map(([name, type]) => ({ name, type }))
      : [];
  if (raw !== undefined && !Array.isArray(raw) && (typeof raw !== 'object' || raw === null)) addError(errors, 'fields', 'must be a list of {name, type}');
  if (entries.length > MAX_FIELDS) addError(errors, 'fields', `at most ${MAX_FIELDS} fields`);
  const fields: ClassField[] = [];
  entries.forEach((entry, index) => {
    const where = `fields.${index}`;
    if (typeof entry !== 'object' || entry === null) {
      addError(errors, where, 'must be {name, type}');
      return;
    }
    const { name, type, indexed } = entry;
    if (typeof name !== 'string' || !isFieldName(name) || name.startsWith('_') || reservedNames.has(name)) {
      addError(errors, `${where}.name`, 'must start with a letter, hold only letters, digits and _, at most 64 characters, and not be a system name');
      return;
    }
    const canonical = typeof type === 'string' ? fieldTypes.find((candidate) => candidate.toLowerCase() === type.toLowerCase()) : undefined;
    if (!canonical) {
      addError(errors, `${where}.type`, `must be one of ${fieldTypes.join(', ')}`);
      return;
    }
    const isIndexed = indexed === true || indexed === 'true' || indexed === 1;
    if (isIndexed && !indexableTypes.includes(canonical)) addError(errors, `${where}.indexed`, `only ${indexableTypes.join(', ')} fields can be indexed`);
    if (fields.some((field) => field.name === name)) addError(errors, `${where}.name`, 'is declared twice');
    fields.push({ name, type: canonical, indexed: isIndexed });
  });
  return fields;
}

function readClassName(raw: unknown, errors: Errors): string {
  if (typeof raw !== 'string' || !isFieldName(raw)) addError(errors, 'name', 'must start with a letter and hold only letters, digits and _ (at most 64 characters)');
  return typeof raw === 'string' ? raw : '';
}

export class DataClassService {
  constructor(
    private readonly store: Pick<Store, 'apps' | 'dataClasses'>,
    private readonly clock: Clock,
  ) {}

  private async requireApp(appId: number): Promise<void> {
    if (!Number.isSafeInteger(appId) || !(await this.store.apps.findById(appId))) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
  }

  async define(appId: number, input: ClassDefinitionInput): Promise<DataClassRecord> {
    await this.requireApp(appId);
    const errors: Errors = {};
    const name = readClassName(input.name, errors);
    const fields = readFields(input.fields ?? [], errors);
    const permissions = readClassPermissions(input.permissions, errors);
    if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
    const now = this.clock();
    const created = await this.store.dataClasses.create({ appId, name, fields, permissions, createdAt: now, updatedAt: now });
    if (!created) throw new DomainFailure('VALIDATION_FAILED', { fields: { name: ['has already been taken'] } });
    return created;
  }

  /** Replaces the fields (when given) and the permissions (when given). Removing a field keeps stored values hidden. */
  async redefine(appId: number, name: string, input: ClassDefinitionInput): Promise<DataClassRecord> {
    await this.requireApp(appId);
    const existing = await this.get(appId, name);
    const errors: Errors = {};
    const fields = input.fields === undefined ? existing.fields : readFields(input.fields, errors);
    const permissions = input.permissions === undefined ? existing.permissions : readClassPermissions(input.permissions, errors);
    for (const field of fields) {
      const before = existing.fields.find((candidate) => candidate.name === field.name);
      if (before && before.type !== field.type) addError(errors, 'fields', `${field.name} cannot change type (${before.type} → ${field.type})`);
    }
    if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
    const updated = await this.store.dataClasses.update(appId, name, { fields, permissions, updatedAt: this.clock() });
    if (!updated) throw new DomainFailure('DATA_CLASS_NOT_FOUND');
    return updated;
  }

  async list(appId: number): Promise<DataClassRecord[]> {
    await this.requireApp(appId);
    return this.store.dataClasses.list(appId);
  }

  async get(appId: number, name: string): Promise<DataClassRecord> {
    const found = isFieldName(name) ? await this.store.dataClasses.find(appId, name) : undefined;
    if (!found) throw new DomainFailure('DATA_CLASS_NOT_FOUND');
    return found;
  }

  async remove(appId: number, name: string): Promise<void> {
    await this.requireApp(appId);
    if (!isFieldName(name) || !(await this.store.dataClasses.delete(appId, name))) throw new DomainFailure('DATA_CLASS_NOT_FOUND');
  }
}
