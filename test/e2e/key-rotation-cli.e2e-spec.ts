import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chatJson, chatUser, type ChatUser } from '../support/chat-helpers.js';
import { FakeOpenAI } from '../support/fake-openai/index.js';
import { runBuiltCommand } from '../support/platform-process.js';
import { query } from '../support/query.js';
import { login } from '../support/session-client.js';
import { startTestApp, TEST_ENCRYPTION_KEY } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

jest.setTimeout(120_000);

interface StoredKey {
  api_key_ciphertext: string;
  api_key_key_id: string;
}

async function storedKeys(database: TestDatabase, users: ChatUser[]): Promise<StoredKey[]> {
  const rows = await query(database.url, 'SELECT id, api_key_ciphertext, api_key_key_id FROM users WHERE id = ANY($1::uuid[])', [
    users.map((user) => user.userId),
  ]);
  return users.map((user) => {
    const row = rows.find((candidate) => candidate.id === user.userId);
    return { api_key_ciphertext: row.api_key_ciphertext, api_key_key_id: row.api_key_key_id };
  });
}

/** `npm run keys:rotate` as it runs in operation: the built command line, a separate process, on a real database. */
describe('the key rotation command line', () => {
  let database: TestDatabase;
  let fake: FakeOpenAI;

  beforeAll(async () => {
    database = await createTestDatabase();
    fake = await FakeOpenAI.start();
  });

  afterAll(async () => {
    await fake?.stop();
    await database?.drop();
  });

  it('re-encrypts every stored key with the first master key, and the platform still uses them with only that key', async () => {
    const oldEntry = TEST_ENCRYPTION_KEY;
    const newEntry = `k2:${randomBytes(32).toString('base64')}`;
    const before = await startTestApp({ database, fake });
    let users: ChatUser[];
    try {
      users = [await chatUser(before), await chatUser(before)];
    } finally {
      await before.app.close();
    }
    const sealedWithOld = await storedKeys(database, users);
    expect(sealedWithOld.map((row) => row.api_key_key_id)).toEqual(['k1', 'k1']);

    const env = { DATABASE_URL: database.url, ENCRYPTION_KEYS: `${newEntry},${oldEntry}`, DATA_DIR: '.data/test' };
    const rotation = await runBuiltCommand('settings/rotate-keys-cli.js', env);
    expect(rotation).toEqual({ code: 0, stdout: 're-encrypted 2 API key(s) with key "k2"; 0 already used it\n', stderr: '' });
    const sealedWithNew = await storedKeys(database, users);
    expect(sealedWithNew.map((row) => row.api_key_key_id)).toEqual(['k2', 'k2']);
    for (const [index, row] of sealedWithNew.entries()) {
      expect(row.api_key_ciphertext).not.toBe(sealedWithOld[index].api_key_ciphertext);
      expect(row.api_key_ciphertext).not.toContain(users[index].apiKey.slice(3));
    }

    // A second run finds nothing left to do and changes nothing.
    const again = await runBuiltCommand('settings/rotate-keys-cli.js', env);
    expect(again).toEqual({ code: 0, stdout: 're-encrypted 0 API key(s) with key "k2"; 2 already used it\n', stderr: '' });
    expect(await storedKeys(database, users)).toEqual(sealedWithNew);

    // The old master key is gone from the configuration: each user's own key still reaches the provider.
    const after = await startTestApp({ database, fake, env: { ENCRYPTION_KEYS: newEntry } });
    try {
      for (const user of users) {
        const cookie = await login(after.baseUrl, user.email, user.password);
        fake.enqueueResponse({ text: 'Still here' });
        const reply = await chatJson(after, cookie, { assistantId: user.assistant.id, message: 'after the rotation' }).expect(200);
        expect(reply.body.content).toEqual([{ type: 'text', text: 'Still here' }]);
        expect(fake.requestsTo('POST', '/v1/responses').at(-1)?.headers.authorization).toBe(`Bearer ${user.apiKey}`);
      }
    } finally {
      await after.app.close();
    }
    fake.assertNoSchemaViolations();
  });

  it('stops with exit code 1 and one line when a stored key was sealed with a master key no longer configured', async () => {
    const app = await startTestApp({ database, fake });
    let user: ChatUser;
    try {
      user = await chatUser(app);
    } finally {
      await app.app.close();
    }
    const unrelated = `k3:${randomBytes(32).toString('base64')}`;
    const rotation = await runBuiltCommand('settings/rotate-keys-cli.js', { DATABASE_URL: database.url, ENCRYPTION_KEYS: unrelated, DATA_DIR: '.data/test' });
    expect(rotation.code).toBe(1);
    expect(rotation.stdout).toBe('');
    expect(rotation.stderr).toMatch(/^no configured encryption key has the id "k[12]"\n$/);
    const [row] = await storedKeys(database, [user]);
    expect(row.api_key_key_id).toBe('k1');
    fake.assertNoSchemaViolations();
  });
});
