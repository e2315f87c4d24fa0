import { spawn, type ChildProcess } from 'node:child_process';

/** After a fast shutdown has been asked for this long, the server is ended (immediate shutdown). */
const FAST_SHUTDOWN_TIMEOUT_MS = 15_000;

/**
 * Runs the postmaster ("$@") and stops it with a fast shutdown (SIGINT: sessions
 * ended, a checkpoint, no recovery on the next start) as soon as its standard
 * input reaches end-of-file. The application holds the only write end of that
 * pipe (close-on-exec, so cluster workers and other children do not inherit
 * it), and the kernel closes it however the application ends: a graceful stop,
 * an uncaught error, an out-of-memory kill, SIGKILL. So the database never
 * outlives the process that started it, with no polling and no help from the
 * dying process. Linux's parent-death signal (prctl, which Node.js does not
 * expose) would do the same on Linux alone; a pipe works on every POSIX system,
 * and a small shell costs about a megabyte where a second Node.js process would
 * cost forty.
 *
 * The watchdog is the postmaster's parent: until it has collected the
 * postmaster's exit status, that pid cannot go to another process, and it ends
 * its reader of the pipe right after. Non-interactive shells give background
 * jobs /dev/null for standard input, hence the copy on fd 3; they also start
 * them with SIGINT and SIGQUIT ignored, which does not matter here: the
 * postmaster installs its own handlers for both as it starts (pg_ctl long
 * started it as such a background job); only a request in its first
 * milliseconds would be lost, and the next start stops a server left that way.
 * When the postmaster exits by itself, the watchdog exits with its status.
 */
const WATCHDOG_SCRIPT = `
exec 3<&0
"$@" </dev/null 3<&- &
postmaster=$!
{ while read -r line; do :; done; kill -INT "$postmaster" 2>/dev/null; } <&3 &
watcher=$!
wait "$postmaster"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

export interface PostgresProcessOptions {
  /** The postgres binary and its arguments. */
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where the server's output goes. */
  logFd: number;
  /** The user to run as (as root, the postgres user). */
  user?: { uid: number; gid: number };
}

/** A running postmaster under its watchdog. */
export class PostgresProcess {
  private stopping: Promise<void> | undefined;
  private code: number | null | undefined;
  /** Settles with the postmaster's exit status once it has exited. */
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      const settle = (code: number | null) => {
        if (this.code !== undefined) return;
        this.code = code;
        resolve(code);
      };
      child.once('exit', settle);
      // The shell could not be started at all: reported like an exit during start.
      child.once('error', () => settle(null));
    });
    // A watchdog that is gone has closed its end: nothing to report.
    child.stdin?.on('error', () => undefined);
  }

  /**
   * Starts the server under the watchdog, in a session of its own: a Ctrl-C in
   * the terminal reaches the application, which stops this server after it has
   * drained (and a closed terminal's hang-up does not reach it either).
   */
  static start(options: PostgresProcessOptions): PostgresProcess {
    const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'postgres-watchdog', options.command, ...options.args], {
      detached: true,
      stdio: ['pipe', options.logFd, options.logFd],
      ...(options.user ?? {}),
      env: options.env,
    });
    return new PostgresProcess(child);
  }

  /** The exit status once the server has exited, undefined while it runs. */
  get exitCode(): number | null | undefined {
    return this.code;
  }

  /**
   * Fast shutdown, asked for by closing the watchdog's pipe (the same way as
   * when this process dies), so there is one way the server stops. Calling it
   * again while it stops waits for the same stop.
   */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    if (this.code !== undefined) return;
    this.child.stdin?.destroy();
    // A server that does not finish its shutdown checkpoint in time gets an immediate shutdown (SIGQUIT to the session's group).
    const timer = setTimeout(() => {
      try {
        if (this.child.pid) process.kill(-this.child.pid, 'SIGQUIT');
      } catch {
        // Already gone.
      }
    }, FAST_SHUTDOWN_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
