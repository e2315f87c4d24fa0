import { randomBytes } from 'node:crypto';
import { DomainError } from '../common/errors/domain-error.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { rotateApiKeys, type SealedKeys } from './key-rotation.js';
import type { SealedKeyRow, SettingsRow, StoredApiKey } from './settings.repository.js';
import { AssistantOwnership, SettingsService, type ApiKeyProvider, type AuditRecorder, type SettingsStore } from './settings.service.js';

interface StoredUser extends SettingsRow {
  api_key_key_id: string | null;
  api_key_version: number;
}

/** The settings columns of `users`, in memory, behind the repository's own interface. */
class InMemorySettings implements SettingsStore, SealedKeys {
  readonly users = new Map<string, StoredUser>();

  add(userId: string): void {
    this.users.set(userId, { api_key_ciphertext: null, api_key_key_id: null, api_key_hint: null, api_key_version: 0, default_assistant_id: null });
  }

  async find(userId: string): Promise<SettingsRow | undefined> {
    const user = this.users.get(userId);
    return user && { api_key_ciphertext: user.api_key_ciphertext, api_key_hint: user.api_key_hint, default_assistant_id: user.default_assistant_id };
  }

  async setApiKey(userId: string, key: StoredApiKey): Promise<void> {
    const user = this.users.get(userId);
    if (user) Object.assign(user, { api_key_ciphertext: key.ciphertext, api_key_key_id: key.keyId, api_key_hint: key.hint, api_key_version: user.api_key_version + 1 });
  }

  async clearApiKey(userId: string): Promise<void> {
    const user = this.users.get(userId);
    if (user) Object.assign(user, { api_key_ciphertext: null, api_key_key_id: null, api_key_hint: null, api_key_version: user.api_key_version + 1 });
  }

  async setDefaultAssistant(userId: string, assistantId: string | null): Promise<void> {
    const user = this.users.get(userId);
    if (user) user.default_assistant_id = assistantId;
  }

  async keysSealedWithOthers(currentKeyId: string, afterUserId: string, limit: number): Promise<SealedKeyRow[]> {
    return [...this.users.entries()]
      .filter(([id, user]) => user.api_key_ciphertext !== null && user.api_key_key_id !== currentKeyId && id > afterUserId)
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, limit)
      .map(([id, user]) => ({ id, api_key_ciphertext: user.api_key_ciphertext!, api_key_key_id: user.api_key_key_id! }));
  }

  async resealApiKey(userId: string, previousCiphertext: string, ciphertext: string, keyId: string): Promise<void> {
    const user = this.users.get(userId);
    if (user?.api_key_ciphertext === previousCiphertext) Object.assign(user, { api_key_ciphertext: ciphertext, api_key_key_id: keyId });
  }

  async countSealedWith(keyId: string): Promise<number> {
    return [...this.users.values()].filter((user) => user.api_key_key_id === keyId).length;
  }
}

/** The provider's side: which keys it accepts, and whose cached clients were dropped. */
class FakeProvider implements ApiKeyProvider {
  readonly forgotten: string[] = [];
  async verifyApiKey(apiKey: string): Promise<void> {
    if (apiKey.includes('rejected')) throw new DomainError('api_key_invalid', 'The API key was rejected');
  }
  forget(userId: string): void {
    this.forgotten.push(userId);
  }
}

class OwnedAssistants extends AssistantOwnership {
  constructor(private readonly owned: Map<string, string>) {
    super();
  }
  async assertOwned(userId: string, assistantId: string): Promise<void> {
    if (this.owned.get(assistantId) !== userId) throw new DomainError('not_found', 'Assistant not found');
  }
}

/** Key changes are audited; these specs are about the key itself. */
const noAudit: AuditRecorder = { record: async () => undefined };

const key = (id: string) => ({ id, key: randomBytes(32) });
const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

