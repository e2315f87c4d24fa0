import request from 'supertest';
import { conversationUser, threadWith, type ConversationUser } from '../support/conversation-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CANDIDATES = 12;
const MESSAGES = 400;

/** Words by how often they occur: alpha in every other message, beta in one in seven, gamma in one in fifty and in the messages dated farthest ahead and back; phrases both ways round. */
function contentOf(index: number): string {
  const words = [`note ${index}`];
  if (index % 2 === 0) words.push('alpha');
  if (index % 7 === 0) words.push('beta');
  if (index % 50 === 0 || index === 1 || index === 3) words.push('gamma');
  words.push(index % 3 === 0 ? 'delta epsilon' : 'epsilon zeta delta');
  return words.join(' ');
}

/**
 * Message search reads the owner's messages through windows of days, newest
 * first, until it has the newest SEARCH_MAX_CANDIDATES matches: whatever the
 * words and however the messages spread over time (a burst today, years of
 * history, dates far in the past or ahead), the messages ranked are exactly
 * the newest matches, as a plain scan of every message would find them.
 */
describe('search windows of time', () => {
  let app: TestApp;
  let owner: ConversationUser;
  let archivedThreadId: string;

  /** `MESSAGES` messages in a thread of `user`, message i about i^1.6 hours old, some dated ahead and some decades back. */
  async function seed(user: ConversationUser, title: string): Promise<string> {
    const { threadId } = await threadWith(app, user.cookie, title, []);
    await app.dataSource.query(
      `INSERT INTO messages (thread_id, user_id, role, content, status, created_at)
       SELECT $1, $2, 'user', c.content,  'completed',
              CASE WHEN c.i = 1 THEN now() + interval '400 days'
                   WHEN c.i = 2 THEN now() + interval '3 days'
                   WHEN c.i = 3 THEN timestamptz '1971-02-03 04:05:06+00'
                   ELSE now() - make_interval(secs => power(c.i, 1.6) * 3600 + c.i) END
         FROM unnest($3::text[]) WITH ORDINALITY AS c(content, i)`,
      [threadId, user.userId, Array.from({ length: MESSAGES }, (_, index) => contentOf(index + 1))],
    );
    return threadId;
  }

  beforeAll(async () => {
    app = await startTestApp({ env: { SEARCH_MAX_CANDIDATES: String(CANDIDATES) } });
    owner = await conversationUser(app);
    const other = await conversationUser(app);
    await seed(owner, 'Field notes');
    archivedThreadId = await seed(owner, 'Old notes');
    await request(app.baseUrl).patch(`/api/threads/${archivedThreadId}`).set('Cookie', owner.cookie).send({ isArchived: true }).expect(200);
    const trashed = await seed(owner, 'Discarded notes');
    await request(app.baseUrl).delete(`/api/threads/${trashed}`).set('Cookie', owner.cookie).expect(200);
    // Another account with the same words at the same times: it shares the index, never the answers.
    await seed(other, 'Field notes');
  });

  afterAll(async () => {
    await app?.close();
  });

  /** The newest matches of the owner's visible messages, by a plain scan. */
  async function newestMatches(q: string, includeArchived: boolean): Promise<{ ids: string[]; total: number }> {
    const rows = (await app.dataSource.query(
      `SELECT m.id, count(*) OVER () AS total FROM messages m JOIN threads t ON t.id = m.thread_id
        WHERE m.user_id = $1 AND t.deleted_at IS NULL AND ($3 OR NOT t.is_archived)
          AND m.search_vector @@ websearch_to_tsquery('simple', $2)
        ORDER BY m.created_at DESC LIMIT ${CANDIDATES}`,
      [owner.userId, q, includeArchived],
    )) as Array<{ id: string; total: string }>;
    return { ids: rows.map((row) => row.id), total: Number(rows[0]?.total ?? 0) };
  }

  const queries = ['alpha', 'beta', 'gamma', 'alpha beta', '"delta epsilon"', 'beta -alpha', '-alpha', 'beta -"delta epsilon"', 'alpha or gamma', 'unheard'];

  it.each(queries.flatMap((q) => [false, true].map((includeArchived) => [q, includeArchived] as const)))(
    'ranks exactly the newest matches for %s (archived included: %s)',
    async (q, includeArchived) => {
      const expected = await newestMatches(q, includeArchived);
      const response = await request(app.baseUrl)
        .get('/api/search')
        .query({ q, includeArchived: String(includeArchived), limit: '50' })
        .set('Cookie', owner.cookie)
        .expect(200);
      const found = response.body.results.filter((hit: { kind: string }) => hit.kind === 'message').map((hit: { messageId: string }) => hit.messageId);
      expect(found.sort()).toEqual([...expected.ids].sort());
      expect(response.body.capped).toBe(expected.total >= CANDIDATES);
      if (!includeArchived) expect(response.body.results.some((hit: { threadId: string }) => hit.threadId === archivedThreadId)).toBe(false);
    },
  );

  it('reads a few dozen windows at most when the matches stop early and the history is long', async () => {
    // A dozen-minus-one matches today, nothing else for forty years: every window after the first finds nothing
    // more, and the windows must still grow geometrically to reach the first message.
    const sparse = await conversationUser(app);
    const { threadId } = await threadWith(app, sparse.cookie, 'Sparse', []);
    await app.dataSource.query(
      `INSERT INTO messages (thread_id, user_id, role, content, created_at)
       SELECT $1, $2, 'user', CASE WHEN g = 0 THEN 'filler' ELSE 'omega ' || g END,
              CASE WHEN g = 0 THEN now() - interval '40 years' ELSE now() - make_interval(mins => g) END
         FROM generate_series(0, ${CANDIDATES - 1}) g`,
      [threadId, sparse.userId],
    );
    const { SearchRepository } = await import('../../src/search/search.repository.js');
    let statement: { text: string; params: unknown[] } | undefined;
    const capture = new SearchRepository({ prepared: async (text: string, params: unknown[]) => ((statement = { text, params }), []) } as never);
    await capture.search({ userId: sparse.userId, language: 'simple', query: 'omega', includeArchived: false, limit: 21, offset: 0, maxCandidates: CANDIDATES });
    const plan = ((await app.dataSource.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${statement!.text}`, statement!.params)) as any[]).map((row) => row['QUERY PLAN']);
    const windows = Number(/Recursive Union \(actual rows=(\d+)/.exec(plan.join('\n'))?.[1]);
    expect(windows).toBeGreaterThan(1);
    expect(windows).toBeLessThanOrEqual(40);
    const found = await request(app.baseUrl).get('/api/search').query({ q: 'omega' }).set('Cookie', sparse.cookie).expect(200);
    expect(found.body.results).toHaveLength(CANDIDATES - 1);
  });

  it('finds a rare word however old it is', async () => {
    const expected = await newestMatches('gamma', false);
    expect(expected.total).toBeLessThan(CANDIDATES);
    const found = await request(app.baseUrl).get('/api/search').query({ q: 'gamma' }).set('Cookie', owner.cookie).expect(200);
    expect(found.body.results).toHaveLength(expected.total);
    // It is found decades back and more than a year ahead.
    const [{ oldest, newest }] = (await app.dataSource.query(
      `SELECT min(created_at) < now() - interval '40 years' AS oldest, max(created_at) > now() + interval '1 year' AS newest FROM messages WHERE id = ANY($1)`,
      [found.body.results.map((hit: { messageId: string }) => hit.messageId)],
    )) as Array<{ oldest: boolean; newest: boolean }>;
    expect({ oldest, newest }).toEqual({ oldest: true, newest: true });
  });
});
