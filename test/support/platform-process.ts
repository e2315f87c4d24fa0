import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TEST_ENCRYPTION_KEY, TEST_SESSION_SECRET } from './test-app.js';
import { freePort } from './test-database-server.js';

const execFileAsync = promisify(execFile);
const BUILD_ROOT = resolve('.data/test-build');
const START_TIMEOUT_MS = 30_000;

/**
 * Compiles the server once per test run (into .data/test-build, apart from
 * dist/) so tests can start it as a real process, the way `npm start` does.
 * Concurrent test files wait for the first one's build.
 */
export async function processBuild(): Promise<string> {
  const runId = process.env.TEST_RUN_ID ?? 'manual';
  const folder = resolve(BUILD_ROOT, runId);
  const main = resolve(folder, 'src/main.js');
  const done = resolve(BUILD_ROOT, `${runId}.done`);
  const lock = resolve(BUILD_ROOT, `${runId}.lock`);
  await mkdir(BUILD_ROOT, { recursive: true });
  for (;;) {
    if (existsSync(done)) return main;
    try {
      await mkdir(lock);
    } catch {
      await new Promise((wait) => setTimeout(wait, 250));
      continue;
    }
    try {
      if (!existsSync(done)) {
        await removeOldBuilds(runId);
        await execFileAsync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', folder]);
        await writeFile(done, runId);
      }
    } finally {
      await rm(lock, { recursive: true, force: true });
    }
  }
}

/** Builds of earlier runs (older than an hour, so a concurrent run keeps its own). */
async function removeOldBuilds(currentRun: string): Promise<void> {
  const hourAgo = Date.now() - 60 * 60 * 1000;
  for (const entry of await readdir(BUILD_ROOT)) {
    if (entry.startsWith(currentRun)) continue;
    const path = resolve(BUILD_ROOT, entry);
    if ((await stat(path)).mtimeMs < hourAgo) await rm(path, { recursive: true, force: true });
  }
}

export interface PlatformProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function processEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    SESSION_SECRETS: TEST_SESSION_SECRET,
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    AUTO_TITLES: 'false',
    OPENAI_MAX_RETRIES: '0',
    RATE_LIMIT_REGISTRATIONS: '10000',
    RATE_LIMIT_LOGIN_FAILURES: '10000',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
    RATE_LIMIT_CHAT_PER_MINUTE: '100000',
    RATE_LIMIT_SIGNINS_PER_ADDRESS: '100000',
    RATE_LIMIT_SIGNINS_PER_ACCOUNT: '100000',
    LOGIN_BACKOFF_AFTER_FAILURES: '100000',
    SESSION_MAX_PER_USER: '10000',
    BCRYPT_QUEUE_LENGTH: '100000',
    BCRYPT_QUEUE_WAIT_MS: '60000',
  };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** Starts `node main.js` on a free port and waits until it answers HTTP. */
/** Servers started by this test file and not yet exited. */
const running = new Set<ChildProcess>();

/**
 * Kills the servers a test file left running (one that failed before stopping
 * its server): a live child would keep the test run from ending.
 */
export async function killLeftoverPlatformProcesses(): Promise<void> {
  const leftovers = [...running];
  await Promise.all(
    leftovers.map(
      (child) =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGKILL');
        }),
    ),
  );
}

export async function startPlatformProcess(env: Record<string, string | undefined>): Promise<PlatformProcess> {
  const main = await processBuild();
  const port = await freePort();
  const child = spawn(process.execPath, [main], { env: processEnv({ ...env, PORT: String(port) }), stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      exitCode = code;
      done(code);
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await answers(`${baseUrl}/health`))) {
    if (exitCode !== undefined) throw new Error(`the platform exited with ${exitCode} during start:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the platform did not start in time:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return {
    child,
    baseUrl,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the server to completion (for starts that must fail) and returns its exit code and output. */
export async function runPlatformProcess(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const main = await processBuild();
  return new Promise((done) => {
    const child = spawn(process.execPath, [main], { env: processEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => done({ code, output }));
  });
}

/**
 * Runs a command line of the build (a path under src/, e.g. `settings/rotate-keys-cli.js`,
 * the way its npm script runs it from dist/) to completion, with the test environment.
 */
export async function runBuiltCommand(
  script: string,
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = await processBuild();
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(dirname(main), script)], { env: processEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // 'close' rather than 'exit': the output is then read to its end.
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}
