import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery } from './query.js';
import { isFieldName, type ClassField, type DataCondition, type DataRecord } from '../../ports/data-store.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { defaultRecordPermissions } from '../../domain/data/permissions.js';
import { DATA_MAX_LIMIT, parseListQuery } from '../../domain/data/query.js';
import { applyUpdatePlan, readUpdatePlan } from '../../domain/data/update.js';

/**
 * Bounded fuzzing of the custom-object decoders: any query string or update body either decodes into
 * well-typed conditions on declared fields (names safe for SQL) or fails as a DomainFailure.
 */
const fields: ClassField[] = [
  { name: 'title', type: 'String', indexed: false },
  { name: 'score', type: 'Integer', indexed: true },
  { name: 'ratio', type: 'Float', indexed: false },
  { name: 'done', type: 'Boolean', indexed: false },
  { name: 'tags', type: 'Array', indexed: false },
  { name: 'loc', type: 'Location', indexed: false },
  { name: 'due', type: 'Date', indexed: false },
  { name: 'file', type: 'File', indexed: false },
];

const keys = ['title', 'score', 'ratio', 'done', 'tags', 'loc', 'due', 'file', '_id', '_parent_id', 'user_id', 'created_at', 'limit', 'skip', 'sort_asc', 'sort_desc', 'count', 'output', 'group_by', 'near', 'unknown', "x'--", '__proto__', 'constructor'];
const suffixes = ['[lt]', '[lte]', '[gt]', '[gte]', '[ne]', '[in]', '[nin]', '[all]', '[or]', '[ctn]', '[near]', '[calc]', '[include]', '[exclude]', '[regex]', '[]', '[0]', ''];
const values = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer().map(String),
  fc.double({ noNaN: false }).map(String),
  fc.constantFrom('true', 'false', 'null', 'undefined', '1,2', '13.4,52.5;1000', 'a;b;c', 'sum', 'avg', 'title', 'score', '2024-01-01', "'; drop table data_records;--", '-1', '0', '1000'),
);
const queryText = fc
  .array(fc.tuple(fc.constantFrom(...keys), fc.array(fc.constantFrom(...suffixes), { maxLength: 3 }), values), { maxLength: 10 })
  .map((parts) => parts.map(([key, suffix, value]) => `${key}${suffix.join('')}=${encodeURIComponent(value)}`).join('&'));

function checkCondition(condition: DataCondition): void {
  const { target } = condition;
  if ('field' in target) {
    expect(isFieldName(target.field)).toBe(true);
    expect(fields.find((field) => field.name === target.field)?.type).toBe(target.type);
  } else {
    expect(['id', 'parent_id', 'user_id', 'created_at', 'updated_at']).toContain(target.system);
  }
  const scalars = 'values' in condition ? condition.values : 'value' in condition ? [condition.value] : [];
  for (const value of scalars) {
    const type = 'field' in target ? target.type : target.system;
    if (type === 'Integer' || type === 'Float' || type === 'user_id' || type === 'created_at' || type === 'updated_at') expect(Number.isFinite(value)).toBe(true);
    else if (type === 'Boolean') expect(typeof value).toBe('boolean');
    else if (type === 'Date') expect(String(value)).toMatch(/^[-+]?\d{4,6}-\d\d-\d\dT/);
    else if (condition.op !== 'ctn') expect(typeof value).toBe('string');
  }
  if (condition.op === 'near') {
    expect(Number.isFinite(condition.longitude) && Number.isFinite(condition.latitude) && condition.radiusMeters >= 0).toBe(true);
  }
}

describe('custom-object decoders under fuzzing', () => {
  it('decode any query into typed conditions on declared fields, or refuse it as a DomainFailure', () => {
    fc.assert(
      fc.property(queryText, (text) => {
        let query;
        try {
          query = parseListQuery(fields, parseQuery(text));
        } catch (error) {
          expect(error).toBeInstanceOf(DomainFailure);
          return;
        }
        for (const condition of query.conditions) checkCondition(condition);
        expect(query.limit).toBeGreaterThanOrEqual(1);
        expect(query.limit).toBeLessThanOrEqual(DATA_MAX_LIMIT);
        expect(query.offset).toBeGreaterThanOrEqual(0);
        if ('field' in query.sort.target) expect(['String', 'Integer', 'Float', 'Boolean', 'Date']).toContain(query.sort.target.type);
      }),
      { numRuns: 2000 },
    );
  });

  it('read any update body into a plan or field errors, and apply a plan only with DomainFailures', () => {
    const record: DataRecord = {
      id: '6600000000000000000000a1', appId: 1, classId: 1, parentId: null, userId: 1,
      fields: { title: 't', score: 1, tags: ['a', 'b', 3] }, permissions: defaultRecordPermissions, createdAt: 0, updatedAt: 0,
    };
    const body = fc.dictionary(
      fc.constantFrom('title', 'score', 'ratio', 'done', 'tags', 'loc', 'due', 'inc', 'push', 'pull', 'pull_all', 'pull_with_filter', 'add_to_set', 'pop', 'update_by_index', 'permissions', '_parent_id', 'zzz'),
      fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom('score', 'tags', 'ratio', 'nope', '0', '1', 'lt', 'in'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
      { maxKeys: 5 },
    );
    fc.assert(
      fc.property(body, (input) => {
        const errors: Record<string, string[]> = {};
        const plan = readUpdatePlan(fields, input as Record<string, unknown>, errors);
        if (Object.keys(errors).length > 0) return;
        try {
          const next = applyUpdatePlan(record, plan, 1);
          for (const key of Object.keys(next.fields)) expect(fields.map((field) => field.name)).toContain(key);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainFailure);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
