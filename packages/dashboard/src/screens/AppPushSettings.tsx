import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { ErrorNote, Notice, useAction, useLoad } from '../ui.js';
import type { PushSettings } from './Push.js';

const DEFAULT_TEMPLATE = '%{sender_name}: %{message_text}';

/** The app's automatic pushes: chat alert text, "contact joined" and call pushes; credentials live on the Push screen. */
export function AppPushSettings({ appId, onOpenPush }: { appId: number; onOpenPush: () => void }) {
  const { data, error, reload } = useLoad(() => api<PushSettings>('GET', `/admin/apps/${appId}/push`), [appId]);
  const [template, setTemplate] = useState('');
  const [contactJoined, setContactJoined] = useState(false);
  const [callPushes, setCallPushes] = useState(false);
  const action = useAction();
  useEffect(() => {
    if (!data) return;
    setTemplate(data.chat_alert_template);
    setContactJoined(data.contact_joined);
    setCallPushes(data.call_pushes);
  }, [data]);
  if (error) return <ErrorNote error={error} onRetry={reload} />;
  if (!data) return null;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await action.run(() => api('PUT', `/admin/apps/${appId}/push`, { chat_alert_template: template, contact_joined: contactJoined, call_pushes: callPushes }), 'Push settings saved')) reload();
  };
  const providers = [data.fcm && 'FCM', data.apns && 'APNs', data.vapid && 'Web Push'].filter(Boolean).join(', ');
  return (
    <form className="card" onSubmit={(event) => void save(event)}>
      <h3>Push notifications</h3>
      <label>
        Chat alert template
        <input value={template} maxLength={1000} onChange={(event) => setTemplate(event.target.value)} aria-describedby="template-help" />
      </label>
      <p id="template-help" className="muted small">
        What an offline recipient's device shows for a new message. Placeholders: <code>%{'{sender_name}'}</code>, <code>%{'{message_text}'}</code>, <code>%{'{dialog_name}'}</code>. Empty restores{' '}
        <code>{DEFAULT_TEMPLATE}</code>.
      </p>
      <label className="check">
        <input type="checkbox" checked={contactJoined} onChange={(event) => setContactJoined(event.target.checked)} />
        Push “contact joined” to users who have the new user's phone number in their address book
      </label>
      <label className="check">
        <input type="checkbox" checked={callPushes} onChange={(event) => setCallPushes(event.target.checked)} />
        Push incoming calls to callees who are offline
      </label>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      <div className="row">
        <button type="submit" disabled={action.busy}>
          Save push settings
        </button>
        <a
          href={`/dashboard/push?app=${appId}`}
          onClick={(event) => {
            event.preventDefault();
            onOpenPush();
          }}
        >
          Provider credentials ({providers || 'none set'}), test push and deliveries →
        </a>
      </div>
    </form>
  );
}
