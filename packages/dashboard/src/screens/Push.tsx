import { useEffect, useState, type FormEvent } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, Notice, formatDate, useAction, useLoad } from '../ui.js';
import { PushCredentials } from './PushCredentials.js';

/** What GET /admin/apps/{id}/push answers: every private key as a `sha256:` fingerprint. */
export interface PushSettings {
  vapid: { public_key: string; subject: string; private_key: string } | null;
  fcm: { project_id: string; client_email: string; token_uri: string; private_key: string } | null;
  apns: { key_id: string; team_id: string; bundle_id: string; private_key: string } | null;
  chat_alert_template: string;
  contact_joined: boolean;
  call_pushes: boolean;
}

interface Delivery {
  id: number;
  user_id: number;
  subscription_id: number;
  channel: string;
  outcome: 'delivered' | 'rejected' | 'retry' | 'invalid-token';
  reason: string | null;
  attempt: number;
  elapsed_ms: number;
  created_at: string;
}

const outcomeText: Record<Delivery['outcome'], string> = {
  delivered: 'Delivered',
  rejected: 'Refused (failed)',
  retry: 'Provider unavailable (will retry)',
  'invalid-token': 'Device gone (unsubscribed)',
};
const channelText: Record<string, string> = { web: 'Web Push', gcm: 'FCM (Android)', apns: 'APNs (iOS)', apns_voip: 'APNs VoIP' };

/** Push for one application: provider credentials, a test push to a user, and what the providers answered. */
export function Push({ appId }: { appId: number }) {
  const settings = useLoad(() => api<PushSettings>('GET', `/admin/apps/${appId}/push`), [appId]);
  const [delivered, setDelivered] = useState(0);
  return (
    <div className="stack">
      {settings.error && <ErrorNote error={settings.error} onRetry={settings.reload} />}
      {!settings.data && !settings.error && <Loading />}
      {settings.data && <PushCredentials appId={appId} settings={settings.data} onSaved={settings.reload} />}
      <TestPush appId={appId} onQueued={() => setDelivered((value) => value + 1)} />
      <Deliveries appId={appId} refresh={delivered} />
    </div>
  );
}

function TestPush({ appId, onQueued }: { appId: number; onQueued: () => void }) {
  const [userId, setUserId] = useState('');
  const [message, setMessage] = useState('Test push from the Parley dashboard');
  const [notice, setNotice] = useState('');
  const action = useAction();
  const send = async (event: FormEvent) => {
    event.preventDefault();
    let queued = 0;
    const ok = await action.run(async () => {
      queued = (await api<{ queued: number }>('POST', `/admin/apps/${appId}/push/test`, { user_id: Number(userId), message })).queued;
    });
    if (!ok) return;
    onQueued();
    setNotice(`Queued ${queued} push${queued === 1 ? '' : 'es'} for user ${userId}`);
  };
  useEffect(() => setNotice(''), [userId]);
  return (
    <form className="card" onSubmit={(event) => void send(event)} aria-labelledby="test-push-title">
      <h2 id="test-push-title">Send a test push</h2>
      <p className="muted small">Goes to every device and browser the user subscribed, through the providers set above.</p>
      <div className="grid two">
        <label>
          User id
          <input inputMode="numeric" pattern="[0-9]+" required value={userId} onChange={(event) => setUserId(event.target.value)} />
        </label>
        <label>
          Message
          <input required maxLength={1000} value={message} onChange={(event) => setMessage(event.target.value)} />
        </label>
      </div>
      {action.error && <ErrorNote error={action.error} />}
      {notice && <Notice text={notice} />}
      <button type="submit" className="primary" disabled={action.busy}>
        Send test push
      </button>
    </form>
  );
}

function Deliveries({ appId, refresh }: { appId: number; refresh: number }) {
  const [failuresOnly, setFailuresOnly] = useState(false);
  const [tick, setTick] = useState(0);
  const list = useLoad(() => api<Delivery[]>('GET', `/admin/apps/${appId}/push/deliveries${query({ limit: 50, failures: failuresOnly ? 'true' : undefined })}`), [appId, failuresOnly, refresh, tick]);
  // Deliveries arrive a moment after the request: look every second for a while after a test push, then
  // every few seconds while the screen is open.
  useEffect(() => {
    const fastUntil = Date.now() + 10_000;
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      timer = setTimeout(
        () => {
          setTick((value) => value + 1);
          next();
        },
        refresh > 0 && Date.now() < fastUntil ? 1000 : 5000,
      );
    };
    next();
    return () => clearTimeout(timer);
  }, [refresh]);
  return (
    <section className="card stack" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Recent deliveries</h2>
      <div className="row">
        <label className="check">
          <input type="checkbox" checked={failuresOnly} onChange={(event) => setFailuresOnly(event.target.checked)} />
          Failures only
        </label>
        <button type="button" onClick={() => setTick((value) => value + 1)}>
          Refresh
        </button>
      </div>
      {list.error && <ErrorNote error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <Empty>{failuresOnly ? 'No failed delivery in the last week.' : 'No push sent in the last week.'}</Empty>}
      {list.data && list.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Recent deliveries">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">User</th>
                <th scope="col">Channel</th>
                <th scope="col">Outcome</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((item) => (
                <tr key={item.id}>
                  <td>{formatDate(item.created_at)}</td>
                  <td>{item.user_id}</td>
                  <td>{channelText[item.channel] ?? item.channel}</td>
                  <td>
                    <span className={item.outcome === 'delivered' ? 'badge good' : 'badge bad'}>{outcomeText[item.outcome] ?? item.outcome}</span>
                  </td>
                  <td className="small">
                    {item.reason ?? `${item.elapsed_ms} ms`}
                    {item.attempt > 1 ? ` (try ${item.attempt})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
