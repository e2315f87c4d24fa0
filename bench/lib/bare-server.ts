import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './processes.js';

/** The calibration server (`bench/calibration/bare-server.ts`) running on `databaseUrl`. */
export interface BareServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the bare node:http + `SELECT 1` server, the ceiling a /health check is measured against. */
export async function startBareServer(databaseUrl: string): Promise<BareServer> {
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'bench/calibration/bare-server.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(server.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${port}/`,
    async stop() {
      server.kill('SIGTERM');
      await once(server, 'exit');
    },
  };
}
