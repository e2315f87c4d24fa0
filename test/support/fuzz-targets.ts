import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { chatJson, chatUser, type ChatUser } from './chat-helpers.js';
import { closeFuzzAgent, contractViolation, send, type FuzzRequest, type FuzzResponse } from './fuzz-http.js';
import type { KnownIds } from './hostile-input.js';
import { eventually, uploadFile } from './platform-api.js';
import { routeFields, type RouteFields } from './route-fields.js';
import { listRoutes, type AppRoute } from './routes.js';
import { login } from './session-client.js';
import type { TestApp } from './test-app.js';

/** A user with one of each object (assistant, thread with messages, file), to aim fuzzed input at. */
export interface FuzzUser extends ChatUser {
  threadId: string;
  messageId: string;
  fileId: string;
}

export async function fuzzUser(app: TestApp): Promise<FuzzUser> {
  const user = await chatUser(app);
  const chat = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Hello' }).expect(200);
  const upload = await uploadFile(app.baseUrl, user.cookie, Buffer.from('fuzz notes\n'), 'notes.txt');
  // A default assistant lets bodies without an assistantId get as far as a turn.
  await request(app.baseUrl).post('/api/settings/default-assistant').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(200);
  return { ...user, threadId: chat.body.threadId, messageId: chat.body.messageId, fileId: upload.fileIds[0] };
}

/**
 * The world a fuzz file works in: every route read from the application, a
 * signed-in user with real objects, another user whose objects must stay
 * invisible, and a spare user for routes that end sessions or drop the key.
 */
export class FuzzWorld {
  readonly routes: AppRoute[];
  private readonly fieldsByRoute = new Map<AppRoute, RouteFields>();
  /** Answers seen, by route and status (printed with FUZZ_STATS=1, to see how deep the input got). */
  private readonly statuses = new Map<string, Map<string, number>>();

  private constructor(
    readonly app: TestApp,
    readonly main: FuzzUser,
    readonly other: FuzzUser,
    /** Signed in separately: DELETE routes without an id (the API key, the account) act on this one. */
    readonly spare: ChatUser,
  ) {
    this.routes = listRoutes(app.app).sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
    for (const route of this.routes) this.fieldsByRoute.set(route, routeFields(app.app, route));
  }

  /** The body and query fields each route's DTOs declare. */
  fields(route: AppRoute): RouteFields {
    return this.fieldsByRoute.get(route) ?? { body: [], required: [], query: [] };
  }

  /** Every body field and every query field some route takes. */
  get allFields(): RouteFields {
    const union = (pick: (fields: RouteFields) => string[]) => [...new Set([...this.fieldsByRoute.values()].flatMap(pick))].sort();
    return { body: union((fields) => fields.body), required: union((fields) => fields.required), query: union((fields) => fields.query) };
  }

  static async create(app: TestApp): Promise<FuzzWorld> {
    const main = await fuzzUser(app);
    const other = await fuzzUser(app);
    const spare = await chatUser(app);
    return new FuzzWorld(app, main, other, spare);
  }

  /** A new session of the spare user, for requests that may end the session they carry. */
  spareSession(): Promise<string> {
    return login(this.app.baseUrl, this.spare.email, this.spare.password);
  }

  get ids(): KnownIds {
    const { main, other } = this;
    return {
      own: [main.assistant.id, main.threadId, main.messageId, main.fileId],
      foreign: [other.assistant.id, other.threadId, other.messageId, other.fileId],
      assistantId: main.assistant.id,
      threadId: main.threadId,
      messageId: main.messageId,
      fileId: main.fileId,
    };
  }

  /** The main user's object of the kind a path parameter names (by the segment before it). */
  ownIdFor(path: string, parameter: string): string {
    const segments = path.split('/');
    const before = segments[segments.indexOf(`:${parameter}`) - 1];
    if (parameter === 'fileId' || before === 'files') return this.main.fileId;
    if (before === 'assistants') return this.main.assistant.id;
    if (before === 'threads') return this.main.threadId;
    if (before === 'messages') return this.main.messageId;
    return randomUUID();
  }

  /**
   * The route's path with real ids of the main user, except that DELETE
   * routes get an id that names nothing: the fixtures must survive the run.
   */
  concrete(route: AppRoute, id?: (parameter: string) => string): string {
    return route.path.replace(/:([A-Za-z]+)/g, (_, parameter: string) =>
      id ? id(parameter) : route.method === 'DELETE' ? randomUUID() : this.ownIdFor(route.path, parameter),
    );
  }

