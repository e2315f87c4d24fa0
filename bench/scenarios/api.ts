import { startBareServer } from '../lib/bare-server.js';
import { check, figure, withPlatform, type BenchContext, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { load, type LoadResult } from '../lib/load.js';
import type { Platform } from '../lib/processes.js';
import { median, round } from '../lib/stats.js';

const S = 'api';
const CONNECTIONS = 50;
const SECONDS = 10;
/** Messages in each thread of the other users. */
const BACKGROUND_MESSAGES = 100;

type Route = { url: string; headers: Record<string, string> };
type Rounds = Record<string, Array<LoadResult & { platformCpuCores: number; cpuMicrosPerRequest: number }>>;

/** The routes measured, for a user with 20 threads and a thread of 50 messages. */
async function routesFor(context: BenchContext, platform: Platform, userKey: string): Promise<Record<string, Route>> {
  const { fixture } = context;
  const [user] = await fixture.namedUsers([userKey], platform.url);
  const threadIds = await fixture.createThreads(user, 20, 0);
  await fixture.addMessages(user, [threadIds[0]], 50);
  await fixture.db.query('UPDATE threads SET message_count = 50 WHERE id = $1', [threadIds[0]]);
  await fixture.analyze();
  const signedIn = (path: string): Route => ({ url: `${platform.url}${path}`, headers: { cookie: user.cookie } });
  const routes = {
    health: { url: `${platform.url}/health`, headers: {} },
    user: signedIn('/api/user'),
    threads: signedIn('/api/threads'),
    messages: signedIn(`/api/threads/${threadIds[0]}/messages?limit=50`),
  };
  const check20 = (await (await fetch(routes.threads.url, { headers: routes.threads.headers })).json()) as unknown[];
  const check50 = (await (await fetch(routes.messages.url, { headers: routes.messages.headers })).json()) as unknown[];
  if (check20.length !== 20 || check50.length !== 50) throw new Error(`expected 20 threads and 50 messages, got ${check20.length} and ${check50.length}`);
  return routes;
}

/** Rounds of autocannon over the routes, one after another, with the platform's CPU during each. */
async function measure(context: BenchContext, platform: Platform, routes: Record<string, Route>, label: string): Promise<Rounds> {
  for (const route of Object.values(routes)) await load(route.url, { connections: CONNECTIONS, seconds: 2, headers: route.headers });
  const rounds: Rounds = Object.fromEntries(Object.keys(routes).map((name) => [name, []]));
  for (let round = 0; round < context.runs; round++) {
    for (const [name, route] of Object.entries(routes)) {
      const cpuBefore = platform.cpuMicros();
      const result = await load(route.url, { connections: CONNECTIONS, seconds: SECONDS, headers: route.headers });
      const cpu = platform.cpuMicros() - cpuBefore;
      const entry = {
        ...result,
        platformCpuCores: round2(cpu / 1e6 / SECONDS),
        cpuMicrosPerRequest: Math.round(cpu / Math.max(1, result.requestsPerSecond * SECONDS)),
      };
      rounds[name].push(entry);
      context.log(`  ${label} round ${round + 1} ${name}: ${JSON.stringify(entry)}`);
    }
  }
  return rounds;
}

const med = (rounds: Rounds, name: string, key: keyof Rounds[string][number]) => median(rounds[name].map((entry) => entry[key] as number));
/** `name` req/s ÷ `base` req/s, per round (same round), then the median. */
const ratio = (rounds: Rounds, name: string, base: string) => median(rounds[name].map((entry, index) => entry.requestsPerSecond / rounds[base][index].requestsPerSecond));
const clean = (rounds: Rounds) => Object.values(rounds).every((list) => list.every((entry) => entry.errors === 0 && entry.non2xx === 0));

/**
 * Signed-in reads at 50 connections: GET /api/threads (a user with 20
 * threads) and GET /api/threads/:id/messages (50 messages), against
 * GET /health (unauthenticated, one SELECT 1), itself against the bare
 * server of the `machine` scenario, all measured in the same rounds, on
 * tables that also hold ten other users' 20,000 messages.
 * GET /api/user (signed in, one primary-key read) isolates what the session
 * and access check cost. Then the same with two server processes
 * (WEB_CONCURRENCY=2), the way a 2-core machine can run the platform.
 */
export const api: Scenario = async (context) => {
  const { fixture } = context;
  const single = await withPlatform(context, S, {}, async (platform) => {
    // Ten other users with 20 threads of 100 messages each: the tables hold what a live installation's
    // do (20,000 messages), so PostgreSQL plans the reads as it would there, not for a table of 100 rows.
    const spreadUsers: BenchUser[] = await fixture.namedUsers(Array.from({ length: 10 }, (_, index) => `api-${index}`), platform.url);
    await Promise.all(spreadUsers.map((spreadUser) => fixture.createThreads(spreadUser, 20, BACKGROUND_MESSAGES)));
    const routes = await routesFor(context, platform, 'api');
    // The bare server of the `machine` scenario, measured in the same rounds: the ceiling for /health.
    const bare = await startBareServer(context.db.url);
    let rounds: Rounds;
    try {
      rounds = await measure(context, platform, { bare: { url: bare.url, headers: {} }, ...routes }, '1 process');
    } finally {
      await bare.stop();
    }
    // The same 50 connections spread over the 10 other users (5 each): shows what per-user row contention costs.
    const spread: number[] = [];
    const spreadP99: number[] = [];
    for (let round = 0; round < context.runs; round++) {
      const results = await Promise.all(
        spreadUsers.map((spreadUser) => load(`${platform.url}/api/threads`, { connections: CONNECTIONS / spreadUsers.length, seconds: SECONDS, headers: { cookie: spreadUser.cookie } })),
      );
      spread.push(results.reduce((total, result) => total + result.requestsPerSecond, 0));
      spreadP99.push(Math.max(...results.map((result) => result.p99Ms)));
      context.log(`  round ${round + 1} threads over 10 users: ${spread.at(-1)} req/s, p99 <= ${spreadP99.at(-1)} ms`);
    }
    return { rounds, spread, spreadP99 };
  });
  const workers = await withPlatform(context, `${S}-workers`, { WEB_CONCURRENCY: '2' }, async (platform) => {
    const { health, threads, messages } = await routesFor(context, platform, 'api-workers');
    return measure(context, platform, { health, threads, messages }, '2 processes');
  });

  const { rounds } = single;
  return {
    figures: [
      figure(S, 'bare node:http + SELECT 1 req/s @50 (same rounds)', med(rounds, 'bare', 'requestsPerSecond'), 'req/s'),
      figure(S, 'GET /health req/s @50', med(rounds, 'health', 'requestsPerSecond'), 'req/s'),
      figure(S, 'GET /health p99 @50', med(rounds, 'health', 'p99Ms'), 'ms'),
      figure(S, 'GET /api/threads req/s @50', med(rounds, 'threads', 'requestsPerSecond'), 'req/s'),
      figure(S, 'GET /api/threads p99 @50', med(rounds, 'threads', 'p99Ms'), 'ms', { op: '<=', limit: 30 }),
      figure(S, 'GET /api/threads/:id/messages req/s @50', med(rounds, 'messages', 'requestsPerSecond'), 'req/s'),
      figure(S, 'GET /api/threads/:id/messages p99 @50', med(rounds, 'messages', 'p99Ms'), 'ms', { op: '<=', limit: 30 }),
      figure(S, 'health ÷ bare server (req/s ratio)', round2(ratio(rounds, 'health', 'bare')), 'x', { op: '>=', limit: 0.5 }),
      figure(S, 'threads ÷ health (req/s ratio)', round2(ratio(rounds, 'threads', 'health')), 'x', { op: '>=', limit: 0.6 }),
      figure(S, 'messages ÷ health (req/s ratio)', round2(ratio(rounds, 'messages', 'health')), 'x', { op: '>=', limit: 0.6 }),
      figure(S, 'GET /api/user ÷ health: the session and access check alone', round2(ratio(rounds, 'user', 'health')), 'x'),
      figure(S, 'platform CPU per request: GET /health', med(rounds, 'health', 'cpuMicrosPerRequest'), 'µs'),
      figure(S, 'platform CPU per request: GET /api/user', med(rounds, 'user', 'cpuMicrosPerRequest'), 'µs'),
      figure(S, 'platform CPU per request: GET /api/threads', med(rounds, 'threads', 'cpuMicrosPerRequest'), 'µs'),
      figure(S, 'platform CPU per request: GET /api/threads/:id/messages', med(rounds, 'messages', 'cpuMicrosPerRequest'), 'µs'),
      figure(S, 'GET /api/threads req/s @50 over 10 users (diagnostic)', median(single.spread), 'req/s'),
      figure(S, 'GET /api/threads p99 @50 over 10 users (diagnostic)', median(single.spreadP99), 'ms'),
      figure(S, 'WEB_CONCURRENCY=2: GET /api/threads req/s @50', med(workers, 'threads', 'requestsPerSecond'), 'req/s'),
      figure(S, 'WEB_CONCURRENCY=2: GET /api/threads p99 @50', med(workers, 'threads', 'p99Ms'), 'ms'),
      figure(S, 'WEB_CONCURRENCY=2: GET /api/threads/:id/messages req/s @50', med(workers, 'messages', 'requestsPerSecond'), 'req/s'),
      figure(S, 'WEB_CONCURRENCY=2: GET /health req/s @50', med(workers, 'health', 'requestsPerSecond'), 'req/s'),
      check(S, 'no errors or non-2xx answers', clean(rounds) && clean(workers)),
    ],
    details: {
      connections: CONNECTIONS,
      secondsPerRun: SECONDS,
      rounds,
      spreadOverTenUsers: { requestsPerSecond: single.spread, p99Ms: single.spreadP99 },
      twoProcesses: workers,
    },
  };
};

function round2(value: number): number {
  return round(value, 2);
}
