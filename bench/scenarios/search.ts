import { performance } from 'node:perf_hooks';
import { check, figure, withPlatform, type BenchContext, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { median, percentile, round } from '../lib/stats.js';
import { EnvReader } from '../../src/config/env-reader.js';
import { readSearchConfig } from '../../src/config/search.js';
import { treeCpuMicros } from '../lib/proc.js';
import { keepAliveAgent, send } from '../lib/http.js';
import { SearchRepository } from '../../src/search/search.repository.js';

const S = 'search';
const CONCURRENCY = 10;
const SECONDS = 10;
const THREADS = 1_000;
const MESSAGES_PER_THREAD = 100;
/** Other accounts, and each one's messages: their rows share the table and its index. */
const OTHER_USERS = 10;
const OTHER_MESSAGES_EACH = 100_000;
/** A vocabulary of generated words, drawn with a skew (power of a uniform draw) so some are common and most are rare. */
const VOCABULARY = 5_000;
const WORDS_PER_MESSAGE = 40;
const SKEW = 3;

/** Word n of the vocabulary: letters only, distinct, the same on every run. */
function word(index: number): string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'pe', 'du', 'ga', 'ze', 'fo', 'bi', 'hu', 'ja'];
  let text = '';
  let rest = index + syllables.length;
  while (rest > 0) {
    text += syllables[rest % syllables.length];
    rest = Math.floor(rest / syllables.length);
  }
  return text;
}

/** Pieces of generated text that messages are made of, two each: drawing every word of 1,100,000 messages would take minutes. */
const PIECES = 20_000;

async function seedPieces(context: BenchContext): Promise<void> {
  await context.fixture.db.query(`CREATE TABLE IF NOT EXISTS bench_search_pieces (n int PRIMARY KEY, text text NOT NULL)`);
  await context.fixture.db.query(
    `INSERT INTO bench_search_pieces (n, text)
     SELECT p, (SELECT string_agg(($1::text[])[1 + floor(power(random(), ${SKEW}) * ${VOCABULARY})::int], ' ')
                  FROM generate_series(1, ${WORDS_PER_MESSAGE / 2}) w WHERE p >= 0 AND w > 0)
       FROM generate_series(1, ${PIECES}) p ON CONFLICT (n) DO NOTHING`,
    [Array.from({ length: VOCABULARY }, (_, index) => word(index))],
  );
}

/** Messages of generated text for `threadIds` of one user, written with SQL (the tsvector is PostgreSQL's to build). */
async function seedMessages(context: BenchContext, userId: string, threadIds: string[], perThread: number): Promise<void> {
  await context.fixture.db.query(
    `INSERT INTO messages (thread_id, user_id, role, content, status, created_at, updated_at)
     SELECT r.thread_id, $1, CASE WHEN r.g % 2 = 1 THEN 'user' ELSE 'assistant' END, a.text || ' ' || b.text,
            'completed', now() - make_interval(mins => (($3 - r.g) * 1000 + r.k)::int), now()
       FROM (SELECT t.id AS thread_id, t.k, g, 1 + floor(random() * ${PIECES})::int AS first, 1 + floor(random() * ${PIECES})::int AS second
               FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, k) CROSS JOIN generate_series(1, $3) AS g) r
       JOIN bench_search_pieces a ON a.n = r.first
       JOIN bench_search_pieces b ON b.n = r.second
      ORDER BY r.g, r.k DESC`,
    [userId, threadIds, perThread],
  );
}

async function seedThreads(context: BenchContext, user: BenchUser, count: number, perThread: number): Promise<void> {
  const { rows } = await context.fixture.db.query<{ id: string }>(
    `INSERT INTO threads (user_id, assistant_id, title, message_count, tree_size, last_message_at, last_activity_at)
     SELECT $1, $2, 'Search thread ' || g, $3, $3, now(), now() - make_interval(secs => g) FROM generate_series(1, $4) AS g RETURNING id`,
    [user.id, user.assistantId, perThread, count],
  );
  const ids = rows.map((row) => row.id);
  for (let start = 0; start < ids.length; start += 100) await seedMessages(context, user.id, ids.slice(start, start + 100), perThread);
}

