import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AbuserOptions } from '../lib/abuser.js';
import { abuseFromAnotherProcess, type AbuseReport } from '../lib/abuser-process.js';
import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import { BENCH_PASSWORD, type BenchUser } from '../lib/fixture.js';
import { keepAliveAgent, send } from '../lib/http.js';
import { childPids, jiffiesToSeconds, machineJiffies, RssSampler } from '../lib/proc.js';
import { productionNodeOptions, type FakeProvider, type Platform } from '../lib/processes.js';
import { median, percentile, round } from '../lib/stats.js';
import { chatTurn, directTurn } from '../lib/turns.js';
import { TTFT_SCRIPT } from './ttft.js';

const S = 'neighbour';
/** The victim's workload runs this long without the abuser, then as long with it. */
const PHASE_SECONDS = 20;
const CHAT_WORKERS = 2;
const THREADS_PAUSE_MS = 5;
/** The victim signs in from a fresh address this far into the abuse (the wrong-password flood is under way). */
const SIGN_IN_AFTER_MS = 6_000;
/** The abuser's requests still going this long after the phase are abandoned. */
const ABUSE_GRACE_MS = 5_000;
const MIB = 1024 ** 2;
const MB = 1_000_000;
const RSS_MARGIN_MB = 150;

/**
 * The sign-in limits at their defaults (the bench raises them for the other
 * scenarios): the abuser meets them, and the victim must still get in. The
 * per-user request and chat rates stay raised, so the victim can sample
 * enough for a p99 and the abuser reaches the expensive paths.
 */
const ENV = {
  RATE_LIMIT_LOGIN_FAILURES: '10',
  RATE_LIMIT_SIGNINS_PER_ADDRESS: '30',
  RATE_LIMIT_SIGNINS_PER_ACCOUNT: '10',
  RATE_LIMIT_REGISTRATIONS: '10',
};

/** V8's old-space cap from the start:prod options (MiB), as the platform runs with it. */
function heapLimitMiB(): number {
  const option = productionNodeOptions().find((value) => value.startsWith('--max-old-space-size='));
  return option ? Number(option.split('=')[1]) : Number.NaN;
}

/** The process's start time in clock ticks (a pid reused by a new process has another). */
function startTime(pid: number): string | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

interface VictimPhase {
  /** Cores used by the platform, and by the whole machine, during the phase. */
  platformCores: number;
  machineCores: number;
  threadsMs: number[];
  platformTtft: number[];
  directTtft: number[];
  serverErrors: number;
  firstErrors: string[];
  /** Turns left out because the same request sent straight to the fake failed twice. */
  directFailures: number;
}

/**
 * The victim: GET /api/threads back to back (5 ms apart) and CHAT_WORKERS
 * chat turns at a time on fresh threads, each followed by the same upstream
 * request sent straight to the fake (the added TTFT, as in the ttft scenario).
 */
async function victimWorkload(platform: Platform, fake: FakeProvider, victim: BenchUser, threads: string[], upstream: Record<string, unknown>, until: number): Promise<VictimPhase> {
  const cpuBefore = platform.cpuMicros();
  const machineBefore = machineJiffies().busy;
  const started = performance.now();
  const phase: VictimPhase = { platformCores: 0, machineCores: 0, threadsMs: [], platformTtft: [], directTtft: [], serverErrors: 0, firstErrors: [], directFailures: 0 };
  const failed = (what: string) => {
    phase.serverErrors++;
    if (phase.firstErrors.length < 5) phase.firstErrors.push(what);
  };
  const reader = async () => {
    while (performance.now() < until) {
      const sent = await send({ method: 'GET', url: `${platform.url}/api/threads?limit=20`, headers: { cookie: victim.cookie }, agent: keepAliveAgent, keepChars: 0 });
      if (sent.status >= 500 || sent.status === 0) failed(`GET /api/threads: ${sent.status} ${sent.error ?? ''}`);
      else phase.threadsMs.push(sent.ms);
      await sleep(THREADS_PAUSE_MS);
    }
  };
  const chatter = async () => {
    while (performance.now() < until) {
      const threadId = threads.pop();
      if (!threadId) throw new Error('the victim ran out of prepared threads');
      const turn = await chatTurn(platform, victim, threadId, { timeoutMs: 60_000 });
      if (turn.status >= 500 || turn.status === 0 || turn.errorEvent || !turn.done || turn.ttftMs === undefined) {
        failed(`chat: ${turn.status} ${turn.failure ?? ''} ${JSON.stringify(turn.errorEvent ?? null)}`);
        continue;
      }
      // The baseline goes straight to the fake: a kept-alive socket it closed just then is the client's race; try again.
      let direct = await directTurn(fake, upstream);
      if (direct.ttftMs === undefined) direct = await directTurn(fake, upstream);
      if (direct.ttftMs === undefined) {
        phase.directFailures++;
        continue;
      }
      phase.platformTtft.push(turn.ttftMs);
      phase.directTtft.push(direct.ttftMs);
    }
  };
  await Promise.all([reader(), ...Array.from({ length: CHAT_WORKERS }, chatter)]);
  const seconds = (performance.now() - started) / 1000;
  phase.platformCores = (platform.cpuMicros() - cpuBefore) / 1e6 / seconds;
  phase.machineCores = jiffiesToSeconds(machineJiffies().busy - machineBefore) / seconds;
  return phase;
}

