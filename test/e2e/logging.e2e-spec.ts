import { jest } from '@jest/globals';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startPlatformProcess } from '../support/platform-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

type LogLine = Record<string, unknown>;

/** Every line of the output as JSON: throws, naming the line, when one is not. */
function jsonLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

const isRouteMap = (line: LogLine) => line.context === 'RouterExplorer' || line.context === 'RoutesResolver';

/** The server as `npm start` runs it in development, with its output read through a pipe (no terminal). */
describe('log output of the server process', () => {
  let database: TestDatabase;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await mkdir(join(process.cwd(), '.data'), { recursive: true });
    dataDir = await mkdtemp(join(process.cwd(), '.data', 'logging-'));
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string | undefined>) =>
    startPlatformProcess({ NODE_ENV: 'development', DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_PRETTY: undefined, ...env });

  it('writes JSON lines in development when standard output is not a terminal, with the route map at debug level', async () => {
    const server = await start({ LOG_LEVEL: 'debug' });
    await fetch(`${server.baseUrl}/health`);
    expect(await server.stop('SIGTERM')).toBe(0);
    const lines = jsonLines(server.output());
    expect(lines.some((line) => line.msg === 'stopped')).toBe(true);
    const routeMap = lines.filter(isRouteMap);
    expect(routeMap.some((line) => String(line.msg).startsWith('Mapped {/api/login, POST}'))).toBe(true);
    expect(routeMap.every((line) => line.level === 'debug')).toBe(true);
  });

  it('leaves the route map out at the default level', async () => {
    const server = await start({ LOG_LEVEL: 'info' });
    expect(await server.stop('SIGTERM')).toBe(0);
    const lines = jsonLines(server.output());
    expect(lines.some((line) => String(line.msg).startsWith('listening on'))).toBe(true);
    expect(lines.filter(isRouteMap)).toEqual([]);
    expect(server.output()).not.toContain('Mapped {');
  });

  it('writes readable lines, not JSON, with LOG_PRETTY=true even through a pipe', async () => {
    const server = await start({ LOG_PRETTY: 'true' });
    expect(await server.stop('SIGTERM')).toBe(0);
    const output = server.output();
    expect(output).toMatch(/INFO.*: listening on http:\/\/localhost:\d+/);
    expect(() => jsonLines(output)).toThrow('not a JSON line');
  });
});
