/** The table, goal lines and JSON line bench/xmpp.ts prints. */
import os from 'node:os';
import { runFacts } from './report.js';
import type { PhaseParams, TargetResult } from './xmpp-phases.js';
import type { TargetName } from './xmpp-target.js';

export type Outcome = { ok: true; result: TargetResult } | { ok: false; reason: string };

interface Row {
  label: string;
  /** Which way is better, for the ratio column. */
  better: 'higher' | 'lower' | '';
  value: (result: TargetResult) => number | null;
  digits: number;
}

const ROWS: Row[] = [
  { label: 'peak msgs/s (closed loop)', better: 'higher', value: (r) => r.peak?.rate ?? null, digits: 0 },
  { label: '  p50 ms at peak', better: 'lower', value: (r) => r.peak?.p50Ms ?? null, digits: 2 },
  { label: '  p99 ms at peak', better: 'lower', value: (r) => r.peak?.p99Ms ?? null, digits: 2 },
  { label: '  server CPU-ms / 1k msgs', better: 'lower', value: (r) => r.peak?.serverCpuMsPer1k ?? null, digits: 0 },
  { label: '  server CPU cores busy', better: '', value: (r) => r.peak?.cpu.serverCores ?? null, digits: 2 },
  { label: '  client CPU cores busy', better: '', value: (r) => r.peak?.cpu.clientCores ?? null, digits: 2 },
  { label: '  other processes, cores', better: '', value: (r) => r.peak?.cpu.otherCores ?? null, digits: 2 },
  { label: '  lost messages', better: '', value: (r) => r.peak?.lost ?? null, digits: 0 },
  { label: 'half-peak msgs/s (open loop)', better: '', value: (r) => r.halfPeak?.rate ?? null, digits: 0 },
  { label: '  p50 ms at half peak', better: 'lower', value: (r) => r.halfPeak?.p50Ms ?? null, digits: 2 },
  { label: '  p99 ms at half peak', better: 'lower', value: (r) => r.halfPeak?.p99Ms ?? null, digits: 2 },
  { label: '  server CPU cores busy', better: '', value: (r) => r.halfPeak?.cpu.serverCores ?? null, digits: 2 },
  { label: '  other processes, cores', better: '', value: (r) => r.halfPeak?.cpu.otherCores ?? null, digits: 2 },
  { label: '  lost messages', better: '', value: (r) => r.halfPeak?.lost ?? null, digits: 0 },
  { label: 'messages delivered (all phases)', better: '', value: (r) => r.messagesDelivered, digits: 0 },
  { label: '  rows in message store', better: '', value: (r) => r.storedRows, digits: 0 },
  { label: 'logins/s', better: 'higher', value: (r) => r.idle.loginsPerSecond, digits: 0 },
  { label: '  login p99 ms', better: 'lower', value: (r) => r.idle.loginP99Ms, digits: 1 },
  { label: '  server CPU-ms / login', better: 'lower', value: (r) => r.idle.serverCpuMsPerLogin, digits: 2 },
  { label: '  server CPU cores busy', better: '', value: (r) => r.idle.loginCpu.serverCores, digits: 2 },
  { label: '  other processes, cores', better: '', value: (r) => r.idle.loginCpu.otherCores, digits: 2 },
  { label: 'idle connections held', better: '', value: (r) => r.idle.connected, digits: 0 },
  { label: '  KiB / idle connection', better: 'lower', value: (r) => r.idle.kibPerConnection, digits: 1 },
  { label: '  KiB / idle conn., 2nd half', better: 'lower', value: (r) => r.idle.kibPerConnectionSecondHalf, digits: 1 },
  { label: '  server RSS MiB at rest', better: '', value: (r) => r.rssIdleServerKiB / 1024, digits: 0 },
];

const TARGETS: TargetName[] = ['parley', 'ejabberd', 'prosody', 'ejabberd-nomam', 'prosody-nomam'];
/** Cores other processes may use during a phase before the report warns that the run was disturbed. */
const OTHER_CORES_WARNING = 0.25;
const PEERS = ['ejabberd', 'prosody', 'ejabberd-nomam', 'prosody-nomam'] as const;

const resultOf = (outcomes: Partial<Record<TargetName, Outcome>>, name: TargetName) => {
  const outcome = outcomes[name];
  return outcome?.ok ? outcome.result : undefined;
};

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return Math.round((a / b) * 100) / 100;
}

