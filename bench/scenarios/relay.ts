import { performance } from 'node:perf_hooks';
import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { cpuMicros } from '../lib/proc.js';
import { median, round, sum } from '../lib/stats.js';
import { chatTurn, fillerText } from '../lib/turns.js';

const S = 'relay';
const STREAMS = 200;
const DELTAS = 1_000;
const USERS = 20;

interface StoredMessage {
  id: string;
  role: string;
  content: string;
  status: string;
}

/**
 * Relay throughput: 200 concurrent streams of 1,000 deltas each, the fake
 * sending without delay. Tokens per second delivered to the clients, platform
 * CPU per relayed token (from /proc), every stream complete, and every stored
 * reply equal to the text its client received.
 */
export const relay: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault({ tokens: DELTAS, deltaDelayMs: 0 });
  const expected = fillerText(DELTAS);
  return withPlatform(context, S, {}, async (platform) => {
    const users = await fixture.ensureUsers(USERS, platform.url);
    const threads = async (): Promise<Array<{ user: BenchUser; threadId: string }>> => {
      const lists = await Promise.all(users.map((user) => fixture.createThreads(user, STREAMS / USERS, 2)));
      return lists.flatMap((ids, index) => ids.map((threadId) => ({ user: users[index], threadId })));
    };
    // Warm-up with a smaller load.
    const warm = (await threads()).slice(0, 40);
    await Promise.all(warm.map(({ user, threadId }) => chatTurn(platform, user, threadId)));

    const rounds: Array<Record<string, number>> = [];
    let allComplete = true;
    let allStoredEqual = true;
    const problems: string[] = [];
    for (let round = 0; round < context.runs; round++) {
      const turns = await threads();
      const cpuBefore = platform.cpuMicros();
      const fakeCpuBefore = cpuMicros(fake.pid);
      const benchCpuBefore = process.cpuUsage();
      const started = performance.now();
      const results = await Promise.all(turns.map(({ user, threadId }) => chatTurn(platform, user, threadId, { collectText: true, timeoutMs: 300_000 })));
      const seconds = (performance.now() - started) / 1000;
      const platformCpu = platform.cpuMicros() - cpuBefore;
      const fakeCpu = cpuMicros(fake.pid) - fakeCpuBefore;
      const benchCpuUsage = process.cpuUsage(benchCpuBefore);
      const tokens = sum(results.map((result) => result.tokens));

      let complete = 0;
      let storedEqual = 0;
      await Promise.all(
        results.map(async (result, index) => {
          const ok = result.done && !result.failure && !result.errorEvent && result.tokens === DELTAS && result.text === expected;
          if (ok) complete++;
          else if (problems.length < 5) {
            const error = result.errorEvent ? `${result.errorEvent.code}: ${result.errorEvent.error}` : 'none';
            problems.push(`stream ${index}: done=${result.done} tokens=${result.tokens} failure=${result.failure} error=${error}`);
          }
          const { user, threadId } = turns[index];
          const response = await fetch(`${platform.url}/api/threads/${threadId}/messages?limit=10`, { headers: { cookie: user.cookie } });
          const body = (await response.json()) as StoredMessage[] | { code?: string };
          const messages = Array.isArray(body) ? body : [];
          if (!Array.isArray(body) && problems.length < 5) problems.push(`stream ${index}: reading the messages answered ${response.status} ${body.code}`);
          const reply = messages.find((message) => message.id === result.completedMessage?.id);
          if (reply && reply.content === result.text && reply.status === 'completed') storedEqual++;
          else if (problems.length < 5) problems.push(`stream ${index}: stored reply ${reply ? `differs (${reply.content.length} vs ${result.text.length} chars, ${reply.status})` : 'missing'}`);
        }),
      );
      allComplete &&= complete === STREAMS;
      allStoredEqual &&= storedEqual === STREAMS;
      const entry = {
        seconds: round2(seconds),
        tokens,
        tokensPerSecond: Math.round(tokens / seconds),
        platformCpuMicrosPerToken: round2(platformCpu / tokens),
        platformCpuCores: round2(platformCpu / 1e6 / seconds),
        fakeCpuCores: round2(fakeCpu / 1e6 / seconds),
        benchClientCpuCores: round2((benchCpuUsage.user + benchCpuUsage.system) / 1e6 / seconds),
        complete,
        storedEqual,
      };
      rounds.push(entry);
      context.log(`  round ${round + 1}: ${JSON.stringify(entry)}`);
    }
    const med = (key: string) => median(rounds.map((entry) => entry[key]));
    return {
      figures: [
        figure(S, 'tokens/s delivered (200 streams x 1,000 deltas)', Math.round(med('tokensPerSecond')), 'tokens/s', { op: '>=', limit: 30_000 }),
        figure(S, 'platform CPU per relayed token', round2(med('platformCpuMicrosPerToken')), 'µs', { op: '<=', limit: 4 }),
        check(S, 'all streams complete', allComplete),
        check(S, 'every stored reply equals what its client received', allStoredEqual),
      ],
      details: { streams: STREAMS, deltas: DELTAS, rounds, problems },
    };
  });
};

function round2(value: number): number {
  return round(value, 2);
}
