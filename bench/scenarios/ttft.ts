import { figure, withPlatform, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, percentile, round } from '../lib/stats.js';
import { assertStreamOk, chatTurn, directTurn, runWorkers } from '../lib/turns.js';

const S = 'ttft';
/** The provider's own timing: first delta after 25 ms, then one every 5 ms. */
export const TTFT_SCRIPT = { tokens: 10, firstDeltaDelayMs: 25, deltaDelayMs: 5 };
/**
 * At 50, each stream lasts about 2 s (100 deltas, 50 a second, as a model
 * writes): 50 streams are open at any time and about 25 new turns start each
 * second, so a turn's TTFT is measured while 49 others are being relayed.
 */
export const STREAMING_SCRIPT = { tokens: 100, firstDeltaDelayMs: 25, deltaDelayMs: 20 };
const USERS = 10;
const LEVELS = [
  { concurrency: 1, perWorker: 40, script: TTFT_SCRIPT, staggerMs: 0 },
  { concurrency: 50, perWorker: 4, script: STREAMING_SCRIPT, staggerMs: 2_100 },
];

/**
 * Added time to first token: the platform's TTFT minus the TTFT of the same
 * request sent straight to the fake, at 1 and 50 concurrent streams. Every
 * turn is on a fresh thread with two earlier messages (same context each time).
 */
export const ttft: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault(TTFT_SCRIPT);
  return withPlatform(context, S, {}, async (platform) => {
    const users = await fixture.ensureUsers(USERS, platform.url);
    const threadsFor = async (count: number) => {
      const perUser = Math.ceil(count / users.length);
      const lists = await Promise.all(users.map((user) => fixture.createThreads(user, perUser, 2)));
      const turns: Array<{ user: BenchUser; threadId: string }> = [];
      for (let index = 0; turns.length < count; index++) {
        const user = users[index % users.length];
        turns.push({ user, threadId: lists[index % users.length][Math.floor(index / users.length)] });
      }
      return turns;
    };

    // Warm-up: connections, JIT, per-user OpenAI clients; then capture the exact upstream request.
    const warm = await threadsFor(100);
    await runWorkers(10, 10, (worker, index) => chatTurn(platform, warm[worker * 10 + index].user, warm[worker * 10 + index].threadId));
    const upstreamBody = await fake.lastResponsesBody();
    await runWorkers(10, 10, () => directTurn(fake, upstreamBody));
    // ... and one unmeasured pass of the 50-stream load, so the measured rounds see the steady state
    // (the first such pass pays for compiling the relay path under load and for growing the heap).
    await fake.setDefault(STREAMING_SCRIPT);
    const warmStreams = await threadsFor(100);
    await runWorkers(50, 2, async (worker, index) => {
      if (index === 0) await sleep((worker * 2_100) / 50);
      return chatTurn(platform, warmStreams[worker * 2 + index].user, warmStreams[worker * 2 + index].threadId);
    });

    const perLevel: Record<string, Record<string, number[]>> = {};
    for (let round = 0; round < context.runs; round++) {
      for (const { concurrency, perWorker, script, staggerMs } of LEVELS) {
        // Workers start spread over one stream's length, as streams of a steady load would be (not all in the same instant).
        const stagger = (worker: number) => sleep((worker * staggerMs) / concurrency);
        const key = String(concurrency);
        await fake.setDefault(script);
        const turns = await threadsFor(concurrency * perWorker);
        const cpuBefore = platform.cpuSplitMicros();
        const started = performance.now();
        const viaPlatform = await runWorkers(concurrency, perWorker, async (worker, index) => {
          if (index === 0) await stagger(worker);
          const turn = turns[worker * perWorker + index];
          const result = await chatTurn(platform, turn.user, turn.threadId);
          assertStreamOk(result, 'platform stream');
          if (!result.done) throw new Error(`platform stream ended without done: ${JSON.stringify(result.errorEvent)}`);
          return result.ttftMs!;
        });
        const seconds = (performance.now() - started) / 1000;
        const cpuAfter = platform.cpuSplitMicros();
        const direct = await runWorkers(concurrency, perWorker, async (worker, index) => {
          if (index === 0) await stagger(worker);
          const result = await directTurn(fake, upstreamBody);
          assertStreamOk(result, 'direct stream');
          return result.ttftMs!;
        });
        const entry = (perLevel[key] ??= {});
        for (const name of ['platformP50', 'platformP99', 'directP50', 'directP99', 'addedP50', 'addedP99', 'turnsPerSecond', 'cpuUserMsPerTurn', 'cpuSystemMsPerTurn']) entry[name] ??= [];
        entry.turnsPerSecond.push(viaPlatform.length / seconds);
        entry.cpuUserMsPerTurn.push((cpuAfter.user - cpuBefore.user) / 1000 / viaPlatform.length);
        entry.cpuSystemMsPerTurn.push((cpuAfter.system - cpuBefore.system) / 1000 / viaPlatform.length);
        entry.platformP50.push(percentile(viaPlatform, 50));
        entry.platformP99.push(percentile(viaPlatform, 99));
        entry.directP50.push(percentile(direct, 50));
        entry.directP99.push(percentile(direct, 99));
        entry.addedP50.push(percentile(viaPlatform, 50) - percentile(direct, 50));
        entry.addedP99.push(percentile(viaPlatform, 99) - percentile(direct, 99));
        context.log(
          `  round ${round + 1} @${concurrency}: platform p50 ${round2(percentile(viaPlatform, 50))} p99 ${round2(percentile(viaPlatform, 99))} | ` +
            `direct p50 ${round2(percentile(direct, 50))} p99 ${round2(percentile(direct, 99))} ms | ` +
            `${round2(viaPlatform.length / seconds)} turns/s, platform CPU ${round2((cpuAfter.user - cpuBefore.user) / 1000 / viaPlatform.length)} user + ` +
            `${round2((cpuAfter.system - cpuBefore.system) / 1000 / viaPlatform.length)} sys ms/turn`,
        );
      }
    }
    const at = (concurrency: number) => perLevel[String(concurrency)];
    const summary = Object.fromEntries(
      Object.entries(perLevel).map(([key, value]) => [
        `concurrency ${key}`,
        Object.fromEntries(Object.entries(value).map(([name, list]) => [name, { median: round2(median(list)), rounds: list.map(round2) }])),
      ]),
    );
    return {
      figures: [
        figure(S, 'added TTFT p50 @1 stream', round2(median(at(1).addedP50)), 'ms', { op: '<=', limit: 2 }),
        figure(S, 'added TTFT p99 @1 stream', round2(median(at(1).addedP99)), 'ms'),
        figure(S, 'added TTFT p50 @50 streams', round2(median(at(50).addedP50)), 'ms'),
        figure(S, 'added TTFT p99 @50 streams', round2(median(at(50).addedP99)), 'ms', { op: '<=', limit: 15 }),
        figure(S, 'direct TTFT p50 @1 (fake alone)', round2(median(at(1).directP50)), 'ms'),
      ],
      details: { levels: LEVELS, rounds: context.runs, ...summary },
    };
  });
};

function round2(value: number): number {
  return round(value, 2);
}
