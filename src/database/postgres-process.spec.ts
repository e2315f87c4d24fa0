import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresProcess } from './postgres-process.js';

/** The watchdog around a stand-in for the postmaster (a Node.js script). */
function startUnderWatchdog(script: string): PostgresProcess {
  const logFd = openSync('/dev/null', 'a');
  try {
    return PostgresProcess.start({ command: process.execPath, args: ['-e', script], env: {}, logFd });
  } finally {
    closeSync(logFd);
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('PostgresProcess', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'postgres-process-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('sends the server SIGINT when its pipe closes, and stops it once however often it is asked', async () => {
    // Like the postmaster, the stand-in installs its own SIGINT handler; it says when it has.
    const ready = join(folder, 'ready');
    const server = startUnderWatchdog(
      `process.on('SIGINT', () => process.exit(7)); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => undefined, 60_000);`,
    );
    await until(() => existsSync(ready));
    const started = Date.now();
    await Promise.all([server.stop(), server.stop()]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await server.exited).toBe(7);
    expect(server.exitCode).toBe(7);
  });

  it("exits with the server's own status when the server ends by itself", async () => {
    const server = startUnderWatchdog('process.exit(3)');
    expect(await server.exited).toBe(3);
    await server.stop();
  });
});