/**
 * The queries measured, by how many of the user's messages match: the most
 * common words, middling ones, rare ones, two words, a phrase and a word
 * with an exclusion.
 */
function queries(): Array<{ kind: string; q: string }> {
  const at = (rank: number) => word(rank);
  return [
    ...[0, 1, 2, 5].map((rank) => ({ kind: 'common', q: at(rank) })),
    ...[40, 120, 300, 600].map((rank) => ({ kind: 'middling', q: at(rank) })),
    ...[2_000, 3_500, 4_900].map((rank) => ({ kind: 'rare', q: at(rank) })),
    { kind: 'two words', q: `${at(3)} ${at(200)}` },
    { kind: 'phrase', q: `"${at(0)} ${at(1)}"` },
    { kind: 'exclusion', q: `${at(50)} -${at(0)}` },
  ];
}

interface Sample {
  kind: string;
  ms: number;
  ok: boolean;
  results: number;
}

/**
 * `CONCURRENCY` clients for `SECONDS`, each cycling through the queries, over
 * kept-alive node:http connections (the lightest client at hand: the load
 * generator shares the machine's cores with the platform and PostgreSQL).
 */
async function drive(url: string, cookie: string, list: Array<{ kind: string; q: string }>): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, client) => {
      for (let index = client; performance.now() < deadline; index++) {
        const started = performance.now();
        const { kind, q } = list[index % list.length];
        const response = await send({ method: 'GET', url: `${url}/api/search?q=${encodeURIComponent(q)}`, headers: { cookie }, agent: keepAliveAgent, keepChars: Infinity });
        const body = (response.status === 200 ? JSON.parse(response.body) : {}) as { results?: unknown[] };
        samples.push({ kind, ms: performance.now() - started, ok: response.status === 200, results: body.results?.length ?? 0 });
      }
    }),
  );
  return samples;
}

/**
 * Full-text search (GET /api/search) for a user with 100,000 messages over
 * 1,000 threads, while 10 other accounts hold 1,000,000 more in the same
 * table: latency at 10 concurrent clients over a mix of common, middling and
 * rare words; and the plan PostgreSQL uses (it must go through the GIN index).
 */
