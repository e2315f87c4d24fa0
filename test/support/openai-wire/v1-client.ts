import OpenAI from 'openai';
import request from 'supertest';
import { startTestApp, type TestApp } from '../test-app.js';
import { schemaCheckingFetch, type CheckedAnswer } from './wire-schemas.js';

/** A personal API token of the session's user, with the given scopes. */
export async function apiToken(app: TestApp, cookie: string, scopes: string[] = ['read', 'write', 'chat']): Promise<string> {
  const response = await request(app.baseUrl).post('/api/tokens').set('Cookie', cookie).send({ name: 'sdk', scopes });
  if (response.status !== 201) throw new Error(`making a token failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.token;
}

/**
 * The real openai SDK pointed at the platform, as a program written for
 * OpenAI's Assistants API would be; every answer is checked against the
 * official schemas and recorded in `answers`.
 */
export function platformClient(app: TestApp, token: string, answers: CheckedAnswer[]): OpenAI {
  return new OpenAI({ apiKey: token, baseURL: `${app.baseUrl}/v1`, maxRetries: 0, fetch: schemaCheckingFetch(answers) });
}

/** The answers that broke the official schema (none expected). */
export function schemaViolations(answers: CheckedAnswer[]): CheckedAnswer[] {
  return answers.filter((answer) => answer.violations.length > 0);
}

/** A /v1 id's platform UUID (`thread_<32 hex>`, `file-<32 hex>` → the dashed form). */
export const uuidOf = (id: string) => id.replace(/^[a-z]+[_-]/, '').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The text of a /v1 message. */
export const messageText = (message: { content: Array<{ type: string; text?: { value: string } }> }) =>
  message.content.map((part) => part.text?.value).join('');

export interface V1Suite {
  app: TestApp;
  /** What the SDK received in the current test. */
  answers: CheckedAnswer[];
}

/**
 * The lifecycle of a /v1 test file: one application with the fake provider,
 * and after each test, at least one answer, every one matching the official
 * schema of its route.
 */
export function v1Suite(env: Record<string, string> = {}): V1Suite {
  const suite = { answers: [] } as unknown as V1Suite;
  beforeAll(async () => {
    suite.app = await startTestApp({ fake: true, env });
  });
  afterAll(async () => {
    await suite.app?.close();
  });
  beforeEach(() => {
    suite.answers = [];
  });
  afterEach(() => {
    expect(suite.answers.length).toBeGreaterThan(0);
    expect(schemaViolations(suite.answers)).toEqual([]);
  });
  return suite;
}
