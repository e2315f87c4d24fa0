import { spawn } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { eventually } from './platform-api.js';
import { processBuild, processEnv } from './platform-process.js';
import { listProcesses, processTree, type ProcessEntry } from './process-table.js';
import { freePort } from './test-database-server.js';

const START_TIMEOUT_MS = 45_000;

/**
 * A folder from which `npm start --ignore-scripts` runs this run's build: a
 * package.json with the project's own start script, and `dist` pointing at the
 * build that the other process tests use. `npm start` first runs `prestart` (a
 * full build, web client included, into dist/); doing that in every test
 * would take a minute and rewrite dist/ under whoever uses it, so the build is
 * done once and --ignore-scripts skips only that pre-step: what a terminal
 * runs is still npm, the shell npm starts, and node with the script's flags.
 */
async function npmStartFolder(): Promise<string> {
  const build = dirname(dirname(await processBuild()));
  const folder = `${build}-npm-start`;
  const project = JSON.parse(await readFile('package.json', 'utf8')) as { type: string; scripts: { start: string } };
  await mkdir(folder, { recursive: true });
  const manifest = { name: 'npm-start-under-test', private: true, type: project.type, scripts: { start: project.scripts.start } };
  await writeFile(join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
  await symlink(build, join(folder, 'dist')).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return folder;
}

export interface TerminalRun {
  baseUrl: string;
  /** What the terminal showed. */
  output(): string;
  /** Types Ctrl-C in the terminal. */
  pressCtrlC(): void;
  /** The terminal goes away (its window closed): the kernel hangs up the processes that run in it. */
  closeTerminal(): void;
  /** Ends npm and node at once (SIGKILL), whatever state they are in; the database is left to its watchdog. */
  kill(): void;
  /** The terminal's foreground process group: npm, node and node's workers. */
  foregroundGroup(): number;
  /** The server's main node process (the primary when there are workers). */
  serverPid(): number;
  /** Every process of the run now: npm, node, its workers, the database and its watchdog. */
  processes(): ProcessEntry[];
  /** The exit code of npm (which passes on node's). */
  exited: Promise<number | null>;
}

/**
 * Runs `npm start` in a pseudo-terminal (util-linux `script`), the way a person
 * runs it in a terminal window, and waits until the server answers /health.
 */
export async function startInTerminal(env: Record<string, string | undefined>): Promise<TerminalRun> {
  const folder = await npmStartFolder();
  const port = await freePort();
  // exec: npm leads the terminal's foreground group, as the job of an interactive shell does (the shell itself stays outside it).
  const terminal = spawn('script', ['--quiet', '--return', '--command', 'exec npm start --ignore-scripts', '/dev/null'], {
    cwd: folder,
    env: processEnv({ ...env, PORT: String(port), npm_config_update_notifier: 'false', npm_config_fund: 'false' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  terminal.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  terminal.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((done) =>
    terminal.once('exit', (code) => {
      exitCode = code;
      terminal.stdin.end();
      done(code);
    }),
  );
  const processes = () => processTree(terminal.pid!).filter((entry) => entry.pid !== terminal.pid);
  const kill = () => {
    const all = processes();
    // npm's session is the terminal's; the database runs in one of its own.
    const inTerminal = all.filter((entry) => entry.session === all[0]?.session).map((entry) => entry.pid);
    for (const pid of [...inTerminal, terminal.pid!]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  const run: TerminalRun = {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    pressCtrlC: () => terminal.stdin.write('\x03'),
    closeTerminal: () => terminal.kill('SIGKILL'),
    kill,
    foregroundGroup() {
      const leader = processes().find((entry) => entry.ppid === terminal.pid);
      if (!leader || leader.terminalGroup <= 0) throw new Error(`no process runs in the terminal:\n${output}`);
      return leader.terminalGroup;
    },
    serverPid() {
      const all = listProcesses();
      const tree = processTree(terminal.pid!, all);
      const isServer = (entry: ProcessEntry | undefined) => entry?.command.includes('dist/src/main.js') === true;
      const primary = tree.find((entry) => isServer(entry) && !isServer(all.find((parent) => parent.pid === entry.ppid)));
      if (!primary) throw new Error(`no server process:\n${output}`);
      return primary.pid;
    },
    processes,
    exited,
  };
  await eventually(
    async () => {
      if (exitCode !== undefined) throw new Error(`npm start exited with ${exitCode} during start:\n${output}`);
      try {
        return (await fetch(`${run.baseUrl}/health`)).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, describe: () => output.slice(-2000) },
  ).catch((error: unknown) => {
    kill();
    throw error;
  });
  return run;
}