describe('SettingsService', () => {
  let store: InMemorySettings;
  let provider: FakeProvider;
  let secrets: SecretBox;
  let settings: SettingsService;

  beforeEach(() => {
    store = new InMemorySettings();
    store.add(ALICE);
    store.add(BOB);
    provider = new FakeProvider();
    secrets = new SecretBox([key('k1')]);
    settings = new SettingsService(store, secrets, provider, new OwnedAssistants(new Map([['assistant-of-alice', ALICE]])), noAudit);
  });

  it('stores an accepted key sealed for its owner and shows only its hint', async () => {
    await settings.setApiKey(ALICE, 'sk-proj-abcdefghijklmnop1234');
    expect(await settings.get(ALICE)).toEqual({ hasApiKey: true, apiKeyHint: 'sk-…1234', defaultAssistantId: null });
    const stored = store.users.get(ALICE)!;
    expect(stored.api_key_ciphertext).not.toContain('abcdefghijklmnop');
    expect(secrets.open({ keyId: stored.api_key_key_id!, ciphertext: stored.api_key_ciphertext! }, ALICE)).toBe('sk-proj-abcdefghijklmnop1234');
    expect(provider.forgotten).toEqual([ALICE]);
    expect(await settings.get(BOB)).toEqual({ hasApiKey: false, apiKeyHint: null, defaultAssistantId: null });
  });

  it('stores nothing when the provider refuses the key', async () => {
    await expect(settings.setApiKey(ALICE, 'sk-rejected-abcdefghijklmnop')).rejects.toMatchObject({ code: 'api_key_invalid' });
    expect(store.users.get(ALICE)!.api_key_ciphertext).toBeNull();
    expect(provider.forgotten).toEqual([]);
  });

  it('removes the key and moves its version on, so clients built from it are not reused', async () => {
    await settings.setApiKey(ALICE, 'sk-proj-abcdefghijklmnop1234');
    await settings.deleteApiKey(ALICE);
    expect(await settings.get(ALICE)).toEqual({ hasApiKey: false, apiKeyHint: null, defaultAssistantId: null });
    expect(store.users.get(ALICE)!.api_key_version).toBe(2);
    expect(provider.forgotten).toEqual([ALICE, ALICE]);
  });

  it("sets only an assistant the user owns as default, and clears it with null", async () => {
    await expect(settings.setDefaultAssistant(BOB, 'assistant-of-alice')).rejects.toMatchObject({ code: 'not_found' });
    expect(store.users.get(BOB)!.default_assistant_id).toBeNull();
    await settings.setDefaultAssistant(ALICE, 'assistant-of-alice');
    expect((await settings.get(ALICE)).defaultAssistantId).toBe('assistant-of-alice');
    await settings.setDefaultAssistant(ALICE, null);
    expect((await settings.get(ALICE)).defaultAssistantId).toBeNull();
  });

  it('answers 404 for a user that no longer exists', async () => {
    await expect(settings.get('00000000-0000-4000-8000-0000000000ff')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('rotateApiKeys', () => {
  it('re-seals keys of older master keys with the first one and counts those already current', async () => {
    const store = new InMemorySettings();
    store.add(ALICE);
    store.add(BOB);
    const oldKey = key('k1');
    const before = new SettingsService(store, new SecretBox([oldKey]), new FakeProvider(), new OwnedAssistants(new Map()), noAudit);
    await before.setApiKey(ALICE, 'sk-proj-alice-0000000000001');
    const both = new SecretBox([key('k2'), oldKey]);
    const after = new SettingsService(store, both, new FakeProvider(), new OwnedAssistants(new Map()), noAudit);
    await after.setApiKey(BOB, 'sk-proj-bob-00000000000000002');

    expect(await rotateApiKeys(store, both)).toEqual({ rotated: 1, alreadyCurrent: 1 });
    const alice = store.users.get(ALICE)!;
    expect(alice.api_key_key_id).toBe('k2');
    expect(both.open({ keyId: 'k2', ciphertext: alice.api_key_ciphertext! }, ALICE)).toBe('sk-proj-alice-0000000000001');
    expect(await rotateApiKeys(store, both)).toEqual({ rotated: 0, alreadyCurrent: 2 });
  });
});