function renderTable(lines: string[][]): string {
  const widths = (lines[0] ?? []).map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  const render = (line: string[]) => line.map((text, column) => (column === 0 ? text.padEnd(widths[column] ?? 0) : text.padStart(widths[column] ?? 0))).join('  ');
  return [render(lines[0] ?? []), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

/**
 * The message-path goals of issue 13, against the peers measured in the same run (the other goals —
 * fan-out, token logins, idle memory, REST history — are bench/xmpp-goals.ts's).
 */
function goals(outcomes: Partial<Record<TargetName, Outcome>>) {
  const parley = resultOf(outcomes, 'parley');
  const versus = (peer: 'ejabberd' | 'ejabberd-nomam', factor: number) => {
    const measured = ratio(parley?.peak?.rate, resultOf(outcomes, peer)?.peak?.rate);
    return { goal: `peak msgs/s ≥ ${factor}× ${peer}`, measured: measured === null ? null : `${measured}×`, met: measured === null ? null : measured >= factor };
  };
  const p99 = parley?.halfPeak?.p99Ms ?? null;
  const cpu = parley?.peak?.serverCpuMsPer1k ?? null;
  return [
    versus('ejabberd-nomam', 1.5),
    versus('ejabberd', 10),
    { goal: 'server CPU-ms per 1,000 delivered messages ≤ 60 (peak)', measured: cpu === null ? null : `${cpu} ms`, met: cpu === null ? null : cpu <= 60 },
    { goal: 'p99 ≤ 10 ms at half the peak load', measured: p99 === null ? null : `${p99} ms`, met: p99 === null ? null : p99 <= 10 },
  ];
}

/** The most CPU other processes took during any timed phase of a result. */
export function disturbance(result: TargetResult): number {
  return Math.max(result.peak?.cpu.otherCores ?? 0, result.halfPeak?.cpu.otherCores ?? 0, result.idle.loginCpu.otherCores);
}

/** Per target, the round in which other processes took the least CPU (or the last failure). */
function quietest(rounds: readonly Partial<Record<TargetName, Outcome>>[]): { outcomes: Partial<Record<TargetName, Outcome>>; chosen: Partial<Record<TargetName, number>> } {
  const outcomes: Partial<Record<TargetName, Outcome>> = {};
  const chosen: Partial<Record<TargetName, number>> = {};
  rounds.forEach((round, index) => {
    for (const name of TARGETS) {
      const candidate = round[name];
      if (!candidate) continue;
      const current = outcomes[name];
      const better = !current || (candidate.ok && (!current.ok || disturbance(candidate.result) < disturbance(current.result)));
      if (better) {
        outcomes[name] = candidate;
        chosen[name] = index + 1;
      }
    }
  });
  return { outcomes, chosen };
}

/** Prints the table and goal lines, then the JSON line (last line of stdout). */
export function report(
  params: PhaseParams & { targets: TargetName[]; hashCost: number; tmpdir: string; rounds: number },
  startedAt: Date,
  rounds: readonly Partial<Record<TargetName, Outcome>>[],
): void {
  const { outcomes, chosen } = quietest(rounds);
  const shown = TARGETS.filter((name) => params.targets.includes(name));
  const header = ['', ...shown, ...PEERS.filter((peer) => shown.includes('parley') && shown.includes(peer)).map((peer) => `parley/${peer}`), 'better'];
  const body = ROWS.map((row) => {
    const cells = shown.map((name) => {
      const result = resultOf(outcomes, name);
      const value = result ? row.value(result) : null;
      return value === null ? '-' : value.toFixed(row.digits);
    });
    const ratios = PEERS.filter((peer) => shown.includes('parley') && shown.includes(peer)).map((peer) => {
      const parley = resultOf(outcomes, 'parley');
      const other = resultOf(outcomes, peer);
      const value = row.better && parley && other ? ratio(row.value(parley), row.value(other)) : null;
      return value === null ? '' : `${value.toFixed(2)}×`;
    });
    return [row.label, ...cells, ...ratios, row.better];
  });
  const out: string[] = [];
  out.push(`XMPP over WebSocket on 127.0.0.1 — ${params.pairs} pairs × ${params.window} in flight, ${params.seconds} s per message phase, ${params.connections} idle connections; data under ${params.tmpdir}`);
  for (const name of shown) {
    const outcome = outcomes[name];
    if (!outcome) out.push(`${name}: not run`);
    else if (!outcome.ok) out.push(`${name}: skipped — ${outcome.reason}`);
    else {
      const round = params.rounds > 1 ? ` (round ${chosen[name] ?? '?'} of ${params.rounds}, the least disturbed)` : '';
      out.push(`${name}: ${outcome.result.version}${round}; persistence: ${outcome.result.persistence}`);
      if (outcome.result.messageError) out.push(`${name}: message phases failed — ${outcome.result.messageError}`);
    }
  }
  out.push('', renderTable([header, ...body]), '');
  // Other processes' CPU during the timed phases (the load average would count this run itself).
  const busiest = Math.max(
    0,
    ...shown.map((name) => {
      const result = resultOf(outcomes, name);
      return result ? disturbance(result) : 0;
    }),
  );
  if (busiest > OTHER_CORES_WARNING) {
    out.push(`warning: other processes kept up to ${busiest.toFixed(2)} cores busy during a phase — they competed with the run; its rates are depressed and noisy`);
  }
  const goalLines = goals(outcomes);
  for (const goal of goalLines) out.push(`goal: ${goal.goal}: ${goal.measured ?? 'n/a'} — ${goal.met === null ? 'not measured' : goal.met ? 'met' : 'MISSED'}`);
  out.push(
    `note: load generator and servers share this machine's ${os.cpus().length} cores; "other processes" is CPU other work took meanwhile ` +
      '(a busy machine lowers every rate); compare server CPU-ms per 1k messages alongside msgs/s.',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  const json = {
    ...runFacts('xmpp', startedAt, true),
    /** 1/5/15-minute load averages at the end (this run's own processes included). */
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    params,
    targets: Object.fromEntries(shown.map((name) => {
      const outcome = outcomes[name];
      return [name, outcome === undefined ? { skipped: 'not run' } : outcome.ok ? outcome.result : { skipped: outcome.reason }];
    })),
    ratios: Object.fromEntries(
      PEERS.map((peer) => {
        const parley = resultOf(outcomes, 'parley');
        const other = resultOf(outcomes, peer);
        return [
          `parley/${peer}`,
          parley && other
            ? Object.fromEntries(ROWS.filter((row) => row.better).map((row) => [row.label.trim(), ratio(row.value(parley), row.value(other))]))
            : null,
        ];
      }),
    ),
    goals: goalLines,
    /** Every round's results when there was more than one (`targets` holds the chosen ones). */
    ...(rounds.length > 1
      ? { chosenRounds: chosen, rounds: rounds.map((round) => Object.fromEntries(Object.entries(round).map(([name, outcome]) => [name, outcome.ok ? outcome.result : { skipped: outcome.reason }]))) }
      : {}),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}
