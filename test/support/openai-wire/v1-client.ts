import OpenAI from 'openai';
import request from 'supertest';
import type { TestApp } from '../test-app.js';
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
