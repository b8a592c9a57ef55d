/**
 * Summarises a V8 CPU profile (`node --cpu-prof` writes `*.cpuprofile`): the functions with the most
 * self time, self time per source file (packages in node_modules grouped by package), and the
 * repository's own functions (packages/*) by inclusive time (self + callees: what a call path costs).
 *
 *   npx tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top 15]
 *
 * bench/xmpp.ts and bench/xmpp-goals.ts take `--cpu-prof DIR` to profile the server process. Prints two
 * tables and one JSON line (the last line of stdout).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './lib/cli.js';

const USAGE = `usage: npx tsx bench/cpu-profile-top.ts FILE.cpuprofile [--top N]
  --top N   rows per table (default 15)`;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface Row {
  name: string;
  selfMs: number;
  share: number;
}

/** Where a frame's code lives: `pkg (node_modules)`, a repository-relative path, or `(node internals)`. */
function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${url ? `${fileOf(url)}:${lineNumber + 1}` : ''}`.trim();
}

function fileOf(url: string): string {
  if (url === '') return '(V8 / native)';
  if (url.startsWith('node:')) return '(node internals)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + '/node_modules/'.length).split('/');
    return `${parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]} (node_modules)`;
  }
  const packages = file.indexOf('/packages/');
  return packages >= 0 ? file.slice(packages + 1) : path.basename(file);
}

/** Self time per node id in ms: from samples + time deltas when present, else hit counts × the mean interval. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length) {
    // timeDeltas[i] is the time before sample i; attribute it to the sample that ends the interval.
    for (let index = 0; index < samples.length; index += 1) {
      const id = samples[index] as number;
      self.set(id, (self.get(id) ?? 0) + (timeDeltas[index] ?? 0) / 1000);
    }
    return self;
  }
  const hits = profile.nodes.reduce((total, node) => total + (node.hitCount ?? 0), 0);
  const interval = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  for (const node of profile.nodes) self.set(node.id, (node.hitCount ?? 0) * interval);
  return self;
}

/**
 * Inclusive time per repository function (packages/*): self time of the node and everything below it,
 * counted once per function along a path (recursion is not counted twice).
 */
function inclusiveOwn(profile: CpuProfile, self: Map<number, number>, name: (node: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const root = profile.nodes[0];
  if (!root) return totals;
  // Iterative DFS: (node, names active on the path above it).
  const subtree = new Map<number, number>();
  const order: number[] = [];
  const stack = [root.id];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    order.push(id);
    for (const child of byId.get(id)?.children ?? []) stack.push(child);
  }
  for (let index = order.length - 1; index >= 0; index -= 1) {
    const id = order[index] as number;
    let total = self.get(id) ?? 0;
    for (const child of byId.get(id)?.children ?? []) total += subtree.get(child) ?? 0;
    subtree.set(id, total);
  }
  const walk = [{ id: root.id, active: new Set<string>() }];
  while (walk.length > 0) {
    const { id, active } = walk.pop() as { id: number; active: Set<string> };
    const node = byId.get(id);
    if (!node) continue;
    let next = active;
    if (node.callFrame.url.includes('/packages/') && !node.callFrame.url.includes('/node_modules/')) {
      const key = name(node);
      if (!active.has(key)) {
        totals.set(key, (totals.get(key) ?? 0) + (subtree.get(id) ?? 0));
        next = new Set(active).add(key);
      }
    }
    for (const child of node.children ?? []) walk.push({ id: child, active: next });
  }
  return totals;
}

function table(title: string, rows: Row[]): string {
  const width = Math.max(title.length, ...rows.map((row) => row.name.length));
  const lines = [`${title.padEnd(width)}  self ms   share`, `${'-'.repeat(width)}  -------  ------`];
  for (const row of rows) lines.push(`${row.name.padEnd(width)}  ${row.selfMs.toFixed(0).padStart(7)}  ${(row.share * 100).toFixed(1).padStart(5)}%`);
  return lines.join('\n');
}

function main(): void {
  const cli = parseCommandLine(process.argv.slice(2).filter((arg) => !arg.endsWith('.cpuprofile')), USAGE, { top: { type: 'string' } });
  const file = process.argv.slice(2).find((arg) => arg.endsWith('.cpuprofile'));
  if (!file) return cli.fail('give the .cpuprofile file');
  const top = cli.integer('top', cli.text('top'), 15, 1, 200);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const self = selfTimes(profile);
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    total += ms;
    const { functionName, url } = node.callFrame;
    if (functionName === '(idle)') {
      idle += ms;
      continue;
    }
    const name = frameName(node);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(fileOf(url), (byFile.get(fileOf(url)) ?? 0) + ms);
  }
  const busy = total - idle;
  const rows = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: Math.round(ms), share: busy > 0 ? ms / busy : 0 }));
  const functions = rows(byFunction);
  const files = rows(byFile);
  const own = rows(inclusiveOwn(profile, self, frameName));
  process.stdout.write(`${path.basename(file)}: ${Math.round(total)} ms profiled, ${Math.round(busy)} ms busy (shares are of busy time)\n\n`);
  process.stdout.write(`${table('function (self time)', functions)}\n\n${table('file / package (self time)', files)}\n\n`);
  process.stdout.write(`${table('repository function (inclusive time)', own).replace('self ms', 'incl ms')}\n`);
  process.stdout.write(`${JSON.stringify({ file, totalMs: Math.round(total), busyMs: Math.round(busy), functions, files, inclusiveOwn: own })}\n`);
}

main();
