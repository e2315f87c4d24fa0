import request from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { createDataSource } from '../../src/database/data-source.js';
import { runMigrationsLocked } from '../../src/database/migrations.js';
import { chatUser, messagesOf, threadOf } from '../support/chat-helpers.js';
import { startTestApp, testEnv } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

describe('the conversation tree migration', () => {
  it('turns each existing thread into one chain, a superseded reply becoming a sibling of its replacement, with counters of the active branch', async () => {
    const database = await createTestDatabase();
    try {
      // A user and threads made before the change (the schema as it was is the one the last migration reverts).
      let app = await startTestApp({ database, fake: true });
      const user = await chatUser(app);
      const newThread = () => request(app.baseUrl).post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id, title: 'Old' }).expect(201);
      const threadId = (await newThread()).body.id as string;
      const emptyId = (await newThread()).body.id as string;
      await app.close();

      const dataSource = createDataSource(loadConfig(testEnv(database.url)));
      await dataSource.initialize();
      const ids: Record<string, string> = {};
      try {
        // Back to just before the tree (later migrations are undone first, and run again below).
        for (;;) {
          const [last] = await dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1');
          await dataSource.undoLastMigration();
          if (last.name === 'ConversationTree1796600000000') break;
        }
        const old: Array<[string, 'user' | 'assistant', string, number | null, number | null]> = [
          ['Q1', 'user', 'completed', null, null],
          ['A1', 'assistant', 'superseded', 10, 5],
          ['A1b', 'assistant', 'superseded', 10, 6],
          ['A1c', 'assistant', 'completed', 10, 7],
          ['Q2', 'user', 'completed', null, null],
          ['A2', 'assistant', 'cancelled', 20, 3],
        ];
        for (const [content, role, status, inputTokens, outputTokens] of old) {
          const [row] = await dataSource.query(
            `INSERT INTO messages (thread_id, user_id, role, content, status, input_tokens, output_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
            [threadId, user.userId, role, content, status, inputTokens, outputTokens],
          );
          ids[content] = row.id;
        }
        // Counted the old way: every message and every reply's tokens, superseded ones included.
        await dataSource.query('UPDATE threads SET message_count = 6, input_tokens = 50, output_tokens = 21 WHERE id = $1', [threadId]);
        expect((await runMigrationsLocked(dataSource))[0]).toBe('ConversationTree1796600000000');

        const rows = await dataSource.query('SELECT content, status, parent_id, depth FROM messages WHERE thread_id = $1 ORDER BY seq', [threadId]);
        expect(rows).toEqual([
          { content: 'Q1', status: 'completed', parent_id: null, depth: 1 },
          { content: 'A1', status: 'completed', parent_id: ids.Q1, depth: 2 },
          { content: 'A1b', status: 'completed', parent_id: ids.Q1, depth: 2 },
          { content: 'A1c', status: 'completed', parent_id: ids.Q1, depth: 2 },
          { content: 'Q2', status: 'completed', parent_id: ids.A1c, depth: 3 },
          { content: 'A2', status: 'cancelled', parent_id: ids.Q2, depth: 4 },
        ]);
        const threads = await dataSource.query('SELECT id, active_leaf_id, message_count, tree_size, input_tokens, output_tokens FROM threads WHERE id = ANY($1) ORDER BY title, created_at', [
          [threadId, emptyId],
        ]);
        expect(threads).toEqual([
          { id: threadId, active_leaf_id: ids.A2, message_count: 4, tree_size: 6, input_tokens: '30', output_tokens: '10' },
          { id: emptyId, active_leaf_id: null, message_count: 0, tree_size: 0, input_tokens: '0', output_tokens: '0' },
        ]);
      } finally {
        await dataSource.destroy();
      }

      // The API reads the migrated thread as a tree.
      app = await startTestApp({ database, fake: true });
      try {
        const messages = await messagesOf(app, user.cookie, threadId);
        expect(messages.map((message: any) => [message.content, message.siblingCount, message.siblingIndex])).toEqual([
          ['Q1', 1, 1],
          ['A1c', 3, 3],
          ['Q2', 1, 1],
          ['A2', 1, 1],
        ]);
        expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 4, totalTokens: 40 });
        await request(app.baseUrl).post(`/api/threads/${threadId}/messages/${ids.A1}/activate`).set('Cookie', user.cookie).expect(200);
        expect((await messagesOf(app, user.cookie, threadId)).map((message: any) => message.content)).toEqual(['Q1', 'A1']);
        expect(await threadOf(app, user.cookie, threadId)).toMatchObject({ messageCount: 2, totalTokens: 15 });
      } finally {
        await app.close();
      }
    } finally {
      await database.drop();
    }
  });
});
