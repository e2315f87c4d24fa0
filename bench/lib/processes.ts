import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { treeCpuSplitMicros, treeMemoryMiB } from './proc.js';

export const BENCH_DIR = join(process.cwd(), '.data', 'bench');
export const LOG_DIR = join(BENCH_DIR, 'logs');
export const PROFILE_DIR = join(BENCH_DIR, 'profiles');
/** The bench runs a copy of dist/, so a rebuild by someone else during the run cannot pull it away. */
export const APP_DIR = join(BENCH_DIR, 'app');
export const APP_ENTRY = join(APP_DIR, 'dist', 'src', 'main.js');

/** Copies the built platform (dist/) to .data/bench/app/dist. */
export function snapshotBuild(): void {
  // BENCH_KEEP_APP=1: keep the current copy (to measure a change tried on the copy before making it in src/).
  if (process.env.BENCH_KEEP_APP === '1' && existsSync(APP_ENTRY)) return;
  if (!existsSync(join(process.cwd(), 'dist', 'src', 'main.js'))) throw new Error('dist/src/main.js is missing: run npm run build');
  rmSync(APP_DIR, { recursive: true, force: true });
  cpSync(join(process.cwd(), 'dist'), join(APP_DIR, 'dist'), { recursive: true });
  // The platform finds its web client (dist/web) beside the nearest package.json: this copy's.
  writeFileSync(join(APP_DIR, 'package.json'), JSON.stringify({ name: 'assistants-platform-bench-copy', private: true, type: 'module' }));
  // BENCH_NO_WEB=1: an API-only copy (no static-file middleware), to measure what it costs.
  if (process.env.BENCH_NO_WEB === '1') rmSync(join(APP_DIR, 'dist', 'web'), { recursive: true, force: true });
  if (!existsSync(APP_ENTRY)) throw new Error('the copy of dist/ is incomplete (was it being rebuilt?)');
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every child process the bench started and that is still running. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Ends the bench's own child processes (on Ctrl-C or a crash), by their pids. */
export function killChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}

function logStream(name: string) {
  mkdirSync(LOG_DIR, { recursive: true });
  return createWriteStream(join(LOG_DIR, `${name}.log`), { flags: 'a' });
}

