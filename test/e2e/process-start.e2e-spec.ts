import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from '../support/platform-api.js';
import { registerUser, login } from '../support/session-client.js';
import { processBuild, runPlatformProcess, startPlatformProcess } from '../support/platform-process.js';
import { createTestDatabase } from '../support/test-database.js';
import { freePort } from '../support/test-database-server.js';

import { jest } from '@jest/globals';

jest.setTimeout(120_000);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pids of a process's children (the server's worker processes). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

describe('the server as a process (npm start)', () => {
  let dataDir: string;

  beforeAll(async () => {
    // Under the project folder: as root, PostgreSQL runs as the postgres user, who cannot enter /tmp/jest folders of root.
    await mkdir(join(process.cwd(), '.data'), { recursive: true });
    dataDir = await mkdtemp(join(process.cwd(), '.data', 'process-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on an embedded PostgreSQL without DATABASE_URL, reuses its data, and stops a server a crash left running', async () => {
    const env = { DATABASE_URL: undefined, DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(await freePort()) };
    // The clock measures the server's start, not the compiling of the test build that precedes it.
    await processBuild();
    const started = Date.now();
    const first = await startPlatformProcess(env);
    await request(first.baseUrl).get('/health').expect(200);
    expect(Date.now() - started).toBeLessThan(30_000);
    const user = await registerUser(first.baseUrl);
    const pidOfFirst = await postmasterPid(dataDir);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(isAlive(pidOfFirst)).toBe(false);

    const second = await startPlatformProcess(env);
    await login(second.baseUrl, user.email, user.password);
    // A crash that takes the database's watchdog along (the shell above the postmaster, and its reader of the
    // pipe): nothing stops the database when the process dies, and it outlives it.
    const orphan = await postmasterPid(dataDir);
    const watchdog = parentOf(orphan);
    for (const pid of childrenOf(watchdog).filter((child) => child !== orphan)) process.kill(pid, 'SIGKILL');
    process.kill(watchdog, 'SIGKILL');
    await second.stop('SIGKILL');
    expect(isAlive(orphan)).toBe(true);

    const third = await startPlatformProcess(env);
    await request(third.baseUrl).get('/health').expect(200);
    expect(isAlive(orphan)).toBe(false);
    await login(third.baseUrl, user.email, user.password);
    const pidOfThird = await postmasterPid(dataDir);
    expect(pidOfThird).not.toBe(orphan);
    expect(await third.stop('SIGINT')).toBe(0);
    expect(isAlive(pidOfThird)).toBe(false);
  });

  it('uses DATABASE_URL when given, and starts no database of its own', async () => {
    const database = await createTestDatabase();
    const otherDataDir = join(dataDir, 'with-url');
    try {
      const platform = await startPlatformProcess({ DATABASE_URL: database.url, DATA_DIR: otherDataDir });
      await request(platform.baseUrl).get('/health').expect(200);
      await registerUser(platform.baseUrl);
      expect(await platform.stop()).toBe(0);
      expect(existsSync(join(otherDataDir, 'postgres'))).toBe(false);
    } finally {
      await database.drop();
    }
  });

  it('generates development secrets under DATA_DIR on the first start and reuses them on the next', async () => {
    const database = await createTestDatabase();
    const devDataDir = join(dataDir, 'dev-secrets');
    const secretsFile = join(devDataDir, 'secrets.json');
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      DATA_DIR: devDataDir,
      SESSION_SECRETS: undefined,
      ENCRYPTION_KEYS: undefined,
    };
    try {
      expect(existsSync(secretsFile)).toBe(false);
      const first = await startPlatformProcess(env);
      const user = await registerUser(first.baseUrl);
      expect(await first.stop()).toBe(0);
      const secrets = await readFile(secretsFile, 'utf8');
      expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);

      const second = await startPlatformProcess(env);
      // The cookie is signed with the session secret: the second start only accepts it with the same one.
      await request(second.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);
      expect(await second.stop()).toBe(0);
      expect(await readFile(secretsFile, 'utf8')).toBe(secrets);
    } finally {
      await database.drop();
    }
  });

  it('runs several server processes with WEB_CONCURRENCY, replaces one that dies, and stops them all', async () => {
    const database = await createTestDatabase();
    try {
      const platform = await startPlatformProcess({ DATABASE_URL: database.url, DATA_DIR: join(dataDir, 'workers'), WEB_CONCURRENCY: '2' });
      const workers = await eventually(() => (childrenOf(platform.child.pid!).length === 2 ? childrenOf(platform.child.pid!) : undefined));
      const user = await registerUser(platform.baseUrl);
      // Sessions, like everything shared, are in PostgreSQL: any worker serves any request.
      for (let index = 0; index < 6; index++) await request(platform.baseUrl).get('/api/user').set('Cookie', user.cookie).expect(200);

      process.kill(workers[0], 'SIGKILL');
      const replaced = await eventually(() => {
        const now = childrenOf(platform.child.pid!);
        return now.length === 2 && !now.includes(workers[0]) ? now : undefined;
      });
      await request(platform.baseUrl).get('/health').expect(200);
      expect(platform.output()).toContain('worker exited; starting a new one');

      const code = await platform.stop('SIGTERM');
      expect({ code, output: code === 0 ? '' : platform.output() }).toEqual({ code: 0, output: '' });
      for (const pid of replaced) expect(isAlive(pid)).toBe(false);
    } finally {
      await database.drop();
    }
  });

  it('stops with one clear line naming the variable when the configuration is wrong', async () => {
    const badPort = await runPlatformProcess({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(badPort.code).toBe(1);
    expect(badPort.output.trim()).toBe('Configuration error: PORT must be an integer (got "eighty")');

    const placeholder = await runPlatformProcess({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      SESSION_SECRETS: 'replace-with-a-long-random-secret-of-48-characters',
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
    });
    expect(placeholder.code).toBe(1);
    expect(placeholder.output.trim()).toMatch(/^Configuration error: SESSION_SECRETS .*placeholder/);

    const missing = await runPlatformProcess({ NODE_ENV: 'production', DATA_DIR: dataDir, SESSION_SECRETS: undefined, ENCRYPTION_KEYS: undefined });
    expect(missing.output.trim()).toBe('Configuration error: SESSION_SECRETS is required in production');

    // Long enough and no placeholder word, but one character 32 times.
    const weak = await runPlatformProcess({
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      SESSION_SECRETS: 'a'.repeat(32),
      ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
    expect({ code: weak.code, output: weak.output.trim() }).toEqual({
      code: 1,
      output:
        'Configuration error: SESSION_SECRETS holds a secret that is not random (a run, a repeat or too few different characters); production needs random secrets such as `openssl rand -base64 32`',
    });
  });

  it('refuses TRUST_PROXY=true (only a hop count is accepted), with one line naming the variable', async () => {
    const refused = await runPlatformProcess({ TRUST_PROXY: 'true', DATA_DIR: dataDir });
    expect({ code: refused.code, output: refused.output.trim() }).toEqual({
      code: 1,
      output: 'Configuration error: TRUST_PROXY must be an integer (got "true")',
    });
  });

  it('refuses production without real ENCRYPTION_KEYS, with one line naming the variable', async () => {
    const production = { NODE_ENV: 'production', DATA_DIR: dataDir };
    const cases: Array<[string | undefined, string]> = [
      [undefined, 'ENCRYPTION_KEYS is required in production'],
      // The example value of .env.example, copied as it is.
      ['k1:replace-with-32-random-bytes-in-base64', 'ENCRYPTION_KEYS key "k1" must decode to 32 bytes (got 28)'],
      [`k1:${'placeholder'.repeat(4).slice(0, 43)}=`, 'ENCRYPTION_KEYS holds a placeholder; production needs real keys'],
      [`k1:${Buffer.alloc(32, 9).toString('base64')}`, 'ENCRYPTION_KEYS key "k1" is not random; production needs real keys'],
    ];
    for (const [keys, message] of cases) {
      const refused = await runPlatformProcess({ ...production, ENCRYPTION_KEYS: keys });
      expect({ code: refused.code, output: refused.output.trim() }).toEqual({ code: 1, output: `Configuration error: ${message}` });
    }
  });
});
