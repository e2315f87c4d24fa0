import { setBudgetPolicy } from '../support/budget-helpers.js';
import { chatJson } from '../support/chat-helpers.js';
import { createAssistant } from '../support/platform-api.js';
import { registerUser } from '../support/session-client.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const ADMIN_EMAIL = 'policy-admin@example.org';
const SHARED_KEY = 'sk-test-shared-policy-key-0123456789';

/**
 * Each instance holds the budget policy it read for a moment (a turn reads
 * it before it starts); a change made on one instance reaches the others at
 * once, by NOTIFY, not when their copy would have expired.
 */
describe('the budget policy across instances', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = { ADMIN_EMAILS: ADMIN_EMAIL, OPENAI_API_KEY: SHARED_KEY };
    first = await startTestApp({ fake: true, env });
    second = await startTestApp({ database: first.database, fake: first.fake, env });
  });

  afterAll(async () => {
    await second?.app.close();
    await first?.close();
  });

  it('a shared-key model allowlist set on one instance refuses the next turn on the other', async () => {
    const admin = await registerUser(first.baseUrl, { email: ADMIN_EMAIL });
    const user = await registerUser(first.baseUrl);
    const assistant = await createAssistant(first.baseUrl, user.cookie, { name: 'Shared', model: 'gpt-4o' });
    // The second instance reads (and keeps) the open policy.
    await chatJson(second, user.cookie, { assistantId: assistant.id, message: 'Before' }).expect(200);

    await setBudgetPolicy(first, admin.cookie, { sharedKey: { models: ['gpt-4o-mini'] } });
    const refused = await waitForStatus(() => chatJson(second, user.cookie, { assistantId: assistant.id, message: 'After' }), 403, 2_000);
    expect(refused.body.code).toBe('shared_key_policy');

    await setBudgetPolicy(first, admin.cookie, { sharedKey: { models: [] } });
    await waitForStatus(() => chatJson(second, user.cookie, { assistantId: assistant.id, message: 'Again' }), 200, 2_000);
  });
});

/** Repeats the request until it answers `status` (the NOTIFY is asynchronous), failing after `withinMs`. */
async function waitForStatus(send: () => PromiseLike<{ status: number; body: any }>, status: number, withinMs: number) {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const answer = await send();
    if (answer.status === status) return answer;
    if (Date.now() > deadline) throw new Error(`still ${answer.status} after ${withinMs} ms: ${JSON.stringify(answer.body)}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
}
