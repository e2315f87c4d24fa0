import request from 'supertest';
import type { HeldRequest, RecordedRequest } from './fake-openai/index.js';
import type { TestApp } from './test-app.js';
import { createAssistant, eventually, registerUserWithKey } from './platform-api.js';

export interface ChatUser {
  cookie: string;
  userId: string;
  email: string;
  password: string;
  apiKey: string;
  assistant: any;
}

/** A user with an API key and an assistant, ready to chat. */
export async function chatUser(app: TestApp, assistantFields: Record<string, unknown> = {}): Promise<ChatUser> {
  const user = await registerUserWithKey(app.baseUrl);
  const assistant = await createAssistant(app.baseUrl, user.cookie, { name: 'Helper', instructions: 'Answer briefly.', ...assistantFields });
  return { ...user, assistant };
}

export function chatJson(app: TestApp, cookie: string, body: Record<string, unknown>) {
  return request(app.baseUrl).post('/api/chat').set('Cookie', cookie).send({ stream: false, ...body });
}

export async function messagesOf(app: TestApp, cookie: string, threadId: string, query = ''): Promise<any[]> {
  const response = await request(app.baseUrl).get(`/api/threads/${threadId}/messages${query}`).set('Cookie', cookie).expect(200);
  return response.body;
}

export async function threadOf(app: TestApp, cookie: string, threadId: string): Promise<any> {
  return (await request(app.baseUrl).get(`/api/threads/${threadId}`).set('Cookie', cookie).expect(200)).body;
}

/** The JSON bodies the fake provider received on POST /v1/responses, oldest first. */
export function responseRequests(app: TestApp, model?: string): any[] {
  return app.fake
    .requestsTo('POST', '/v1/responses')
    .map((entry) => entry.body as any)
    .filter((body) => model === undefined || body.model === model);
}

/** Waits until the thread has no running run. */
export async function waitUntilFree(app: TestApp, threadId: string): Promise<void> {
  await eventually(async () => {
    const [{ count }] = await app.dataSource.query(`SELECT count(*)::int AS count FROM runs WHERE thread_id = $1 AND status = 'running'`, [threadId]);
    return count === 0 ? true : undefined;
  });
}

/** Waits until the thread has a running run that began at least `ageMs` ago. */
export async function waitForRunningRun(app: TestApp, threadId: string, ageMs = 0): Promise<void> {
  await eventually(async () => {
    const rows = await app.dataSource.query(
      `SELECT 1 FROM runs WHERE thread_id = $1 AND status = 'running' AND started_at <= now() - make_interval(secs => $2)`,
      [threadId, ageMs / 1000],
    );
    return rows.length > 0 ? true : undefined;
  });
}

/**
 * Holds the request for `model` among the next `among` POST /v1/responses,
 * which may arrive in any order (a reply and its title are asked for
 * together), and lets the others through at once. `release()` lets it go on.
 */
export function holdResponseFor(app: TestApp, model: string, among: number): HeldRequest {
  const holds = Array.from({ length: among }, () => app.fake.holdNext('responses'));
  const arrived = new Promise<RecordedRequest>((resolve) => {
    for (const hold of holds) {
      void hold.arrived.then((entry) => ((entry.body as { model?: string } | undefined)?.model === model ? resolve(entry) : hold.release()));
    }
  });
  return { arrived, release: () => holds.forEach((hold) => hold.release()) };
}

/** The promise's value, or 'timed out' when it takes longer than `ms` (so a test fails instead of hanging). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A new thread with three answered turns, Q1/A1 to Q3/A3: each turn's answer body (threadId, userMessageId, messageId). */
export async function threeTurns(app: TestApp, user: ChatUser): Promise<any[]> {
  app.fake.enqueueResponse({ text: 'A1' }, { text: 'A2' }, { text: 'A3' });
  const first = await chatJson(app, user.cookie, { assistantId: user.assistant.id, message: 'Q1' }).expect(200);
  const threadId = first.body.threadId;
  const second = await chatJson(app, user.cookie, { threadId, message: 'Q2' }).expect(200);
  const third = await chatJson(app, user.cookie, { threadId, message: 'Q3' }).expect(200);
  return [first.body, second.body, third.body];
}

/** Each message as [content, siblingCount, siblingIndex]: what a page shows of its versions. */
export function versionsShown(messages: any[]): Array<[string, number, number]> {
  return messages.map((message) => [message.content, message.siblingCount, message.siblingIndex]);
}
