import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process as /proc shows it (Linux). */
export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** Process group. */
  pgrp: number;
  session: number;
  /** The foreground process group of its terminal (-1 without one). */
  terminalGroup: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, names a process even if the pid is reused. */
  startTime: string;
  command: string;
  /** Working folder, when readable. */
  cwd?: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may hold spaces: the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    let cwd: string | undefined;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // Another user's process, or gone.
    }
    return {
      pid,
      state: fields[0],
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      session: Number(fields[3]),
      terminalGroup: Number(fields[5]),
      startTime: fields[19],
      command,
      cwd,
    };
  } catch {
    return undefined;
  }
}

export function listProcesses(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readEntry(Number(entry)))
    .filter((entry): entry is ProcessEntry => entry !== undefined);
}

/** The process and everything below it, its own included. */
export function processTree(root: number, all = listProcesses()): ProcessEntry[] {
  const tree = all.filter((entry) => entry.pid === root);
  for (let index = 0; index < tree.length; index++) {
    tree.push(...all.filter((entry) => entry.ppid === tree[index].pid));
  }
  return tree;
}

/** Whether that very process (not a later one with its pid) still runs; a zombie has ended. */
export function stillRunning(entry: ProcessEntry): boolean {
  const now = readEntry(entry.pid);
  return now !== undefined && now.startTime === entry.startTime && now.state !== 'Z';
}

/** Processes that work in the folder or name it on their command line (PostgreSQL works in its data folder). */
export function processesUsing(folder: string): ProcessEntry[] {
  return listProcesses().filter(
    (entry) => entry.state !== 'Z' && (entry.command.includes(folder) || entry.cwd === folder || entry.cwd?.startsWith(`${folder}/`)),
  );
}