  /**
   * The cookie a signed-in request to this route carries. Signing in, up or
   * out replaces the session, so those routes get a session of their own.
   */
  async cookieFor(route: AppRoute): Promise<string> {
    if (['/api/login', '/api/register', '/api/logout'].includes(route.path)) return login(this.app.baseUrl, this.main.email, this.main.password);
    if (route.method === 'DELETE' && !route.path.includes(':')) return this.spare.cookie;
    return this.main.cookie;
  }

  /** Sends one request and returns why its answer breaks the contract, if it does. */
  async probe(route: AppRoute | string, input: FuzzRequest): Promise<string | undefined> {
    const label = typeof route === 'string' ? route : `${route.method} ${route.path}`;
    let response: FuzzResponse;
    try {
      response = await send(this.app.baseUrl, input);
    } catch (error) {
      return `${label} (${input.method} ${input.path.slice(0, 120)}): ${(error as Error).message}`;
    }
    const counts = this.statuses.get(label) ?? new Map<string, number>();
    const code = (response.json as { code?: unknown } | undefined)?.code;
    const key = `${response.status}${typeof code === 'string' && response.status >= 400 ? `:${code}` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (process.env.FUZZ_DEBUG && label === process.env.FUZZ_DEBUG) process.stdout.write(`${String(input.body).slice(0, 300)} -> ${response.status} ${response.text.slice(0, 300)}\n`);
    this.statuses.set(label, counts);
    const problem = contractViolation(response, input.method);
    return problem ? `${label} (${input.method} ${input.path.slice(0, 120)}) -> ${problem}` : undefined;
  }

  /** Throws (for fast-check) when any probe found a problem; checks that the server still answers. */
  async expectClean(problems: Array<string | undefined>): Promise<void> {
    const found = problems.filter((problem): problem is string => problem !== undefined);
    if (found.length > 0) throw new Error(`${found.length} answer(s) broke the contract:\n${found.slice(0, 8).join('\n')}`);
  }

  async expectAlive(): Promise<void> {
    const health = await send(this.app.baseUrl, { method: 'GET', path: '/health', timeoutMs: 10_000 });
    if (health.status !== 200) throw new Error(`GET /health answered ${health.status}: ${health.text.slice(0, 200)}`);
  }

  /**
   * Puts back what valid fuzzed requests may have changed (the default
   * assistant, the thread's assistant, the assistant's state), so that later
   * runs still get as far as a turn.
   */
  async restore(): Promise<void> {
    const { main } = this;
    const base = request(this.app.baseUrl);
    await base.post('/api/settings/default-assistant').set('Cookie', main.cookie).send({ assistantId: main.assistant.id }).expect(200);
    await base.patch(`/api/threads/${main.threadId}`).set('Cookie', main.cookie).send({ assistantId: main.assistant.id, isArchived: false }).expect(200);
    await base
      .patch(`/api/assistants/${main.assistant.id}`)
      .set('Cookie', main.cookie)
      .send({ isActive: true, model: 'gpt-4o-mini', tools: [], instructions: 'Answer briefly.' })
      .expect(200);
  }

  /** The main user is still signed in (no fuzzed request ended their session). */
  async expectSignedIn(): Promise<void> {
    const response = await request(this.app.baseUrl).get('/api/user').set('Cookie', this.main.cookie);
    if (response.status !== 200) throw new Error(`the main user was signed out: ${response.status} ${JSON.stringify(response.body)}`);
  }

  /** No run left running, health still 200: the end state after a batch of fuzzing. */
  async settle(): Promise<void> {
    await this.expectAlive();
    const running = () =>
      this.app.dataSource.query(
        `SELECT r.id, r.thread_id, r.kind, r.user_message_id, r.assistant_message_id, r.cancel_requested, r.started_at, r.heartbeat_at,
                (SELECT json_agg(json_build_object('role', m.role, 'status', m.status, 'content', left(m.content, 80)) ORDER BY m.created_at)
                   FROM messages m WHERE m.thread_id = r.thread_id) AS messages
           FROM runs r WHERE r.status = 'running'`,
      ) as Promise<unknown[]>;
    let last: unknown[] = [];
    await eventually(async () => ((last = await running()).length === 0 ? true : undefined), { timeoutMs: 10_000, describe: () => last });
  }

  /** Statuses seen per route, e.g. `POST /api/chat: 200×12 400×80`. */
  statistics(): string {
    return [...this.statuses.entries()]
      .filter(([label]) => !label.includes('%') && label.split(' ')[1]?.startsWith('/'))
      .map(([label, counts]) => `${label}: ${[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([status, count]) => `${status}×${count}`).join(' ')}`)
      .join('\n');
  }

  close(): void {
    if (process.env.FUZZ_STATS === '1') process.stdout.write(`${this.statistics()}\n`);
    closeFuzzAgent();
  }
}
