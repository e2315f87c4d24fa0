import { captureRequests, explain, hasSeqScan } from '../lib/capture.js';
import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { load } from '../lib/load.js';
import { median, percentile, round } from '../lib/stats.js';
import { assertStreamOk, chatTurn, directTurn } from '../lib/turns.js';
import { TTFT_SCRIPT } from './ttft.js';

const S = 'growth';
const SAMPLES = 30;
const PAGE_CONNECTIONS = 10;
const PAGE_SECONDS = 5;
const LIST_FEW = 20;
const LIST_MANY = 10_000;

/**
 * Growth: added TTFT on a 10,000-message thread against a 10-message thread,
 * and a page of messages from a 100,000-message thread against a 100-message
 * thread, and the thread list of a user of 10,000 threads against one of 20,
 * measured in the same rounds; then the plans of the statements
 * involved, captured from the platform itself and EXPLAINed with their own
 * parameters.
 */
export const growth: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault(TTFT_SCRIPT);
  let user!: BenchUser;
  let long!: string;
  let small!: string;
  let big!: string;
  let anchorSmall!: string;
  let anchorBig!: string;
  let fewThreads!: BenchUser;
  let manyThreads!: BenchUser;

  // The 10,000-message thread takes more turns: the per-thread bound (10,000 by default) is raised for it.
  const measured = await withPlatform(context, S, { CHAT_MAX_THREAD_MESSAGES: '1000000' }, async (platform) => {
    [user, fewThreads, manyThreads] = await fixture.namedUsers(['growth', 'growth-few-threads', 'growth-many-threads'], platform.url);
    context.log('  seeding a 10,000-, a 100- and a 100,000-message thread, and users of 20 and 10,000 threads...');
    await fixture.createThreads(fewThreads, LIST_FEW, 0);
    await fixture.createThreads(manyThreads, LIST_MANY, 0);
    [long] = await fixture.createThreads(user, 1, 10_000);
    await fixture.markSummarized(long);
    [small] = await fixture.createThreads(user, 1, 100);
    [big] = await fixture.createThreads(user, 1, 100_000);
    await fixture.analyze();
    const middle = async (threadId: string, count: number) =>
      (await fixture.db.query<{ id: string }>('SELECT id FROM messages WHERE thread_id = $1 ORDER BY seq OFFSET $2 LIMIT 1', [threadId, count / 2])).rows[0].id;
    anchorSmall = await middle(small, 100);
    anchorBig = await middle(big, 100_000);

    // Warm-up, and the exact upstream request of each kind for the direct baseline.
    const shortThreads = async (count: number) => fixture.createThreads(user, count, 10);
    for (const threadId of await shortThreads(5)) await chatTurn(platform, user, threadId);
    const shortBody = await fake.lastResponsesBody();
    for (let index = 0; index < 5; index++) await chatTurn(platform, user, long);
    const longBody = await fake.lastResponsesBody();

    const rounds: Array<Record<string, number>> = [];
    for (let round = 0; round < context.runs; round++) {
      const fresh = await shortThreads(SAMPLES);
      const samples = { short: [] as number[], long: [] as number[], directShort: [] as number[], directLong: [] as number[] };
      for (let index = 0; index < SAMPLES; index++) {
        const a = await chatTurn(platform, user, fresh[index]);
        const b = await chatTurn(platform, user, long);
        const c = await directTurn(fake, shortBody);
        const d = await directTurn(fake, longBody);
        for (const [result, what] of [[a, 'short'], [b, 'long'], [c, 'direct short'], [d, 'direct long']] as const) assertStreamOk(result, what);
        samples.short.push(a.ttftMs!);
        samples.long.push(b.ttftMs!);
        samples.directShort.push(c.ttftMs!);
        samples.directLong.push(d.ttftMs!);
      }
      const addedShort = percentile(samples.short, 50) - percentile(samples.directShort, 50);
      const addedLong = percentile(samples.long, 50) - percentile(samples.directLong, 50);

      const page = (threadId: string, query: string) =>
        load(`${platform.url}/api/threads/${threadId}/messages?${query}`, { connections: PAGE_CONNECTIONS, seconds: PAGE_SECONDS, headers: { cookie: user.cookie } });
      const newestSmall = await page(small, 'limit=50');
      const newestBig = await page(big, 'limit=50');
      const beforeSmall = await page(small, `limit=50&before=${anchorSmall}`);
      const beforeBig = await page(big, `limit=50&before=${anchorBig}`);
      const list = (owner: BenchUser) =>
        load(`${platform.url}/api/threads?limit=20`, { connections: PAGE_CONNECTIONS, seconds: PAGE_SECONDS, headers: { cookie: owner.cookie } });
      const listFew = await list(fewThreads);
      const listMany = await list(manyThreads);
      const entry = {
        addedTtftShortP50Ms: round2(addedShort),
        addedTtftLongP50Ms: round2(addedLong),
        ttftRatio: round2(addedLong / addedShort),
        pageSmallMeanMs: newestSmall.meanMs,
        pageBigMeanMs: newestBig.meanMs,
        pageRatio: round2(newestBig.meanMs / newestSmall.meanMs),
        beforeSmallMeanMs: beforeSmall.meanMs,
        beforeBigMeanMs: beforeBig.meanMs,
        beforeRatio: round2(beforeBig.meanMs / beforeSmall.meanMs),
        listFewMeanMs: listFew.meanMs,
        listManyMeanMs: listMany.meanMs,
        listRatio: round2(listMany.meanMs / listFew.meanMs),
        pageSmallRps: newestSmall.requestsPerSecond,
        pageBigRps: newestBig.requestsPerSecond,
        errors: newestSmall.errors + newestBig.errors + beforeSmall.errors + beforeBig.errors + newestSmall.non2xx + newestBig.non2xx + beforeSmall.non2xx + beforeBig.non2xx +
          listFew.errors + listMany.errors + listFew.non2xx + listMany.non2xx,
      };
      rounds.push(entry);
      context.log(`  round ${round + 1}: ${JSON.stringify(entry)}`);
    }
    return rounds;
  });

  // The statements behind the two routes, from the platform itself, then their plans.
  context.log('  capturing the statements and their plans...');
  const captured = await captureRequests(context, `${S}-plans`, [
    {
      name: 'GET messages page (100,000-message thread)',
      run: (platform) => fetch(`${platform.url}/api/threads/${big}/messages?limit=50`, { headers: { cookie: user.cookie } }).then((r) => r.arrayBuffer()),
    },
    {
      name: 'GET messages page before a message (100,000-message thread)',
      run: (platform) => fetch(`${platform.url}/api/threads/${big}/messages?limit=50&before=${anchorBig}`, { headers: { cookie: user.cookie } }).then((r) => r.arrayBuffer()),
    },
    { name: 'POST /api/chat (10,000-message thread)', run: (platform) => chatTurn(platform, user, long) },
    {
      name: 'GET /api/threads (10,000 threads)',
      run: (platform) => fetch(`${platform.url}/api/threads?limit=20`, { headers: { cookie: manyThreads.cookie } }).then((r) => r.arrayBuffer()),
    },
  ]);
  const plans: Array<{ request: string; sql: string; plan: string[]; seqScan: boolean }> = [];
  for (const request of captured) {
    for (const statement of request.statements) {
      // Reads only (EXPLAIN ANALYZE runs the statement): a WITH may hold a write.
      const read = /^\s*(SELECT|WITH)\b/i.test(statement.sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(statement.sql);
      if (!read || !/\b(messages|threads)\b/i.test(statement.sql)) continue;
      const plan = await explain(context, statement);
      plans.push({ request: request.name, sql: statement.sql.replace(/\s+/g, ' ').trim(), plan, seqScan: hasSeqScan(plan) });
    }
  }
  for (const entry of plans) context.log(`\n  [${entry.request}] ${entry.sql.slice(0, 160)}\n    ${entry.plan.join('\n    ')}`);

  const listPlans = plans.filter((entry) => entry.request.startsWith('GET /api/threads'));
  const readsListIndex = (entry: { plan: string[] }) => entry.plan.some((line) => /Index Scan using threads_user_id_listed_idx/.test(line));
  const med = (key: string) => round2(median(measured.map((entry) => entry[key])));
  return {
    figures: [
      figure(S, 'added TTFT p50, 10-message thread', med('addedTtftShortP50Ms'), 'ms'),
      figure(S, 'added TTFT p50, 10,000-message thread', med('addedTtftLongP50Ms'), 'ms'),
      figure(S, 'added TTFT 10,000 ÷ 10 messages', med('ttftRatio'), 'x', { op: '<=', limit: 1.5 }),
      figure(S, 'newest page: 100,000 ÷ 100 messages (mean latency)', med('pageRatio'), 'x', { op: '<=', limit: 2 }),
      figure(S, 'page before the middle: 100,000 ÷ 100 messages', med('beforeRatio'), 'x', { op: '<=', limit: 2 }),
      // The page is read from the list's index; the total (X-Total-Count) still counts the user's threads.
      figure(S, 'thread list: 10,000 ÷ 20 threads (mean latency)', med('listRatio'), 'x'),
      check(S, 'thread list page read through threads_user_id_listed_idx', listPlans.length > 0 && listPlans.every(readsListIndex)),
      check(S, 'no Seq Scan on messages in the plans', plans.length > 0 && plans.every((entry) => !entry.seqScan)),
    ],
    details: {
      samplesPerRound: SAMPLES,
      pageLoad: { connections: PAGE_CONNECTIONS, seconds: PAGE_SECONDS },
      rounds: measured,
      roundTrips: captured.map((request) => ({ request: request.name, roundTrips: request.roundTrips })),
      plans,
    },
  };
};

function round2(value: number): number {
  return round(value, 2);
}
