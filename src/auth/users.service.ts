import { Inject, Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { isUniqueViolation } from '../database/sql-errors.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

/** The port UsersService needs of its repository (fakes in unit specs implement it). */
export type UsersStore = Pick<UsersRepository, keyof UsersRepository>;

@Injectable()
export class UsersService {
  constructor(@Inject(UsersRepository) private readonly users: UsersStore) {}

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

  /** Removes the user; every row the user owns goes with it (foreign keys cascade). */
  async delete(id: string): Promise<void> {
    await this.users.delete(id);
  }
}
