import { performance } from 'node:perf_hooks';
import { withPlatform, type BenchContext } from './context.js';
import { inlineParams, PgProxy, type CapturedQuery } from './pg-proxy.js';
import type { Platform } from './processes.js';

export interface CapturedRequest {
  name: string;
  /** Round trips to PostgreSQL (one per simple query or Sync) before the response ended. */
  roundTrips: number;
  /** Statements sent after the response ended (background work such as batched counters). */
  afterResponse: number;
  /** Milliseconds from sending the request to each statement (through the proxy, so a little slower). */
  offsetsMs: number[];
  /** What the request's run function returned (e.g. a stream result with its TTFT). */
  value: unknown;
  statements: CapturedQuery[];
}

/**
 * Runs a platform whose database connection goes through a recording proxy
 * and records the statements behind each request (one request at a time, the
 * background workers slowed down so they stay out of the recording).
 */
export async function captureRequests(
  context: BenchContext,
  name: string,
  requests: Array<{ name: string; run: (platform: Platform) => Promise<unknown> }>,
  before?: (platform: Platform) => Promise<void>,
): Promise<CapturedRequest[]> {
  const proxy = await PgProxy.start(context.db.url);
  try {
    return await withPlatform(context, name, { DATABASE_URL: proxy.urlFor(context.db.url), UPSTREAM_SYNC_POLL_MS: '60000' }, async (platform) => {
      await before?.(platform);
      const captured: CapturedRequest[] = [];
      for (const request of requests) {
        await request.run(platform); // warm: prepared caches, first-use queries
        let started = 0;
        let ended = 0;
        const { queries, value } = await proxy.record(async () => {
          started = performance.now();
          const result = await request.run(platform);
          ended = performance.now();
          return result;
        });
        const during = queries.filter((query) => query.at <= ended).length;
        captured.push({
          name: request.name,
          roundTrips: during,
          afterResponse: queries.length - during,
          statements: queries,
          offsetsMs: queries.map((query) => Math.round((query.at - started) * 100) / 100),
          value,
        });
      }
      return captured;
    });
  } finally {
    await proxy.stop();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of a captured statement with its own parameters, as text lines. */
export async function explain(context: BenchContext, statement: { sql: string; params: Array<string | null> }): Promise<string[]> {
  const { rows } = await context.db.client.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, SUMMARY ON) ${inlineParams(statement.sql, statement.params)}`,
  );
  return rows.map((row) => row['QUERY PLAN']);
}

/** A sequential scan of the table that grows with the threads (small tables such as users may be scanned). */
export function hasSeqScan(plan: string[], table = 'messages'): boolean {
  return plan.some((line) => new RegExp(`Seq Scan on ${table}\\b`).test(line));
}