function summarize(phase: VictimPhase) {
  return {
    platformCores: round(phase.platformCores, 2),
    machineCores: round(phase.machineCores, 2),
    threadsSamples: phase.threadsMs.length,
    threadsP50Ms: round(percentile(phase.threadsMs, 50), 2),
    threadsP99Ms: round(percentile(phase.threadsMs, 99), 2),
    turns: phase.platformTtft.length,
    platformTtftP99Ms: round(percentile(phase.platformTtft, 99), 2),
    directTtftP99Ms: round(percentile(phase.directTtft, 99), 2),
    addedTtftP50Ms: round(percentile(phase.platformTtft, 50) - percentile(phase.directTtft, 50), 2),
    addedTtftP99Ms: round(percentile(phase.platformTtft, 99) - percentile(phase.directTtft, 99), 2),
    serverErrors: phase.serverErrors,
    firstErrors: phase.firstErrors,
    directFailures: phase.directFailures,
  };
}

interface RoundEntry {
  alone: ReturnType<typeof summarize>;
  withAbuser: ReturnType<typeof summarize>;
  threadsP99Ratio: number;
  addedTtftP99Ratio: number;
  victimSignIn: { status: number; ms: number; error: string | undefined };
  abuse: AbuseReport;
}

/**
 * A noisy neighbour: one user runs every abuse the limits are there for
 * (README, "Limits") while another chats and reads; the victim's workload is
 * measured alone first, then with the abuser, on the same platform process.
 */
