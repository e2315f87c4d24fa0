import request from 'supertest';
import type { TestApp } from './test-app.js';

export const api = (app: TestApp) => request(app.baseUrl);

/** The ids a list route answers. */
export async function listedIds(app: TestApp, cookie: string, path: string): Promise<string[]> {
  const response = await api(app).get(path).set('Cookie', cookie).expect(200);
  return (response.body as Array<{ id: string }>).map((item) => item.id);
}

/** Rows left in the database for a thread (the thread itself, its messages). */
export async function threadRows(app: TestApp, threadId: string): Promise<{ threads: number; messages: number }> {
  const [row] = await app.dataSource.query(
    `SELECT (SELECT count(*)::int FROM threads WHERE id = $1) AS threads, (SELECT count(*)::int FROM messages WHERE thread_id = $1) AS messages`,
    [threadId],
  );
  return { threads: row.threads, messages: row.messages };
}

export async function assistantRows(app: TestApp, assistantId: string): Promise<number> {
  const [row] = await app.dataSource.query('SELECT count(*)::int AS count FROM assistants WHERE id = $1', [assistantId]);
  return row.count;
}

/** Moves an object's time in the trash back by `days`, as if it had been deleted that long ago. */
export async function trashedDaysAgo(app: TestApp, table: 'threads' | 'assistants', id: string, days: number): Promise<void> {
  await app.dataSource.query(`UPDATE ${table} SET deleted_at = now() - make_interval(days => $2) WHERE id = $1`, [id, days]);
}
