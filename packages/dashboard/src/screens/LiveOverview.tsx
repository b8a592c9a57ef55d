import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api } from '../api.js';
import { ErrorNote, Loading } from '../ui.js';
import { Connections, type ConnectionView } from './Connections.js';

interface LivePoint {
  at: string;
  users_online: number;
  connections: number;
  messages_per_minute: number;
  requests_per_minute: number;
  server_errors_per_minute: number;
  error_rate: number;
  active_calls: number;
  active_conferences: number;
}

interface LiveAnswer {
  interval_seconds: number;
  points: LivePoint[];
}

const charts = [
  { key: 'users_online', title: 'Users online', unit: '', color: '#1d4ed8', value: (point: LivePoint) => point.users_online },
  { key: 'messages_per_minute', title: 'Messages per minute', unit: '/min', color: '#047857', value: (point: LivePoint) => point.messages_per_minute },
  { key: 'active_calls', title: 'Active calls', unit: '', color: '#b45309', value: (point: LivePoint) => point.active_calls ?? 0 },
  { key: 'active_conferences', title: 'Active conferences', unit: '', color: '#0e7490', value: (point: LivePoint) => point.active_conferences ?? 0 },
  { key: 'requests_per_minute', title: 'HTTP requests per minute', unit: '/min', color: '#6d28d9', value: (point: LivePoint) => point.requests_per_minute },
  { key: 'error_rate', title: 'Server error rate', unit: '%', color: '#b91c1c', value: (point: LivePoint) => Math.round(point.error_rate * 1000) / 10 },
] as const;

/** Live figures sampled by the server, polled every sample interval: the charts move without a reload. */
export function LiveOverview() {
  const [live, setLive] = useState<LiveAnswer>();
  const [error, setError] = useState('');
  const [connections, setConnections] = useState<ConnectionView[]>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const poll = async () => {
      let wait = 5000;
      try {
        const [answer, list] = await Promise.all([api<LiveAnswer>('GET', '/admin/live'), api<ConnectionView[]>('GET', '/admin/connections')]);
        if (stopped) return;
        setLive(answer);
        setConnections(list);
        setError('');
        wait = Math.max(1, answer.interval_seconds) * 1000;
      } catch (failure) {
        if (!stopped) setError(`${(failure as Error).message}. Retrying…`);
      }
      if (!stopped) timer = setTimeout(() => void poll(), wait);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tick]);

  if (!live) return error ? <ErrorNote error={error} /> : <Loading />;
  const last = live.points.at(-1);
  return (
    <div className="stack">
      {error && <ErrorNote error={error} />}
      <ul className="tiles" aria-label="Now">
        {charts.map((chart) => (
          <li key={chart.key} className="tile">
            <span className="muted small">{chart.title}</span>
            <strong data-testid={`now-${chart.key}`}>
              {last ? chart.value(last) : '—'}
              {chart.unit === '%' ? '%' : ''}
            </strong>
          </li>
        ))}
      </ul>
      <div className="charts">
        {charts.map((chart) => (
          <figure key={chart.key} className="card chart">
            <figcaption>{chart.title}</figcaption>
            <Chart points={live.points} value={chart.value} color={chart.color} label={chart.title} />
          </figure>
        ))}
      </div>
      <Connections connections={connections} onKicked={() => setTick((value) => value + 1)} />
      <p className="muted small">
        Sampled every {live.interval_seconds} s on this server; rates cover the last minute. Calls count from their first answer until a party hangs up or disconnects, as seen in the call signalling this server routes; conferences are the meeting rooms open on the video server.
      </p>
    </div>
  );
}

function Chart({ points, value, color, label }: { points: LivePoint[]; value: (point: LivePoint) => number; color: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>(undefined);
  const data: uPlot.AlignedData = [points.map((point) => Date.parse(point.at) / 1000), points.map(value)];

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(240, element.clientWidth),
      height: 160,
      legend: { show: false },
      cursor: { show: false },
      // At least two minutes wide, so a fresh server's first seconds do not stretch into a flat line.
      scales: { x: { time: true, range: (_u, min, max) => [Math.min(min, max - 120), max] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } },
      axes: [{ stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, space: 90, values: (_u, splits) => splits.map((at) => new Date(at * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })) }, { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, size: 40 }],
      series: [{}, { stroke: color, width: 2, fill: `${color}22`, label, points: { show: true, size: 5 } }],
    };
    plot.current = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(240, element.clientWidth), height: 160 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
    // Built once; new points go through setData below.
  }, [color, label]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const latest = points.at(-1);
  return <div ref={box} role="img" aria-label={`${label}: now ${latest ? value(latest) : 'unknown'}, ${points.length} samples`} />;
}
