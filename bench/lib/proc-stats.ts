/**
 * Resident memory and CPU time of a process and its descendants, read from Linux /proc (the servers
 * under test are wrapped: ejabberdctl's shell starts beam.smp, which starts erl_child_setup). Values
 * are summed over the tree, so a wrapper adds a constant that cancels out of deltas.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux build in use). */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `root` and every live descendant. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    // After the name: state (0), ppid (1).
    const parent = Number(fields?.[1]);
    if (!Number.isFinite(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** VmRSS of one process in KiB (0 when it is gone). */
export function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** User + system CPU time of one process in ms (0 when it is gone). */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of the full line: 11 and 12 after the name.
  const ticks = Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : 0;
}

export const treeRssKiB = (root: number) => processTree(root).reduce((total, pid) => total + rssKiB(pid), 0);
export const treeCpuMs = (root: number) => processTree(root).reduce((total, pid) => total + cpuMs(pid), 0);

/** This process's CPU time (user + system) in ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Busy CPU time of the whole machine in ms, summed over cores (from the `cpu` line of /proc/stat:
 * everything but idle and iowait); with the server's and this process's share it shows how much of
 * the machine other processes took during a phase.
 */
export function machineBusyCpuMs(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest times are already inside user/nice).
    const busy = (ticks[0] ?? 0) + (ticks[1] ?? 0) + (ticks[2] ?? 0) + (ticks[5] ?? 0) + (ticks[6] ?? 0) + (ticks[7] ?? 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}
