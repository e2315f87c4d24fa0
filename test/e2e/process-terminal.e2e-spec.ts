import { jest } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { REPEAT_WINDOW_MS } from '../../src/common/lifecycle/stop-requests.js';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { createAssistant, eventually, registerUserWithKey } from '../support/platform-api.js';
import { startPlatformProcess } from '../support/platform-process.js';
import { listProcesses, processesUsing, stillRunning, type ProcessEntry } from '../support/process-table.js';
import { postSse, type SseResult } from '../support/sse-client.js';
import { startInTerminal, type TerminalRun } from '../support/terminal-run.js';
import { freePort } from '../support/test-database-server.js';

jest.setTimeout(180_000);

const runsPostgres = (entry: ProcessEntry) => /^\S*\/postgres -D /.test(entry.command);
/** The database's main processes: a backend it has just forked still shows its command line, but has it as its parent. */
const postmasters = (entries: ProcessEntry[]) => {
  const postgres = entries.filter(runsPostgres);
  const pids = new Set(postgres.map((entry) => entry.pid));
  return postgres.filter((entry) => !pids.has(entry.ppid));
};
const isServer = (entry: ProcessEntry) => entry.command.includes('dist/src/main.js');
const SHUTTING_DOWN = 'shutting down: no new connections, finishing requests in flight';
const STOPPING_NOW = 'asked again: stopping now without waiting for requests in flight';

/** The server's log messages about stopping, in order (a worker's marked as such). */
/**
 * Asks again a short while after the first request, well inside the repeat
 * window whatever the machine's load (the server times the window from when it
 * took each request, and two requests this close are handled that close), then
 * waits for the stop to show.
 */
async function repeatSoon(ask: () => void, output: () => string): Promise<void> {
  await delay(REPEAT_WINDOW_MS / 8);
  ask();
  await eventually(() => output().includes('shutting down') || undefined);
}

function stopMessages(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.includes('{"level"'))
    .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { msg: string; worker?: number })
    .filter((entry) => /shutting down|stopping|stopped|exiting|shutdown/.test(entry.msg))
    .map((entry) => (entry.worker === undefined ? entry.msg : `worker: ${entry.msg}`));
}

