/**
 * npm run bench [-- SCENARIO... ] [--runs=N] [--no-build] [--keep-db] [--cpu-prof]
 *
 * Builds the platform, starts it in production mode (a separate process per
 * scenario) against a fresh PostgreSQL database, starts the fake OpenAI
 * server in its own process, drives load from this process, and prints every
 * figure with its target, also as JSON into bench/results.json.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchContext, type Figure, type Scenario, type ScenarioResult } from './lib/context.js';
import { openBenchDatabase } from './lib/database.js';
import { Fixture } from './lib/fixture.js';
import { cpuMicros, gitCommit, jiffiesToSeconds, machineInfo, machineJiffies, treeCpuMicros } from './lib/proc.js';
import { benchSecrets, FakeProvider, killChildren, LOG_DIR, PROFILE_DIR, snapshotBuild } from './lib/processes.js';
import { api } from './scenarios/api.js';
import { growth } from './scenarios/growth.js';
import { logins } from './scenarios/logins.js';
import { machine } from './scenarios/machine.js';
import { neighbour } from './scenarios/neighbour.js';
import { open } from './scenarios/open.js';
import { queries } from './scenarios/queries.js';
import { relay } from './scenarios/relay.js';
import { resume } from './scenarios/resume.js';
import { search } from './scenarios/search.js';
import { ttft } from './scenarios/ttft.js';

/**
 * `machine` first (how fast this machine was during the run), then the six
 * figures with targets, then `neighbour` (one user abusing every limit while
 * another works); `queries` is a diagnostic (round trips and SQL per request);
 * `search` (it first writes 1,100,000 messages) and `resume` (clients that
 * drop and reattach) are asked for by name.
 */
const SCENARIOS: Record<string, Scenario> = { machine, ttft, relay, open, api, growth, logins, neighbour, queries, search, resume };
const DEFAULT_SCENARIOS = ['machine', 'ttft', 'relay', 'open', 'api', 'growth', 'logins', 'neighbour'];

function parseArgs(argv: string[]) {
  const names: string[] = [];
  let runs = 3;
  let build = true;
  let keep = false;
  let cpuProfile = false;
  const env: Record<string, string> = {};
  const pgSettings: Record<string, string> = {};
  for (const arg of argv) {
    if (arg.startsWith('--runs=')) runs = Math.max(1, Number(arg.slice('--runs='.length)));
    else if (arg === '--no-build') build = false;
    else if (arg === '--keep-db') keep = true;
    else if (arg === '--cpu-prof') cpuProfile = true;
    else if (arg.startsWith('--pg-set=') && arg.includes('=', 9)) {
      const pair = arg.slice('--pg-set='.length);
      pgSettings[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    } else if (arg.startsWith('--env=') && arg.includes('=', 6)) {
      const pair = arg.slice('--env='.length);
      env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
    }
    else if (arg === 'all') names.push(...DEFAULT_SCENARIOS);
    else if (SCENARIOS[arg]) names.push(arg);
    else {
      process.stderr.write(`unknown argument "${arg}"; scenarios: ${Object.keys(SCENARIOS).join(', ')}, all\n`);
      process.exit(2);
    }
  }
  return { names: names.length > 0 ? [...new Set(names)] : DEFAULT_SCENARIOS, runs, build, keep, cpuProfile, env, pgSettings };
}

interface CpuSnapshot {
  machineBusy: number;
  bench: number;
  fake: number;
  postgres: number;
  platform: number;
}

function cpuSnapshot(context: BenchContext): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    machineBusy: jiffiesToSeconds(machineJiffies().busy) * 1e6,
    bench: usage.user + usage.system,
    fake: cpuMicros(context.fake.pid),
    postgres: treeCpuMicros(context.db.postmasterPid),
    platform: context.platformCpuMicros,
  };
}

/**
 * Average cores used during a scenario by each party; "others" is everything
 * else on the machine (other people's tests share it: their load shows here).
 */
function cpuDelta(before: CpuSnapshot, after: CpuSnapshot, seconds: number) {
  const cores = (key: keyof CpuSnapshot) => Math.round(((after[key] - before[key]) / 1e6 / seconds) * 100) / 100;
  const result = { platform: cores('platform'), fake: cores('fake'), bench: cores('bench'), postgres: cores('postgres'), machine: cores('machineBusy') };
  const known = result.platform + result.fake + result.bench + result.postgres;
  return { ...result, others: Math.round((result.machine - known) * 100) / 100, postgresNote: before.postgres === 0 ? 'not measured (DATABASE_URL server)' : undefined };
}

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return String(value);
}

