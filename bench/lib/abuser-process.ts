import { spawn } from 'node:child_process';
import type { AbuserOptions } from './abuser.js';

export interface AbuseReport {
  actions: number;
  seconds: number;
  abandoned: number;
  /** abuse → "413 x 3, 0 x 1". */
  answers: Record<string, string>;
  examples: Record<string, string>;
  /** status → answers, over every abuse. */
  byStatus: Record<string, number>;
}

/** Runs the abuser until `deadline` (epoch ms) in a child process (bench/lib/abuser-cli.ts) and returns its report. */
export function abuseFromAnotherProcess(options: AbuserOptions, deadline: number, graceMs: number): Promise<AbuseReport> {
  // The abuser's client stands for another machine: at the lowest priority (coreutils' nice, so every
  // thread of it starts there) its own work, building and sending hundreds of megabytes, takes only
  // the CPU the platform and the victim leave; what is measured is what the platform spends on the abuse.
  const child = spawn('nice', ['-n', '19', process.execPath, '--import', 'tsx', 'bench/lib/abuser-cli.ts', JSON.stringify({ options, deadline, graceMs })], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), deadline - Date.now() + graceMs + 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(killer);
      const line = output.trim().split('\n').at(-1);
      if (code !== 0 || !line) reject(new Error(`the abuser process exited with ${code}`));
      else resolve(JSON.parse(line) as AbuseReport);
    });
  });
}
