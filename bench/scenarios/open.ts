import { performance } from 'node:perf_hooks';
import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import { RssSampler } from '../lib/proc.js';
import { round } from '../lib/stats.js';
import type { StreamResult } from '../lib/sse.js';
import { chatTurn } from '../lib/turns.js';

const S = 'open';
const STREAMS = 1_000;
const USERS = 20;
/** One delta a second for this long: every stream stays open about that many seconds. */
const DELTAS = 30;
const HEARTBEAT_MS = 2_000;
const MIB = 1024 ** 2;
/** The target is in MB (10^6 bytes): at most 200,000,000 bytes resident with every stream open. */
const MB = 1_000_000;
const PEAK_RSS_TARGET_MB = 200;

/**
 * 1,000 concurrent streams held open by a slow provider (one delta a second):
 * all stay open and get heartbeats; the platform's resident memory is sampled
 * from /proc/<pid>/status throughout.
 */
export const open: Scenario = async (context) => {
  const { fixture, fake } = context;
  return withPlatform(context, S, { SSE_HEARTBEAT_MS: String(HEARTBEAT_MS) }, async (platform) => {
    const users = await fixture.ensureUsers(USERS, platform.url);
    const lists = await Promise.all(users.map((user) => fixture.createThreads(user, STREAMS / USERS, 2)));
    const turns = lists.flatMap((ids, index) => ids.map((threadId) => ({ user: users[index], threadId })));

    // Warm-up (fast replies), so the baseline is a process that has served chats.
    await fake.setDefault({ tokens: 5 });
    const warmThreads = await Promise.all(users.map((user) => fixture.createThreads(user, 2, 2)));
    await Promise.all(warmThreads.flatMap((ids, index) => ids.map((threadId) => chatTurn(platform, users[index], threadId))));
    const baseline = platform.memoryMiB();

    await fake.setDefault({ tokens: DELTAS, firstDeltaDelayMs: 1_000, deltaDelayMs: 1_000 });
    const sampler = new RssSampler(() => platform.memoryMiB()).start();
    const cpuBefore = platform.cpuMicros();
    const started = performance.now();
    const results: StreamResult[] = await Promise.all(
      turns.map(({ user, threadId }) => chatTurn(platform, user, threadId, { timeoutMs: (DELTAS + 60) * 1_000 })),
    );
    const seconds = (performance.now() - started) / 1000;
    sampler.stop();
    const cpu = platform.cpuMicros() - cpuBefore;
    // Rounded up to 0.1 MB, so the figure passes only when the peak is within 200,000,000 bytes.
    const peakRssMB = Math.ceil((sampler.peak * MIB) / (MB / 10)) / 10;

    const completed = results.filter((result) => result.done && !result.failure && !result.errorEvent && result.tokens === DELTAS).length;
    const heartbeatCounts = results.map((result) => result.heartbeats);
    const minHeartbeats = Math.min(...heartbeatCounts);
    const expectedHeartbeats = Math.floor((DELTAS * 1_000) / HEARTBEAT_MS) - 2;
    const maxGapMs = Math.max(
      ...results.map((result) => {
        let gap = 0;
        for (let index = 1; index < result.heartbeatTimes.length; index++) gap = Math.max(gap, result.heartbeatTimes[index] - result.heartbeatTimes[index - 1]);
        return gap;
      }),
    );
    // All were open at once when the last first token came before the first stream ended.
    const lastFirstToken = Math.max(...results.map((result) => result.ttftMs ?? Number.POSITIVE_INFINITY));
    const firstEnd = Math.min(...results.map((result) => result.endedAt)) - started;
    const failures = results.filter((result) => result.failure || result.errorEvent).slice(0, 5).map((result) => result.failure ?? JSON.stringify(result.errorEvent));
    const details = {
      streams: STREAMS,
      deltasPerStream: DELTAS,
      heartbeatMs: HEARTBEAT_MS,
      seconds: round(seconds, 1),
      baselineRssMiB: round(baseline, 1),
      peakRssMiB: round(sampler.peak, 1),
      peakRssMB,
      rssPerStreamKiB: round(((sampler.peak - baseline) * 1024) / STREAMS, 1),
      platformCpuCores: round(cpu / 1e6 / seconds, 3),
      completed,
      minHeartbeatsPerStream: minHeartbeats,
      expectedHeartbeatsPerStream: expectedHeartbeats,
      maxHeartbeatGapMs: Math.round(maxGapMs),
      lastFirstTokenMs: Math.round(lastFirstToken),
      firstStreamEndedMs: Math.round(firstEnd),
      failures,
    };
    context.log(`  ${JSON.stringify(details)}`);
    return {
      figures: [
        figure(S, 'peak RSS with 1,000 open streams', peakRssMB, 'MB', { op: '<=', limit: PEAK_RSS_TARGET_MB }),
        figure(S, 'RSS before the streams', round(baseline, 1), 'MiB'),
        check(S, 'all 1,000 streams open at once and complete', completed === STREAMS && lastFirstToken < firstEnd),
        check(S, `every stream got heartbeats (min ${minHeartbeats}, >= ${expectedHeartbeats})`, minHeartbeats >= expectedHeartbeats),
      ],
      details,
    };
  });
};