async function stopChild(child: ChildProcess, timeoutMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** The fake OpenAI server (test/support/fake-openai) in its own process, scripted over /__fake. */
export class FakeProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeProvider> {
    const port = await freePort();
    const child = track(spawn(process.execPath, ['--import', 'tsx', 'test/support/fake-openai-cli.ts'], {
      env: {
        ...process.env,
        FAKE_OPENAI_PORT: String(port),
        // A few bodies are kept so the bench can replay the platform's exact request straight to the fake.
        FAKE_OPENAI_RECORD_BODIES: 'true',
        FAKE_OPENAI_MAX_RECORDED_REQUESTS: '8',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }));
    const log = logStream('fake-openai');
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const fake = new FakeProvider(child, port);
    await fake.waitReady();
    return fake;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the fake OpenAI server exited (${this.child.exitCode}); see ${LOG_DIR}`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/__fake/schema-violations`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error('the fake OpenAI server did not start within 30 s');
  }

  async control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${this.port}/__fake${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake control ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** The reply every `POST /v1/responses` gets (titles and summaries included). */
  setDefault(script: Record<string, unknown>): Promise<unknown> {
    return this.control('PUT', '/default-response', script);
  }

  /** The body of the latest `POST /v1/responses` (what the platform sent upstream). */
  async lastResponsesBody(): Promise<Record<string, unknown>> {
    const requests = (await this.control('GET', '/requests?method=POST&pathPrefix=/v1/responses')) as Array<{ body: unknown }>;
    const body = requests.at(-1)?.body;
    if (!body || typeof body !== 'object') throw new Error('the fake recorded no /v1/responses body');
    return body as Record<string, unknown>;
  }

  stop(): Promise<number | null> {
    return stopChild(this.child);
  }
}

export interface PlatformOptions {
  databaseUrl: string;
  fakeBaseUrl: string;
  secrets: BenchSecrets;
  /** Extra environment (overrides the bench defaults). */
  env?: Record<string, string>;
  /** Write a V8 CPU profile to .data/bench/profiles on exit. */
  cpuProfile?: boolean;
  /** More node options (e.g. --perf-basic-prof); BENCH_NODE_ARGS adds some too. */
  nodeArgs?: string[];
  name: string;
}

export interface BenchSecrets {
  sessionSecret: string;
  encryptionKeys: string;
}

export function benchSecrets(): BenchSecrets {
  // Hex never matches the platform's placeholder pattern (change|example|xxxx...).
  const key = () => {
    for (;;) {
      const candidate = randomBytes(32).toString('base64');
      if (!/change|replace|example|placeholder|dummy|xxxx/i.test(candidate)) return candidate;
    }
  };
  return { sessionSecret: randomBytes(32).toString('hex'), encryptionKeys: `bench1:${key()}` };
}

/**
 * The node options production starts the platform with: those of the `start:prod` script
 * (`node OPTIONS dist/src/main.js`), so the bench measures what production runs.
 */
export function productionNodeOptions(): string[] {
  // BENCH_PRODUCTION_NODE_OPTIONS=0: start without them (to measure what they cost).
  if (process.env.BENCH_PRODUCTION_NODE_OPTIONS === '0') return [];
  try {
    const scripts = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    const match = /\bnode\s+(.*?)\s*dist\/src\/main\.js/.exec(scripts['start:prod'] ?? '');
    return match ? match[1].split(/\s+/).filter((option) => option.startsWith('--')) : [];
  } catch {
    return [];
  }
}

/** The environment the bench runs the platform with (production mode, limits raised, quiet logs). */
export function platformEnv(options: PlatformOptions, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: BENCH_DIR,
    DATABASE_URL: options.databaseUrl,
    OPENAI_BASE_URL: options.fakeBaseUrl,
    SESSION_SECRETS: options.secrets.sessionSecret,
    ENCRYPTION_KEYS: options.secrets.encryptionKeys,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '100000000',
    RATE_LIMIT_CHAT_PER_MINUTE: '100000000',
    RATE_LIMIT_LOGIN_FAILURES: '100000000',
    RATE_LIMIT_REGISTRATIONS: '100000000',
    RATE_LIMIT_SIGNINS_PER_ADDRESS: '100000000',
    RATE_LIMIT_SIGNINS_PER_ACCOUNT: '100000000',
    SSE_HEARTBEAT_MS: '2000',
    ...options.env,
  };
}

/** The built platform (dist/src/main.js) in production mode, in its own process. */
export class Platform {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly env: Record<string, string>,
  ) {}

  static async start(options: PlatformOptions): Promise<Platform> {
    const port = await freePort();
    const env = platformEnv(options, port);
    const args = options.cpuProfile
      ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=platform-${options.name}-${Date.now()}.cpuprofile`]
      : [];
    args.push(...productionNodeOptions(), ...(options.nodeArgs ?? []), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []));
    if (options.cpuProfile) mkdirSync(PROFILE_DIR, { recursive: true });
    if (!existsSync(APP_ENTRY)) snapshotBuild();
    const child = track(spawn(process.execPath, [...args, APP_ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const log = logStream(`platform-${options.name}`);
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const platform = new Platform(child, port, env);
    await platform.waitReady();
    return platform;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** CPU time (µs) of the platform: its process and, with WEB_CONCURRENCY, its worker processes. */
  cpuMicros(): number {
    const { user, system } = this.cpuSplitMicros();
    return user + system;
  }

  cpuSplitMicros(): { user: number; system: number } {
    return treeCpuSplitMicros(this.pid);
  }

  /** Resident memory (MiB) of the platform's processes, summed. */
  memoryMiB(): number {
    return treeMemoryMiB(this.pid);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the platform exited (${this.child.exitCode}); see ${LOG_DIR}`);
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error('the platform did not answer /health within 60 s');
  }

  stop(): Promise<number | null> {
    return stopChild(this.child, 40_000);
  }
}
