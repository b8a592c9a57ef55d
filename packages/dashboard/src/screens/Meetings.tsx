import { useState } from 'react';
import { api, query } from '../api.js';
import { Empty, ErrorNote, Loading, formatDate, useLoad } from '../ui.js';

interface MeetingView {
  _id: string;
  name: string;
  host_id: number;
  start_date: number;
  end_date: number;
  record: boolean;
  public: boolean;
  recordings_count: number;
}

interface RecordingView {
  _id: string;
  participants_ids: number[];
  duration: number;
  size: number;
  download_url: string;
  file_name: string;
  content_type: string;
  created_at: string;
}

const PAGE = 50;

function duration(seconds: number): string {
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Meetings of an app, newest first, and the recordings of the one picked: play them here or download. */
export function Meetings({ appId }: { appId: number }) {
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<MeetingView>();
  const list = useLoad(() => api<MeetingView[]>('GET', `/admin/apps/${appId}/meetings${query({ limit: PAGE, offset })}`), [appId, offset]);
  return (
    <div className="stack">
      <section className="stack" aria-labelledby="meetings-title">
        <h2 id="meetings-title">All meetings</h2>
        {list.error && <ErrorNote error={list.error} onRetry={list.reload} />}
        {!list.data && !list.error && <Loading />}
        {list.data && list.data.length === 0 && <Empty>{offset === 0 ? 'No meeting yet: meetings appear here once an app user schedules or starts one.' : 'No more meetings.'}</Empty>}
        {list.data && list.data.length > 0 && (
          <div className="table-wrap">
            <table aria-label="Meetings">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Host</th>
                  <th scope="col">Starts</th>
                  <th scope="col">Ends</th>
                  <th scope="col">Recordings</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((meeting) => (
                  <tr key={meeting._id} className={meeting._id === selected?._id ? 'selected' : undefined}>
                    <td>
                      <button type="button" className="link" aria-pressed={meeting._id === selected?._id} onClick={() => setSelected(meeting)}>
                        {meeting.name || '(no name)'}
                      </button>
                      {meeting.public && <span className="badge">public</span>}
                    </td>
                    <td>{meeting.host_id}</td>
                    <td>{formatDate(meeting.start_date)}</td>
                    <td>{formatDate(meeting.end_date)}</td>
                    <td>{meeting.recordings_count > 0 ? meeting.recordings_count : meeting.record ? 'recording on, none yet' : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(offset > 0 || (list.data?.length ?? 0) === PAGE) && (
          <div className="row">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Newer
            </button>
            <button type="button" disabled={(list.data?.length ?? 0) < PAGE} onClick={() => setOffset(offset + PAGE)}>
              Older
            </button>
          </div>
        )}
      </section>
      {selected && <Recordings key={selected._id} appId={appId} meeting={selected} />}
    </div>
  );
}

function Recordings({ appId, meeting }: { appId: number; meeting: MeetingView }) {
  const list = useLoad(() => api<RecordingView[]>('GET', `/admin/apps/${appId}/meetings/${meeting._id}/recordings`), [appId, meeting._id]);
  const title = meeting.name || meeting._id;
  return (
    <section className="card stack" aria-labelledby="recordings-title">
      <h2 id="recordings-title">Recordings of “{title}”</h2>
      {list.error && <ErrorNote error={list.error} onRetry={list.reload} />}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <Empty>{meeting.record ? 'No recording yet: files appear a little after the conference room closes.' : 'No recording: recording is off for this meeting.'}</Empty>}
      {list.data && list.data.length > 0 && (
        <ul className="plain" aria-label="Recordings">
          {list.data.map((recording, index) => {
            const label = `Recording ${index + 1} of ${title}`;
            return (
              <li key={recording._id} className="stack">
                <h3>
                  Recording {index + 1} <span className="muted small">{formatDate(recording.created_at)}</span>
                </h3>
                {recording.content_type.startsWith('audio/') ? (
                  <audio controls preload="metadata" src={recording.download_url} aria-label={label} />
                ) : (
                  <video controls preload="metadata" src={recording.download_url} aria-label={label} />
                )}
                <p className="small">
                  {duration(recording.duration)} · {recording.size} MB · participants {recording.participants_ids.join(', ') || '—'} ·{' '}
                  <a href={recording.download_url} download={recording.file_name}>
                    Download {recording.file_name}
                  </a>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
