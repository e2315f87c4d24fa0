import request from 'supertest';
import type { TestApp } from './test-app.js';

/** The application's rows of a user's conversations: a refused turn leaves them as they were. */
export async function conversationRows(app: TestApp, userId: string): Promise<{ threads: number; messages: number; runs: number }> {
  const [row] = await app.dataSource.query(
    `SELECT (SELECT count(*) FROM threads WHERE user_id = $1)::int AS threads,
            (SELECT count(*) FROM messages WHERE user_id = $1)::int AS messages,
            (SELECT count(*) FROM runs r JOIN threads t ON t.id = r.thread_id WHERE t.user_id = $1)::int AS runs`,
    [userId],
  );
  return row;
}

/** The reservations a user's running turns hold (expired ones included). */
export async function reservationsOf(app: TestApp, userId: string): Promise<Array<{ tokens: number; live: boolean }>> {
  return app.dataSource.query(`SELECT tokens::int AS tokens, reserved_until > now() AS live FROM budget_reservations WHERE user_id = $1`, [userId]);
}

/** Records spending for a user at an instant, as the platform does after a call (per quarter hour). */
export async function spendAt(app: TestApp, userId: string, at: Date, tokens: number, usd = 0): Promise<void> {
  await app.dataSource.query(
    `INSERT INTO budget_spend (user_id, bucket, tokens, usd) VALUES ($1, to_timestamp(floor(extract(epoch FROM $2::timestamptz) / 900) * 900), $3, $4)
     ON CONFLICT (user_id, bucket) DO UPDATE SET tokens = budget_spend.tokens + EXCLUDED.tokens, usd = budget_spend.usd + EXCLUDED.usd`,
    [userId, at, tokens, usd],
  );
}

/** The installation's budget policy with `changes` over what it is now, set by an administrator. */
export async function setBudgetPolicy(app: TestApp, adminCookie: string, changes: Record<string, unknown>): Promise<any> {
  const current = (await request(app.baseUrl).get('/api/admin/budgets').set('Cookie', adminCookie).expect(200)).body;
  const next = {
    ...current,
    ...changes,
    default: { ...current.default, ...(changes.default as object | undefined) },
    sharedKey: { ...current.sharedKey, ...(changes.sharedKey as object | undefined) },
  };
  return (await request(app.baseUrl).put('/api/admin/budgets').set('Cookie', adminCookie).send(next).expect(200)).body;
}

export function setUserBudget(app: TestApp, adminCookie: string, userId: string, limits: { tokens: number | null; usd: number | null }) {
  return request(app.baseUrl).put(`/api/admin/users/${userId}/budget`).set('Cookie', adminCookie).send(limits);
}

/** The signed-in user's budget block of GET /api/usage. */
export async function budgetOf(app: TestApp, cookie: string): Promise<any> {
  return (await request(app.baseUrl).get('/api/usage').set('Cookie', cookie).expect(200)).body.budget;
}
