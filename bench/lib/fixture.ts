import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import type pg from 'pg';

export const BENCH_PASSWORD = 'bench-password-1234';
const MESSAGE_FILLER = ' lorem ipsum dolor sit amet, consectetur adipiscing elit'.repeat(4);

export interface BenchUser {
  id: string;
  email: string;
  assistantId: string;
  /** "sid=..." for the Cookie header. */
  cookie: string;
}

/** The platform's password hash: bcrypt over the base64 SHA-256 of the password (src/auth/password-hasher.ts). */
async function platformHash(password: string, cost: number): Promise<string> {
  return bcrypt.hash(createHash('sha256').update(password, 'utf8').digest('base64'), cost);
}

async function postJson(baseUrl: string, path: string, body: unknown, cookie?: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

/** Signs in through the API and returns the session cookie. */
export async function signIn(baseUrl: string, email: string, password = BENCH_PASSWORD): Promise<string> {
  const response = await postJson(baseUrl, '/api/login', { email, password });
  if (response.status !== 200) throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
  // Read the whole answer first: express-session finishes storing the session before the last byte.
  await response.arrayBuffer();
  const setCookie = response.headers.getSetCookie().find((value) => value.startsWith('sid='));
  if (!setCookie) throw new Error('login returned no sid cookie');
  return setCookie.split(';')[0];
}

/**
 * Users, assistants and sessions shared by the scenarios of one run. Rows are
 * written with SQL (fast); sign-in and the API key go through the API, so the
 * sessions and the encrypted keys are the platform's own.
 */
export class Fixture {
  private readonly users = new Map<string, BenchUser>();
  private hash: string | undefined;
  private readonly apiKeysSet = new Set<string>();

  constructor(readonly db: pg.Pool) {}

  /** Users "0".."count-1" (shared by the stream scenarios). */
  ensureUsers(count: number, baseUrl: string): Promise<BenchUser[]> {
    return this.namedUsers(Array.from({ length: count }, (_, index) => String(index)), baseUrl);
  }

  /**
   * Users with an assistant (their default), signed in through `baseUrl`, with
   * an API key stored through the API. Rows are created once per run; a session
   * that no longer works is replaced.
   */
  async namedUsers(keys: string[], baseUrl: string): Promise<BenchUser[]> {
    this.hash ??= await platformHash(BENCH_PASSWORD, 12);
    for (const key of keys) {
      if (this.users.has(key)) continue;
      const email = `bench-${key}@bench.test`;
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [email, `Bench ${key}`, this.hash],
      );
      const userId = rows[0].id;
      const assistant = await this.db.query<{ id: string }>(
        `INSERT INTO assistants (user_id, name, model, instructions, temperature, tools, metadata)
         VALUES ($1, 'Bench assistant', 'gpt-4o', 'You are a helpful assistant. Answer briefly.', 0.7, '[]', '{}') RETURNING id`,
        [userId],
      );
      await this.db.query('UPDATE users SET default_assistant_id = $2 WHERE id = $1', [userId, assistant.rows[0].id]);
      this.users.set(key, { id: userId, email, assistantId: assistant.rows[0].id, cookie: '' });
    }
    const selected = keys.map((key) => this.users.get(key)!);
    // Sign-ins cost a bcrypt check each (cost 12): a few at a time.
    for (let start = 0; start < selected.length; start += 8) {
      await Promise.all(
        selected.slice(start, start + 8).map(async (user) => {
          if (!user.cookie || !(await this.sessionWorks(baseUrl, user))) user.cookie = await signIn(baseUrl, user.email);
          if (!this.apiKeysSet.has(user.id)) {
            const response = await postJson(baseUrl, '/api/settings/apikey', { apiKey: `sk-bench-${user.id.replace(/-/g, '')}` }, user.cookie);
            if (!response.ok) throw new Error(`api key for ${user.email}: ${response.status} ${await response.text()}`);
            this.apiKeysSet.add(user.id);
          }
        }),
      );
    }
    return selected;
  }

  private async sessionWorks(baseUrl: string, user: BenchUser): Promise<boolean> {
    const response = await fetch(`${baseUrl}/api/user`, { headers: { cookie: user.cookie } });
    await response.arrayBuffer();
    return response.ok;
  }

  /** `count` titled threads for the user, each with `messages` alternating user/assistant messages. */
  async createThreads(user: BenchUser, count: number, messages: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO threads (user_id, assistant_id, title, message_count, last_message_at, last_activity_at)
       SELECT $1, $2, 'Bench thread ' || g, $3, now(), now() - make_interval(secs => g) FROM generate_series(1, $4) AS g
       RETURNING id`,
      [user.id, user.assistantId, messages, count],
    );
    const ids = rows.map((row) => row.id);
    if (messages > 0) await this.addMessages(user, ids, messages);
    return ids;
  }

  /** Appends `messages` messages to each thread (in batches, in seq order). */
  async addMessages(user: BenchUser, threadIds: string[], messages: number): Promise<void> {
    const batch = 50_000;
    for (const threadId of threadIds) {
      for (let from = 1; from <= messages; from += batch) {
        const to = Math.min(messages, from + batch - 1);
        await this.db.query(
          `INSERT INTO messages (thread_id, user_id, role, content, status, assistant_id, created_at, updated_at)
           SELECT $1, $2, CASE WHEN g % 2 = 1 THEN 'user' ELSE 'assistant' END,
                  'Message ' || g || '.' || $5, 'completed',
                  CASE WHEN g % 2 = 0 THEN $6::uuid END,
                  now() - make_interval(secs => $4 - g), now() - make_interval(secs => $4 - g)
           FROM generate_series($3::int, $4::int) AS g ORDER BY g`,
          [threadId, user.id, from, to, MESSAGE_FILLER, user.assistantId],
        );
      }
      await this.chain(threadId);
    }
  }

  /** Links a thread's messages into one branch in seq order (each the parent of the next), the last one active. */
  private async chain(threadId: string): Promise<void> {
    await this.db.query(
      `UPDATE messages m SET parent_id = o.parent_id, depth = o.depth
         FROM (SELECT id, lag(id) OVER (ORDER BY seq) AS parent_id, row_number() OVER (ORDER BY seq)::int AS depth
                 FROM messages WHERE thread_id = $1) o
        WHERE m.id = o.id AND m.thread_id = $1 AND (m.parent_id IS DISTINCT FROM o.parent_id OR m.depth <> o.depth)`,
      [threadId],
    );
    await this.db.query(
      `UPDATE threads SET active_leaf_id = (SELECT id FROM messages WHERE thread_id = $1 ORDER BY seq DESC LIMIT 1),
         tree_size = (SELECT count(*) FROM messages WHERE thread_id = $1)
       WHERE id = $1`,
      [threadId],
    );
  }

  /**
   * Gives a long thread the rolling summary it would have in steady state
   * (summary_window mode), up to date so no refresh starts during a measurement.
   */
  async markSummarized(threadId: string): Promise<void> {
    await this.db.query(
      `UPDATE threads SET summary = $2, summary_message_count = message_count + 1000,
         summary_through_seq = (SELECT max(seq) - 20 FROM messages WHERE thread_id = $1), summary_updated_at = now()
       WHERE id = $1`,
      [threadId, 'The user and the assistant discussed the benchmark at length.' + MESSAGE_FILLER],
    );
  }

  /** What autovacuum does on a live database after bulk inserts: statistics, and the visibility map index-only scans rely on. */
  async analyze(): Promise<void> {
    await this.db.query('VACUUM (ANALYZE)');
  }
}
