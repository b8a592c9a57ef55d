import { useState, type FormEvent } from 'react';
import { api, type AppSummary } from '../api.js';
import { Empty, ErrorNote, Notice, formatDate, useAction, useConfirm, useLoad } from '../ui.js';
import { AiSettings } from './AiSettings.js';
import { AppPushSettings } from './AppPushSettings.js';

/** What each app setting means, in the operator's words; unknown keys show their name. */
const settingLabels: Record<string, string> = {
  denySessionWithoutUser: 'Deny sessions without a user (no sign-up through createSession)',
  usersV1Enabled: 'Answer the deprecated V1 user lookups',
  relaxedStartWith: 'Relaxed start_with user search (1+ characters)',
};

interface Props {
  apps: AppSummary[];
  selected: number | undefined;
  onSelect: (id: number) => void;
  onChanged: () => Promise<void>;
  /** Opens the Push screen of this app. */
  onOpenPush: (id: number) => void;
}

export function Applications({ apps, selected, onSelect, onChanged, onOpenPush }: Props) {
  const [name, setName] = useState('');
  const create = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await create.run(async () => {
      const app = await api<AppSummary>('POST', '/admin/apps', { name });
      await onChanged();
      onSelect(app.id);
    }, `Created application "${name}"`);
    if (ok) setName('');
  };
  return (
    <div className="stack">
      <section aria-labelledby="apps-list" className="stack">
        <h2 id="apps-list">All applications</h2>
        {apps.length === 0 ? (
          <Empty>No application yet: create the first one below.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Id</th>
                  <th scope="col">Name</th>
                  <th scope="col">Auth key</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {apps.map((app) => (
                  <tr key={app.id} className={app.id === selected ? 'selected' : undefined}>
                    <td>{app.id}</td>
                    <td>
                      <button type="button" className="link" aria-pressed={app.id === selected} onClick={() => onSelect(app.id)}>
                        {app.name}
                      </button>
                    </td>
                    <td>
                      <code>{app.authKey}</code>
                    </td>
                    <td>{formatDate(app.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form className="row" onSubmit={(event) => void submit(event)}>
          <label>
            New application name
            <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={200} />
          </label>
          <button type="submit" className="primary" disabled={create.busy}>
            Create application
          </button>
        </form>
        {create.error && <ErrorNote error={create.error} />}
        {create.notice && <Notice text={create.notice} />}
      </section>
      {selected !== undefined && apps.some((app) => app.id === selected) && <AppDetail key={selected} appId={selected} onChanged={onChanged} onOpenPush={() => onOpenPush(selected)} />}
    </div>
  );
}

function AppDetail({ appId, onChanged, onOpenPush }: { appId: number; onChanged: () => Promise<void>; onOpenPush: () => void }) {
  const { data: app, error, reload } = useLoad(() => api<AppSummary>('GET', `/admin/apps/${appId}`), [appId]);
  const [showSecret, setShowSecret] = useState(false);
  // Checkboxes follow the click at once; a refused change puts them back.
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!app) return null;

  const rotate = async () => {
    if (!(await confirm(`Rotate the auth secret of "${app.name}"? Signed file links issued with the old one stop working.`, 'Rotate secret'))) return;
    await action.run(async () => {
      await api('POST', `/admin/apps/${appId}/rotate-secret`);
      setShowSecret(true);
      reload();
    }, 'The auth secret was replaced');
  };
  const toggle = async (key: string, value: boolean) => {
    setPending((current) => ({ ...current, [key]: value }));
    const saved = await action.run(() => api('PATCH', `/admin/apps/${appId}/settings`, { [key]: value }), 'Setting saved');
    if (!saved) setPending((current) => ({ ...current, [key]: !value }));
  };
  const remove = async () => {
    if (!(await confirm(`Delete "${app.name}" with all its users, dialogs, messages and data? This cannot be undone.`, 'Delete application'))) return;
    await action.run(async () => {
      await api('DELETE', `/admin/apps/${appId}`);
      await onChanged();
    }, 'Application deleted');
  };

  return (
    <section aria-labelledby="app-detail" className="stack">
      <h2 id="app-detail">
        {app.name} <span className="muted">#{app.id}</span>
      </h2>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <div className="card">
        <h3>Credentials</h3>
        <dl className="pairs">
          <dt>Application id</dt>
          <dd>
            <code>{app.id}</code>
          </dd>
          <dt>Auth key</dt>
          <dd>
            <code>{app.authKey}</code>
          </dd>
          <dt>Auth secret</dt>
          <dd>
            <code data-testid="auth-secret">{showSecret ? app.authSecret : '••••••••••••'}</code>{' '}
            <button type="button" onClick={() => setShowSecret(!showSecret)} aria-pressed={showSecret}>
              {showSecret ? 'Hide' : 'Show'}
            </button>{' '}
            <button type="button" onClick={() => void rotate()}>
              Rotate secret
            </button>
          </dd>
        </dl>
      </div>
      <div className="card">
        <h3>Settings</h3>
        <fieldset>
          <legend className="sr-only">Application settings</legend>
          {Object.entries(app.settings).map(([key, value]) => (
            <label key={key} className="check">
              <input type="checkbox" name={key} checked={pending[key] ?? value} onChange={(event) => void toggle(key, event.target.checked)} />
              {settingLabels[key] ?? key}
            </label>
          ))}
        </fieldset>
        <p className="muted small">Session lifetime is the server's (PARLEY_SESSION_TTL), not set per application.</p>
      </div>
      <AppPushSettings appId={appId} onOpenPush={onOpenPush} />
      <AiSettings appId={appId} />
      <div className="card danger-zone">
        <h3>Delete</h3>
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete application…
        </button>
      </div>
      {confirmDialog}
    </section>
  );
}
