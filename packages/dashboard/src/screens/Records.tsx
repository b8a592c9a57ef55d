import { useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, Notice, formatDate, useAction, useConfirm, useLoad } from '../ui.js';
import type { DataClass } from './CustomData.js';

type RecordView = Record<string, unknown> & { _id: string; user_id: number; created_at: number };

const editable = new Set(['String', 'Integer', 'Float', 'Boolean']);

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Records of one class, whatever their permissions: filter by a field, edit values, delete. */
export function Records({ appId, dataClass }: { appId: number; dataClass: DataClass }) {
  const base = `/admin/apps/${appId}/data/${dataClass.name}/records`;
  const [field, setField] = useState(dataClass.fields[0]?.name ?? '');
  const [value, setValue] = useState('');
  const [filter, setFilter] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string>();
  const records = useLoad(() => api<{ total_entries: number; items: RecordView[] }>('GET', `${base}${query({ ...filter, sort_desc: 'created_at', limit: 50 })}`), [base, JSON.stringify(filter)]);
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter(field && value !== '' ? { [field]: value } : {});
  };
  const remove = async (record: RecordView) => {
    if (!(await confirm(`Delete record ${record._id}?`, 'Delete record'))) return;
    if (await action.run(() => api('DELETE', `${base}/${record._id}`), 'Record deleted')) records.reload();
  };

  return (
    <section className="stack" aria-labelledby="records-title">
      <h3 id="records-title">Records</h3>
      <form role="search" className="row" onSubmit={apply}>
        <label>
          Field
          <select value={field} onChange={(event) => setField(event.target.value)}>
            {dataClass.fields.map((item) => (
              <option key={item.name}>{item.name}</option>
            ))}
          </select>
        </label>
        <label>
          equals
          <input value={value} onChange={(event) => setValue(event.target.value)} />
        </label>
        <button type="submit">Filter</button>
        {Object.keys(filter).length > 0 && (
          <button
            type="button"
            onClick={() => {
              setValue('');
              setFilter({});
            }}
          >
            Clear filter
          </button>
        )}
      </form>
      {records.error && <ErrorNote error={records.error} onRetry={records.reload} />}
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      {records.loading && !records.data && <Loading />}
      {records.data && records.data.items.length === 0 && <Empty>{Object.keys(filter).length > 0 ? 'No record matches the filter.' : 'No record in this class yet.'}</Empty>}
      {records.data && records.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Records of {dataClass.name}</caption>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Owner</th>
                {dataClass.fields.map((item) => (
                  <th scope="col" key={item.name}>
                    {item.name}
                  </th>
                ))}
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {records.data.items.map((record) =>
                editing === record._id ? (
                  <EditRow
                    key={record._id}
                    record={record}
                    dataClass={dataClass}
                    onDone={(saved) => {
                      setEditing(undefined);
                      if (saved) records.reload();
                    }}
                    save={(change) => action.run(() => api('PUT', `${base}/${record._id}`, change), 'Record saved')}
                  />
                ) : (
                  <tr key={record._id}>
                    <td>
                      <code className="small">{record._id}</code>
                    </td>
                    <td>{record.user_id}</td>
                    {dataClass.fields.map((item) => (
                      <td key={item.name}>{show(record[item.name])}</td>
                    ))}
                    <td>{formatDate(record.created_at)}</td>
                    <td className="actions">
                      <button type="button" onClick={() => setEditing(record._id)} aria-label={`Edit record ${record._id}`}>
                        Edit
                      </button>
                      <button type="button" className="danger" onClick={() => void remove(record)} aria-label={`Delete record ${record._id}`}>
                        Delete…
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
          <p className="muted small">{records.data.total_entries} record(s), newest first</p>
        </div>
      )}
      {confirmDialog}
    </section>
  );
}

function EditRow({ record, dataClass, save, onDone }: { record: RecordView; dataClass: DataClass; save: (change: Record<string, unknown>) => Promise<boolean>; onDone: (saved: boolean) => void }) {
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(dataClass.fields.map((field) => [field.name, record[field.name] === null || record[field.name] === undefined ? '' : String(record[field.name])])));
  const submit = async () => {
    const change: Record<string, unknown> = {};
    for (const field of dataClass.fields) {
      if (!editable.has(field.type)) continue;
      const before = record[field.name] === null || record[field.name] === undefined ? '' : String(record[field.name]);
      const text = values[field.name] ?? '';
      if (text === before) continue;
      change[field.name] = text === '' ? null : field.type === 'Integer' || field.type === 'Float' ? Number(text) : field.type === 'Boolean' ? text === 'true' : text;
    }
    onDone(Object.keys(change).length > 0 && (await save(change)));
  };
  return (
    <tr className="editing">
      <td>
        <code className="small">{record._id}</code>
      </td>
      <td>{record.user_id}</td>
      {dataClass.fields.map((field) => (
        <td key={field.name}>
          {editable.has(field.type) ? (
            <input aria-label={field.name} value={values[field.name] ?? ''} onChange={(event) => setValues({ ...values, [field.name]: event.target.value })} />
          ) : (
            show(record[field.name])
          )}
        </td>
      ))}
      <td>{formatDate(record.created_at)}</td>
      <td className="actions">
        <button type="button" className="primary" onClick={() => void submit()}>
          Save
        </button>
        <button type="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </td>
    </tr>
  );
}
