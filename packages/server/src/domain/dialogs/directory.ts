import type { DialogRecord } from '../../ports/dialogs.js';
import type { Store } from '../../ports/store.js';
import { DomainFailure, invalidField } from '../shared/failure.js';

/** Operators search every dialog of an app by name and type (dashboard → Dialogs). */
export class DialogDirectory {
  constructor(private readonly store: Pick<Store, 'apps' | 'dialogDirectory'>) {}

  async search(appId: number, params: Record<string, unknown>): Promise<{ total: number; limit: number; offset: number; dialogs: DialogRecord[] }> {
    if (!(await this.store.apps.findById(appId))) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    const integer = (name: string, fallback: number, min: number, max: number) => {
      const raw = params[name];
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) throw invalidField(name, `must be an integer from ${min} to ${max}`);
      return value;
    };
    const name = params.name;
    if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw invalidField('name', 'must be a text of at most 200 characters');
    const type = params.type === undefined || params.type === '' ? undefined : integer('type', 0, 1, 5);
    const limit = integer('limit', 50, 1, 500);
    const offset = integer('offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const found = await this.store.dialogDirectory.search(appId, { ...(name ? { name } : {}), ...(type === undefined ? {} : { type }), limit, offset });
    return { total: found.total, limit, offset, dialogs: found.dialogs };
  }
}
