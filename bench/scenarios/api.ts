import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import { load, type LoadResult } from '../lib/load.js';
import { median, round } from '../lib/stats.js';

const S = 'api';
const CONNECTIONS = 50;
const SECONDS = 10;

/**
 * Signed-in reads at 50 connections: GET /api/threads (a user with 20
 * threads) and GET /api/threads/:id/messages (50 messages), against
 * GET /health (unauthenticated, one SELECT 1) measured in the same rounds.
 */
export const api: Scenario = async (context) => {
  const { fixture } = context;
  return withPlatform(context, S, {}, async (platform) => {
    const [user] = await fixture.namedUsers(['api'], platform.url);
    const threadIds = await fixture.createThreads(user, 20, 0);
    await fixture.addMessages(user, [threadIds[0]], 50);
    await fixture.db.query('UPDATE threads SET message_count = 50 WHERE id = $1', [threadIds[0]]);
    await fixture.analyze();

    const routes = {
      health: { url: `${platform.url}/health`, headers: {} },
      threads: { url: `${platform.url}/api/threads`, headers: { cookie: user.cookie } },
      messages: { url: `${platform.url}/api/threads/${threadIds[0]}/messages?limit=50`, headers: { cookie: user.cookie } },
    };
    const check20 = (await (await fetch(routes.threads.url, { headers: routes.threads.headers })).json()) as unknown[];
    const check50 = (await (await fetch(routes.messages.url, { headers: routes.messages.headers })).json()) as unknown[];
    if (check20.length !== 20 || check50.length !== 50) throw new Error(`expected 20 threads and 50 messages, got ${check20.length} and ${check50.length}`);

    for (const route of Object.values(routes)) await load(route.url, { connections: CONNECTIONS, seconds: 2, headers: route.headers });

    const rounds: Record<string, Array<LoadResult & { platformCpuCores: number }>> = { health: [], threads: [], messages: [] };
    for (let round = 0; round < context.runs; round++) {
      for (const [name, route] of Object.entries(routes)) {
        const cpuBefore = platform.cpuMicros();
        const result = await load(route.url, { connections: CONNECTIONS, seconds: SECONDS, headers: route.headers });
        const platformCpuCores = round2((platform.cpuMicros() - cpuBefore) / 1e6 / SECONDS);
        rounds[name].push({ ...result, platformCpuCores });
        context.log(`  round ${round + 1} ${name}: ${JSON.stringify({ ...result, platformCpuCores })}`);
      }
    }
    // The same 50 connections spread over 10 users (5 each): shows what per-user row contention costs.
    const spreadUsers = await fixture.namedUsers(Array.from({ length: 10 }, (_, index) => `api-${index}`), platform.url);
    await Promise.all(spreadUsers.map((spreadUser) => fixture.createThreads(spreadUser, 20, 0)));
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

    const med = (name: string, key: keyof LoadResult) => median(rounds[name].map((entry) => entry[key]));
    const ratios = (name: string) => median(rounds[name].map((entry, index) => rounds.health[index].requestsPerSecond / entry.requestsPerSecond));
    const clean = Object.values(rounds).every((list) => list.every((entry) => entry.errors === 0 && entry.non2xx === 0));
    return {
      figures: [
        figure(S, 'GET /api/threads req/s @50', med('threads', 'requestsPerSecond'), 'req/s', { op: '>=', limit: 1_500 }),
        figure(S, 'GET /api/threads p99 @50', med('threads', 'p99Ms'), 'ms', { op: '<=', limit: 50 }),
        figure(S, 'GET /api/threads/:id/messages req/s @50', med('messages', 'requestsPerSecond'), 'req/s', { op: '>=', limit: 1_500 }),
        figure(S, 'GET /api/threads/:id/messages p99 @50', med('messages', 'p99Ms'), 'ms', { op: '<=', limit: 50 }),
        figure(S, 'GET /health req/s @50 (reference)', med('health', 'requestsPerSecond'), 'req/s'),
        figure(S, 'GET /health p99 @50 (reference)', med('health', 'p99Ms'), 'ms'),
        figure(S, 'health ÷ threads (req/s ratio)', round2(ratios('threads')), 'x', { op: '<=', limit: 2 }),
        figure(S, 'health ÷ messages (req/s ratio)', round2(ratios('messages')), 'x', { op: '<=', limit: 2 }),
        figure(S, 'GET /api/threads req/s @50 over 10 users (diagnostic)', median(spread), 'req/s'),
        figure(S, 'GET /api/threads p99 @50 over 10 users (diagnostic)', median(spreadP99), 'ms'),
        check(S, 'no errors or non-2xx answers', clean),
      ],
      details: { connections: CONNECTIONS, secondsPerRun: SECONDS, rounds, spreadOverTenUsers: { requestsPerSecond: spread, p99Ms: spreadP99 } },
    };
  });
};

function round2(value: number): number {
  return round(value, 2);
}
