import { useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, Notice, formatDate, useAction, useConfirm, useLoad } from '../ui.js';

export interface UserView {
  id: number;
  login: string | null;
  email: string | null;
  full_name: string | null;
  phone: string | null;
  user_tags: string | null;
  created_at: string;
  last_request_at: string | null;
  blocked_at: string | null;
}

interface SessionView {
  id: number;
  userId: number | null;
  createdAt: string;
  expiresAt: string;
  guest: boolean;
}

export function Users({ appId }: { appId: number }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [field, setField] = useState<'login' | 'email' | 'full_name'>('login');
  const [searchField, setSearchField] = useState<'login' | 'email' | 'full_name'>('login');
  const [selected, setSelected] = useState<number>();
  const [deleted, setDeleted] = useState('');
  const { data, error, loading, reload } = useLoad(
    () => api<{ total: number; items: UserView[] }>('GET', `/admin/apps/${appId}/users${query({ [searchField]: search, limit: 50 })}`),
    [appId, search, searchField],
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(text.trim());
    setSearchField(field);
  };
  return (
    <div className="stack">
      <form role="search" className="row" onSubmit={submit}>
        <label>
          Search in
          <select value={field} onChange={(event) => setField(event.target.value as typeof field)}>
            <option value="login">Login</option>
            <option value="email">Email</option>
            <option value="full_name">Full name</option>
          </select>
        </label>
        <label>
          Contains
          <input type="search" value={text} onChange={(event) => setText(event.target.value)} placeholder="part of it" />
        </label>
        <button type="submit">Search</button>
      </form>
      {error && <ErrorNote error={error} onRetry={reload} />}
      {loading && !data && <Loading />}
      {data && data.items.length === 0 && <Empty>{search ? `No user's ${searchField === 'full_name' ? 'full name' : searchField} contains “${search}”.` : 'This application has no users yet.'}</Empty>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Users</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Login</th>
                <th scope="col">Full name</th>
                <th scope="col">Email</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((user) => (
                <tr key={user.id} className={user.id === selected ? 'selected' : undefined}>
                  <td>{user.id}</td>
                  <td>
                    <button type="button" className="link" aria-pressed={user.id === selected} onClick={() => setSelected(user.id)}>
                      {user.login ?? '(no login)'}
                    </button>
                  </td>
                  <td>{user.full_name ?? '—'}</td>
                  <td>{user.email ?? '—'}</td>
                  <td>{user.blocked_at ? <span className="badge bad">Blocked</span> : <span className="badge">Active</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">
            {data.total} user{data.total === 1 ? '' : 's'}
            {data.total > data.items.length ? `, first ${data.items.length} shown` : ''}
          </p>
        </div>
      )}
      {deleted && selected === undefined && <Notice text={deleted} />}
      {selected !== undefined && (
        <UserDetail
          key={selected}
          appId={appId}
          userId={selected}
          onChanged={reload}
          onDeleted={(message) => {
            setSelected(undefined);
            setDeleted(message);
            reload();
          }}
        />
      )}
    </div>
  );
}

function UserDetail({ appId, userId, onChanged, onDeleted }: { appId: number; userId: number; onChanged: () => void; onDeleted: (message: string) => void }) {
  const base = `/admin/apps/${appId}/users/${userId}`;
  const user = useLoad(() => api<UserView>('GET', base), [base]);
  const sessions = useLoad(() => api<SessionView[]>('GET', `/admin/apps/${appId}/sessions${query({ user_id: userId })}`), [base]);
  const [fullName, setFullName] = useState<string>();
  const [email, setEmail] = useState<string>();
  const [password, setPassword] = useState('');
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();
  if (user.error) return <ErrorNote error={user.error} onRetry={user.reload} />;
  if (!user.data) return <Loading />;
  const current = user.data;
  const name = current.login ?? current.email ?? `#${current.id}`;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const change: Record<string, string | null> = {};
    if (fullName !== undefined && fullName !== (current.full_name ?? '')) change.full_name = fullName === '' ? null : fullName;
    if (email !== undefined && email !== (current.email ?? '')) change.email = email === '' ? null : email;
    await action.run(async () => {
      if (Object.keys(change).length === 0) return;
      await api('PATCH', base, change);
      user.reload();
      onChanged();
    }, 'User saved');
  };
  const changePassword = async (event: FormEvent) => {
    event.preventDefault();
    if (!(await confirm(`Set a new password for ${name}? Their sessions and live connections end.`, 'Set password'))) return;
    if (await action.run(() => api('PUT', `${base}/password`, { password }), `New password set for ${name}`)) {
      setPassword('');
      sessions.reload();
    }
  };
  const block = async (blocked: boolean) => {
    if (blocked && !(await confirm(`Block ${name}? Their sessions and live connections end and they cannot sign in.`, 'Block user'))) return;
    await action.run(async () => {
      await api('PUT', `${base}/blocked`, { blocked });
      user.reload();
      sessions.reload();
      onChanged();
    }, blocked ? `${name} is blocked` : `${name} is unblocked`);
  };
  const remove = async () => {
    if (!(await confirm(`Delete ${name} for good? Their sessions end; this cannot be undone.`, 'Delete user'))) return;
    if (await action.run(() => api('DELETE', base))) onDeleted(`${name} deleted`);
  };
  const revoke = async (id: number) => {
    if (!(await confirm(`Revoke session ${id}? Its token stops working at once.`, 'Revoke session'))) return;
    await action.run(async () => {
      await api('DELETE', `/admin/apps/${appId}/sessions/${id}`);
      sessions.reload();
    }, `Session ${id} revoked`);
  };

  return (
    <section className="card stack" aria-labelledby="user-detail">
      <h2 id="user-detail">
        {name} <span className="muted">#{current.id}</span> {current.blocked_at && <span className="badge bad">Blocked since {formatDate(current.blocked_at)}</span>}
      </h2>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <dl className="pairs">
        <dt>Created</dt>
        <dd>{formatDate(current.created_at)}</dd>
        <dt>Last request</dt>
        <dd>{formatDate(current.last_request_at)}</dd>
        <dt>Tags</dt>
        <dd>{current.user_tags || '—'}</dd>
      </dl>
      <form className="row" onSubmit={(event) => void save(event)}>
        <label>
          Full name
          <input value={fullName ?? current.full_name ?? ''} onChange={(event) => setFullName(event.target.value)} />
        </label>
        <label>
          Email
          <input type="email" value={email ?? current.email ?? ''} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={action.busy}>
          Save
        </button>
      </form>
      <form className="row" onSubmit={(event) => void changePassword(event)}>
        <label>
          New password
          <input type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Set password
        </button>
      </form>
      <div className="row">
        {current.blocked_at ? (
          <button type="button" onClick={() => void block(false)}>
            Unblock
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => void block(true)}>
            Block…
          </button>
        )}
        <button type="button" className="danger" onClick={() => void remove()}>
          Delete user…
        </button>
      </div>
      <h3>Sessions</h3>
      {sessions.error && <ErrorNote error={sessions.error} onRetry={sessions.reload} />}
      {sessions.data && sessions.data.length === 0 && <Empty>No open session.</Empty>}
      {sessions.data && sessions.data.length > 0 && (
        <ul className="plain">
          {sessions.data.map((session) => (
            <li key={session.id} className="row">
              <span>
                Session {session.id}: since {formatDate(session.createdAt)}, expires {formatDate(session.expiresAt)}
              </span>
              <button type="button" onClick={() => void revoke(session.id)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {confirmDialog}
    </section>
  );
}