function printTable(figures: Figure[]): string {
  const rows = figures.map((item) => [
    item.scenario,
    item.name,
    `${formatValue(item.value)} ${item.unit}`,
    item.target ? `${item.target} ${item.unit === 'yes=1' ? '' : item.unit}`.trim() : '',
    item.pass === null ? '' : item.pass ? 'PASS' : 'MISS',
  ]);
  const header = ['scenario', 'figure', 'value', 'target', 'result'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  process.on('exit', killChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killChildren();
      process.exit(130);
    });
  }
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const machine = machineInfo();
  const { commit, dirty, srcDiffSha256 } = gitCommit();
  log(`bench: ${options.names.join(', ')} | ${machine.cores} cores | commit ${commit.slice(0, 12)}${dirty ? ' (src modified)' : ''} | runs ${options.runs}`);

  if (options.build) {
    log('building the platform (npm run build)...');
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  snapshotBuild();

  const db = await openBenchDatabase({ keep: options.keep, settings: options.pgSettings });
  log(`database: ${db.server}, ${db.url.replace(/:[^:@/]*@/, ':***@')}`);
  const fake = await FakeProvider.start();
  const context: BenchContext = {
    db,
    fake,
    fixture: new Fixture(db.client),
    secrets: benchSecrets(),
    runs: options.runs,
    cpuProfile: options.cpuProfile,
    platformEnv: options.env,
    platformCpuMicros: 0,
    log,
  };

  const results: Record<string, ScenarioResult & { durationSeconds: number }> = {};
  const failures: Record<string, string> = {};
  try {
    for (const name of options.names) {
      log(`\n== ${name}`);
      const started = performance.now();
      const before = cpuSnapshot(context);
      try {
        const result = await SCENARIOS[name](context);
        const seconds = (performance.now() - started) / 1000;
        const cpu = cpuDelta(before, cpuSnapshot(context), seconds);
        results[name] = { ...result, details: { ...result.details, cpuCoresDuringScenario: cpu }, durationSeconds: Math.round(seconds * 10) / 10 };
        log(`  CPU during the scenario (cores): ${JSON.stringify(cpu)}`);
        log(printTable(result.figures));
      } catch (error) {
        failures[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`scenario ${name} failed: ${failures[name]}`);
      }
    }
  } finally {
    await fake.stop();
    await db.close();
  }

  const figures = Object.values(results).flatMap((result) => result.figures);
  const report = {
    date: new Date().toISOString(),
    commit,
    srcModified: dirty,
    ...(srcDiffSha256 ? { srcDiffSha256 } : {}),
    machine: { ...machine, loadavgAtEnd: (await import('node:os')).loadavg().map((value) => Math.round(value * 100) / 100) },
    database: db.server,
    runs: options.runs,
    scenarios: options.names,
    figures,
    details: Object.fromEntries(Object.entries(results).map(([name, result]) => [name, { durationSeconds: result.durationSeconds, ...result.details }])),
    failures,
    logs: LOG_DIR,
    ...(options.cpuProfile ? { profiles: PROFILE_DIR } : {}),
  };
  writeFileSync(join(process.cwd(), 'bench', 'results.json'), `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(
    `\nAssistants platform benchmark: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `${db.server}, commit ${commit.slice(0, 12)}${dirty ? ' (src modified)' : ''}, medians of ${options.runs} runs\n\n`,
  );
  process.stdout.write(`${printTable(figures)}\n\n`);
  process.stdout.write(`${JSON.stringify({ commit, cores: machine.cores, figures }, null, 2)}\n`);
  process.stdout.write(`\nwritten to bench/results.json\n`);
  const missed = figures.filter((item) => item.pass === false).length;
  if (Object.keys(failures).length > 0) {
    process.stdout.write(`failed scenarios: ${Object.keys(failures).join(', ')}\n`);
    process.exitCode = 1;
  } else if (missed > 0) {
    process.stdout.write(`${missed} figure(s) missed their target\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
