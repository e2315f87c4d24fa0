import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { figure, withPlatform, type Scenario } from '../lib/context.js';
import { BENCH_PASSWORD } from '../lib/fixture.js';
import { median, percentile, round } from '../lib/stats.js';
import { streamAgent } from '../lib/sse.js';

const S = 'logins';
const LOGINS = 20;
const SECONDS = 10;
/** The prober sends one GET /health, waits for it, pauses this long, and sends the next. */
const PROBE_PAUSE_MS = 5;

/**
 * One request on a kept-alive connection. A connection the server closed for
 * idleness just as it was reused is the client's race, not a failure of the
 * platform: that request is sent again (as Node's documentation advises).
 */
async function timedRequest(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; ms: number }> {
  try {
    return await timedRequestOnce(url, method, body);
  } catch (error) {
    if ((error as { reusedSocket?: boolean }).reusedSocket) return timedRequestOnce(url, method, body);
    throw error;
  }
}

function timedRequestOnce(url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; ms: number }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        method,
        hostname: target.hostname,
        port: target.port,
        path: target.pathname,
        agent: streamAgent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const reset = error.code === 'ECONNRESET' || error.message === 'socket hang up';
      reject(Object.assign(error, { reusedSocket: reset && req.reusedSocket }));
    });
    req.end(payload);
  });
}

/** Latencies of sequential GET /health probes (failed answers count too, with their latency). */
async function probeHealth(url: string, until: () => boolean, failures: { count: number } = { count: 0 }): Promise<number[]> {
  const latencies: number[] = [];
  while (!until()) {
    const { status, ms } = await timedRequest(url, 'GET');
    if (status !== 200) failures.count++;
    latencies.push(ms);
    await sleep(PROBE_PAUSE_MS);
  }
  return latencies;
}

/**
 * bcrypt off the event loop: GET /health latency while 20 clients sign in
 * over and over (BCRYPT_COST 12, the default), against the same probe with
 * no sign-ins, in the same rounds.
 */
export const logins: Scenario = async (context) => {
  const { fixture } = context;
  // Twenty clients keep the hashing queue full: a long admission wait keeps this about the event loop, not about 503s.
  return withPlatform(context, S, { BCRYPT_COST: '12', BCRYPT_QUEUE_WAIT_MS: '60000' }, async (platform) => {
    const users = await fixture.namedUsers(Array.from({ length: LOGINS }, (_, index) => `login-${index}`), platform.url);
    const health = `${platform.url}/health`;
    await probeHealth(health, (() => { const end = performance.now() + 1_000; return () => performance.now() > end; })());

    const rounds: Array<Record<string, number>> = [];
    for (let round = 0; round < context.runs; round++) {
      let end = performance.now() + 5_000;
      const idle = await probeHealth(health, () => performance.now() > end);

      end = performance.now() + SECONDS * 1_000;
      const cpuBefore = platform.cpuMicros();
      let signIns = 0;
      const failed = { count: 0 };
      const loginTimes: number[] = [];
      const workers = users.map(async (user) => {
        while (performance.now() < end) {
          const { status, ms } = await timedRequest(`${platform.url}/api/login`, 'POST', { email: user.email, password: BENCH_PASSWORD });
          if (status !== 200) failed.count++;
          else signIns++;
          loginTimes.push(ms);
        }
      });
      const [busy] = await Promise.all([probeHealth(health, () => performance.now() > end, failed), ...workers]);
      const cpu = platform.cpuMicros() - cpuBefore;
      const entry = {
        idleHealthP50Ms: round2(percentile(idle, 50)),
        idleHealthP99Ms: round2(percentile(idle, 99)),
        healthP50Ms: round2(percentile(busy, 50)),
        healthP99Ms: round2(percentile(busy, 99)),
        healthMaxMs: round2(Math.max(...busy)),
        healthSamples: busy.length,
        failedRequests: failed.count,
        loginsPerSecond: round2(signIns / SECONDS),
        loginP50Ms: round2(percentile(loginTimes, 50)),
        platformCpuCores: round2(cpu / 1e6 / SECONDS),
      };
      rounds.push(entry);
      context.log(`  round ${round + 1}: ${JSON.stringify(entry)}`);
    }
    const med = (key: string) => round2(median(rounds.map((entry) => entry[key])));
    return {
      figures: [
        figure(S, 'GET /health p99 during 20 concurrent logins', med('healthP99Ms'), 'ms', { op: '<=', limit: 50 }),
        figure(S, 'GET /health p99 without logins', med('idleHealthP99Ms'), 'ms'),
        figure(S, 'logins/s (bcrypt cost 12)', med('loginsPerSecond'), 'logins/s'),
        figure(S, 'failed logins or health checks during the logins', Math.max(...rounds.map((entry) => entry.failedRequests)), 'requests', { op: '<=', limit: 0 }),
      ],
      details: { concurrentLogins: LOGINS, secondsPerRun: SECONDS, probePauseMs: PROBE_PAUSE_MS, rounds },
    };
  });
};

function round2(value: number): number {
  return round(value, 2);
}
