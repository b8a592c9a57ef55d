import { useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api.js';
import { ErrorNote, Notice, useAction, useConfirm } from '../ui.js';
import type { PushSettings } from './Push.js';

type Provider = 'vapid' | 'fcm' | 'apns';

/**
 * Provider credentials of one app: which are set (keys only as fingerprints: the server never sends
 * them back), set or replace them, remove them (asked first), regenerate the Web Push keys.
 */
export function PushCredentials({ appId, settings, onSaved }: { appId: number; settings: PushSettings; onSaved: () => void }) {
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();
  const [editing, setEditingNow] = useState<Provider>();
  // Opening or leaving a form starts afresh: an old refusal would read as if it were about the new one.
  const setEditing = (provider: Provider | undefined) => {
    action.clear();
    setEditingNow(provider);
  };
  const save = async (change: Record<string, unknown>, done: string) => {
    const ok = await action.run(() => api('PUT', `/admin/apps/${appId}/push`, change), done);
    if (ok) {
      setEditingNow(undefined);
      onSaved();
    }
  };
  const remove = async (provider: 'fcm' | 'apns', name: string, devices: string) => {
    if (!(await confirm(`Remove the ${name} credentials? Pushes to ${devices} stop until new ones are set.`, 'Remove credentials'))) return;
    await save({ [provider]: null }, `${name} credentials removed`);
  };
  const regenerate = async () => {
    if (!(await confirm('Make new Web Push keys? Every browser subscribed so far stops getting pushes until its page subscribes again.', 'Regenerate keys'))) return;
    await save({ vapid: { regenerate: true } }, 'New Web Push keys made');
  };
  const { vapid, fcm, apns } = settings;

  return (
    <section className="stack" aria-labelledby="credentials-title">
      <h2 id="credentials-title">Provider credentials</h2>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <div className="grid two">
        <ProviderCard title="Web Push (browsers)" state={vapid ? 'Keys set' : 'Not set'} set={vapid !== null}>
          {vapid && (
            <dl className="pairs">
              <dt>Public key</dt>
              <dd>
                <code>{vapid.public_key}</code>
              </dd>
              <dt>Contact</dt>
              <dd>{vapid.subject}</dd>
              <dt>Private key</dt>
              <dd>
                <code>{vapid.private_key}</code>
              </dd>
            </dl>
          )}
          {editing === 'vapid' ? (
            <SubjectForm current={vapid?.subject ?? ''} onCancel={() => setEditing(undefined)} onSave={(subject) => save({ vapid: { subject } }, 'Web Push contact saved')} />
          ) : (
            <div className="row">
              <button type="button" onClick={() => setEditing('vapid')}>
                Change contact
              </button>
              <button type="button" onClick={() => void regenerate()}>
                Regenerate keys…
              </button>
            </div>
          )}
        </ProviderCard>

        <ProviderCard title="FCM (Android)" state={fcm ? `Set: project ${fcm.project_id}` : 'Not set'} set={fcm !== null}>
          {fcm && (
            <dl className="pairs">
              <dt>Service account</dt>
              <dd>{fcm.client_email}</dd>
              <dt>Private key</dt>
              <dd>
                <code>{fcm.private_key}</code>
              </dd>
            </dl>
          )}
          {editing === 'fcm' ? (
            <FcmForm onCancel={() => setEditing(undefined)} onSave={(account) => save({ fcm: { service_account: account } }, 'FCM credentials saved')} />
          ) : (
            <div className="row">
              <button type="button" onClick={() => setEditing('fcm')}>
                {fcm ? 'Replace FCM credentials' : 'Set FCM credentials'}
              </button>
              {fcm && (
                <button type="button" className="danger" onClick={() => void remove('fcm', 'FCM', 'Android devices')}>
                  Remove FCM…
                </button>
              )}
            </div>
          )}
        </ProviderCard>

        <ProviderCard title="APNs (iOS)" state={apns ? `Set: ${apns.bundle_id}` : 'Not set'} set={apns !== null}>
          {apns && (
            <dl className="pairs">
              <dt>Key id</dt>
              <dd>{apns.key_id}</dd>
              <dt>Team id</dt>
              <dd>{apns.team_id}</dd>
              <dt>Private key</dt>
              <dd>
                <code>{apns.private_key}</code>
              </dd>
            </dl>
          )}
          {editing === 'apns' ? (
            <ApnsForm onCancel={() => setEditing(undefined)} onSave={(fields) => save({ apns: fields }, 'APNs credentials saved')} />
          ) : (
            <div className="row">
              <button type="button" onClick={() => setEditing('apns')}>
                {apns ? 'Replace APNs credentials' : 'Set APNs credentials'}
              </button>
              {apns && (
                <button type="button" className="danger" onClick={() => void remove('apns', 'APNs', 'iOS devices')}>
                  Remove APNs…
                </button>
              )}
            </div>
          )}
        </ProviderCard>
      </div>
      {confirmDialog}
    </section>
  );
}

function ProviderCard({ title, state, set, children }: { title: string; state: string; set: boolean; children: ReactNode }) {
  return (
    <div className="card">
      <h3>
        {title} <span className={set ? 'badge good' : 'badge'}>{state}</span>
      </h3>
      {children}
    </div>
  );
}

function FormButtons({ onCancel }: { onCancel: () => void }) {
  return (
    <div className="row">
      <button type="submit" className="primary">
        Save
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

function SubjectForm({ current, onSave, onCancel }: { current: string; onSave: (subject: string) => Promise<void>; onCancel: () => void }) {
  const [subject, setSubject] = useState(current);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSave(subject);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label>
        Contact (mailto: or https:)
        <input required value={subject} onChange={(event) => setSubject(event.target.value)} placeholder="mailto:ops@example.com" />
      </label>
      <FormButtons onCancel={onCancel} />
    </form>
  );
}

function FcmForm({ onSave, onCancel }: { onSave: (account: string) => Promise<void>; onCancel: () => void }) {
  const [account, setAccount] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSave(account);
  };
  return (
    <form className="stack" onSubmit={submit}>
      <label>
        Service account JSON (Firebase console → Project settings → Service accounts)
        <textarea required rows={6} spellCheck={false} autoComplete="off" value={account} onChange={(event) => setAccount(event.target.value)} />
      </label>
      <FormButtons onCancel={onCancel} />
    </form>
  );
}

function ApnsForm({ onSave, onCancel }: { onSave: (fields: Record<string, string>) => Promise<void>; onCancel: () => void }) {
  const [fields, setFields] = useState({ key_id: '', team_id: '', bundle_id: '', private_key: '' });
  const field = (name: keyof typeof fields, label: string) => (
    <label>
      {label}
      <input required autoComplete="off" value={fields[name]} onChange={(event) => setFields({ ...fields, [name]: event.target.value })} />
    </label>
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSave(fields);
  };
  return (
    <form className="stack" onSubmit={submit}>
      {field('key_id', 'Key id')}
      {field('team_id', 'Team id')}
      {field('bundle_id', 'Bundle id')}
      <label>
        Auth key (.p8 file contents)
        <textarea required rows={5} spellCheck={false} autoComplete="off" value={fields.private_key} onChange={(event) => setFields({ ...fields, private_key: event.target.value })} />
      </label>
      <FormButtons onCancel={onCancel} />
    </form>
  );
}
