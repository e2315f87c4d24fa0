import { randomUUID } from 'node:crypto';
import type { Transactions } from '../database/sql.js';
import { User, type UserRole } from './user.entity.js';
import { UsersService, type UsersStore } from './users.service.js';

/** Runs the work at once: the in-memory store has no transactions to open. */
const directTransactions = { run: (work: (tx: never) => Promise<unknown>) => work(undefined as never) } as unknown as Transactions;

/** The users table in memory, behind the repository's own interface; e-mails unique like users_email_key. */
class InMemoryUsers implements UsersStore {
  readonly rows = new Map<string, User>();
  failNextInsertWith: unknown;

  async insert(email: string, passwordHash: string, name: string | null, role: UserRole = 'user'): Promise<User> {
    if (this.failNextInsertWith) {
      const error = this.failNextInsertWith;
      this.failNextInsertWith = undefined;
      throw error;
    }
    if ([...this.rows.values()].some((user) => user.email === email)) {
      throw Object.assign(new Error('duplicate key value violates unique constraint "users_email_key"'), {
        code: '23505',
        constraint: 'users_email_key',
      });
    }
    const now = new Date();
    const user = Object.assign(new User(), {
      id: randomUUID(),
      email,
      name,
      passwordHash,
      apiKeyCiphertext: null,
      apiKeyKeyId: null,
      apiKeyHint: null,
      apiKeyVersion: 0,
      defaultAssistantId: null,
      role,
      disabledAt: null,
      mustChangePassword: false,
      createdAt: now,
      updatedAt: now,
    });
    this.rows.set(user.id, user);
    return user;
  }

  async findByEmail(email: string): Promise<User | undefined> {
    return [...this.rows.values()].find((user) => user.email === email);
  }

  async findById(userId: string): Promise<User | undefined> {
    return this.rows.get(userId);
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    const user = this.rows.get(userId);
    if (user) user.passwordHash = passwordHash;
  }

  async replacePasswordHash(userId: string, current: string, passwordHash: string): Promise<void> {
    const user = this.rows.get(userId);
    if (user?.passwordHash === current) user.passwordHash = passwordHash;
  }

  async delete(userId: string): Promise<void> {
    this.rows.delete(userId);
  }

  async lockRegistrations(): Promise<void> {}

  async lockAdmins(): Promise<void> {}

  async anyExists(): Promise<boolean> {
    return this.rows.size > 0;
  }

  async anyOtherThan(userId: string): Promise<boolean> {
    return [...this.rows.keys()].some((id) => id !== userId);
  }

  async isDisabled(userId: string): Promise<boolean> {
    return this.rows.get(userId)?.disabledAt != null;
  }

  async setRole(userId: string, role: UserRole): Promise<boolean> {
    const user = this.rows.get(userId);
    if (user) user.role = role;
    return user !== undefined;
  }

  async setDisabled(userId: string, disabled: boolean): Promise<boolean> {
    const user = this.rows.get(userId);
    if (user) user.disabledAt = disabled ? (user.disabledAt ?? new Date()) : null;
    return user !== undefined;
  }

  async setMustChangePassword(userId: string): Promise<boolean> {
    const user = this.rows.get(userId);
    if (user) user.mustChangePassword = true;
    return user !== undefined;
  }

  async countOtherAdmins(userId: string): Promise<number> {
    return [...this.rows.values()].filter((user) => user.role === 'admin' && user.id !== userId).length;
  }

  async page(): Promise<{ users: User[]; total: number }> {
    return { users: [...this.rows.values()], total: this.rows.size };
  }
}

describe('UsersService', () => {
  let store: InMemoryUsers;
  let users: UsersService;

  beforeEach(() => {
    store = new InMemoryUsers();
    users = new UsersService(store, directTransactions);
  });

  it('creates an account and finds it by e-mail and by id', async () => {
    const created = await users.create('ada@example.org', 'hash-1', 'Ada');
    expect(await users.findByEmail('ada@example.org')).toBe(created);
    expect(await users.get(created.id)).toBe(created);
    expect(await users.findByEmail('nobody@example.org')).toBeNull();
  });

  it('answers email_taken when the e-mail already has an account', async () => {
    await users.create('ada@example.org', 'hash-1', null);
    await expect(users.create('ada@example.org', 'hash-2', null)).rejects.toMatchObject({
      code: 'email_taken',
      message: 'An account with this e-mail already exists',
    });
    expect(store.rows.size).toBe(1);
  });

  it('passes other database failures on unchanged', async () => {
    const failure = Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' });
    store.failNextInsertWith = failure;
    await expect(users.create('ada@example.org', 'hash-1', null)).rejects.toBe(failure);
    const otherConstraint = Object.assign(new Error('duplicate'), { code: '23505', constraint: 'some_other_key' });
    store.failNextInsertWith = otherConstraint;
    await expect(users.create('ada@example.org', 'hash-1', null)).rejects.toBe(otherConstraint);
  });

  it('answers 404 for a user that does not exist, or no longer does', async () => {
    const created = await users.create('ada@example.org', 'hash-1', null);
    await users.delete(created.id);
    await expect(users.get(created.id)).rejects.toMatchObject({ code: 'not_found', message: 'User not found' });
  });

  it('upgrades a hash only while it is still the one that was checked', async () => {
    const created = await users.create('ada@example.org', 'hash-1', null);
    await users.setPasswordHash(created.id, 'hash-changed-meanwhile');
    await users.replacePasswordHash(created.id, 'hash-1', 'hash-upgraded');
    expect((await users.get(created.id)).passwordHash).toBe('hash-changed-meanwhile');
    await users.replacePasswordHash(created.id, 'hash-changed-meanwhile', 'hash-upgraded');
    expect((await users.get(created.id)).passwordHash).toBe('hash-upgraded');
  });

  it('never demotes the last administrator, and demotes one of two', async () => {
    const first = await users.create('ada@example.org', 'hash-1', null);
    await store.setRole(first.id, 'admin');
    await expect(users.changeRole(first.id, 'user')).rejects.toMatchObject({ code: 'last_admin' });
    const second = await users.create('bob@example.org', 'hash-2', null);
    await users.changeRole(second.id, 'admin');
    await users.changeRole(first.id, 'user');
    expect((await users.get(first.id)).role).toBe('user');
    await expect(users.changeRole(second.id, 'user')).rejects.toMatchObject({ code: 'last_admin' });
  });

  it('removes the last administrator only with the last account', async () => {
    const admin = await users.create('ada@example.org', 'hash-1', null);
    await store.setRole(admin.id, 'admin');
    const user = await users.create('bob@example.org', 'hash-2', null);
    await expect(users.deleteKeepingAnAdmin(admin.id)).rejects.toMatchObject({ code: 'last_admin' });
    await users.deleteKeepingAnAdmin(user.id);
    await users.deleteKeepingAnAdmin(admin.id);
    expect(store.rows.size).toBe(0);
  });
});
