import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process in microseconds, from /proc/<pid>/stat. */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at "state".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}

/** User and system CPU time of a process in microseconds. */
export function cpuSplitMicros(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    user: (Number(fields[11]) * 1_000_000) / CLOCK_TICKS_PER_SECOND,
    system: (Number(fields[12]) * 1_000_000) / CLOCK_TICKS_PER_SECOND,
  };
}

/** Resident set size and its high-water mark in MiB, from /proc/<pid>/status. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kib('VmRSS') / 1024, hwm: kib('VmHWM') / 1024 };
}

/** Busy and total jiffies of the whole machine, from /proc/stat (for "was the machine busy"). */
export function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = values[3] + (values[4] ?? 0);
  return { busy: total - idle, total };
}

/** Samples resident memory (of a process, or of a process tree) while something runs. */
export class RssSampler {
  peak = 0;
  last = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly read: () => number,
    private readonly everyMs = 250,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      this.last = this.read();
      this.peak = Math.max(this.peak, this.last);
    } catch {
      // the process ended
    }
  }
}

export function machineInfo() {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024),
    node: process.version,
    loadavgAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/** The commit, and whether src/ or migrations/ differ from it (with a hash of that diff, to tell runs apart). */
export function gitCommit(): { commit: string; dirty: boolean; srcDiffSha256?: string } {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { encoding: 'utf8' }).trim().length > 0;
    if (!dirty) return { commit, dirty };
    const diff = execFileSync('git', ['diff', 'HEAD', '--', 'src', 'migrations'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { commit, dirty, srcDiffSha256: createHash('sha256').update(diff).digest('hex').slice(0, 16) };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** The pids of a process's direct children (a postmaster's backends, a server's worker processes). */
export function childPids(rootPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === rootPid) children.push(Number(entry));
    } catch {
      // gone
    }
  }
  return children;
}

/** Resident memory of a process and its direct children, summed (shared pages count once per process). */
export function treeMemoryMiB(rootPid: number): number {
  let total = 0;
  for (const pid of [rootPid, ...childPids(rootPid)]) {
    try {
      total += memoryMiB(pid).rss;
    } catch {
      // gone
    }
  }
  return total;
}

/** User and system CPU time (µs) of a process and its direct children, with the children that ended. */
export function treeCpuSplitMicros(rootPid: number): { user: number; system: number } {
  const split = { user: 0, system: 0 };
  for (const pid of [rootPid, ...childPids(rootPid)]) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ended = pid === rootPid ? [Number(fields[13]), Number(fields[14])] : [0, 0];
      split.user += ((Number(fields[11]) + ended[0]) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
      split.system += ((Number(fields[12]) + ended[1]) * 1_000_000) / CLOCK_TICKS_PER_SECOND;
    } catch {
      // gone
    }
  }
  return split;
}

/** CPU time (µs) of a process and its direct children (a postmaster and its backends). */
export function treeCpuMicros(rootPid: number | undefined): number {
  if (rootPid === undefined) return 0;
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      if (pid === rootPid || Number(fields[1]) === rootPid) {
        // The root also carries the time of its children that have ended (cutime, cstime).
        const ticks = Number(fields[11]) + Number(fields[12]) + (pid === rootPid ? Number(fields[13]) + Number(fields[14]) : 0);
        total += (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
      }
    } catch {
      // gone
    }
  }
  return total;
}

/** Jiffies to CPU-seconds. */
export function jiffiesToSeconds(jiffies: number): number {
  return jiffies / CLOCK_TICKS_PER_SECOND;
}
