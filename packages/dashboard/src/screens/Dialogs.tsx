import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, Notice, formatDate, useAction, useConfirm, useLoad } from '../ui.js';

interface DialogView {
  _id: string;
  type: number;
  name: string | null;
  user_id: number;
  occupants_ids: number[];
  extensions: Record<string, string> | null;
  created_at: string;
  last_message: string | null;
}

const typeNames: Record<number, string> = { 1: 'Broadcast (public)', 2: 'Group', 3: 'Private', 4: 'Broadcast', 5: 'Meeting' };

export function Dialogs({ appId }: { appId: number }) {
  const base = `/admin/apps/${appId}`;
  const fields = useLoad(() => api<{ fields: string[] }>('GET', `${base}/dialog-fields`), [base]);
  const [found, setFound] = useState<DialogView[]>();
  const [searchError, setSearchError] = useState('');
  const [member, setMember] = useState('');
  const [nameText, setNameText] = useState('');
  const [typeFilter, setTypeFilter] = useState('');
  const [dialogId, setDialogId] = useState('');
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();

  const searchByName = async (event?: FormEvent) => {
    event?.preventDefault();
    setSearchError('');
    try {
      setFound((await api<{ items: DialogView[] }>('GET', `${base}/dialogs${query({ name: nameText.trim(), type: typeFilter, limit: 100 })}`)).items);
    } catch (failure) {
      setFound(undefined);
      setSearchError((failure as Error).message);
    }
  };
  useEffect(() => {
    void searchByName();
    // The newest dialogs are shown when the screen opens.
  }, [base]);
  const searchByMember = async (event: FormEvent) => {
    event.preventDefault();
    setSearchError('');
    try {
      setFound((await api<{ items: DialogView[] }>('GET', `${base}/users/${encodeURIComponent(member.trim())}/dialogs?limit=100`)).items);
    } catch (failure) {
      setFound(undefined);
      setSearchError((failure as Error).message);
    }
  };
  const openById = async (event: FormEvent) => {
    event.preventDefault();
    setSearchError('');
    try {
      setFound([await api<DialogView>('GET', `${base}/dialogs/${encodeURIComponent(dialogId.trim())}`)]);
    } catch (failure) {
      setFound(undefined);
      setSearchError((failure as Error).message);
    }
  };
  const remove = async (dialog: DialogView) => {
    if (!(await confirm(`Delete the dialog “${dialog.name ?? dialog._id}” and all its messages for everyone?`, 'Delete dialog'))) return;
    if (await action.run(() => api('DELETE', `${base}/dialogs/${dialog._id}`), 'Dialog deleted')) setFound((list) => list?.filter((item) => item._id !== dialog._id));
  };

  return (
    <div className="stack">
      <CustomFields appId={appId} fields={fields.data?.fields} error={fields.error} reload={fields.reload} />
      <CreateDialog appId={appId} fields={fields.data?.fields ?? []} onCreated={(dialog) => setFound([dialog])} />
      <section className="card stack" aria-labelledby="dialog-search">
        <h2 id="dialog-search">Find dialogs</h2>
        <form role="search" className="row" onSubmit={(event) => void searchByName(event)}>
          <label>
            Name contains
            <input type="search" value={nameText} onChange={(event) => setNameText(event.target.value)} />
          </label>
          <label>
            Type
            <select value={typeFilter} onChange={(event) => setTypeFilter(event.target.value)}>
              <option value="">Any</option>
              {Object.entries(typeNames).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Search</button>
        </form>
        <div className="grid two">
          <form className="row" onSubmit={(event) => void searchByMember(event)}>
            <label>
              Member's user id
              <input inputMode="numeric" value={member} onChange={(event) => setMember(event.target.value)} required />
            </label>
            <button type="submit">List their dialogs</button>
          </form>
          <form className="row" onSubmit={(event) => void openById(event)}>
            <label>
              Dialog id
              <input value={dialogId} onChange={(event) => setDialogId(event.target.value)} required />
            </label>
            <button type="submit">Open</button>
          </form>
        </div>
        {searchError && <ErrorNote error={searchError} />}
        {action.error && <ErrorNote error={action.error} />}
        {action.notice && <Notice text={action.notice} />}
        {found && found.length === 0 && <Empty>No dialog matches. Dialogs appear here once users (or you, above) create them.</Empty>}
        {found && found.length > 0 && (
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Dialogs found</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Members</th>
                  <th scope="col">Custom fields</th>
                  <th scope="col">Created</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {found.map((dialog) => (
                  <tr key={dialog._id}>
                    <td>
                      {dialog.name ?? '—'}
                      <br />
                      <code className="small">{dialog._id}</code>
                    </td>
                    <td>{typeNames[dialog.type] ?? dialog.type}</td>
                    <td>{dialog.user_id}</td>
                    <td>{dialog.occupants_ids.length}</td>
                    <td>{dialog.extensions ? Object.entries(dialog.extensions).map(([key, value]) => `${key}: ${value}`).join(', ') : '—'}</td>
                    <td>{formatDate(dialog.created_at)}</td>
                    <td>
                      <button type="button" className="danger" onClick={() => void remove(dialog)} aria-label={`Delete dialog ${dialog.name ?? dialog._id}`}>
                        Delete…
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {confirmDialog}
    </div>
  );
}

function CustomFields({ appId, fields, error, reload }: { appId: number; fields: string[] | undefined; error: string; reload: () => void }) {
  const [name, setName] = useState('');
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();
  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api('POST', `/admin/apps/${appId}/dialog-fields`, { name }), `Custom field “${name}” added`)) {
      setName('');
      reload();
    }
  };
  const remove = async (field: string) => {
    if (!(await confirm(`Remove the custom field “${field}”? Its value is removed from every dialog of this application.`, 'Remove field'))) return;
    if (await action.run(() => api('DELETE', `/admin/apps/${appId}/dialog-fields/${encodeURIComponent(field)}`), `Custom field “${field}” removed`)) reload();
  };
  return (
    <section className="card stack" aria-labelledby="custom-fields">
      <h2 id="custom-fields">Custom fields (extensions)</h2>
      <p className="muted small">
        Up to 3 fields a dialog can carry in <code>extensions</code>. Once one is declared, dialogs keep only declared fields; with none, any field is kept.
      </p>
      {error && <ErrorNote error={error} onRetry={reload} />}
      {!fields && !error && <Loading />}
      {fields && fields.length === 0 && <Empty>No custom field declared.</Empty>}
      {fields && fields.length > 0 && (
        <ul className="chips" aria-label="Declared custom fields">
          {fields.map((field) => (
            <li key={field}>
              <code>{field}</code>
              <button type="button" className="icon" aria-label={`Remove custom field ${field}`} onClick={() => void remove(field)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={(event) => void add(event)}>
        <label>
          New field name
          <input value={name} onChange={(event) => setName(event.target.value)} pattern="[A-Za-z0-9_]{1,64}" title="letters, digits and _" required />
        </label>
        <button type="submit" disabled={action.busy || (fields?.length ?? 0) >= 3}>
          Add field
        </button>
      </form>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      {confirmDialog}
    </section>
  );
}

function CreateDialog({ appId, fields, onCreated }: { appId: number; fields: string[]; onCreated: (dialog: DialogView) => void }) {
  const [owner, setOwner] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState('1');
  const [values, setValues] = useState<Record<string, string>>({});
  const action = useAction();
  const create = async (event: FormEvent) => {
    event.preventDefault();
    const extensions = Object.fromEntries(Object.entries(values).filter(([key, value]) => fields.includes(key) && value !== ''));
    await action.run(async () => {
      const dialog = await api<DialogView>('POST', `/admin/apps/${appId}/dialogs`, {
        owner_id: Number(owner),
        type: Number(type),
        name,
        ...(type === '2' ? { occupants_ids: [] } : {}),
        ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
      });
      onCreated(dialog);
      setName('');
    }, `Dialog “${name}” created`);
  };
  return (
    <form className="card stack" onSubmit={(event) => void create(event)} aria-labelledby="create-dialog">
      <h2 id="create-dialog">Create a dialog</h2>
      <div className="grid">
        <label>
          Kind
          <select value={type} onChange={(event) => setType(event.target.value)}>
            <option value="1">Broadcast (public)</option>
            <option value="2">Group</option>
          </select>
        </label>
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required />
        </label>
        <label>
          Owner's user id
          <input inputMode="numeric" pattern="[0-9]+" value={owner} onChange={(event) => setOwner(event.target.value)} required />
        </label>
        {fields.map((field) => (
          <label key={field}>
            {field}
            <input value={values[field] ?? ''} onChange={(event) => setValues({ ...values, [field]: event.target.value })} />
          </label>
        ))}
      </div>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <div>
        <button type="submit" className="primary" disabled={action.busy}>
          Create dialog
        </button>
      </div>
    </form>
  );
}
