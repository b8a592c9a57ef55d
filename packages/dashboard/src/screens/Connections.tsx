import { api } from '../api.js';
import { Empty, ErrorNote, Notice, useAction, useConfirm } from '../ui.js';

export interface ConnectionView {
  id: string;
  appId: number;
  userId: number;
  resource: string;
  transport: 'websocket' | 'tcp';
  secure: boolean;
  remoteAddress: string;
  available: boolean;
  detached: boolean;
}

/** Who is connected right now (XMPP), refreshed with the live figures; kick asks first. */
export function Connections({ connections, onKicked }: { connections: ConnectionView[] | undefined; onKicked: () => void }) {
  const action = useAction();
  const [confirm, confirmDialog] = useConfirm();
  const kick = async (connection: ConnectionView) => {
    if (!(await confirm(`Disconnect user ${connection.userId} (${connection.resource}) of application ${connection.appId}? Their client may reconnect unless you also block them.`, 'Disconnect'))) return;
    if (await action.run(() => api('POST', `/admin/apps/${connection.appId}/connections/kick`, { id: connection.id }), `Disconnected user ${connection.userId}`)) onKicked();
  };
  return (
    <section className="stack" aria-labelledby="connections-title">
      <h2 id="connections-title">Live connections</h2>
      {action.error && <ErrorNote error={action.error} />}
      {action.notice && <Notice text={action.notice} />}
      {connections && connections.length === 0 && <Empty>Nobody is connected to real-time chat right now.</Empty>}
      {connections && connections.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">Live connections</caption>
            <thead>
              <tr>
                <th scope="col">Application</th>
                <th scope="col">User</th>
                <th scope="col">Resource</th>
                <th scope="col">Transport</th>
                <th scope="col">Address</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {connections.slice(0, 100).map((connection) => (
                <tr key={connection.id}>
                  <td>{connection.appId}</td>
                  <td>{connection.userId}</td>
                  <td>{connection.resource}</td>
                  <td>
                    {connection.transport}
                    {connection.secure ? ' (TLS)' : ''}
                  </td>
                  <td>{connection.remoteAddress}</td>
                  <td>{connection.detached ? 'waiting to resume' : connection.available ? 'online' : 'connected'}</td>
                  <td>
                    <button type="button" className="danger" onClick={() => void kick(connection)} aria-label={`Disconnect user ${connection.userId} ${connection.resource}`}>
                      Disconnect…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {connections.length > 100 && <p className="muted small">First 100 of {connections.length} connections.</p>}
        </div>
      )}
      {confirmDialog}
    </section>
  );
}
