import { useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, Notice, useAction, useConfirm, useLoad } from '../ui.js';
import { Records } from './Records.js';

export interface ClassField {
  name: string;
  type: string;
  indexed: boolean;
}

export interface DataClass {
  name: string;
  fields: ClassField[];
  permissions: Record<string, { access: string; level?: string }>;
}

const fieldTypes = ['String', 'Integer', 'Float', 'Boolean', 'Date', 'Array', 'Location', 'File'];
const accessLabels: Record<string, string> = { open: 'Anyone', owner: 'Record owner', not_allowed: 'Nobody', open_for_users_ids: 'Listed users', open_for_groups: 'Listed groups' };

export function CustomData({ appId }: { appId: number }) {
  const base = `/admin/apps/${appId}/data/classes`;
  const classes = useLoad(() => api<DataClass[]>('GET', base), [base]);
  const [selected, setSelected] = useState<string>();
  const current = classes.data?.find((item) => item.name === selected) ?? classes.data?.[0];
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();

  const remove = async (dataClass: DataClass) => {
    if (!(await confirm(`Delete the class “${dataClass.name}” and all its records?`, 'Delete class'))) return;
    if (await action.run(() => api('DELETE', `${base}/${dataClass.name}`), `Class “${dataClass.name}” deleted`)) {
      setSelected(undefined);
      classes.reload();
    }
  };

  return (
    <div className="stack">
      {classes.error && <ErrorNote error={classes.error} onRetry={classes.reload} />}
      {classes.loading && !classes.data && <Loading />}
      {classes.data && classes.data.length === 0 && <Empty>No custom-object class yet. Define one below (for example Report, for moderation reports).</Empty>}
      {classes.data && classes.data.length > 0 && current && (
        <section className="card stack" aria-labelledby="class-detail">
          <div className="row">
            <label>
              Class
              <select value={current.name} onChange={(event) => setSelected(event.target.value)}>
                {classes.data.map((item) => (
                  <option key={item.name}>{item.name}</option>
                ))}
              </select>
            </label>
          </div>
          <h2 id="class-detail">{current.name}</h2>
          <div className="grid two">
            <div>
              <h3>Fields</h3>
              {current.fields.length === 0 ? (
                <Empty>No field.</Empty>
              ) : (
                <ul className="plain">
                  {current.fields.map((field) => (
                    <li key={field.name}>
                      <code>{field.name}</code> {field.type}
                      {field.indexed ? <span className="badge">indexed</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div>
              <h3>Permissions</h3>
              <dl className="pairs">
                {Object.entries(current.permissions).map(([name, rule]) => (
                  <div key={name} className="pair">
                    <dt>{name}</dt>
                    <dd>
                      {accessLabels[rule.access] ?? rule.access}
                      {rule.level ? ` (${rule.level} level)` : ''}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          </div>
          {action.error && <ErrorNote error={action.error} />}
          {action.notice && <Notice text={action.notice} />}
          <Records key={`${appId}:${current.name}`} appId={appId} dataClass={current} />
          <div>
            <button type="button" className="danger" onClick={() => void remove(current)}>
              Delete class…
            </button>
          </div>
        </section>
      )}
      <DefineClass
        appId={appId}
        onDefined={(name) => {
          classes.reload();
          setSelected(name);
        }}
      />
      {confirmDialog}
    </div>
  );
}

function DefineClass({ appId, onDefined }: { appId: number; onDefined: (name: string) => void }) {
  const [name, setName] = useState('');
  const [fields, setFields] = useState<ClassField[]>([{ name: '', type: 'String', indexed: false }]);
  const [permissions, setPermissions] = useState<Record<string, string>>({ create: 'open', read: 'owner', update: 'owner', delete: 'owner' });
  const action = useAction();
  const setField = (index: number, change: Partial<ClassField>) => setFields(fields.map((field, at) => (at === index ? { ...field, ...change } : field)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name,
      fields: fields.filter((field) => field.name.trim() !== ''),
      permissions: Object.fromEntries(Object.entries(permissions).map(([key, access]) => [key, key === 'create' ? { access } : { access, level: access === 'owner' ? 'record' : 'class' }])),
    };
    if (await action.run(() => api('POST', `/admin/apps/${appId}/data/classes${query({})}`, body), `Class “${name}” defined`)) {
      onDefined(name);
      setName('');
      setFields([{ name: '', type: 'String', indexed: false }]);
    }
  };
  return (
    <form className="card stack" onSubmit={(event) => void submit(event)} aria-labelledby="define-class">
      <h2 id="define-class">Define a class</h2>
      <label className="narrow">
        Class name
        <input value={name} onChange={(event) => setName(event.target.value)} required pattern="[A-Za-z][A-Za-z0-9_]{0,63}" title="a letter, then letters, digits or _" />
      </label>
      <fieldset className="stack">
        <legend>Fields</legend>
        {fields.map((field, index) => (
          <div key={index} className="row">
            <label>
              Field {index + 1} name
              <input value={field.name} onChange={(event) => setField(index, { name: event.target.value })} />
            </label>
            <label>
              Type
              <select value={field.type} onChange={(event) => setField(index, { type: event.target.value })}>
                {fieldTypes.map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
            </label>
            <label className="check">
              <input type="checkbox" checked={field.indexed} onChange={(event) => setField(index, { indexed: event.target.checked })} />
              Indexed
            </label>
          </div>
        ))}
        <div>
          <button type="button" onClick={() => setFields([...fields, { name: '', type: 'String', indexed: false }])}>
            Add another field
          </button>
        </div>
      </fieldset>
      <fieldset className="grid">
        <legend>Who may…</legend>
        {(['create', 'read', 'update', 'delete'] as const).map((key) => (
          <label key={key}>
            {key}
            <select value={permissions[key]} onChange={(event) => setPermissions({ ...permissions, [key]: event.target.value })}>
              <option value="open">Anyone</option>
              {key !== 'create' && <option value="owner">Record owner</option>}
              <option value="not_allowed">Nobody</option>
            </select>
          </label>
        ))}
      </fieldset>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <div>
        <button type="submit" className="primary" disabled={action.busy}>
          Define class
        </button>
      </div>
    </form>
  );
}