export const search: Scenario = async (context) => {
  const { fixture } = context;
  return withPlatform(context, S, {}, async (platform) => {
    const started = performance.now();
    const [user, ...others] = await fixture.namedUsers(['search', ...Array.from({ length: OTHER_USERS }, (_, index) => `search-other-${index}`)], platform.url);
    await seedPieces(context);
    await seedThreads(context, user, THREADS, MESSAGES_PER_THREAD);
    for (const other of others) await seedThreads(context, other, OTHER_MESSAGES_EACH / 1_000, 1_000);
    await fixture.db.query('VACUUM ANALYZE messages');
    await fixture.db.query('ANALYZE threads');
    context.log(`  seeded ${THREADS * MESSAGES_PER_THREAD + OTHER_USERS * OTHER_MESSAGES_EACH} messages in ${round((performance.now() - started) / 1000, 1)} s`);

    const list = queries();
    const counts = await Promise.all(
      list.map(async ({ kind, q }) => {
        const { rows } = await fixture.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM messages WHERE user_id = $1 AND search_vector @@ websearch_to_tsquery('simple', $2)`,
          [user.id, q],
        );
        return { kind, q, matches: rows[0].n };
      }),
    );
    context.log(`  queries (matches among the user's messages): ${counts.map((entry) => `${entry.kind} ${entry.matches}`).join(', ')}`);
    const rare = list.find((entry) => entry.kind === 'rare')!;
    const plans = { common: await explain(context, user.id, list[0].q), rare: await explain(context, user.id, rare.q) };
    for (const [kind, plan] of Object.entries(plans)) {
      const scans = plan.filter((line) => /Scan|Execution Time/.test(line)).map((line) => `    ${line.trim()}`);
      context.log(`  plan for a ${kind} word, its scans:\n${scans.join('\n')}`);
    }

    // Warm-up over every query kind (each connection of the pool prepares the statement; the code paths of each kind are compiled).
    await drive(platform.url, user.cookie, list);
    const rounds: Array<{
      p50: number;
      p99: number;
      perSecond: number;
      failed: number;
      platformMicros: number;
      postgresMicros: number | null;
      clientMicros: number;
      p50ByKind: Record<string, number>;
    }> = [];
    for (let run = 0; run < context.runs; run++) {
      const cpuBefore = { platform: platform.cpuMicros(), postgres: treeCpuMicros(context.db.postmasterPid), client: process.cpuUsage() };
      const samples = await drive(platform.url, user.cookie, list);
      const times = samples.map((sample) => sample.ms);
      const postgresMicros = treeCpuMicros(context.db.postmasterPid) - cpuBefore.postgres;
      const client = process.cpuUsage(cpuBefore.client);
      rounds.push({
        p50: round(percentile(times, 50), 1),
        p99: round(percentile(times, 99), 1),
        perSecond: Math.round(samples.length / SECONDS),
        failed: samples.filter((sample) => !sample.ok).length,
        // CPU of one search, by party (PostgreSQL only when the bench started it).
        platformMicros: Math.round((platform.cpuMicros() - cpuBefore.platform) / samples.length),
        postgresMicros: context.db.postmasterPid ? Math.round(postgresMicros / samples.length) : null,
        clientMicros: Math.round((client.user + client.system) / samples.length),
        p50ByKind: Object.fromEntries(
          [...new Set(list.map((entry) => entry.kind))].map((kind) => [kind, round(percentile(samples.filter((sample) => sample.kind === kind).map((sample) => sample.ms), 50), 1)]),
        ),
      });
      context.log(`  round ${run + 1}: ${JSON.stringify(rounds.at(-1))}`);
    }
    const usesIndex = plans.rare.some((line) => line.includes('Bitmap Index Scan on messages_search_document_idx'));
    return {
      figures: [
        figure(S, `search p99 @${CONCURRENCY} (100,000 messages of the user, 1,000,000 of others)`, median(rounds.map((entry) => entry.p99)), 'ms', { op: '<=', limit: 50 }),
        figure(S, `search p50 @${CONCURRENCY}`, median(rounds.map((entry) => entry.p50)), 'ms'),
        figure(S, `searches per second @${CONCURRENCY}`, median(rounds.map((entry) => entry.perSecond)), 'req/s'),
        figure(S, 'platform CPU per search', median(rounds.map((entry) => entry.platformMicros)), 'µs'),
        ...(rounds[0]?.postgresMicros === null ? [] : [figure(S, 'PostgreSQL CPU per search', median(rounds.map((entry) => entry.postgresMicros ?? 0)), 'µs')]),
        figure(S, 'load generator CPU per search', median(rounds.map((entry) => entry.clientMicros)), 'µs'),
        check(S, "a rare word is found through the GIN index of the owner's words and time windows", usesIndex),
        check(S, 'every search answered 200', rounds.every((entry) => entry.failed === 0)),
      ],
      details: { concurrency: CONCURRENCY, secondsPerRun: SECONDS, queries: counts, plans, rounds },
    };
  });
};

/** EXPLAIN ANALYZE of the statement the platform runs for one query (captured from its repository). */
async function explain(context: BenchContext, userId: string, q: string): Promise<string[]> {
  let statement: { text: string; params: unknown[] } | undefined;
  const capture = new SearchRepository({ prepared: async (text: string, params: unknown[]) => ((statement = { text, params }), []) } as never);
  await capture.search({ userId, language: 'simple', query: q, includeArchived: false, limit: 21, offset: 0, maxCandidates: readSearchConfig(new EnvReader(context.platformEnv)).maxCandidates });
  const { rows } = await context.fixture.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${statement!.text}`, statement!.params);
  return rows.map((row) => row['QUERY PLAN']);
}
