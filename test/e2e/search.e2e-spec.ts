import request from 'supertest';
import { conversationUser, snippetOf, threadWith } from '../support/conversation-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('full-text search', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  const search = (cookie: string, query: Record<string, string>) =>
    request(app.baseUrl).get('/api/search').query(query).set('Cookie', cookie);

  it('finds words in messages and titles, ranked (titles first), with a highlighted snippet and the message to jump to', async () => {
    const user = await conversationUser(app);
    const planning = await threadWith(app, user.cookie, 'Zanzibar holiday', [
      'Where should we stay?',
      'A guesthouse in Stone Town on Zanzibar is close to the market. ' + 'Plenty of other words fill this long reply. '.repeat(20),
    ]);
    const other = await threadWith(app, user.cookie, 'Groceries', ['Buy milk', 'Zanzibar spices are on the list too, zanzibar cloves']);

    const found = await search(user.cookie, { q: 'zanzibar' }).expect(200);
    expect(found.body.hasMore).toBe(false);
    const hits = found.body.results;
    expect(hits.map((hit: any) => [hit.kind, hit.messageId])).toEqual([
      ['title', null],
      ['message', other.messageIds[1]],
      ['message', planning.messageIds[1]],
    ]);
    expect(hits[0]).toMatchObject({ threadId: planning.threadId, threadTitle: 'Zanzibar holiday', role: null, threadIsArchived: false });
    expect(hits[1]).toMatchObject({ threadId: other.threadId, threadTitle: 'Groceries', role: 'assistant' });
    expect(hits[0].rank).toBeGreaterThan(hits[1].rank);
    expect(hits[1].rank).toBeGreaterThan(hits[2].rank);
    expect(snippetOf(hits[1])).toEqual({ text: 'Zanzibar spices are on the list too, zanzibar cloves', highlighted: ['Zanzibar', 'zanzibar'] });
    expect(snippetOf(hits[2]).highlighted).toEqual(['Zanzibar']);
    expect(snippetOf(hits[2]).text.length).toBeLessThan(400);
    expect(Object.keys(hits[2]).sort()).toEqual(
      ['createdAt', 'kind', 'messageId', 'rank', 'role', 'snippet', 'threadId', 'threadIsArchived', 'threadTitle'].sort(),
    );

    // Web-search syntax: a phrase, an exclusion.
    const phrase = await search(user.cookie, { q: '"stone town" -milk' }).expect(200);
    expect(phrase.body.results.map((hit: any) => hit.messageId)).toEqual([planning.messageIds[1]]);
    const excluded = await search(user.cookie, { q: 'zanzibar -cloves' }).expect(200);
    expect(excluded.body.results.map((hit: any) => hit.messageId)).toEqual([null, planning.messageIds[1]]);

    // Pages: limit and offset, with hasMore.
    const first = await search(user.cookie, { q: 'zanzibar', limit: '2' }).expect(200);
    expect(first.body).toMatchObject({ hasMore: true });
    const second = await search(user.cookie, { q: 'zanzibar', limit: '2', offset: '2' }).expect(200);
    expect(second.body.hasMore).toBe(false);
    expect([...first.body.results, ...second.body.results].map((hit: any) => hit.messageId)).toEqual(hits.map((hit: any) => hit.messageId));
  });

  it("never shows another user's messages or titles", async () => {
    const owner = await conversationUser(app);
    const other = await conversationUser(app);
    await threadWith(app, owner.cookie, 'Quetzalcoatl notes', ['quetzalcoatl is a feathered serpent']);
    expect((await search(owner.cookie, { q: 'quetzalcoatl' }).expect(200)).body.results).toHaveLength(2);
    expect((await search(other.cookie, { q: 'quetzalcoatl' }).expect(200)).body).toEqual({ results: [], hasMore: false, capped: false });
    expect((await search(other.cookie, { q: 'quetzalcoatl', includeArchived: 'true' }).expect(200)).body.results).toEqual([]);
  });

  it('searches archived threads only on request, and trashed threads never', async () => {
    const user = await conversationUser(app);
    const archived = await threadWith(app, user.cookie, null, ['the xylophone lesson']);
    const trashed = await threadWith(app, user.cookie, 'Xylophone repair', ['xylophone mallets']);
    const kept = await threadWith(app, user.cookie, null, ['a xylophone concert']);
    await request(app.baseUrl).patch(`/api/threads/${archived.threadId}`).set('Cookie', user.cookie).send({ isArchived: true }).expect(200);
    await request(app.baseUrl).delete(`/api/threads/${trashed.threadId}`).set('Cookie', user.cookie).expect(200);

    const plain = await search(user.cookie, { q: 'xylophone' }).expect(200);
    expect(plain.body.results.map((hit: any) => hit.threadId)).toEqual([kept.threadId]);
    const withArchived = await search(user.cookie, { q: 'xylophone', includeArchived: 'true' }).expect(200);
    expect(withArchived.body.results.map((hit: any) => hit.threadId).sort()).toEqual([archived.threadId, kept.threadId].sort());
    expect(withArchived.body.results.find((hit: any) => hit.threadId === archived.threadId).threadIsArchived).toBe(true);

    await request(app.baseUrl).post(`/api/threads/${trashed.threadId}/restore`).set('Cookie', user.cookie).expect(200);
    const restored = await search(user.cookie, { q: 'xylophone' }).expect(200);
    expect(restored.body.results.filter((hit: any) => hit.threadId === trashed.threadId)).toHaveLength(2);
  });

  it('keeps the title filter of the thread list as it was (substring, case-insensitive)', async () => {
    const user = await conversationUser(app);
    const thread = await threadWith(app, user.cookie, 'Budgeting for 2027', []);
    const listed = await request(app.baseUrl).get('/api/threads').query({ search: 'BUDGET' }).set('Cookie', user.cookie).expect(200);
    expect(listed.body.map((item: any) => item.id)).toEqual([thread.threadId]);
  });

  it('answers a hostile query with 400 or results, never a 500', async () => {
    const user = await conversationUser(app);
    await threadWith(app, user.cookie, 'Odd', ['plain words & symbols: <b>bold</b> \uE000marks\uE001 \'quoted\' "x"']);
    const tooLong = await search(user.cookie, { q: 'a'.repeat(201) });
    expect({ status: tooLong.status, code: tooLong.body.code, field: tooLong.body.details?.[0]?.field }).toEqual({
      status: 400,
      code: 'validation_failed',
      field: 'q',
    });
    const refusedQueries: Array<Record<string, string>> = [{ q: '' }, { q: '   ' }, { q: 'a', limit: '51' }, { q: 'a', limit: '0' }, { q: 'a', offset: '1001' }, { q: 'a', includeArchived: 'yes' }];
    for (const query of refusedQueries) {
      const refused = await search(user.cookie, query);
      expect({ query, status: refused.status, code: refused.body.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
    const missing = await request(app.baseUrl).get('/api/search').set('Cookie', user.cookie);
    expect({ status: missing.status, details: missing.body.details }).toEqual({
      status: 400,
      details: [{ field: 'q', message: 'q is required: the words to find' }],
    });
    const hostile = [
      '!!!',
      'a & | ! <-> :* ( ) \\',
      "'; DROP TABLE messages; --",
      '"unterminated phrase',
      '-',
      'or or or',
      '\u0000',
      '\uE000marks\uE001',
      '<b>bold</b>',
      '\ud83d\ude00 emoji',
      'x'.repeat(200),
      `${'a '.repeat(99)}b`,
      'the',
    ];
    for (const q of hostile) {
      const response = await search(user.cookie, { q });
      expect({ q, status: response.status < 500, ok: response.status === 200 || response.status === 400 }).toEqual({ q, status: true, ok: true });
      if (response.status === 200) {
        for (const hit of response.body.results) expect(snippetOf(hit).text).not.toMatch(/[\uE000\uE001]/);
      }
    }
    const marks = await search(user.cookie, { q: 'marks' }).expect(200);
    expect(snippetOf(marks.body.results[0])).toMatchObject({ highlighted: ['marks'] });
    // The snippet is plain text: the parser leaves markup out.
    expect(snippetOf(marks.body.results[0]).text).toBe("plain words & symbols:  bold  marks 'quoted");
  });
});

describe('SEARCH_LANGUAGE', () => {
  it('rebuilds the search columns for a new language at start: english stems words that simple keeps as they are', async () => {
    const simple = await startTestApp();
    const user = await conversationUser(simple);
    let english: TestApp | undefined;
    try {
      const thread = await threadWith(simple, user.cookie, 'Running shoes', ['She runs every morning']);
      const find = (app: TestApp, q: string) => request(app.baseUrl).get('/api/search').query({ q }).set('Cookie', user.cookie).expect(200);
      expect((await find(simple, 'running')).body.results.map((hit: any) => hit.kind)).toEqual(['title']);
      await simple.app.close();

      english = await startTestApp({ database: simple.database, env: { SEARCH_LANGUAGE: 'english' } });
      expect(english.logs.entries().some((entry) => entry.msg === 'search indexes rebuilt for SEARCH_LANGUAGE')).toBe(true);
      const stemmed = await find(english, 'running');
      expect(stemmed.body.results.map((hit: any) => [hit.kind, hit.messageId])).toEqual([
        ['title', null],
        ['message', thread.messageIds[0]],
      ]);
      expect(snippetOf(stemmed.body.results[1]).highlighted).toEqual(['runs']);
      const [expression] = await english.dataSource.query(
        `SELECT pg_get_expr(d.adbin, d.adrelid) AS text FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
          WHERE d.adrelid = 'messages'::regclass AND a.attname = 'search_vector'`,
      );
      expect(expression.text).toContain("'english'::regconfig");
    } finally {
      await english?.app.close();
      await simple.database.drop();
    }
  });

  it('is one of the text search configurations PostgreSQL ships', async () => {
    await expect(startTestApp({ env: { SEARCH_LANGUAGE: 'klingon' } })).rejects.toThrow(/SEARCH_LANGUAGE must be one of simple, arabic/);
  });
});

describe('the search statement', () => {
  it('can read messages and titles through their GIN indexes', async () => {
    const app = await startTestApp();
    try {
      const user = await conversationUser(app);
      const others = await conversationUser(app);
      // 20,000 messages in 1,000 threads of this user and 2,000 of another, about 1 in 200 holding the word
      // (at scale the planner picks the indexes by itself; here they must at least be usable by the statement).
      await app.dataSource.query(
        `WITH t AS (INSERT INTO threads (user_id, title) SELECT u, 'thread ' || i FROM (VALUES ($1::uuid, 1000), ($2::uuid, 100)) owners(u, n), generate_series(1, n) i RETURNING id, user_id)
         INSERT INTO messages (thread_id, user_id, role, content)
         SELECT t.id, t.user_id, 'assistant', CASE WHEN random() < 0.005 THEN 'the rare quokka ' || g ELSE 'common words ' || md5(random()::text) END
           FROM t CROSS JOIN generate_series(1, 20) g`,
        [user.userId, others.userId],
      );
      // VACUUM moves the new rows from the GIN indexes' pending lists into the indexes, as autovacuum does.
      await app.dataSource.query('VACUUM ANALYZE messages');
      await app.dataSource.query('VACUUM ANALYZE threads');
      const { SearchRepository } = await import('../../src/search/search.repository.js');
      let statement: { text: string; params: unknown[] } | undefined;
      const capture = new SearchRepository({ prepared: async (text: string, params: unknown[]) => ((statement = { text, params }), []) } as never);
      await capture.search({ userId: user.userId, language: 'simple', query: 'quokka', includeArchived: false, limit: 21, offset: 0, maxCandidates: 200 });
      // A table this small is read whole; the question is whether the statement's shape lets the planner use the indexes at all.
      const plan = await app.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL enable_seqscan = off');
        return ((await manager.query(`EXPLAIN ${statement!.text}`, statement!.params)) as any[]).map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain('messages_search_document_idx');
      expect(plan).toContain('threads_user_id_title_search_vector_idx');
      const found = await request(app.baseUrl).get('/api/search').query({ q: 'quokka', limit: '50' }).set('Cookie', user.cookie).expect(200);
      expect(found.body.results.length).toBeGreaterThan(0);
      expect(found.body.results.every((hit: any) => snippetOf(hit).highlighted[0] === 'quokka')).toBe(true);
    } finally {
      await app.close();
    }
  });
});
