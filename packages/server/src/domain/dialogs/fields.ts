import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import { MAX_EXTENSIONS } from './extensions.js';

/** Field names the SDK can send as `extensions` keys. */
export const FIELD_NAME = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Dialog custom fields an operator declares per app (rest.md §4.12): once any is declared, dialogs
 * keep only declared keys; removing one removes it from every dialog of the app.
 */
export class DialogFieldService {
  constructor(
    private readonly store: Pick<Store, 'apps' | 'dialogFields'>,
    private readonly clock: Clock,
  ) {}

  async list(appId: number): Promise<string[]> {
    await this.store.apps.findById(appId).then((app) => {
      if (!app) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
    });
    return this.store.dialogFields.list(appId);
  }

  async add(appId: number, name: unknown): Promise<string[]> {
    const current = await this.list(appId);
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) throw invalidField('name', 'must be 1–64 letters, digits or _');
    if (current.includes(name)) throw invalidField('name', 'is already a custom field');
    if (current.length >= MAX_EXTENSIONS) throw invalidField('name', `an application has at most ${MAX_EXTENSIONS} custom fields`);
    await this.store.dialogFields.add(appId, name, this.clock());
    return this.store.dialogFields.list(appId);
  }

  async remove(appId: number, name: string): Promise<string[]> {
    await this.list(appId);
    if (!(await this.store.dialogFields.remove(appId, name))) throw new DomainFailure('NOT_FOUND', { message: 'Custom field not found' });
    return this.store.dialogFields.list(appId);
  }
}
