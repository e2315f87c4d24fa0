import request from 'supertest';
import { conversationUser, threadWith } from '../support/conversation-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CANDIDATES = 10;

/**
 * One search ranks at most SEARCH_MAX_CANDIDATES matches of each kind, the
 * newest: a word in every message costs what a rare word costs, and the
 * answer says when older matches were left out.
 */
describe('search work bounded by SEARCH_MAX_CANDIDATES', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ env: { SEARCH_MAX_CANDIDATES: String(CANDIDATES) } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const search = (cookie: string, q: string) => request(app.baseUrl).get('/api/search').query({ q, limit: '50' }).set('Cookie', cookie);

  it('ranks only the newest matches when there are more, and says so', async () => {
    const user = await conversationUser(app);
    const { threadId, messageIds } = await threadWith(
      app,
      user.cookie,
      'Notes',
      Array.from({ length: CANDIDATES + 6 }, (_, index) => `okapi sighting number ${index}${index === 0 ? ' okapi okapi okapi' : ''}`),
    );
    // Each message a minute older than the next, the first the oldest (and the best ranked: the word four times).
    await app.dataSource.query(`UPDATE messages SET created_at = now() - make_interval(mins => 100 - seq::int) WHERE thread_id = $1`, [threadId]);

    const capped = await search(user.cookie, 'okapi').expect(200);
    expect(capped.body.capped).toBe(true);
    const found = capped.body.results.map((hit: { messageId: string }) => hit.messageId);
    expect(found).toHaveLength(CANDIDATES);
    expect(new Set(found)).toEqual(new Set(messageIds.slice(-CANDIDATES)));

    // Fewer matches than the bound: every one is ranked, the oldest first for its rank.
    const few = await search(user.cookie, '"okapi okapi"').expect(200);
    expect(few.body.capped).toBe(false);
    expect(few.body.results.map((hit: { messageId: string }) => hit.messageId)).toEqual([messageIds[0]]);
  });

  it('bounds titles the same way, and states the bound in GET /config', async () => {
    const user = await conversationUser(app);
    for (let index = 0; index < CANDIDATES + 2; index++) await threadWith(app, user.cookie, `Gnu migration ${index}`, ['hello']);
    const titles = await search(user.cookie, 'gnu').expect(200);
    expect(titles.body.capped).toBe(true);
    expect(titles.body.results).toHaveLength(CANDIDATES);
    expect(titles.body.results.every((hit: { kind: string }) => hit.kind === 'title')).toBe(true);

    const none = await search(user.cookie, 'wildebeest').expect(200);
    expect(none.body).toEqual({ results: [], hasMore: false, capped: false });

    const config = await request(app.baseUrl).get('/config').expect(200);
    expect(config.body.limits.searchCandidates).toBe(CANDIDATES);
  });
});