/** `npm start` as a person runs it: in a terminal, with the embedded PostgreSQL, stopped with Ctrl-C. */
describe('npm start in a terminal', () => {
  let dataDir: string;
  let env: Record<string, string | undefined>;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    // Under the project folder: as root, PostgreSQL runs as the postgres user, who cannot enter /tmp/jest folders of root.
    await mkdir(join(process.cwd(), '.data'), { recursive: true });
    dataDir = await mkdtemp(join(process.cwd(), '.data', 'terminal-'));
    fake = await FakeOpenAI.start({ recordBodies: false });
    env = {
      DATABASE_URL: undefined,
      DATA_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      OPENAI_BASE_URL: fake.baseUrl,
      SHUTDOWN_GRACE_MS: '10000',
    };
  });

  const runs: TerminalRun[] = [];
  async function start(extra: Record<string, string> = {}): Promise<TerminalRun> {
    const run = await startInTerminal({ ...env, ...extra });
    runs.push(run);
    return run;
  }

  // What a failed test left running is ended, so that it does not leak into the next one.
  afterEach(async () => {
    for (const run of runs.splice(0)) run.kill();
    const gone = () => (processesUsing(dataDir).length === 0 ? true : undefined);
    if (await eventually(gone, { timeoutMs: 5_000 }).catch(() => false)) return;
    for (const entry of postmasters(processesUsing(dataDir))) process.kill(entry.pid, 'SIGQUIT');
    await eventually(gone, { timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await fake?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The processes of the run that still run, and any process working in its data folder. */
  function leftovers(snapshot: ProcessEntry[]): string[] {
    return [...snapshot.filter(stillRunning), ...processesUsing(dataDir)].map((entry) => `${entry.pid} ${entry.command}`);
  }

  /** Everything the run started (npm, node, its workers, the database) is gone within the deadline. */
  async function expectNothingLeft(snapshot: ProcessEntry[], timeoutMs = 15_000): Promise<void> {
    expect(postmasters(snapshot)).toHaveLength(1);
    await eventually(() => (leftovers(snapshot).length === 0 ? true : undefined), { timeoutMs, describe: () => leftovers(snapshot) });
    // A clean shutdown removes the pid file.
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }

  /** The next start finds a cleanly shut down database (no recovery) and serves. */
  async function expectCleanRestart(): Promise<void> {
    const logFile = join(dataDir, 'postgres.log');
    const offset = (await stat(logFile)).size;
    const platform = await startPlatformProcess(env);
    await request(platform.baseUrl).get('/health').expect(200);
    expect(await platform.stop('SIGTERM')).toBe(0);
    const log = (await readFile(logFile)).subarray(offset).toString();
    expect(log).toContain('database system was shut down at');
    expect(log).not.toMatch(/not properly shut down|automatic recovery|was interrupted/);
  }

  /** A streamed reply of `tokens` × 50 ms, under way (its first token arrived) when this resolves. */
  async function replyInFlight(run: TerminalRun, tokens: number): Promise<{ finished: Promise<SseResult | 'cut'> }> {
    const user = await registerUserWithKey(run.baseUrl);
    const assistant = await createAssistant(run.baseUrl, user.cookie);
    fake.enqueueResponse({ tokens, deltaDelayMs: 50 });
    let streaming = false;
    const reply = postSse(`${run.baseUrl}/api/chat`, {
      cookie: user.cookie,
      body: { assistantId: assistant.id, message: 'in flight', stream: true },
      abortWhen: (event) => {
        if (event.event === 'token') streaming = true;
        return false;
      },
    }).catch(() => 'cut' as const);
    await eventually(() => streaming || undefined);
    // In an object: an async function returning the promise itself would wait for it.
    return { finished: reply };
  }

  const completed = (reply: SseResult | 'cut') => reply !== 'cut' && reply.events.map((event) => event.event).slice(-2).join() === 'message_completed,done';

  it('stops the server and then its database on Ctrl-C, once: a repeat within a second is the same request', async () => {
    const run = await start();
    const reply = await replyInFlight(run, 40);
    const snapshot = run.processes();

    run.pressCtrlC();
    await repeatSoon(() => run.pressCtrlC(), run.output);

    // The reply in flight was allowed to finish: neither npm's copy of the signal nor the repeat cut it short.
    expect(completed(await reply.finished)).toBe(true);
    expect(await run.exited).toBe(0);
    await expectNothingLeft(snapshot);
    expect(stopMessages(run.output())).toEqual([SHUTTING_DOWN, 'stopped']);
    await expectCleanRestart();
  });

  it('stops at once on a Ctrl-C more than a second after the first, and still stops the database cleanly', async () => {
    const run = await start();
    const reply = await replyInFlight(run, 400);
    const snapshot = run.processes();

    run.pressCtrlC();
    await eventually(() => run.output().includes('shutting down') || undefined);
    // Counted from when the server had taken the first request: the second comes after its window
    // (the time passing is what is under test).
    await delay(REPEAT_WINDOW_MS + 200);
    run.pressCtrlC();

    expect(await run.exited).toBe(1);
    await expectNothingLeft(snapshot);
    // The database was stopped by the server itself before it exited.
    expect(stopMessages(run.output())).toEqual([SHUTTING_DOWN, STOPPING_NOW, 'stopped']);
    expect(completed(await reply.finished)).toBe(false);
    await expectCleanRestart();
  });

  it('stops the same way on SIGTERM to the process group, sent twice within a second', async () => {
    const run = await start();
    const reply = await replyInFlight(run, 40);
    const snapshot = run.processes();
    const group = run.foregroundGroup();
    // npm and node: the terminal's foreground group, not this test's.
    expect(snapshot.filter((entry) => entry.pgrp === group).some(isServer)).toBe(true);
    expect(listProcesses().find((entry) => entry.pid === process.pid)?.pgrp).not.toBe(group);

    process.kill(-group, 'SIGTERM');
    await repeatSoon(() => process.kill(-group, 'SIGTERM'), run.output);

    expect(completed(await reply.finished)).toBe(true);
    expect(await run.exited).toBe(0);
    await expectNothingLeft(snapshot);
    expect(stopMessages(run.output())).toEqual([SHUTTING_DOWN, 'stopped']);
    await expectCleanRestart();
  });

  it('with WEB_CONCURRENCY=2, stops every worker, the primary and then the database on Ctrl-C', async () => {
    const run = await start({ WEB_CONCURRENCY: '2' });
    await eventually(() => (run.processes().filter(isServer).length === 3 ? true : undefined));
    const reply = await replyInFlight(run, 40);
    const snapshot = run.processes();

    run.pressCtrlC();
    await repeatSoon(() => run.pressCtrlC(), run.output);

    expect(completed(await reply.finished)).toBe(true);
    expect(await run.exited).toBe(0);
    await expectNothingLeft(snapshot);
    // Each worker drained once and none was cut short; the primary stopped last.
    const messages = stopMessages(run.output());
    const worker = [`worker: ${SHUTTING_DOWN}`, 'worker: stopped'];
    expect([...messages].sort()).toEqual(['stopping the server processes', ...worker, ...worker, 'stopped'].sort());
    expect(messages.at(-1)).toBe('stopped');
    await expectCleanRestart();
  });

  it('leaves nothing behind when the terminal itself goes away (a hang-up)', async () => {
    const run = await start();
    const snapshot = run.processes();

    run.closeTerminal();

    await expectNothingLeft(snapshot, 5_000);
    await expectCleanRestart();
  });

  it.each<[string, Record<string, string>]>([
    ['a single server process', {}],
    ['the primary of WEB_CONCURRENCY=2', { WEB_CONCURRENCY: '2' }],
  ])('leaves no database (nor worker) behind when %s is killed with SIGKILL', async (_, extra) => {
    const run = await start(extra);
    const servers = extra.WEB_CONCURRENCY ? 3 : 1;
    await eventually(() => (run.processes().filter(isServer).length === servers ? true : undefined));
    const snapshot = run.processes();

    process.kill(run.serverPid(), 'SIGKILL');

    await expectNothingLeft(snapshot, 5_000);
    await run.exited;
    await expectCleanRestart();
  });
});