export const neighbour: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault(TTFT_SCRIPT);
  // Signed in (and given their API keys) under the bench's raised limits: earlier scenarios may have
  // used up 127.0.0.1's sign-ins for the window, and the sessions outlive the process.
  const [victim, abuserUser] = await withPlatform(context, `${S}-setup`, {}, (platform) => fixture.namedUsers(['neighbour-victim', 'neighbour-abuser'], platform.url));
  return withPlatform(context, S, ENV, async (platform) => {
    const pid = platform.pid;
    const started = startTime(pid);
    const workers = childPids(pid).sort().join(',');
    const sampler = new RssSampler(() => platform.memoryMiB(), 100).start();
    await fixture.createThreads(victim, 20, 2);
    // Threads for every turn of every phase exist before the first one, so both phases list the same table.
    const perPhase = Math.ceil((PHASE_SECONDS * 1_000) / 60) * CHAT_WORKERS;
    const threads = await fixture.createThreads(victim, perPhase * (2 * context.runs + 1), 2);

    // Warm-up, and the victim's exact upstream request for the direct baseline.
    for (let index = 0; index < 20; index++) await chatTurn(platform, victim, threads.pop()!);
    const upstream = await fake.lastResponsesBody();
    await victimWorkload(platform, fake, victim, threads, upstream, performance.now() + 3_000);

    const rounds: RoundEntry[] = [];
    const abuserOptions: AbuserOptions = {
      baseUrl: platform.url,
      cookie: abuserUser.cookie,
      email: abuserUser.email,
      victimEmail: victim.email,
      address: '127.0.0.2',
      floodAddresses: ['127.0.0.20', '127.0.0.21', '127.0.0.22'],
    };
    for (let index = 0; index < context.runs; index++) {
      const alone = summarize(await victimWorkload(platform, fake, victim, threads, upstream, performance.now() + PHASE_SECONDS * 1_000));
      context.log(`  round ${index + 1}, victim alone: ${JSON.stringify(alone)}`);

      const until = performance.now() + PHASE_SECONDS * 1_000;
      const signIn = sleep(SIGN_IN_AFTER_MS).then(() =>
        send({
          method: 'POST',
          url: `${platform.url}/api/login`,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: victim.email, password: BENCH_PASSWORD }),
          localAddress: `127.0.0.${30 + index}`,
          timeoutMs: 60_000,
        }),
      );
      // The abuser runs in its own process: its uploads cost the process timing the victim nothing.
      const [shared, abuse, victimSignIn] = await Promise.all([
        victimWorkload(platform, fake, victim, threads, upstream, until),
        abuseFromAnotherProcess(abuserOptions, Date.now() + PHASE_SECONDS * 1_000, ABUSE_GRACE_MS),
        signIn,
      ]);
      const withAbuser = summarize(shared);
      const entry: RoundEntry = {
        alone,
        withAbuser,
        threadsP99Ratio: round(withAbuser.threadsP99Ms / alone.threadsP99Ms, 2),
        addedTtftP99Ratio: round(withAbuser.addedTtftP99Ms / alone.addedTtftP99Ms, 2),
        victimSignIn: { status: victimSignIn.status, ms: Math.round(victimSignIn.ms), error: victimSignIn.error },
        abuse: { ...abuse, seconds: round(abuse.seconds, 1) },
      };
      rounds.push(entry);
      context.log(`  round ${index + 1}, victim with the abuser: ${JSON.stringify(withAbuser)}`);
      context.log(`  round ${index + 1}, victim sign-in from a fresh address: ${JSON.stringify(entry.victimSignIn)}; abuser: ${abuse.actions} actions in ${entry.abuse.seconds} s, ${abuse.abandoned} requests abandoned at the end`);
      for (const [kind, answers] of Object.entries(entry.abuse.answers)) context.log(`    abuser | ${kind}: ${answers}`);
      // The next round's victim-alone phase starts once the abuser's last requests are over.
      await sleep(1_000);
    }
    sampler.stop();
    const restarted = startTime(pid) !== started || childPids(pid).sort().join(',') !== workers;

    const all = rounds;
    const med = (pick: (entry: RoundEntry) => number) => round(median(all.map(pick)), 2);
    const heapMiB = heapLimitMiB();
    const rssLimitMB = round((heapMiB * MIB) / MB + RSS_MARGIN_MB, 1);
    const peakRssMB = Math.ceil((sampler.peak * MIB) / (MB / 10)) / 10;
    const victimErrors = all.reduce((total, entry) => total + entry.alone.serverErrors + entry.withAbuser.serverErrors + (entry.victimSignIn.status >= 500 ? 1 : 0), 0);
    const statuses = Object.entries(all.at(-1)?.abuse.byStatus ?? {}).map(([status, count]) => [Number(status), count] as const).sort((a, b) => a[0] - b[0]);
    return {
      figures: [
        figure(S, 'victim GET /api/threads p99 alone', med((entry) => entry.alone.threadsP99Ms), 'ms'),
        figure(S, 'victim GET /api/threads p99 with the abuser', med((entry) => entry.withAbuser.threadsP99Ms), 'ms'),
        figure(S, 'victim threads p99: with ÷ without the abuser', med((entry) => entry.threadsP99Ratio), 'x', { op: '<=', limit: 2 }),
        figure(S, 'victim added TTFT p99 alone', med((entry) => entry.alone.addedTtftP99Ms), 'ms'),
        figure(S, 'victim added TTFT p99 with the abuser', med((entry) => entry.withAbuser.addedTtftP99Ms), 'ms'),
        figure(S, 'victim added TTFT p99: with ÷ without the abuser', med((entry) => entry.addedTtftP99Ratio), 'x', { op: '<=', limit: 2 }),
        figure(S, `platform peak RSS (heap limit ${heapMiB} MiB + ${RSS_MARGIN_MB} MB)`, peakRssMB, 'MB', { op: '<=', limit: rssLimitMB }),
        check(S, `same platform process throughout (pid ${pid}, no restart)`, !restarted),
        figure(S, 'victim 5xx or unanswered requests', victimErrors, 'requests', { op: '<=', limit: 0 }),
        check(S, `victim signs in from a fresh address during the flood (${all.map((entry) => `${entry.victimSignIn.status} in ${entry.victimSignIn.ms} ms`).join(', ')})`, all.every((entry) => entry.victimSignIn.status === 200)),
        ...statuses.map(([status, count]) => figure(S, `abuser answers ${status === 0 ? 'none (connection closed)' : status} (last round)`, count, 'requests')),
      ],
      details: { phaseSeconds: PHASE_SECONDS, chatWorkers: CHAT_WORKERS, env: ENV, peakRssMiB: round(sampler.peak, 1), rounds },
    };
  });
};
