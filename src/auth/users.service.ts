import { Inject, Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { isUniqueViolation } from '../database/sql-errors.js';
import type { User, UserRole } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** The port UsersService needs of its repository (fakes in unit specs implement it). */
export type UsersStore = Pick<UsersRepository, keyof UsersRepository>;

@Injectable()
export class UsersService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersStore,
    private readonly transactions: Transactions,
  ) {}

  async create(email: string, passwordHash: string, name: string | null): Promise<User> {
    try {
      return await this.users.insert(email, passwordHash, name);
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new DomainError('email_taken', 'An account with this e-mail already exists');
      }
      throw error;
    }
  }

  async findByEmail(email: string): Promise<User | null> {
    return (await this.users.findByEmail(email)) ?? null;
  }

  async find(id: string): Promise<User | null> {
    return (await this.users.findById(id)) ?? null;
  }

  /** The user, or 404: every signed-in page asks for it. */
  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('User');
    return user;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.setPasswordHash(id, passwordHash);
  }

  /** Replaces the hash only if it is still `current` (a password changed meanwhile wins). */
  async replacePasswordHash(id: string, current: string, passwordHash: string): Promise<void> {
    await this.users.replacePasswordHash(id, current, passwordHash);
  }

  async setRole(id: string, role: UserRole): Promise<void> {
    await this.users.setRole(id, role);
  }

  /**
   * Makes the user an administrator or takes it back; never the last
   * administrator (changes of role take turns on a transaction lock, so two
   * administrators demoting each other cannot both succeed). Answers the
   * user as it was before.
   */
  async changeRole(id: string, role: UserRole): Promise<User> {
    return this.transactions.run(async (tx) => {
      await this.users.lockAdmins(tx);
      const user = await this.users.findById(id, tx);
      if (!user) throw notFound('User');
      if (user.role === 'admin' && role !== 'admin' && (await this.users.countOtherAdmins(id, tx)) === 0) {
        throw new DomainError('last_admin', 'The last administrator cannot be demoted; make someone else an administrator first');
      }
      await this.users.setRole(id, role, tx);
      return user;
    });
  }

  /** Throws 409 `last_admin` when the user is the only administrator and other accounts remain. */
  async assertNotLastAdmin(id: string, db?: SqlExecutor): Promise<void> {
    const user = await this.users.findById(id, db);
    if (user?.role === 'admin' && (await this.users.countOtherAdmins(id, db)) === 0 && (await this.users.anyOtherThan(id, db))) {
      throw new DomainError('last_admin', 'The last administrator cannot be removed while other accounts remain; make someone else an administrator first');
    }
  }

  /** Removes the user (every row it owns goes with it), never leaving accounts without an administrator. */
  async deleteKeepingAnAdmin(id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.users.lockAdmins(tx);
      await this.assertNotLastAdmin(id, tx);
      await this.users.delete(id, tx);
    });
  }

  async isDisabled(id: string, db?: SqlExecutor): Promise<boolean> {
    return this.users.isDisabled(id, db);
  }

  /** Answers false when there is no such user. */
  async setDisabled(id: string, disabled: boolean, db?: SqlExecutor): Promise<boolean> {
    return this.users.setDisabled(id, disabled, db);
  }

  /** The next sign-in may only change the password; answers false when there is no such user. */
  async requirePasswordChange(id: string): Promise<boolean> {
    return this.users.setMustChangePassword(id);
  }

  page(search: string | null, limit: number, offset: number): Promise<{ users: User[]; total: number }> {
    return this.users.page(search, limit, offset);
  }

  /** Removes the user; every row the user owns goes with it (foreign keys cascade). */
  async delete(id: string): Promise<void> {
    await this.users.delete(id);
  }
}
